/**
 * The learner's switch for highlighting: pause on the site of the current tab, or everywhere.
 * Stored in settings; the background then judges nothing on paused pages.
 */
import { useState } from 'preact/hooks';
import { pauseSitePatch, type Settings, type SettingsPatch } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { t } from '../../platform/i18n';

export interface PauseControlsProps {
  settings: Settings | undefined;
  /** Host name of the current tab, or null when the browser does not tell it. */
  site: string | null;
  update(patch: SettingsPatch): Promise<Settings>;
}

export function PauseControls({ settings: current, site, update }: PauseControlsProps) {
  const [error, setError] = useState<string | null>(null);
  // Drawn before the settings arrive too (disabled), so the popup does not jump when they do.
  const sitePaused = site !== null && current !== undefined && current.pausedSites.includes(site);
  // `update` saves and hands the saved settings back down as `settings`.
  const apply = (patch: SettingsPatch) =>
    update(patch).then(
      () => setError(null),
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <section class="pause" aria-label={t('pauseHeading')}>
      {site !== null && (
        <button type="button" class="secondary" disabled={!current} aria-pressed={sitePaused} onClick={() => current && void apply(pauseSitePatch(current, site, !sitePaused))}>
          {sitePaused ? t('resumeSite', site) : t('pauseSite', site)}
        </button>
      )}
      <button type="button" class="secondary" disabled={!current} aria-pressed={current?.pausedEverywhere ?? false} onClick={() => current && void apply({ pausedEverywhere: !current.pausedEverywhere })}>
        {current?.pausedEverywhere ? t('resumeEverywhere') : t('pauseEverywhere')}
      </button>
      {(sitePaused || current?.pausedEverywhere) && <p class="muted">{t('pausedNote')}</p>}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
