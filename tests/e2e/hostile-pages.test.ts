/**
 * Hostile pages, in a real Chromium with the built extension.
 *
 * First, a page's own scripts try to reach the extension or the learner's data: globals,
 * attributes, the toolbar's shadow root, `chrome.runtime`, extension URLs, `postMessage`
 * with a well-formed envelope, and forged (untrusted) clicks, keys and selections. None of it
 * may read anything of the learner's or make the extension save, judge or open anything.
 *
 * Then pages built to hurt the extractor and the content script (a DOM 10,000 levels deep,
 * 20,000 paragraphs, one 10-million-character text node, a DOM that changes every frame,
 * invisible and bidi controls and lone surrogates in the text): highlights still come, in the
 * prose, within a stated time; nothing throws; and the page stays responsive: its longest task
 * after it has built itself, seen by a 'longtask' PerformanceObserver in the page, stays within
 * a bound set by the page's own longest task while building. The same page without the
 * extension is measured too and its figures logged beside ours, for reading, not asserted
 * (speed comparisons belong in the benchmarks).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope } from '../../lib/protocol';
import { hostilePages, ordinaryPage, type HostilePage } from '../fixtures/hostile/pages';
import { EXTENSION_DIR, HEADLESS_ARGS, ROOT, findChrome, launch, newProfileDir, serve, type Session } from './harness';
import { ask, firstHighlightPoint, learnerActivity, openExtensionPage, statusSays, toolbarOpen } from './lib/extension-pages';
import { UI_HOST_SELECTOR, highlightRegions, installProbes, readProbes, waitForHighlights, type ProbeReport } from './lib/page-probes';
import { pressPassageShortcut } from './lib/shortcuts';

/** From navigation to the first highlights on any hostile page (the encoder is already loaded). */
const HIGHLIGHT_BOUND_MS = 60_000;
/** After the first highlights, how long the page is watched for further work of ours. */
const SETTLE_MS = 3_000;
/**
 * Worst long task allowed after the page has built itself: 750 ms, or twice the page's own
 * longest task while building (one full style and layout of what it built), whichever is more.
 * Adding any style sheet to a document makes the browser restyle all of it, which on a huge
 * DOM costs about what the page's own first styling did; the extension adds one (for its
 * highlight colours).
 */
const LONG_TASK_FLOOR_MS = 750;
const LONG_TASK_PAGE_FACTOR = 2;
/** A timing stretched by a descheduled thread on a shared machine is measured again, once. */
const ATTEMPTS = 2;

const ordinary = ordinaryPage();
const hostile = hostilePages();

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let ext: Page;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), Object.fromEntries([ordinary, ...hostile].map((p) => [p.path, p.html])));
  session = await launch();
  ext = await openExtensionPage(session);
  // A day long enough for every page here: what is tested is the pages, not the day's budget.
  await ask(ext, 'settings.update', { patch: { budgetMinutes: 600 } });
  // Load the encoder once, so the bounds below measure the pages, not the first model load.
  const warm = await session.browser.newPage();
  await warm.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
  await waitForHighlights(warm, 120_000);
  await warm.close();
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

/** Everything a page's renderer reports: uncaught exceptions and console errors/warnings, from every world (ours included). */
interface Trouble {
  exceptions: string[];
  ourWarnings: string[];
}

async function watchTrouble(page: Page): Promise<{ trouble: Trouble; cdp: CDPSession }> {
  const trouble: Trouble = { exceptions: [], ourWarnings: [] };
  const cdp = await page.createCDPSession();
  cdp.on('Runtime.exceptionThrown', (e) => trouble.exceptions.push(e.exceptionDetails.exception?.description ?? e.exceptionDetails.text));
  cdp.on('Runtime.consoleAPICalled', (e) => {
    const text = e.args.map((a) => a.value ?? a.description ?? '').join(' ');
    if ((e.type === 'error' || e.type === 'warning') && /attention-reader/i.test(text)) trouble.ourWarnings.push(text);
  });
  page.on('error', (e) => trouble.exceptions.push(`renderer: ${e.message}`));
  await cdp.send('Runtime.enable');
  return { trouble, cdp };
}

async function openPage(p: HostilePage, browser: Browser = session.browser): Promise<{ page: Page; trouble: Trouble }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await installProbes(page);
  const { trouble } = await watchTrouble(page);
  // The page being read is the tab in front (background tabs have their timers throttled).
  await page.bringToFront();
  await page.goto(`${server.origin}${p.path}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  return { page, trouble };
}

// ---------------------------------------------------------------------------------------------

describe('page scripts cannot read or drive the extension', () => {
  let page: Page;
  let host = '';

  beforeAll(async () => {
    ({ page } = await openPage(ordinary));
    // The generated prose is plain English: a word the generator failed to pick would read
    // "undefined" and make every page of this file look too hard to highlight.
    expect(await page.evaluate(() => document.getElementById('prose')?.textContent ?? '')).not.toMatch(/undefined|^$/);
    await waitForHighlights(page, HIGHLIGHT_BOUND_MS);
    host = (await page.evaluate((sel: string) => document.querySelector(sel)?.localName, UI_HOST_SELECTOR)) ?? '';
  });

  it('finds nothing of ours on window, no attribute of ours, a plain host element and a closed shadow root', async () => {
    const probes = await readProbes(page);
    // (Leaving out the test's own probe and puppeteer's bindings for its ::-p-aria selectors.)
    expect(probes.newWindowNames.filter((n) => n !== '__probe' && !/ariaQuerySelector/.test(n))).toEqual([]);
    // A page that wrapped attachShadow before we ran caught no shadow root of ours.
    expect(probes.capturedShadowHosts).toEqual([]);
    const seen = await page.evaluate((sel: string) => {
      const hosts = [...document.querySelectorAll(sel)] as HTMLElement[];
      const ours = [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /attention|reader/i.test(a.name) || /attention|reader/i.test(a.value)).map((a) => `${el.localName}[${a.name}]`),
      );
      const h = hosts[0];
      let reattach = 'no error';
      try {
        h?.attachShadow({ mode: 'open' });
      } catch (e) {
        reattach = (e as Error).name;
      }
      return {
        hosts: hosts.length,
        hostAttributes: h ? [...h.attributes].map((a) => a.name) : [],
        shadowRootVisible: h ? h.shadowRoot !== null : null,
        hostText: h ? h.textContent + h.innerHTML : null,
        reattach,
        ours,
        // The toolbar's words appear nowhere a page script can read.
        toolbarWordsInPage: /Save this passage|Why was this highlighted/.test(document.documentElement.innerHTML + document.body.innerText),
      };
    }, UI_HOST_SELECTOR);
    // A built-in element: a page cannot define it first (see platform/page-ui.ts).
    expect(host).toBe('div');
    expect(seen).toEqual({
      hosts: 1,
      hostAttributes: [],
      shadowRootVisible: false,
      hostText: '',
      reattach: 'NotSupportedError',
      ours: [],
      toolbarWordsInPage: false,
    });
  });

  it('is not reachable through chrome.runtime or extension URLs', async () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).not.toHaveProperty('externally_connectable');
    const tried = await page.evaluate(
      async (id: string, message: unknown) => {
        const c = (window as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => unknown } } }).chrome;
        let sendMessage = 'no error';
        try {
          await c!.runtime!.sendMessage!(id, message);
        } catch (e) {
          sendMessage = (e as Error).name;
        }
        const fetched: Record<string, string> = {};
        for (const path of ['popup.html', 'review.html', 'background.js', 'manifest.json']) {
          try {
            const r = await fetch(`chrome-extension://${id}/${path}`);
            fetched[path] = `status ${r.status}`;
          } catch (e) {
            fetched[path] = (e as Error).name;
          }
        }
        return { runtime: typeof c?.runtime, sendMessage, fetched };
      },
      session.extensionId,
      envelope('data.deleteAll', { confirm: 'delete everything' }),
    );
    expect(tried).toEqual({
      runtime: 'undefined',
      sendMessage: 'TypeError',
      fetched: { 'popup.html': 'TypeError', 'review.html': 'TypeError', 'background.js': 'TypeError', 'manifest.json': 'TypeError' },
    });
  });

  it('ignores well-formed protocol envelopes posted with window.postMessage', async () => {
    await ask(ext, 'settings.update', { patch: { budgetMinutes: 37 } });
    await page.evaluate(
      (messages: unknown[]) => {
        for (const m of messages) {
          window.postMessage(m, '*');
          document.dispatchEvent(new CustomEvent('message', { detail: m }));
        }
      },
      [
        envelope('settings.update', { patch: { budgetMinutes: 599 } }),
        envelope('snippet.save', { eventId: 'forged-1', url: 'https://example.org/', title: 't', lang: 'en', text: 'forged snippet', context: '', paragraphId: null, markedWords: [] }),
        envelope('data.deleteAll', { confirm: 'delete everything' }),
      ],
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ask(ext, 'settings.get', {})).budgetMinutes).toBe(37);
    expect(await learnerActivity(ext)).toEqual({ snippets: 0, feedback: 0, saves: 0 });
  });

  it('does not open its toolbar for forged clicks, keys or selections', async () => {
    const point = await firstHighlightPoint(page);
    const opened: Record<string, boolean> = {};
    // A synthetic click on a highlighted passage, where a real click opens the toolbar.
    await page.evaluate(({ x, y }) => {
      const target = document.elementFromPoint(x, y)!;
      for (const type of ['mousedown', 'mouseup', 'click']) target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, view: window }));
    }, point);
    opened.click = await toolbarOpen(page);
    // The next-passage shortcut's keys (Alt+Shift+N), forged: the browser's command would open
    // the toolbar and move focus into it; the page itself listens for no shortcut.
    await page.evaluate(() => {
      for (const type of ['keydown', 'keyup']) document.dispatchEvent(new KeyboardEvent(type, { bubbles: true, cancelable: true, altKey: true, shiftKey: true, code: 'KeyN', key: 'N' }));
    });
    opened.shortcut = await toolbarOpen(page);
    // A selection made by script, then a synthetic mouseup, as when the learner selects words.
    await page.evaluate(() => {
      const p = document.querySelector('article p')!;
      getSelection()!.selectAllChildren(p);
      p.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, composed: true }));
      document.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true, shiftKey: true, key: 'ArrowRight' }));
      getSelection()!.removeAllRanges();
    });
    opened.selection = await toolbarOpen(page);
    expect(opened).toEqual({ click: false, shortcut: false, selection: false });
    expect(await page.evaluate(() => CSS.highlights.has('attention-reader-focus') && CSS.highlights.get('attention-reader-focus')!.size > 0)).toBe(false);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  });

  it('saves nothing for forged key presses and clicks even while the toolbar is open and focused; a real key press saves', async () => {
    // Open the toolbar the learner's way (the browser's next-passage command): focus moves to its Save button.
    await pressPassageShortcut(session, page, 1);
    await page.locator('::-p-aria(Save this passage for review)').wait();
    expect(await toolbarOpen(page)).toBe(true);
    // The page tries everything it can reach: the focused element (our host, from its side),
    // the host itself, and the document.
    await page.evaluate((sel: string) => {
      const host = document.querySelector(sel) as HTMLElement;
      const targets = [document.activeElement!, host, document.documentElement];
      for (const t of targets) {
        for (const key of ['Enter', ' ']) {
          for (const type of ['keydown', 'keypress', 'keyup']) t.dispatchEvent(new KeyboardEvent(type, { key, code: key === ' ' ? 'Space' : 'Enter', bubbles: true, composed: true, cancelable: true }));
        }
        t.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      }
      host.click();
    }, UI_HOST_SELECTOR);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await learnerActivity(ext)).toEqual({ snippets: 0, feedback: 0, saves: 0 });
    // Nor did the forged clicks close it (a click outside a passage closes it).
    expect(await toolbarOpen(page), 'a forged click closed the toolbar').toBe(true);
    // The same toolbar does save for a real Enter: the attempts above failed for being forged.
    await page.keyboard.press('Enter');
    await statusSays(page, 'Saved for review');
    expect(await learnerActivity(ext)).toMatchObject({ snippets: 1, feedback: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

/** Where each page's prose is, by selector; highlights must fall there and nowhere else. */
const PROSE_REGIONS: Record<string, string[]> = {
  '/hostile/deep.html': ['#prose', '#bottom'],
  '/hostile/many.html': ['#prose', '#many'],
  '/hostile/giant.html': ['#prose', '#giant-p'],
  '/hostile/mutating.html': ['#prose', '#live'],
  '/hostile/unicode.html': ['#prose', '#odd'],
};

interface Measured {
  highlightMs: number;
  probes: ProbeReport;
  regions: Record<string, number>;
  trouble: Trouble;
  answerMs: number;
  paragraphsKnown: number;
  framesAdvanced: number | null;
}

/** Within `ms`, or a rejection saying what did not answer. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T | string> {
  return Promise.race([work, new Promise<string>((r) => setTimeout(() => r(`${what}: no answer in ${ms} ms`), ms))]);
}

/** What state things are in when highlights do not come: which part stopped answering. */
async function diagnose(page: Page): Promise<string> {
  const inPage = await within(5_000, 'page', page.evaluate((sel: string) => ({ host: !!document.querySelector(sel), highlights: [...CSS.highlights.keys()], visibility: document.visibilityState }), UI_HOST_SELECTOR));
  const background = await within(5_000, 'background', ask(ext, 'ping', {}).catch((e: unknown) => String(e)));
  const encoder = await within(5_000, 'offscreen encoder', ask(ext, 'encoder.status', {}).catch((e: unknown) => String(e)));
  const known = await within(5_000, 'page.summary', ask(ext, 'page.summary', { url: page.url() }).then((r) => r.paragraphs).catch((e: unknown) => String(e)));
  return JSON.stringify({ inPage, background, encoder, paragraphsKnown: known });
}

/**
 * Each hostile page is read by a new learner on a new day (the learner's own "delete all my
 * data"; the encoder stays loaded): the 20,000-paragraph page alone commits hours of the day's
 * budget, and what is measured here is each page, not what the pages before it left.
 */
async function freshLearner(): Promise<void> {
  await ask(ext, 'data.deleteAll', { confirm: 'delete everything' });
  await ask(ext, 'settings.update', { patch: { budgetMinutes: 600 } });
}

async function measure(p: HostilePage): Promise<Measured> {
  await freshLearner();
  const { page, trouble } = await openPage(p);
  try {
    const highlightMs = await waitForHighlights(page, HIGHLIGHT_BOUND_MS).catch(async (e: unknown) => {
      throw new Error(`no highlights on ${p.path} within ${HIGHLIGHT_BOUND_MS} ms (${String(e)}); state: ${await diagnose(page)}`);
    });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const t0 = Date.now();
    await page.evaluate(() => 1);
    const answerMs = Date.now() - t0;
    const frames = () => page.evaluate(() => Number(document.body.dataset.frames ?? NaN));
    const f0 = await frames();
    await new Promise((r) => setTimeout(r, 500));
    const framesAdvanced = Number.isNaN(f0) ? null : (await frames()) - f0;
    const probes = await readProbes(page);
    const regions = await highlightRegions(page, PROSE_REGIONS[p.path]!);
    const summary = await ask(ext, 'page.summary', { url: page.url() });
    return { highlightMs, probes, regions, trouble, answerMs, paragraphsKnown: summary.paragraphs, framesAdvanced };
  } finally {
    await page.close();
  }
}

/** The same page without the extension: what the page costs by itself. */
async function control(browser: Browser, p: HostilePage): Promise<ProbeReport> {
  const { page } = await openPage(p, browser);
  try {
    await new Promise((r) => setTimeout(r, 4_000));
    return await readProbes(page);
  } finally {
    await page.close();
  }
}

const allowedLongTask = (m: Measured) => Math.max(LONG_TASK_FLOOR_MS, LONG_TASK_PAGE_FACTOR * m.probes.worstTaskBeforeBuilt);

describe('hostile pages', () => {
  let plain: Browser;
  let plainProfile: string | undefined;
  const report: string[] = [];

  beforeAll(async () => {
    plainProfile = newProfileDir();
    plain = await puppeteer.launch({
      executablePath: findChrome(),
      headless: true,
      pipe: true,
      args: [...HEADLESS_ARGS, `--user-data-dir=${plainProfile}`],
    });
  });

  afterAll(async () => {
    await plain?.close();
    if (plainProfile) rmSync(plainProfile, { recursive: true, force: true });
    console.info(`[hostile pages]\n${report.join('\n')}`);
  });

  it.each(hostile.map((p) => [p.what, p] as const))('%s: highlights in the prose, no errors, the page stays responsive', async (_what, p) => {
    const attempts: Measured[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      const m = await measure(p);
      attempts.push(m);
      if (m.probes.worstTaskAfterBuilt <= allowedLongTask(m)) break;
    }
    const best = attempts.reduce((a, b) => (b.probes.worstTaskAfterBuilt < a.probes.worstTaskAfterBuilt ? b : a));
    const alone = await control(plain, p);
    report.push(
      `${p.path}: highlights after ${best.highlightMs} ms; worst long task after build ${best.probes.worstTaskAfterBuilt.toFixed(0)} ms ` +
        `(${best.probes.longTasksAfterBuilt} long tasks; allowed ${allowedLongTask(best).toFixed(0)}; attempts: ${attempts.map((a) => a.probes.worstTaskAfterBuilt.toFixed(0)).join(', ')}); ` +
        `worst stall ${best.probes.worstStallAfterBuilt.toFixed(0)} ms; page's own build task ${best.probes.worstTaskBeforeBuilt.toFixed(0)} ms; ` +
        `without the extension: worst long task after build ${alone.worstTaskAfterBuilt.toFixed(0)} ms, worst stall ${alone.worstStallAfterBuilt.toFixed(0)} ms; ` +
        `paragraphs known ${best.paragraphsKnown}; highlights ${JSON.stringify(best.regions)}`,
    );

    for (const m of attempts) {
      // No error of ours or of the page's, in any world; no renderer crash.
      expect(m.trouble.exceptions).toEqual([]);
      expect(m.trouble.ourWarnings).toEqual([]);
      expect(m.probes.errors).toEqual([]);
      // Highlights came in time, and only where the page has prose.
      expect(m.highlightMs).toBeLessThan(HIGHLIGHT_BOUND_MS);
      expect(m.regions.elsewhere ?? 0).toBe(0);
      expect(Object.values(m.regions).reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
      // The page answers, and its own scripts keep running.
      expect(m.answerMs).toBeLessThan(2_000);
      if (m.framesAdvanced !== null) expect(m.framesAdvanced).toBeGreaterThan(0);
    }
    expect(best.probes.worstTaskAfterBuilt).toBeLessThanOrEqual(allowedLongTask(best));
    if (p.path === '/hostile/unicode.html') {
      // Every paragraph strewn with controls and lone surrogates crossed the messaging and
      // passed validation: 8 of the article and 7 odd ones.
      expect(best.paragraphsKnown).toBeGreaterThanOrEqual(15);
    }
  });
});
