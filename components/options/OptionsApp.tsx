/**
 * The options page, which is also the first-run page: `#welcome`, or any visit before the
 * learner finished onboarding, shows the onboarding steps; otherwise the settings.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { t } from '../../platform/i18n';
import type { OptionsApi } from './api';
import { ImportPart } from './DataSection';
import { Onboarding } from './Onboarding';
import { SettingsPage } from './SettingsPage';

export const WELCOME_HASH = '#welcome';

export interface Location {
  hash: string;
  setHash(hash: string): void;
}

export function OptionsApp({ api, location }: { api: OptionsApi; location: Location }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<'welcome' | 'settings' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function reload(): Promise<Settings | null> {
    try {
      const s = await api.getSettings();
      setSettings(s);
      return s;
    } catch (e) {
      setError(errorText(e));
      return null;
    }
  }

  useEffect(() => {
    void reload().then((s) => s && setView(location.hash === WELCOME_HASH || !s.onboarded ? 'welcome' : 'settings'));
    // Once per page load.
  }, []);

  function show(next: 'welcome' | 'settings') {
    location.setHash(next === 'welcome' ? WELCOME_HASH : '');
    setView(next);
    window.scrollTo?.(0, 0);
  }

  return (
    <div class="options">
      <header class="options-header">
        <h1>{view === 'welcome' ? t('welcomeTitle') : t('settingsTitle')}</h1>
        {view === 'welcome' && <p class="lead">{t('welcomeLead')}</p>}
      </header>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {t('settingsLoadError', error)}
        </p>
      )}
      <main aria-busy={!settings}>
        {!settings || !view ? (
          <p>{t('loading')}</p>
        ) : view === 'welcome' ? (
          <Onboarding
            key={notice ?? 'welcome'}
            api={api}
            initial={settings}
            onDone={setSettings}
            onShowSettings={() => {
              setNotice(null);
              show('settings');
            }}
          />
        ) : null}
        {settings && view === 'welcome' && !settings.onboarded && (
          // A learner moving to a new browser starts here: their backup skips the steps.
          <details class="card restore-instead">
            <summary>{t('restoreInstead')}</summary>
            <ImportPart
              api={api}
              onChanged={async () => {
                const s = await reload();
                if (s?.onboarded) {
                  setNotice(t('restoredWelcomeBack'));
                  show('settings');
                }
              }}
            />
          </details>
        )}
        {settings && view === 'settings' && (
          <SettingsPage
            api={api}
            settings={settings}
            onSettings={setSettings}
            onDataChanged={async (kind) => {
              const s = await reload();
              if (kind === 'deleted') {
                // Nothing is left, settings included: start again from the first step.
                setNotice(t('deletedStartAgain'));
                show('welcome');
              } else if (s && !s.onboarded) show('welcome');
            }}
          />
        )}
      </main>
    </div>
  );
}
