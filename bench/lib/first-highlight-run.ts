/**
 * One run of the first-highlight benchmark: a fresh browser profile with the built
 * extension, a first page opened as soon as the browser is up (cold: the encoder starts
 * loading at the browser's start, platform/encoder-warmup.ts, and the page waits for whatever
 * of that load is left) and, in the same browser once the first page is fully scored, a
 * second page of other paragraphs (warm: encoder loaded, nothing cached). Each is timed from
 * its DOMContentLoaded to its first highlight, inside the page. After both, the memory of the
 * extension's process (the encoder's offscreen document and the service worker) is read.
 */
import type { Page } from 'puppeteer-core';
import { launch, type Session } from '../../tests/e2e/harness';
import { ask, openExtensionPage } from '../../tests/e2e/lib/extension-pages';
import { firstHighlight, recordFirstHighlight } from '../../tests/e2e/lib/encoder-timing';
import type { BenchPage } from './first-highlight-pages';
import { visitStages, type TimelineEntry, type VisitStages } from './first-highlight-stages';
import { extensionProcesses, type ProcessMemory } from './process-memory';

export interface VisitTiming {
  /** DOMContentLoaded to the first highlight, ms. */
  firstHighlightMs: number;
  /** Paragraphs the background had scored for the page when it settled. */
  paragraphsScored: number;
  highlights: number;
  /** Where the time went (the content script's timeline entries); null where they were missing. */
  stages: VisitStages | null;
}

export interface RunResult {
  cold: VisitTiming;
  warm: VisitTiming;
  /** From the dashboard after both pages: must be 'encoder', else the times are the fallback's. */
  scorer: string;
  scorerNote: string;
  /** The largest extension process after both pages, the encoder's (Linux); null where none was found. */
  extensionProcess: ProcessMemory | null;
  /** Every extension process then, largest first (the service worker's, Chromium's own). */
  extensionProcesses: ProcessMemory[];
}

/**
 * The extension's entries in the page's performance timeline (the content script's world
 * shares the page's timeline). Source text, not a function: see encoder-timing.ts on tsx.
 */
const READ_TIMELINE = `({ origin: performance.timeOrigin, entries: performance.getEntries()
  .filter((e) => e.name.startsWith('attention-reader:'))
  .map((e) => ({ name: e.name, startTime: e.startTime, duration: e.duration })) })`;

async function visit(session: Session, url: string, timeoutMs: number): Promise<{ page: Page; ms: number; stages: VisitStages | null }> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await recordFirstHighlight(page);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const timing = await firstHighlight(page, timeoutMs);
  const { origin, entries } = (await page.evaluate(READ_TIMELINE)) as { origin: number; entries: TimelineEntry[] };
  const stages = visitStages(entries, timing.domContentLoadedAt - origin, timing.firstHighlightAt - origin);
  return { page, ms: timing.ms, stages };
}

/**
 * Waits until the background has scored `expected` paragraphs of `url` (they arrive in
 * batches, visible ones first), so that the next page's request does not queue behind them.
 */
async function settled(from: Page, url: string, expected: number, timeoutMs: number): Promise<{ paragraphs: number; highlights: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = { paragraphs: 0, highlights: 0 };
  while (Date.now() < deadline) {
    const summary = await ask(from, 'page.summary', { url });
    last = { paragraphs: summary.paragraphs, highlights: summary.highlights.length };
    if (summary.paragraphs >= expected) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

export async function timeFirstHighlights(
  extensionDir: string,
  origin: string,
  pages: readonly [cold: BenchPage, warm: BenchPage],
  timeoutMs: number,
): Promise<RunResult> {
  const session = await launch({ extensionDir });
  try {
    const [coldPage, warmPage] = pages;
    const cold = await visit(session, origin + coldPage.path, timeoutMs);
    // Opened only now, so that nothing of it ran before or during the cold visit.
    const control = await openExtensionPage(session);
    const coldScored = await settled(control, origin + coldPage.path, coldPage.paragraphs, timeoutMs);
    await cold.page.close();

    const warm = await visit(session, origin + warmPage.path, timeoutMs);
    const warmScored = await settled(control, origin + warmPage.path, warmPage.paragraphs, timeoutMs);
    const dashboard = await ask(control, 'dashboard.get', {});
    const processes = extensionProcesses(session.browser.process()?.pid);
    return {
      cold: { firstHighlightMs: cold.ms, ...paragraphCounts(coldScored), stages: cold.stages },
      warm: { firstHighlightMs: warm.ms, ...paragraphCounts(warmScored), stages: warm.stages },
      scorer: dashboard.scorer,
      scorerNote: dashboard.scorerNote,
      extensionProcess: processes[0] ?? null,
      extensionProcesses: processes,
    };
  } finally {
    // Also deletes the run's throw-away profile.
    await session.close().catch(() => {});
  }
}

function paragraphCounts(s: { paragraphs: number; highlights: number }): Pick<VisitTiming, 'paragraphsScored' | 'highlights'> {
  return { paragraphsScored: s.paragraphs, highlights: s.highlights };
}
