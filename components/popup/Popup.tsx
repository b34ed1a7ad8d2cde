/**
 * The toolbar popup: today's reading load against the budget, the reviews waiting, words that
 * became known this week, 14 days of load, what was highlighted on the current page, and
 * (once it is on) how the last sync went.
 *
 * Every part asks for its own data and renders as soon as that arrives: the day's numbers come
 * from stored summaries (`dashboard.get` reads IndexedDB only, never the encoder), so the
 * first frame does not wait for the slower questions (the active tab, the page's summary).
 * Each part is drawn at its final size from the start, so nothing moves when numbers arrive.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DashboardOut, LearnerSummaryOut } from '../../lib/protocol';
import type { Settings, SettingsPatch } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { formatNumber, plural, t } from '../../platform/i18n';
import { HistoryChart } from './HistoryChart';
import { lastDays } from './history';
import { LoadGauge } from './LoadGauge';
import { SiteAccessControls, type SiteAccessApi } from './SiteAccessControls';
import { SyncLine } from './SyncLine';
import type { SyncStatus } from '../../lib/sync-settings';
import { PageSummary, pageUrlState, type PageState, type PageSummaryData } from './PageSummary';

export interface PopupApi extends SiteAccessApi {
  dashboard(): Promise<DashboardOut>;
  learner(): Promise<LearnerSummaryOut>;
  settings(): Promise<Settings>;
  /** The active tab's address; undefined when the browser does not tell the extension. */
  activeTabUrl(): Promise<string | undefined>;
  pageSummary(url: string): Promise<PageSummaryData>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  openReview(): void;
  openOptions(onboarding: boolean): void;
  syncStatus(): Promise<SyncStatus>;
  now(): number;
}

type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

function useLoaded<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ status: 'ready', value }),
      (e: unknown) => live && setState({ status: 'error', message: errorText(e) }),
    );
    return () => {
      live = false;
    };
    // Asked once per popup: the popup is short-lived and reopened for fresh numbers.
  }, []);
  return state;
}

function Stat({ name, stat, value }: { name: string; stat: string; value: number | undefined }) {
  return (
    <div>
      <dt>{name}</dt>
      {/* data-stat only on real numbers: tests and the demo read them as numbers. */}
      <dd data-stat={value === undefined ? undefined : stat}>{value === undefined ? '–' : formatNumber(value)}</dd>
    </div>
  );
}

async function loadPage(api: PopupApi, tabUrl: Promise<string | undefined>): Promise<PageState> {
  const url = await tabUrl;
  const target = pageUrlState(url);
  if (target.kind !== 'ok') return target;
  try {
    return { kind: 'ready', summary: await api.pageSummary(target.url) };
  } catch (e) {
    return { kind: 'error', message: errorText(e) };
  }
}

export function Popup({ api }: { api: PopupApi }) {
  const dashboard = useLoaded(api.dashboard);
  const learner = useLoaded(api.learner);
  const loadedSettings = useLoaded(api.settings);
  const sync = useLoaded(api.syncStatus);
  // The settings as last saved from this popup: the pause buttons come and go with the site's
  // access, and each new one must start from what was saved, not from what the popup loaded.
  const [saved, setSaved] = useState<Settings | undefined>(undefined);
  const settings = saved ?? (loadedSettings.status === 'ready' ? loadedSettings.value : undefined);
  const updateSettings = (patch: SettingsPatch) => api.updateSettings(patch).then((next) => (setSaved(next), next));
  const [page, setPage] = useState<PageState>({ kind: 'loading' });
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const tabUrl = api.activeTabUrl().catch(() => undefined);
    void tabUrl.then((u) => live && setUrl(u));
    void loadPage(api, tabUrl).then((p) => live && setPage(p));
    return () => {
      live = false;
    };
  }, [api]);

  const dash = dashboard.status === 'ready' ? dashboard.value : undefined;
  const days = useMemo(() => (dash ? lastDays(dash.history, dash.day) : undefined), [dash]);
  const due = dash?.cardsDue;

  return (
    <main class="popup" aria-busy={dashboard.status === 'loading'}>
      <header class="popup-header">
        <h1>{t('popupTitle')}</h1>
        <button type="button" class="link" onClick={() => api.openOptions(false)}>
          {t('openSettings')}
        </button>
      </header>

      <section aria-label={t('gaugeName')} class="today">
        {dashboard.status === 'error' ? (
          <p role="alert" class="error gauge-error">
            {t('dashboardError', dashboard.message)}
          </p>
        ) : (
          <LoadGauge consumed={dash?.consumedMinutes} budget={dash?.budgetMinutes} />
        )}
      </section>

      <section class="reviews" aria-labelledby="reviews-heading">
        <h2 id="reviews-heading" class="visually-hidden">
          {t('reviewsHeading')}
        </h2>
        <p class="reviews-count">
          <strong data-stat={due === undefined ? undefined : 'due'}>{due === undefined ? '–' : formatNumber(due)}</strong>
          <span>{plural('reviewsDue', due ?? 0)}</span>
        </p>
        <button type="button" class={due ? 'primary' : 'secondary'} onClick={api.openReview}>
          {due ? t('reviewNow') : t('openReviews')}
        </button>
      </section>

      <dl class="stats">
        <Stat name={t('statRead')} stat="read" value={dash?.paragraphsRead} />
        <Stat name={t('statHighlighted')} stat="highlighted" value={dash?.paragraphsHighlighted} />
        <Stat name={t('statSnippets')} stat="snippets" value={dash?.snippets} />
        <Stat name={t('statKnownWeek')} stat="known-week" value={learner.status === 'ready' ? learner.value.knownThisWeek : undefined} />
      </dl>

      <section class="history-section" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('historyHeading')}</h2>
        <HistoryChart days={days} budgetMinutes={dash?.budgetMinutes} />
      </section>

      <PageSummary state={page} />
      <SiteAccessControls api={api} url={url} settings={settings} updateSettings={updateSettings} />

      <footer class="popup-footer">
        <SyncLine status={sync.status === 'ready' ? sync.value : undefined} now={api.now()} openSettings={() => api.openOptions(false)} />
        {dash && (
          <p class="muted scorer" data-scorer={dash.scorer}>
            {dash.scorer === 'encoder' ? t('scorerEncoder') : t('scorerLexical', dash.scorerNote)}
          </p>
        )}
        {settings && !settings.onboarded && (
          <p class="setup">
            <button type="button" class="link" onClick={() => api.openOptions(true)}>
              {t('finishSetup')}
            </button>
          </p>
        )}
      </footer>
    </main>
  );
}
