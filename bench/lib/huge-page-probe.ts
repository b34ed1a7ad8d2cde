/**
 * What bench/huge-page.ts watches inside the tab, installed before the page's own scripts:
 * DOMContentLoaded; the first highlight (a look at the CSS highlight registry every 10 ms)
 * and how far down the document it lies; after the bench scrolls to the middle, the texts of
 * the paragraphs then in view and the first moment a highlight is inside the viewport; the
 * tab's long tasks ('longtask', buffered: the page's and the content script's alike, which
 * is why the bench watches the page once without the extension too); the end of the content
 * script's first reply's paint (its timeline entry). All on the page's performance clock.
 * (Long animation frames could name a task's scripts; tried here, they named none of the
 * content script's, so the side-by-side page is what attributes.)
 *
 * Source text, not a function: tsx wraps inner functions in a `__name` helper that does not
 * exist in the page (see tests/e2e/lib/encoder-timing.ts).
 */
import type { Page } from 'puppeteer-core';

export interface HugeProbe {
  dcl: number | null;
  first: number | null;
  /** Document y (px) of the highest highlight when the first appeared; the viewport's height. */
  firstTopPx: number | null;
  viewHeight: number;
  scrolledAt: number | null;
  /** Document y the page was scrolled to. */
  scrollY: number | null;
  /** First moment after the scroll a highlight was inside the viewport. */
  inViewAt: number | null;
  /** Texts of the paragraphs in the viewport just after the scroll. */
  inViewTexts: string[];
  /** End of the paint of the content script's first reply (its timeline entry `1:paint`); null if none. */
  firstAnswer: number | null;
  /** The content script's first paragraphs found (its mark `extracted`); null if none. */
  extracted: number | null;
  /** [startTime, duration] */
  longTasks: Array<[number, number]>;
}

const SOURCE = `(() => {
  const p = { dcl: null, first: null, firstTopPx: null, viewHeight: innerHeight, scrolledAt: null, scrollY: null, inViewAt: null, inViewTexts: [], firstAnswer: null, extracted: null, longTasks: [] };
  globalThis.__hugeProbe = p;
  const now = () => performance.now();
  document.addEventListener('DOMContentLoaded', () => { p.dcl = now(); });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) p.longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const ours = () => [...CSS.highlights].filter(([name]) => /^attention-reader-\\d$/.test(name)).map(([, h]) => h);
  const firstLook = () => {
    const lists = ours();
    if (!lists.some((h) => h.size > 0)) return setTimeout(firstLook, 10);
    p.first = now();
    p.viewHeight = innerHeight;
    let top = Infinity;
    for (const h of lists) for (const r of h) top = Math.min(top, r.getBoundingClientRect().top + scrollY);
    p.firstTopPx = top;
  };
  firstLook();
  const inView = () => {
    for (const h of ours()) for (const r of h) {
      const b = r.getBoundingClientRect();
      if (b.bottom > 0 && b.top < innerHeight && b.height > 0) return true;
    }
    return false;
  };
  const viewLook = () => {
    if (inView()) p.inViewAt = now();
    else setTimeout(viewLook, 50);
  };
  globalThis.__hugeScrollToMiddle = () => {
    const y = Math.max(0, Math.round((document.documentElement.scrollHeight - innerHeight) / 2));
    scrollTo(0, y);
    p.scrolledAt = now();
    p.scrollY = scrollY;
    for (const el of document.querySelectorAll('p')) {
      const b = el.getBoundingClientRect();
      if (b.bottom > 0 && b.top < innerHeight) p.inViewTexts.push(el.textContent.trim());
    }
    viewLook();
  };
})();`;

/** Must be called before `page.goto`. */
export async function installHugeProbe(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(SOURCE);
}

export async function readHugeProbe(page: Page): Promise<HugeProbe> {
  return (await page.evaluate(`(() => {
    const p = globalThis.__hugeProbe;
    const paint = performance.getEntriesByName('attention-reader:1:paint')[0];
    const extracted = performance.getEntriesByName('attention-reader:extracted')[0];
    return { ...p, firstAnswer: paint ? paint.startTime + paint.duration : null, extracted: extracted ? extracted.startTime : null };
  })()`)) as HugeProbe;
}

export async function scrollToMiddle(page: Page): Promise<void> {
  await page.evaluate('globalThis.__hugeScrollToMiddle()');
}

/** Waits until `expression` (over the probe `p`) holds, or the time is up; false then. */
export async function probeUntil(page: Page, expression: string, timeoutMs: number): Promise<boolean> {
  return page
    .waitForFunction(`(() => { const p = globalThis.__hugeProbe; return !!p && (${expression}); })()`, { timeout: Math.max(1, timeoutMs), polling: 100 })
    .then(
      () => true,
      () => false,
    );
}
