// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardOut, LearnerSummaryOut } from '../../lib/protocol';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../lib/settings';
import type { PageSummaryData } from './PageSummary';
import { pageUrlState } from './PageSummary';
import { Popup, type PopupApi } from './Popup';
import { fakeSites } from '../../tests/unit/fake-sites';

const DASH: DashboardOut = {
  day: '2026-11-28',
  budgetMinutes: 20,
  consumedMinutes: 12.5,
  paragraphsRead: 7,
  paragraphsHighlighted: 11,
  snippets: 3,
  cardsDue: 2,
  scorer: 'encoder',
  scorerNote: 'on-device language model (wasm)',
  history: [
    { day: '2026-11-20', consumedMinutes: 14, reviewMinutes: 4, highlighted: 6 },
    { day: '2026-11-28', consumedMinutes: 12.5, reviewMinutes: 2.5, highlighted: 11 },
  ],
};
const NOW = Date.UTC(2026, 10, 28, 12);
const LEARNER: LearnerSummaryOut = { targetLang: 'en', vocabularySize: 5000, level: 'B1', wordsPerMinute: 120, knownWords: 40, learningWords: 12, knownThisWeek: 6 };
const SUMMARY: PageSummaryData = {
  known: true,
  paragraphs: 24,
  highlights: [],
  notice: { code: 'budget', text: 'Today’s reading budget is spent: 3 passages worth reading are not highlighted.', action: null },
  leftOut: [],
};

/** An API whose answers the test releases one by one, to see every intermediate frame. */
function deferredApi(overrides: Partial<PopupApi> = {}) {
  const pending: Record<string, (v: unknown) => void> = {};
  const later = <T,>(name: string) => () => new Promise<T>((resolve) => (pending[name] = resolve as (v: unknown) => void));
  const sites = fakeSites(['*://*/*']);
  const calls = { review: 0, options: [] as boolean[], summaryUrls: [] as string[], patches: [] as SettingsPatch[], ...sites.calls, readPage: 0 };
  const api: PopupApi = {
    dashboard: later<DashboardOut>('dashboard'),
    learner: later<LearnerSummaryOut>('learner'),
    settings: later<Settings>('settings'),
    activeTabUrl: later<string | undefined>('tab'),
    pageSummary: (url) => {
      calls.summaryUrls.push(url);
      return later<PageSummaryData>('summary')();
    },
    updateSettings: async (patch) => {
      calls.patches.push(patch);
      return { ...DEFAULT_SETTINGS, ...patch };
    },
    openReview: () => calls.review++,
    openOptions: (onboarding) => calls.options.push(onboarding),
    syncStatus: async () => ({ configured: false, url: null, user: null, last: null }),
    now: () => NOW,
    ...sites.api,
    readThisPage: async () => {
      calls.readPage++;
      return true;
    },
    ...overrides,
  };
  const grant = sites.grant;
  const release = async (name: string, value: unknown) => {
    await act(async () => pending[name]!(value));
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
  };
  return { api, release, calls, grant };
}

let container: HTMLElement;
async function mount(api: PopupApi) {
  container = document.createElement('div');
  document.body.append(container);
  await act(async () => render(<Popup api={api} />, container));
  return container;
}
afterEach(() => {
  render(null, container);
  container.remove();
});

const text = (sel: string) => container.querySelector(sel)?.textContent ?? null;
const stat = (name: string) => container.querySelector(`[data-stat="${name}"]`)?.textContent ?? null;
/** The popup's structure: which parts exist, in order, and the chart's frame. */
const structure = () => [...container.querySelectorAll('.popup > *')].map((e) => e.className || e.tagName).join('|') + `|svg:${container.querySelector('svg.chart')?.getAttribute('viewBox')}`;

describe('Popup', () => {
  it('draws every part at its place before any data, then fills them in', async () => {
    const { api, release } = deferredApi();
    await mount(api);
    const before = structure();
    expect(container.querySelector('main')!.getAttribute('aria-busy')).toBe('true');
    expect(container.querySelectorAll('[data-stat]')).toHaveLength(0);
    expect(text('.gauge-label')).toMatch(/Loading/);
    await release('dashboard', DASH);
    await release('learner', LEARNER);
    await release('settings', { ...DEFAULT_SETTINGS, onboarded: true });
    await release('tab', 'https://news.example/river');
    await release('summary', SUMMARY);
    expect(structure()).toBe(before);
    expect(container.querySelector('main')!.getAttribute('aria-busy')).toBe('false');
  });

  it('shows the day’s load against the budget in words and as a meter', async () => {
    const { api, release } = deferredApi();
    await mount(api);
    await release('dashboard', DASH);
    expect(text('.gauge-label')).toBe('12.5 of 20 minutes used today7.5 minutes left in today’s budget');
    const meter = container.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-valuenow')).toBe('12.5');
    expect(meter.getAttribute('aria-valuemax')).toBe('20');
    expect((container.querySelector('.gauge-fill') as HTMLElement).style.width).toBe('62.5%');
  });

  it('says when the budget is spent, not only by colour', async () => {
    const { api, release } = deferredApi();
    await mount(api);
    await release('dashboard', { ...DASH, consumedMinutes: 23 });
    expect(text('.gauge-label')).toMatch(/23 of 20 minutes used today.*Budget spent: highlights pause until tomorrow/);
    expect(container.querySelector('.gauge-track')!.className).toContain('over');
    expect((container.querySelector('.gauge-fill') as HTMLElement).style.width).toBe('100%');
  });

  it('shows the reviews due with a button to the review page, and the day’s counts', async () => {
    const { api, release, calls } = deferredApi();
    await mount(api);
    await release('dashboard', DASH);
    await release('learner', LEARNER);
    expect([stat('due'), stat('read'), stat('highlighted'), stat('snippets'), stat('known-week')]).toEqual(['2', '7', '11', '3', '6']);
    expect(text('.reviews-count')).toBe('2cards due for review');
    const button = container.querySelector<HTMLButtonElement>('.reviews button')!;
    expect(button.textContent).toBe('Review now');
    button.click();
    expect(calls.review).toBe(1);
  });

  it('offers the review page without urging when nothing is due', async () => {
    const { api, release } = deferredApi();
    await mount(api);
    await release('dashboard', { ...DASH, cardsDue: 1 });
    expect(text('.reviews-count')).toBe('1card due for review');
    await act(async () => render(null, container));
    const second = deferredApi();
    await mount(second.api);
    await second.release('dashboard', { ...DASH, cardsDue: 0 });
    expect(container.querySelector('.reviews button')!.textContent).toBe('Open reviews');
    expect(container.querySelector('.reviews button')!.className).toBe('secondary');
  });

  it('draws 14 days with the recorded minutes, reading and reviews apart, and the budget line', async () => {
    const { api, release } = deferredApi();
    await mount(api);
    expect(container.querySelector('svg.chart')!.getAttribute('data-chart')).toBe('loading');
    await release('dashboard', DASH);
    const days = [...container.querySelectorAll('svg.chart g.day')];
    expect(days).toHaveLength(14);
    expect(days.at(-1)!.getAttribute('data-day')).toBe('2026-11-28');
    expect(days.at(-1)!.classList.contains('today')).toBe(true);
    const nov20 = container.querySelector('g.day[data-day="2026-11-20"]')!;
    expect(nov20.querySelector('title')!.textContent).toMatch(/10 min reading, 4 min reviews/);
    expect(nov20.querySelectorAll('rect.bar-reading')).toHaveLength(1);
    expect(nov20.querySelector('rect.bar-review')!.getAttribute('fill')).toBe('url(#hatch)');
    expect(container.querySelector('g.day[data-day="2026-11-21"] rect')).toBeNull();
    expect(container.querySelector('line.budget-line')!.getAttribute('data-budget')).toBe('20');
    // Reading 10 of a 20-minute axis top: the bar fills half of the plot's height.
    const rect = nov20.querySelector('rect.bar-reading')!;
    const axis = container.querySelector('line.axis')!;
    const top = [...container.querySelectorAll('line.grid')].at(-1)!;
    const plotHeight = Number(axis.getAttribute('y1')) - Number(top.getAttribute('y1'));
    expect(Number(rect.getAttribute('height')) / plotHeight).toBeCloseTo(10 / 20, 5);
    expect(text('#history-desc')).toBe('26.5 minutes in total, 6.5 of them reviews, on 2 days. Most on November 20: 14 minutes. Today: 12.5 minutes.');
    const rows = [...container.querySelectorAll('.history-table tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toHaveLength(14);
    expect(rows.at(-1)).toEqual(['Today', '10', '2.5', '11']);
    expect(text('.legend')).toMatch(/Reading.*Reviews.*Today’s budget \(20 min\)/);
  });

  it('asks for the active tab’s summary and shows the notice that explains fewer highlights', async () => {
    const { api, release, calls } = deferredApi();
    await mount(api);
    expect(text('.page-main')).toMatch(/Loading/);
    await release('tab', 'https://news.example/river');
    expect(calls.summaryUrls).toEqual(['https://news.example/river']);
    await release('summary', { ...SUMMARY, highlights: [{ id: 'p1', tier: 1, gainBits: 1, fit: 1, loadMinutes: 1, reason: 'r', text: 't' }] });
    expect(text('.page-main')).toBe('1 of its 24 passages highlighted');
    expect(text('.page-notice')).toBe(SUMMARY.notice!.text);
    expect(document.querySelector('.page-notice')?.getAttribute('data-reason')).toBe('budget');
  });

  it('says what it can when the page is unknown, not a web page, or its address is withheld', async () => {
    const cases: Array<[string | undefined, PageSummaryData | null, RegExp]> = [
      [undefined, null, /did not tell the extension which page/],
      ['chrome://settings', null, /Only web pages/],
      ['https://unread.example/', { known: false, paragraphs: 0, highlights: [], notice: null, leftOut: [] }, /Not read yet/],
    ];
    for (const [url, summary, expected] of cases) {
      const { api, release, calls } = deferredApi();
      await mount(api);
      await release('tab', url);
      if (summary) await release('summary', summary);
      else expect(calls.summaryUrls).toEqual([]);
      expect(text('.page-main')).toMatch(expected);
      render(null, container);
      container.remove();
    }
    container = document.createElement('div');
  });

  it('shows an error where the data would be, and keeps the rest working', async () => {
    const { api, release } = deferredApi({ dashboard: () => Promise.reject(new Error('database closed')) });
    await mount(api);
    await release('learner', LEARNER);
    expect(container.querySelector('[role="alert"]')!.textContent).toMatch(/Could not load today’s summary: database closed/);
    expect(stat('known-week')).toBe('6');
  });

  it('invites a learner who has not finished setting up to do so', async () => {
    const { api, release, calls } = deferredApi();
    await mount(api);
    await release('settings', DEFAULT_SETTINGS);
    const link = [...container.querySelectorAll('button')].find((b) => /Finish setting up/.test(b.textContent ?? ''))!;
    link.click();
    expect(calls.options).toEqual([true]);
    container.querySelector<HTMLButtonElement>('.popup-header button')!.click();
    expect(calls.options).toEqual([true, false]);
  });
});

describe('pageUrlState', () => {
  it('accepts web addresses only, within the protocol’s length', () => {
    expect(pageUrlState('https://a.example/x')).toEqual({ kind: 'ok', url: 'https://a.example/x' });
    expect(pageUrlState('http://a.example/')).toMatchObject({ kind: 'ok' });
    expect(pageUrlState('chrome-extension://abc/popup.html')).toEqual({ kind: 'not-a-web-page' });
    expect(pageUrlState('file:///home/a.html')).toEqual({ kind: 'not-a-web-page' });
    expect(pageUrlState('')).toEqual({ kind: 'no-address' });
    expect(pageUrlState('not a url')).toEqual({ kind: 'no-address' });
    expect(pageUrlState(`https://a.example/${'x'.repeat(5000)}`)).toEqual({ kind: 'no-address' });
  });
});

describe('pause controls', () => {
  it('pauses and resumes the current site, and everywhere', async () => {
    const { api, release, calls } = deferredApi();
    const root = await mount(api);
    await release('settings', { ...DEFAULT_SETTINGS, onboarded: true });
    await release('tab', 'https://news.example/story');
    const button = (label: RegExp) => [...root.querySelectorAll('button')].find((b) => label.test(b.textContent ?? ''))!;
    await act(async () => button(/Pause on news\.example/).click());
    expect(calls.patches.at(-1)).toEqual({ pausedSites: ['news.example'] });
    expect(button(/Resume on news\.example/).getAttribute('aria-pressed')).toBe('true');
    expect(root.textContent).toMatch(/Paused/);
    await act(async () => button(/Pause everywhere/).click());
    expect(calls.patches.at(-1)).toEqual({ pausedEverywhere: true });
    expect(button(/Resume everywhere/)).toBeDefined();
  });
});

describe('site access', () => {
  const button = (root: HTMLElement, label: RegExp) => [...root.querySelectorAll('button')].find((b) => label.test(b.textContent ?? ''));

  it('on a site it cannot read, offers that site, all sites or this page, and turns the site on', async () => {
    const { api, release, calls, grant } = deferredApi();
    grant([]);
    const root = await mount(api);
    await release('settings', { ...DEFAULT_SETTINGS, onboarded: true });
    await release('tab', 'https://news.example/story');
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('off');
    expect(root.textContent).toMatch(/off on news\.example/);
    // No pause buttons where nothing is read.
    expect(button(root, /Pause on/)).toBeUndefined();
    await act(async () => button(root, /Turn on for news\.example/)!.click());
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    expect(calls.requested).toEqual([['*://news.example/*']]);
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('site');
    expect(button(root, /Turn off for news\.example/)).toBeDefined();
    expect(button(root, /Pause on news\.example/)).toBeDefined();
  });

  it('asks for all sites, or reads just this page, from the same place', async () => {
    const { api, release, calls, grant } = deferredApi();
    grant([]);
    const root = await mount(api);
    await release('tab', 'https://news.example/story');
    await act(async () => button(root, /Read this page only/)!.click());
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    expect(calls.readPage).toBe(1);
    expect(root.textContent).toMatch(/Other pages on news\.example stay off/);
    await act(async () => button(root, /Turn on for all sites/)!.click());
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    expect(calls.requested).toEqual([['*://*/*']]);
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('everywhere');
  });

  it('says plainly when the browser refuses, and changes nothing', async () => {
    const { api, release, grant } = deferredApi({ requestSites: async () => false });
    grant([]);
    const root = await mount(api);
    await release('tab', 'https://news.example/story');
    await act(async () => button(root, /Turn on for news\.example/)!.click());
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    expect(root.querySelector('[role=alert]')?.textContent).toMatch(/Still off/);
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('off');
  });

  it('shows a site still paused after it is turned off and on again', async () => {
    const { api, release, grant } = deferredApi();
    grant(['*://news.example/*']);
    const root = await mount(api);
    await release('settings', { ...DEFAULT_SETTINGS, onboarded: true });
    await release('tab', 'https://news.example/story');
    const settleAll = async () => {
      for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    };
    await act(async () => button(root, /Pause on news\.example/)!.click());
    await settleAll();
    await act(async () => button(root, /Turn off for news\.example/)!.click());
    await settleAll();
    await act(async () => button(root, /Turn on for news\.example/)!.click());
    await settleAll();
    // The pause buttons were drawn anew; they start from what was saved, not what was loaded.
    expect(button(root, /Resume on news\.example/)?.getAttribute('aria-pressed')).toBe('true');
  });

  it('turns a site off by removing its grant', async () => {
    const { api, release, calls, grant } = deferredApi();
    grant(['*://news.example/*']);
    const root = await mount(api);
    await release('tab', 'https://news.example/story');
    await act(async () => button(root, /Turn off for news\.example/)!.click());
    for (let i = 0; i < 3; i++) await act(async () => await Promise.resolve());
    expect(calls.removed).toEqual([['*://news.example/*']]);
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('off');
  });

  it('offers nothing to turn on for pages that are not web pages, and nothing at all before any site is on', async () => {
    const { api, release } = deferredApi();
    const root = await mount(api);
    await release('tab', 'chrome://extensions');
    // The page summary says why; nothing to turn on, and only pausing everywhere is offered.
    expect(root.querySelector('.site-access')?.getAttribute('data-access')).toBe('unsupported');
    expect(root.textContent).toMatch(/Only web pages are read/);
    expect([...root.querySelectorAll('.site-access button')].map((b) => b.textContent)).toEqual(['Pause everywhere']);

    const fresh = deferredApi();
    fresh.grant([]);
    render(null, container);
    container.remove();
    const again = await mount(fresh.api);
    await fresh.release('tab', 'chrome://newtab/');
    expect(again.querySelectorAll('.site-access button')).toHaveLength(0);
  });

  describe('sync line', () => {
    const linked = { configured: true, url: 'https://cloud.example.org/dav/', user: 'ana' };
    it('says nothing while sync is off', async () => {
      await mount(deferredApi().api);
      await act(async () => await Promise.resolve());
      expect(container.querySelector('.sync-line')).toBeNull();
    });

    it('says how long ago this device synced', async () => {
      const { api } = deferredApi({ syncStatus: async () => ({ ...linked, last: { at: NOW - 5 * 60_000, ok: true, line: 'Nothing new.' } }) });
      await mount(api);
      await act(async () => await Promise.resolve());
      expect(text('[data-sync="ok"]')).toBe('Synced with your server 5 minutes ago.');
    });

    it('says that the last sync failed, why, and leads to the settings', async () => {
      const line = 'The server could not be reached: check the address and your connection. Sync tries again later.';
      const { api, calls } = deferredApi({ syncStatus: async () => ({ ...linked, last: { at: NOW - 3 * 3600_000, ok: false, line } }) });
      await mount(api);
      await act(async () => await Promise.resolve());
      expect(text('[data-sync="failed"]')).toBe(`Sync failed (3 hours ago): ${line} Sync settings`);
      await act(async () => (container.querySelector('[data-sync="failed"] button') as HTMLButtonElement).click());
      expect(calls.options).toEqual([false]);
    });

    it('says when sync is on but has not run yet', async () => {
      const { api } = deferredApi({ syncStatus: async () => ({ ...linked, last: null }) });
      await mount(api);
      await act(async () => await Promise.resolve());
      expect(container.querySelector('[data-sync="never"]')).not.toBeNull();
    });
  });
});
