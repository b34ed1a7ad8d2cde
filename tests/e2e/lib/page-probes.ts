/**
 * What the hostile-page tests watch inside a web page, installed before any of the page's own
 * scripts run (so it sees everything from the first task on): long tasks (PerformanceObserver
 * 'longtask'), the longest stall of a 10 ms timer heartbeat (which also catches stalls the
 * long-task API leaves out), the page's global names at start, shadow roots a page script
 * could have captured by wrapping `attachShadow`, and uncaught errors.
 *
 * Everything lives under one global, `__probe`, so that a test can check that nothing else
 * appeared on `window`.
 */
import type { Page } from 'puppeteer-core';

/** Plain JavaScript, evaluated in the page's main world before its scripts. */
const PROBE_SCRIPT = `(() => {
  const probe = { longTasks: [], gaps: [], windowNames: Object.getOwnPropertyNames(window), roots: [], errors: [] };
  Object.defineProperty(window, '__probe', { value: probe, enumerable: false });
  // A page can wrap attachShadow to keep every shadow root made in its world, closed ones too.
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const root = attach.call(this, init); probe.roots.push(this.localName); return root; };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { probe.errors.push('no longtask observer: ' + e); }
  let last = performance.now();
  const beat = () => { const now = performance.now(); probe.gaps.push({ start: last, duration: now - last }); last = now; setTimeout(beat, 10); };
  setTimeout(beat, 10);
  addEventListener('error', (e) => probe.errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => probe.errors.push('unhandled rejection: ' + String(e.reason)));
})();`;

export async function installProbes(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(PROBE_SCRIPT);
}

export interface ProbeReport {
  /** When the page's own script finished building and laying out (ms since navigation), or 0. */
  builtAt: number;
  /** Longest task while the page built itself: the page's own cost, for comparison. */
  worstTaskBeforeBuilt: number;
  /** Longest task after the page was built (ours and the page's steady-state work). */
  worstTaskAfterBuilt: number;
  longTasksAfterBuilt: number;
  /** Longest stall of the 10 ms heartbeat after the page was built. */
  worstStallAfterBuilt: number;
  /** Global names on `window` now that were not there before the page's scripts ran. */
  newWindowNames: string[];
  /** Local names of the hosts of shadow roots created through the page's `attachShadow`. */
  capturedShadowHosts: string[];
  errors: string[];
}

export async function readProbes(page: Page): Promise<ProbeReport> {
  return page.evaluate(() => {
    type Entry = { start: number; duration: number };
    const probe = (window as unknown as { __probe: { longTasks: Entry[]; gaps: Entry[]; windowNames: string[]; roots: string[]; errors: string[] } }).__probe;
    const builtAt = performance.getEntriesByName('page-built')[0]?.startTime ?? 0;
    const worst = (xs: Entry[]) => xs.reduce((m, e) => Math.max(m, e.duration), 0);
    const before = new Set(probe.windowNames);
    return {
      builtAt,
      worstTaskBeforeBuilt: worst(probe.longTasks.filter((e) => e.start < builtAt)),
      worstTaskAfterBuilt: worst(probe.longTasks.filter((e) => e.start >= builtAt)),
      longTasksAfterBuilt: probe.longTasks.filter((e) => e.start >= builtAt).length,
      worstStallAfterBuilt: worst(probe.gaps.filter((e) => e.start >= builtAt)),
      newWindowNames: Object.getOwnPropertyNames(window).filter((n) => !before.has(n)),
      capturedShadowHosts: [...probe.roots],
      errors: [...probe.errors],
    };
  });
}

/**
 * The in-page controls' host: a plain element of its own beside `<head>` and `<body>` (it
 * carries no attribute of ours, so a page cannot pick it out by one); test pages add nothing
 * there themselves.
 */
export const UI_HOST_SELECTOR = 'html > :not(head):not(body)';

/**
 * Names of our highlight tiers in the page's highlight registry. Functions run in the page get
 * its `source` (a RegExp does not cross into the page).
 */
export const TIER_PATTERN = /^attention-reader-\d$/;

/**
 * Waits until some highlight tier (a name matching TIER_PATTERN, not the focus or fallback
 * highlight) has ranges; returns how long it took.
 */
export async function waitForHighlights(page: Page, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await page.waitForFunction((tier: string) => [...CSS.highlights].some(([name, h]) => new RegExp(tier).test(name) && h.size > 0), { timeout: timeoutMs, polling: 100 }, TIER_PATTERN.source);
  return Date.now() - started;
}

/**
 * Waits until the page's highlights have stopped changing for `quietMs` (the first screen is
 * painted first and the rest of the page follows in later answers); returns the ranges per
 * tier name as they settled.
 */
export async function waitForSettledHighlights(page: Page, quietMs: number, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  const snapshot = () => page.evaluate(() => JSON.stringify([...CSS.highlights].map(([name, h]) => [name, h.size]).sort()));
  let last = await snapshot();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`highlights still changing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    const now = await snapshot();
    if (now !== last) (last = now), (since = Date.now());
  }
  return Object.fromEntries(JSON.parse(last) as [string, number][]);
}

/**
 * Where the highlighted ranges are: for each range, the id of the closest ancestor (or the
 * element itself) that matches one of `regions`, or 'elsewhere'.
 */
export async function highlightRegions(page: Page, regions: string[]): Promise<Record<string, number>> {
  return page.evaluate((selectors: string[], tier: string) => {
    const out: Record<string, number> = {};
    for (const [name, highlight] of CSS.highlights) {
      if (!new RegExp(tier).test(name)) continue;
      for (const r of highlight) {
        const range = r as Range;
        const el = range.startContainer.nodeType === 1 ? (range.startContainer as Element) : range.startContainer.parentElement;
        const hit = selectors.find((s) => el?.closest(s));
        const key = hit ?? 'elsewhere';
        out[key] = (out[key] ?? 0) + 1;
      }
    }
    return out;
  }, regions, TIER_PATTERN.source);
}
