/**
 * When a page got its first highlight, measured inside the page: a script installed before
 * the page's own records DOMContentLoaded and then looks at the CSS highlight registry every
 * few milliseconds until one of the extension's tier highlights holds a range. Times are wall
 * clock (ms since epoch), comparable with Date.now() in Node and with CDP timestamps.
 */
import type { Page } from 'puppeteer-core';

export interface FirstHighlight {
  /** DOMContentLoaded, ms since epoch. */
  domContentLoadedAt: number;
  /** First moment a tier highlight had a range, ms since epoch. */
  firstHighlightAt: number;
  /** firstHighlightAt - domContentLoadedAt. */
  ms: number;
}

interface Probe {
  dcl: number | null;
  first: number | null;
}

/**
 * The in-page probe as source text: a function handed to puppeteer would be serialised from
 * whatever the TypeScript loader made of it, and tsx (esbuild keepNames) wraps inner functions
 * in a `__name` helper that does not exist in the page.
 */
function probeSource(pollMs: number): string {
  return `(() => {
  const probe = { dcl: null, first: null };
  globalThis.__firstHighlightProbe = probe;
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener('DOMContentLoaded', () => { probe.dcl = now(); });
  // Tier highlights are named attention-reader-1..3 (the focus ring and others are not).
  const painted = () => {
    for (const [name, highlight] of CSS.highlights) if (/^attention-reader-\\d$/.test(name) && highlight.size > 0) return true;
    return false;
  };
  const deadline = now() + 300000;
  const poll = () => {
    if (painted()) probe.first = now();
    else if (now() < deadline) setTimeout(poll, ${Math.max(1, Math.floor(pollMs))});
  };
  poll();
})();`;
}

/** Must be called before `page.goto`. */
export async function recordFirstHighlight(page: Page, pollMs = 5): Promise<void> {
  await page.evaluateOnNewDocument(probeSource(pollMs));
}

/** Waits for the first highlight recorded by `recordFirstHighlight`. */
export async function firstHighlight(page: Page, timeoutMs: number): Promise<FirstHighlight> {
  await page.waitForFunction(() => (globalThis as unknown as { __firstHighlightProbe?: Probe }).__firstHighlightProbe?.first != null, {
    timeout: timeoutMs,
    polling: 50,
  });
  const probe = await page.evaluate(() => (globalThis as unknown as { __firstHighlightProbe: Probe }).__firstHighlightProbe);
  if (probe.dcl === null || probe.first === null) throw new Error('first-highlight probe incomplete');
  return { domContentLoadedAt: probe.dcl, firstHighlightAt: probe.first, ms: probe.first - probe.dcl };
}
