/**
 * Pages keep changing after load: an endless feed appends stories as the learner scrolls.
 * New paragraphs are found by the page watcher and highlighted too, while paragraphs already
 * judged are not sent again.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ask, extensionUrl, launch, screenshot, serve, type Session } from './harness';

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
function highlightedTexts(page: import('puppeteer-core').Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = new Set<string>();
    for (const [name, highlight] of CSS.highlights) {
      if (!/^attention-reader-\d$/.test(name)) continue;
      for (const range of highlight as unknown as Iterable<Range>) texts.add(range.startContainer.parentElement!.closest('p')!.textContent!);
    }
    return [...texts];
  });
}

describe('content that appears after load', () => {
  it('highlights stories an endless feed appends as the learner scrolls', async () => {
    const control = await session.browser.newPage();
    await control.goto(extensionUrl(session, 'popup.html'));
    await ask(control, 'settings.update', { patch: { density: 'many', budgetMinutes: 60 } });
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1000, height: 700 });
    await page.goto(`${server.origin}/infinite.html`);
    await page.waitForFunction(() => [...CSS.highlights.keys()].some((k) => /^attention-reader-\d$/.test(k)), { timeout: 60_000 });
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
      () => {
        const texts = new Set<string>();
        for (const [name, h] of CSS.highlights) if (/^attention-reader-\d$/.test(name)) for (const r of h as unknown as Iterable<Range>) texts.add(r.startContainer.textContent ?? '');
        return [...texts].some((t) => t.startsWith('A retired teacher'));
      },
      { timeout: 30_000 },
    );
    const after = await highlightedTexts(page);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.some((t) => t.startsWith('The first story'))).toBe(true); // earlier highlights stay
    const summary = await ask(control, 'page.summary', { url: page.url() });
    expect(summary.paragraphs).toBe(6); // each paragraph judged once, none twice
    await screenshot(page, 'infinite-scroll');
    await page.close();
    await control.close();
  });
});
