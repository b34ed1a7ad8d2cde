/**
 * One run of bench/huge-page.ts for one build and one page size, in a fresh profile:
 *
 *   cold   the huge page opened as soon as the browser is up (the encoder still loading);
 *          timed DOMContentLoaded -> first highlight; the tab is then closed;
 *   warm   a small page scored whole (the encoder loaded), then a second huge page of another
 *          topic, watched for `windowMs` after its DOMContentLoaded: its first highlight and
 *          where it lies, the tab's long tasks, the background's replies to a cheap message
 *          (`settings.get`, sent every `pingMs` from an extension page) and how long that page
 *          took to run each send (its main thread, shared with the offscreen encoder's), and, `scrollAtMs`
 *          after DOMContentLoaded, a scroll to the middle of the page and the time until a
 *          highlight shows in the viewport there; at the end of the window, how many new
 *          paragraphs the background has judged.
 *
 * `extensionDir` null runs the warm page's watch alone in a browser without the extension:
 * the page's own long tasks, to tell the extension's from them.
 */
import puppeteer, { type Page } from 'puppeteer-core';
import { envelope } from '../../lib/protocol';
import { contentHash } from '../../lib/text';
import { findChrome, HEADLESS_ARGS, launch, newProfileDir } from '../../tests/e2e/harness';
import { ask, openExtensionPage } from '../../tests/e2e/lib/extension-pages';
import { rmSync } from 'node:fs';
import { installHugeProbe, probeUntil, readHugeProbe, scrollToMiddle, type HugeProbe } from './huge-page-probe';

export interface HugeRunOptions {
  origin: string;
  /** Paths: the cold huge page, the small warm-up page (and its paragraph count), the warm huge page. */
  coldPath: string;
  warmUp: { path: string; paragraphs: number };
  warmPath: string;
  windowMs: number;
  scrollAtMs: number;
  /** Longest wait for a highlight in view after the scroll, past the window. */
  scrollTimeoutMs: number;
  pingMs: number;
  timeoutMs: number;
}

export interface Watch {
  probe: HugeProbe;
  /** Reply times (ms) of the pings sent during the window; null: no extension. */
  pings: number[] | null;
  /** Pings not answered (or answered with an error) by the end of the window. */
  pingsUnanswered: number;
  /** Per ping, ms from sending it to the extension page running it (its main thread free); null: no extension. */
  pageDelays: number[] | null;
  /** New paragraph records in the background's database at the end of the window. */
  judged: number | null;
  /** Scroll -> the page's record first holds a paragraph that was in the viewport after the scroll (judged there); null: not seen. */
  judgedInViewMs: number | null;
}

export interface HugeRunResult {
  coldFirstMs: number | null;
  /** Cold: DOMContentLoaded -> the first reply painted, highlights or not. */
  coldFirstAnswerMs: number | null;
  coldFirstTopPx: number | null;
  coldViewHeight: number;
  warm: Watch;
}

const VIEWPORT = { width: 1100, height: 900 };
const PING = envelope('settings.get', {});

const COUNT_PARAGRAPHS = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('attention-reader'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  try {
    if (!db.objectStoreNames.contains('paragraphs')) return 0;
    return await new Promise((resolve, reject) => { const r = db.transaction('paragraphs', 'readonly').objectStore('paragraphs').count(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  } finally { db.close(); }
})()`;

/** The paragraph ids of the page's record in the background's database. */
const PAGE_IDS = (url: string) => `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('attention-reader'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  try {
    const page = await new Promise((resolve, reject) => { const r = db.transaction('pages', 'readonly').objectStore('pages').get(${JSON.stringify(url)}); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    return page ? page.paragraphIds : [];
  } finally { db.close(); }
})()`;

/** Polls the page's record until it holds one of `ids`; ms from now, or null by `timeoutMs`. */
async function judgedAmong(control: Page, url: string, ids: ReadonlySet<string>, timeoutMs: number): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const held = (await control.evaluate(PAGE_IDS(url))) as string[];
    if (held.some((id) => ids.has(id))) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

const countParagraphs = async (page: Page) => (await page.evaluate(COUNT_PARAGRAPHS)) as number;

/**
 * Sends the cheap message every `everyMs` (not waiting for replies) until stopped; each reply's
 * time measured in the page. Also how long each send waited before the extension page ran it
 * at all (sent here, run there; one wall clock): the extension's pages share one main thread
 * with its offscreen document, so this is how long a click in the popup would wait meanwhile.
 */
function startPings(from: Page, everyMs: number): { stop(): Promise<{ times: number[]; unanswered: number; delays: number[] }> } {
  const pending: Array<Promise<{ ms: number | null; delay: number | null }>> = [];
  const send = () =>
    pending.push(
      from
        .evaluate(
          async (m, sentAt) => {
            const delay = Date.now() - sentAt;
            const t0 = performance.now();
            const reply = (await (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok?: boolean } | undefined> } } }).chrome.runtime.sendMessage(m)) ?? {};
            return { ms: reply.ok ? performance.now() - t0 : -1, delay };
          },
          PING as never,
          Date.now(),
        )
        .then(({ ms, delay }) => ({ ms: ms >= 0 ? ms : null, delay }), () => ({ ms: null, delay: null })),
    );
  send();
  const timer = setInterval(send, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      // A reply still outstanding a little after the window counts with its full time.
      const late = { ms: null, delay: null };
      const settled = await Promise.all(pending.map((p) => Promise.race([p, new Promise<typeof late>((r) => setTimeout(() => r(late), 10_000))])));
      const times = settled.flatMap((s) => (s.ms !== null ? [s.ms] : []));
      const delays = settled.flatMap((s) => (s.delay !== null ? [s.delay] : []));
      return { times, unanswered: settled.length - times.length, delays };
    },
  };
}

/** The warm page's watch: open, first highlight, scroll at `scrollAtMs`, the window, the scroll's highlight. */
async function watchPage(newPage: () => Promise<Page>, url: string, o: HugeRunOptions, control: Page | null): Promise<Watch> {
  const before = control ? await countParagraphs(control) : 0;
  const page = await newPage();
  await page.setViewport(VIEWPORT);
  await installHugeProbe(page);
  const pings = control ? startPings(control, o.pingMs) : null;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: o.timeoutMs });
  const loadedAt = Date.now();
  await new Promise((r) => setTimeout(r, Math.max(0, o.scrollAtMs - (Date.now() - loadedAt))));
  await scrollToMiddle(page);
  const inView = new Set((await readHugeProbe(page)).inViewTexts.map((t) => contentHash(t)));
  const judgedInView = control ? judgedAmong(control, url, inView, o.windowMs - o.scrollAtMs + o.scrollTimeoutMs) : Promise.resolve(null);
  await new Promise((r) => setTimeout(r, Math.max(0, o.windowMs - (Date.now() - loadedAt))));
  const judged = control ? (await countParagraphs(control)) - before : null;
  const replies = pings ? await pings.stop() : null;
  const judgedInViewMs = await judgedInView;
  if (control) await probeUntil(page, 'p.inViewAt !== null', o.scrollTimeoutMs);
  const probe = await readHugeProbe(page);
  await page.close();
  return { probe, pings: replies?.times ?? null, pingsUnanswered: replies?.unanswered ?? 0, pageDelays: replies?.delays ?? null, judged, judgedInViewMs };
}

/** Waits until the background has judged `expected` paragraphs of `url`. */
async function settled(from: Page, url: string, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await ask(from, 'page.summary', { url })).paragraphs >= expected) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runWithExtension(extensionDir: string, o: HugeRunOptions): Promise<HugeRunResult> {
  const session = await launch({ extensionDir });
  try {
    const cold = await session.browser.newPage();
    await cold.setViewport(VIEWPORT);
    await installHugeProbe(cold);
    await cold.goto(o.origin + o.coldPath, { waitUntil: 'domcontentloaded', timeout: o.timeoutMs });
    await probeUntil(cold, 'p.first !== null', o.timeoutMs);
    const coldProbe = await readHugeProbe(cold);
    await cold.close();

    const small = await session.browser.newPage();
    await small.setViewport(VIEWPORT);
    await small.goto(o.origin + o.warmUp.path, { waitUntil: 'domcontentloaded' });
    const control = await openExtensionPage(session);
    await settled(control, o.origin + o.warmUp.path, o.warmUp.paragraphs, o.timeoutMs);
    await small.close();

    const warm = await watchPage(() => session.browser.newPage(), o.origin + o.warmPath, o, control);
    return {
      coldFirstMs: coldProbe.first !== null && coldProbe.dcl !== null ? coldProbe.first - coldProbe.dcl : null,
      coldFirstAnswerMs: coldProbe.firstAnswer !== null && coldProbe.dcl !== null ? coldProbe.firstAnswer - coldProbe.dcl : null,
      coldFirstTopPx: coldProbe.firstTopPx,
      coldViewHeight: coldProbe.viewHeight,
      warm,
    };
  } finally {
    await session.close().catch(() => {});
  }
}

/** The warm page's watch in a browser without the extension: the page's own long tasks. */
export async function runWithout(o: HugeRunOptions): Promise<Watch> {
  const profileDir = newProfileDir();
  const browser = await puppeteer.launch({ executablePath: findChrome(), headless: true, pipe: true, args: [...HEADLESS_ARGS, `--user-data-dir=${profileDir}`] });
  try {
    return await watchPage(() => browser.newPage(), o.origin + o.warmPath, o, null);
  } finally {
    await browser.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
  }
}
