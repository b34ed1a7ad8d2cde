/**
 * Settings -> Sync: the learner's WebDAV server (address, user, password or app token) and
 * sync passphrase; "Turn on sync" (which first asks the browser for access to that server,
 * and then syncs once), "Sync now" and "Stop syncing"; the last sync's time and result line,
 * and what went wrong in words when it failed. The password and passphrase are never shown
 * back: once sync is on, the page shows only the server and the user.
 */
import { useEffect, useState } from 'preact/hooks';
import { parseSyncAddress } from '../../lib/sync-settings';
import { errorText } from '../../lib/text';
import { t } from '../../platform/i18n';
import type { SyncApi, SyncStatusOut } from './sync-api';

type Busy = null | 'on' | 'now' | 'stop';

function lastLine(status: SyncStatusOut): string {
  if (!status.last) return t('syncNever');
  return t('syncLast', [new Date(status.last.at).toLocaleString(t('locale')), status.last.line]);
}

function Field(props: { id: string; label: string; hint?: string; type: 'url' | 'text' | 'password'; value: string; onInput(v: string): void; autoComplete: string }) {
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        type={props.type as 'text'}
        autoComplete={props.autoComplete}
        spellcheck={false}
        value={props.value}
        aria-describedby={props.hint ? hintId : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

export function SyncSection({ api }: { api: SyncApi }) {
  const [status, setStatus] = useState<SyncStatusOut | null>(null);
  const [form, setForm] = useState({ url: '', user: '', password: '', passphrase: '' });
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    api.status().then(setStatus, (e: unknown) => setError(errorText(e)));
  }, [api]);

  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function run(kind: Exclude<Busy, null>, work: () => Promise<SyncStatusOut>) {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      setStatus(await work());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  function turnOn(e: Event) {
    e.preventDefault();
    const address = parseSyncAddress(form.url);
    if (!address.ok) {
      setError(address.error);
      return;
    }
    if (form.passphrase.length < 8) {
      setError(t('syncPassphraseHint'));
      return;
    }
    // The browser's prompt, first thing in the click (it needs the user gesture).
    const access = api.requestAccess(address.origin);
    void run('on', async () => {
      if (!(await access)) throw new Error(t('syncAccessRefused', address.origin));
      await api.configure({ ...form, url: address.url });
      setForm((f) => ({ ...f, password: '', passphrase: '' }));
      return api.syncNow();
    });
  }

  const working = busy !== null;
  return (
    <section class="card sync" aria-labelledby="sync-heading" data-sync={status ? (status.configured ? 'on' : 'off') : 'loading'}>
      <div class="card-head">
        <h2 id="sync-heading">{t('syncHeading')}</h2>
      </div>
      <p class="hint">{t('syncIntro')}</p>
      {status && !status.configured && (
        <form onSubmit={turnOn}>
          <p class="status">{t('syncOff')}</p>
          <Field id="sync-url" label={t('syncServerLabel')} hint={t('syncServerHint')} type="url" autoComplete="url" value={form.url} onInput={set('url')} />
          <Field id="sync-user" label={t('syncUserLabel')} type="text" autoComplete="username" value={form.user} onInput={set('user')} />
          <Field id="sync-password" label={t('syncPasswordLabel')} type="password" autoComplete="current-password" value={form.password} onInput={set('password')} />
          <Field id="sync-passphrase" label={t('syncPassphraseLabel')} hint={t('syncPassphraseHint')} type="password" autoComplete="new-password" value={form.passphrase} onInput={set('passphrase')} />
          <div class="actions">
            <button type="submit" disabled={working}>
              {busy === 'on' ? t('syncWorking') : t('syncTurnOn')}
            </button>
          </div>
        </form>
      )}
      {status?.configured && (
        <div>
          <p class="status">{t('syncOnWith', [status.url ?? '', status.user ?? ''])}</p>
          <p class={status.last && !status.last.ok ? 'field-error' : 'status'} role={status.last && !status.last.ok ? 'alert' : 'status'} data-sync-last={status.last ? (status.last.ok ? 'ok' : 'failed') : 'never'}>
            {lastLine(status)}
          </p>
          <div class="actions">
            <button type="button" disabled={working} onClick={() => void run('now', () => api.syncNow())}>
              {busy === 'now' ? t('syncWorking') : t('syncNow')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={working}
              onClick={() =>
                void run('stop', async () => {
                  const next = await api.stop();
                  setNotice(t('syncStopped'));
                  return next;
                })
              }
            >
              {t('syncStop')}
            </button>
          </div>
        </div>
      )}
      {notice && (
        <p class="status" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert" data-sync-error="">
          {error}
        </p>
      )}
    </section>
  );
}
