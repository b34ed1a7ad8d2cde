/**
 * The sites the extension may read, on the settings page and at the end of the welcome steps:
 * on for all sites, or the list of sites turned on one by one (each with its own off switch).
 * The grants are the browser's host permissions; asking happens here, inside the learner's
 * click, and the background registers the reader for whatever the browser granted.
 */
import { useEffect, useState } from 'preact/hooks';
import { ALL_SITES, grantedSites, readingMatches, type SitesApi } from '../../lib/site-access';
import { errorText } from '../../lib/text';
import { t } from '../../platform/i18n';

export function SitesControl({ api }: { api: SitesApi }) {
  const [granted, setGranted] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => api.grantedOrigins().then(setGranted, (e: unknown) => setError(t('sitesError', errorText(e))));
  useEffect(() => void refresh(), [api]);

  /** Runs a request; `refused` is said when the browser answers no (the learner declined). */
  async function change(run: () => Promise<boolean>, refused: string) {
    setBusy(true);
    setError(null);
    try {
      if (!(await run())) setError(refused);
      await refresh();
    } catch (e) {
      setError(t('sitesError', errorText(e)));
    } finally {
      setBusy(false);
    }
  }

  if (granted === null) return <div class="sites" aria-busy="true" />;
  const matches = readingMatches(granted);
  const sites = grantedSites(granted);
  const everywhere = matches.length > 0 && sites.length === 0;
  return (
    <div class="sites" data-sites={everywhere ? 'all' : String(sites.length)}>
      {everywhere ? (
        <div class="actions">
          <p>{t('sitesAll')}</p>
          <button type="button" class="secondary" disabled={busy} onClick={() => void change(() => api.removeSites(matches), t('siteNotRemoved'))}>
            {t('sitesTurnOffAll')}
          </button>
        </div>
      ) : (
        <>
          {sites.length === 0 ? (
            <p>{t('sitesNone')}</p>
          ) : (
            <>
              <p>{t('sitesList')}</p>
              <ul class="site-list">
                {sites.map(({ site, pattern }) => (
                  <li key={pattern}>
                    <span>{site}</span>
                    <button type="button" class="secondary" disabled={busy} onClick={() => void change(() => api.removeSites([pattern]), t('siteNotRemoved'))}>
                      {t('turnOffSite', site)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div class="actions">
            <button type="button" class="secondary" disabled={busy} onClick={() => void change(() => api.requestSites([ALL_SITES]), t('siteRefused'))}>
              {t('turnOnAllSites')}
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function SitesSection({ api }: { api: SitesApi }) {
  return (
    <section class="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t('sitesHeading')}</h2>
      <p class="hint">{t('sitesIntro')}</p>
      <SitesControl api={api} />
    </section>
  );
}
