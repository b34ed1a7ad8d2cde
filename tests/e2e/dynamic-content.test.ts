/**
 * Pages keep changing after load: an endless feed appends stories as the learner scrolls.
 * New paragraphs are found by the page watcher and highlighted too, while paragraphs already
 * judged are not sent again.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ask, launch, screenshot, serve, type Session } from './harness';
import { openExtensionPage, storeRecords } from './lib/extension-pages';
import { TIER_PATTERN, waitForHighlights } from './lib/page-probes';

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launch();
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

/** The texts of the paragraphs currently highlighted on the page. */
function highlightedTexts(page: Page): Promise<string[]> {
  return page.evaluate((tier: string) => {
    const texts = new Set<string>();
    for (const [name, highlight] of CSS.highlights) {
      if (!new RegExp(tier).test(name)) continue;
      for (const range of highlight as unknown as Iterable<Range>) texts.add(range.startContainer.parentElement!.closest('p')!.textContent!);
    }
    return [...texts];
  }, TIER_PATTERN.source);
}

type SentIds = { __paragraphIdsSent: string[] };

/**
 * Records, in the service worker, the id of every paragraph a page sends to be judged: one
 * more `runtime.onMessage` listener sees each message the product's listener answers, and
 * answers none itself.
 */
async function recordParagraphsSent(session: Session): Promise<() => Promise<string[]>> {
  const worker = await session.worker();
  await worker.evaluate(() => {
    const g = globalThis as unknown as SentIds & { chrome: { runtime: { onMessage: { addListener(cb: (m: unknown) => undefined): void } } } };
    g.__paragraphIdsSent = [];
    g.chrome.runtime.onMessage.addListener((m) => {
      const message = m as { type?: string; payload?: { paragraphs?: Array<{ id: string }> } };
      if (message.type === 'page.paragraphs') for (const p of message.payload?.paragraphs ?? []) g.__paragraphIdsSent.push(p.id);
      return undefined;
    });
  });
  return () => worker.evaluate(() => [...(globalThis as unknown as SentIds).__paragraphIdsSent]);
}

describe('content that appears after load', () => {
  it('highlights stories an endless feed appends as the learner scrolls', async () => {
    const control = await openExtensionPage(session);
    await ask(control, 'settings.update', { patch: { density: 'many', budgetMinutes: 60 } });
    const paragraphIdsSent = await recordParagraphsSent(session);
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1000, height: 700 });
    await page.goto(`${server.origin}/infinite.html`);
    await waitForHighlights(page, 60_000);
    const before = await highlightedTexts(page);
    expect(before.some((t) => t.startsWith('The first story'))).toBe(true);

    // Scroll to the end a few times: the feed appends a story each time it comes into view.
    for (let i = 0; i < 4; i++) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForFunction((n) => document.querySelectorAll('#feed p').length >= n, {}, 3 + i);
      await page.evaluate(() => window.scrollTo(0, 0));
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.waitForFunction(() => document.querySelectorAll('#feed p').length === 6);
    await page.waitForFunction(
      (tier: string) => {
        const texts = new Set<string>();
        for (const [name, h] of CSS.highlights) if (new RegExp(tier).test(name)) for (const r of h as unknown as Iterable<Range>) texts.add(r.startContainer.textContent ?? '');
        // Any of the four appended stories (which of them the density cap and the learner's
        // zone let through is the judgement's business, not this test's).
        return [...texts].some((t) => /^(A group of volunteers|The library has|Farmers at|A retired teacher)/.test(t));
      },
      { timeout: 30_000 },
      TIER_PATTERN.source,
    ).catch(async (e: unknown) => {
      throw new Error(`no appended story was highlighted (${String(e)}); summary: ${JSON.stringify(await ask(control, 'page.summary', { url: page.url() }))}`);
    });
    const after = await highlightedTexts(page);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.some((t) => t.startsWith('The first story'))).toBe(true); // earlier highlights stay
    const summary = await ask(control, 'page.summary', { url: page.url() });
    expect(summary.paragraphs).toBe(6);
    // Each paragraph was sent to be judged once, none twice: the six stories, one id each.
    const sent = await paragraphIdsSent();
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(sent.length);
    const record = (await storeRecords(control, 'pages')).find((r) => r.url === page.url()) as { paragraphIds: string[] } | undefined;
    expect([...sent].sort()).toEqual([...(record?.paragraphIds ?? [])].sort());
    await screenshot(page, 'infinite-scroll');
    await page.close();
    await control.close();
  });
});
