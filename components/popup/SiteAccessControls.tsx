/**
 * Where the extension reads, from the popup: on a site it has no access to, the learner can
 * turn it on for that site, for all sites, or read this one page only (the toolbar click's
 * `activeTab` grant); on a site it reads, turn it off there, or pause (PauseControls).
 *
 * Requests go to the browser from here, inside the click: a permission request needs the
 * learner's gesture. The browser may close the popup while its prompt is open; the background
 * applies the grant anyway (platform/site-access.ts), so nothing depends on this popup
 * staying open.
 */
import { useEffect, useState } from 'preact/hooks';
import { ALL_SITES, readingMatches, siteAccess, type SiteAccess, type SitesApi } from '../../lib/site-access';
import { siteOf, type Settings, type SettingsPatch } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { t } from '../../platform/i18n';
import { PauseControls } from './PauseControls';

export interface SiteAccessApi extends SitesApi {
  /** Starts reading the current tab once, on the toolbar click's grant. */
  readThisPage(): Promise<boolean>;
}

export interface SiteAccessControlsProps {
  api: SiteAccessApi;
  /** The current tab's address; undefined while unknown or when the browser does not say. */
  url: string | undefined;
  settings: Settings | undefined;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
}

export function SiteAccessControls({ api, url, settings, updateSettings }: SiteAccessControlsProps) {
  const [granted, setGranted] = useState<string[] | null>(null);
  const [note, setNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () =>
    api.grantedOrigins().then(setGranted, (e: unknown) => {
      setGranted([]);
      setNote({ tone: 'error', text: errorText(e) });
    });
  useEffect(() => void refresh(), [api]);

  if (granted === null) return <section class="site-access" aria-busy="true" />;
  const access: SiteAccess = siteAccess(url, granted);

  async function act(run: () => Promise<boolean>, done: string, refused: string) {
    setBusy(true);
    setNote(null);
    try {
      setNote((await run()) ? { tone: 'ok', text: done } : { tone: 'error', text: refused });
      await refresh();
    } catch (e) {
      setNote({ tone: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  const status = note && (
    <p role={note.tone === 'error' ? 'alert' : 'status'} class={note.tone === 'error' ? 'error' : 'muted'}>
      {note.text}
    </p>
  );

  // The page summary above already says why this page cannot be read (no address, not a
  // web page): nothing to turn on here, but pausing everywhere still applies.
  if (access.kind === 'unknown' || access.kind === 'unsupported') {
    return (
      <section class="site-access" aria-label={t('siteAccessHeading')} data-access={access.kind}>
        {readingMatches(granted).length > 0 && <PauseControls settings={settings} site={null} update={updateSettings} />}
      </section>
    );
  }

  if (access.kind === 'off') {
    const { site, pattern } = access;
    return (
      <section class="site-access" aria-label={t('siteAccessHeading')} data-access="off">
        <p>{t('siteOff', site)}</p>
        <div class="site-actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void act(() => api.requestSites([pattern]), t('siteTurnedOn', site), t('siteRefused'))}>
            {t('turnOnSite', site)}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => api.requestSites([ALL_SITES]), t('allSitesTurnedOn'), t('siteRefused'))}>
            {t('turnOnAllSites')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => api.readThisPage(), t('readingThisPage', site), t('alreadyReading'))}>
            {t('readThisPage')}
          </button>
        </div>
        {status}
      </section>
    );
  }

  return (
    <section class="site-access" aria-label={t('siteAccessHeading')} data-access={access.kind}>
      {access.kind === 'site' && (
        <div class="site-actions">
          <p>{t('siteOn', access.site)}</p>
          <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => api.removeSites([access.pattern]), t('siteTurnedOff', access.site), t('siteNotRemoved'))}>
            {t('turnOffSite', access.site)}
          </button>
        </div>
      )}
      <PauseControls settings={settings} site={access.kind === 'site' ? access.site : url ? siteOf(url) : null} update={updateSettings} />
      {status}
    </section>
  );
}
