/**
 * Privacy and inertness, in a real Chromium with the built extension, over one learner's
 * session: open a page, get highlights, save a passage and a word from it, open the popup and
 * the review page, export the cards for Anki.
 *
 * Every request of every extension context (service worker, offscreen document and its worker
 * threads, extension pages, our content script) is recorded through DevTools, and the whole
 * browser's network traffic through Chromium's net log; none of ours may leave
 * chrome-extension:// URLs. The passage saved carries `<img src=x onerror=...>` and
 * `<script>` as text, and so does the page title: the popup, the review page and the Anki
 * export must show them as text, with no element made of them and no script run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAnkiText } from '../../lib/anki';
import { MARKUP_TEXT, markupPage } from '../fixtures/hostile/pages';
import { ROOT, extensionUrl, launch, serve, type Session } from './harness';
import { ask, learnerActivity, openExtensionPage, statusSays, toolbarOpen } from './lib/extension-pages';
import { readNetLog, recordNetwork, type NetworkRecorder, type RecordedRequest } from './lib/network-recorder';
import { waitForHighlights } from './lib/page-probes';

const markup = markupPage();
const netLogPath = join(mkdtempSync(join(tmpdir(), 'attention-reader-netlog-')), 'netlog.json');

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let recorder: NetworkRecorder;
let requests: RecordedRequest[] = [];

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), { [markup.path]: markup.html });
  session = await launch({ extraArgs: [`--log-net-log=${netLogPath}`, '--net-log-capture-mode=Default'] });
  recorder = await recordNetwork(session.browser);
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

/** Elements that page text would have become if anything rendered it as HTML, and whether its script ran. */
async function markupTraces(page: Page): Promise<{ elements: string[]; ran: boolean }> {
  return page.evaluate(() => ({
    elements: [...document.querySelectorAll('img, b, [onerror], script:not([src])')].map((e) => e.outerHTML.slice(0, 80)),
    ran: (window as unknown as { __pwned?: unknown }).__pwned !== undefined,
  }));
}

/** Selects by mouse (double-click: a word; triple-click: the paragraph) in #markup, then saves with the toolbar. */
async function selectAndSave(page: Page, clicks: 2 | 3, word?: string): Promise<void> {
  const point = await page.evaluate((w: string | null) => {
    const p = document.getElementById('markup')!;
    p.scrollIntoView({ block: 'center' });
    const text = p.firstChild as Text;
    const range = document.createRange();
    const at = w ? text.data.indexOf(w) : 0;
    range.setStart(text, at + 1);
    range.setEnd(text, at + 2);
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, word ?? null);
  await page.mouse.click(point.x, point.y, { clickCount: clicks });
  const save = await page.locator('::-p-aria(Save this passage for review)').waitHandle();
  await save.click();
}

describe('a learner session', () => {
  let ext: Page;

  it('saves a passage and a word whose text carries markup, from the in-page toolbar', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(`${server.origin}${markup.path}`, { waitUntil: 'domcontentloaded' });
    await waitForHighlights(page, 120_000);
    await selectAndSave(page, 3);
    await statusSays(page, 'Saved');
    // Close the toolbar, so that the next Save found is the one of the next selection.
    await (await page.locator('::-p-aria(Close)').waitHandle()).click();
    for (let i = 0; i < 50 && (await toolbarOpen(page)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await toolbarOpen(page)).toBe(false);
    // A click in the margin drops the paragraph selection (a double-click inside a selection keeps it).
    await page.mouse.click(3, 3);
    await selectAndSave(page, 2, 'council');
    await statusSays(page, 'Saved “council” for review');
    // The page's text is untouched and nothing of it became an element in the page either.
    expect(await page.$eval('#markup', (p) => p.children.length)).toBe(0);
    await page.close();
    ext = await openExtensionPage(session);
    // Two saves, both acknowledged. Both come from the same paragraph of the same page, so the
    // word is added to the passage's snippet (a snippet is one passage of one page) rather than
    // making a second one; its cards (the passage's and the word's) are checked below.
    expect(await learnerActivity(ext)).toEqual({ snippets: 1, feedback: 0, saves: 2 });
  });

  it('the popup shows it as text: no element made of it, no script run', async () => {
    const popup = await session.browser.newPage();
    await popup.goto(extensionUrl(session, 'popup.html'));
    await popup.waitForSelector('[data-stat="due"]');
    expect(await markupTraces(popup)).toEqual({ elements: [], ran: false });
    await popup.close();
  });

  it('the review page shows it as text on both sides of a card: no element made of it, no script run', async () => {
    const review = await session.browser.newPage();
    await review.goto(extensionUrl(session, 'review.html'));
    // The first due card (either of the two saved): question side, then answer side with its
    // source. (Not rated: the export below reads the same due cards.)
    const show = await review.locator('button.review-show').waitHandle();
    const seen = [await review.evaluate(() => document.body.innerText)];
    expect(await markupTraces(review)).toEqual({ elements: [], ran: false });
    await show.click();
    await review.waitForSelector('.review-card.is-revealed');
    seen.push(await review.evaluate(() => document.body.innerText));
    expect(await markupTraces(review)).toEqual({ elements: [], ran: false });
    const all = seen.join('\n');
    expect(all).toContain('<img src=x onerror="window.__pwned=1">');
    expect(all).toContain('<script>window.__pwned=2</script>');
    expect(all).toContain('A report with markup in <b>its</b> title <img src=x onerror="window.__pwned=3">');
    await review.close();
  });

  it('the Anki export escapes it: no markup in the file but our own line breaks and source links', async () => {
    const due = await ask(ext, 'review.due', {});
    expect(due.items.length).toBeGreaterThanOrEqual(2);
    const cards = due.items.map((i) => i.card);
    expect(cards.some((c) => c.text.includes(MARKUP_TEXT))).toBe(true);
    const exported = await ask(ext, 'review.export', { format: 'tsv' });
    for (const text of [toAnkiText(cards, 'tsv'), toAnkiText(cards, 'csv'), exported.text]) {
      expect(text).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
      expect(text).toContain('&lt;script&gt;window.__pwned=2&lt;/script&gt;');
      // Anki renders fields as HTML: the only tags allowed are our <br> and source links.
      const tags = [...text.matchAll(/<\/?([a-z]+)[^>]*>/gi)].map((m) => m[1]!.toLowerCase());
      expect(new Set(tags)).toEqual(new Set(tags.filter((t) => t === 'br' || t === 'a')));
      expect(text).not.toMatch(/<(img|script|b)\b/i);
    }
  });

  it('no extension context made a request anywhere but chrome-extension:// URLs', async () => {
    // Let anything still in flight (dwell flushes, the offscreen encoder) settle first.
    await new Promise((r) => setTimeout(r, 1000));
    requests = [...recorder.requests];
    await recorder.stop();
    const ours = requests.filter((r) => r.context === 'extension' || r.context === 'content-script');
    const contexts = new Set(ours.map((r) => `${r.context}:${r.target}`));
    console.info(
      `[privacy] ${requests.length} requests seen by DevTools: ` +
        Object.entries(
          requests.reduce<Record<string, number>>((acc, r) => ((acc[`${r.context}/${r.target}`] = (acc[`${r.context}/${r.target}`] ?? 0) + 1), acc), {}),
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
    );
    // The session really exercised the service worker, the offscreen document and the extension pages.
    expect(contexts).toContain('extension:service_worker');
    expect(contexts).toContain('extension:page');
    expect([...contexts].some((c) => c.startsWith('extension:') && !c.endsWith(':service_worker') && !c.endsWith(':page'))).toBe(true);
    expect(ours.filter((r) => !r.url.startsWith('chrome-extension://')).map((r) => `${r.context}/${r.target}: ${r.url}`)).toEqual([]);
    // The web page's own requests went to the test server only.
    const page = requests.filter((r) => r.context === 'page');
    expect(page.length).toBeGreaterThan(0);
    expect(page.filter((r) => !r.url.startsWith(server.origin)).map((r) => r.url)).toEqual([]);
  });

  it("the browser's net log agrees: no request initiated by the extension, and the page's only to the test server", async () => {
    await session.close();
    const log = readNetLog(netLogPath);
    const origin = `chrome-extension://${session.extensionId}`;
    console.info(`[privacy] net log: ${log.length} requests reached the network stack, ${log.filter((r) => r.initiator === 'not an origin').length} of them the browser's own`);
    expect(log.filter((r) => r.initiator.startsWith('chrome-extension:')).map((r) => r.url)).toEqual([]);
    expect(log.filter((r) => r.url.startsWith(origin))).toEqual([]);
    // Everything a web page or script started went to the test server (the page and its favicon).
    const fromPages = log.filter((r) => r.initiator !== 'not an origin' && r.initiator !== '');
    expect(fromPages.filter((r) => !r.url.startsWith(server.origin)).map((r) => `${r.initiator} -> ${r.url}`)).toEqual([]);
  });
});
