/**
 * The learner's path end to end, in a real Chromium with the built extension:
 * highlights appear on an article (without touching its DOM), a passage is saved through the
 * in-page controls, the popup and the review page show it, a forced stop of the service
 * worker between two saves loses nothing, and a browser restart keeps everything.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, extensionUrl, highlightCounts, launch, newProfileDir, screenshot, serve, stopServiceWorker, type Session } from './harness';
import { firstHighlightPoint, statusSays } from './lib/extension-pages';
import { pressPassageShortcut } from './lib/shortcuts';
import { TIER_PATTERN, waitForHighlights } from './lib/page-probes';

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
const profileDir = newProfileDir();

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launch({ profileDir });
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
  // The profile is passed in (it outlives a restart), so the session leaves it; it goes now.
  rmSync(profileDir, { recursive: true, force: true });
});

/** Records every mutation of the article's DOM from the first script on. */
async function watchArticleMutations(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __mutations: string[] };
    w.__mutations = [];
    document.addEventListener('DOMContentLoaded', () => {
      const article = document.querySelector('article');
      if (!article) return;
      new MutationObserver((records) => {
        for (const r of records) w.__mutations.push(`${r.type}:${(r.target as Element).nodeName}`);
      }).observe(article, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  });
}

async function openArticle(): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await watchArticleMutations(page);
  await page.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
  await waitForHighlights(page, 90_000);
  return page;
}

async function popupStats(): Promise<Record<string, number>> {
  const popup = await session.browser.newPage();
  await popup.setViewport({ width: 340, height: 460 });
  await popup.goto(extensionUrl(session, 'popup.html'));
  await popup.waitForSelector('[data-stat="snippets"]');
  const stats = await popup.$$eval('[data-stat]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.stat!, Number(e.textContent)])));
  await screenshot(popup, `popup-${Date.now()}`);
  await popup.close();
  return stats;
}

/** Clicks in the first range of the strongest highlight; returns the text of its block. */
async function clickFirstHighlight(page: Page): Promise<string> {
  const target = await firstHighlightPoint(page);
  // The article's highlights are all in paragraphs; an empty text would make the checks below vacuous.
  expect(target.blockText).not.toBe('');
  await page.mouse.click(target.x, target.y);
  return target.blockText;
}

/** Text of the block under the keyboard-focus highlight. */
function focusedText(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const focus = CSS.highlights.get('attention-reader-focus');
    const range = focus ? ([...focus][0] as Range | undefined) : undefined;
    return range ? range.startContainer.parentElement!.closest('p,li,blockquote')!.textContent : null;
  });
}

/** The next-passage shortcut (lib/e2e shortcuts: what the background relays for the browser's command). */
async function nextHighlight(page: Page): Promise<void> {
  await pressPassageShortcut(session, page, 1);
}

let firstSaved = '';

/** The first few words of a passage, as a gist card's front shows them. */
function openingWords(text: string): string {
  return text.trim().split(/\s+/).slice(0, 3).join(' ');
}


/** The toolbar's Save button, found by its accessible name. */
async function saveButton(page: Page) {
  return page.locator('::-p-aria(Save this passage for review)').waitHandle();
}

describe('the foundation path', () => {
  it('highlights paragraphs of an article without mutating its DOM', async () => {
    const page = await openArticle();
    const counts = await highlightCounts(page);
    const total = Object.entries(counts).filter(([k]) => TIER_PATTERN.test(k)).reduce((s, [, n]) => s + n, 0);
    expect(total).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __mutations: string[] }).__mutations)).toEqual([]);
    // Nothing of the extension is visible to the page's own scripts on window.
    expect(await page.evaluate(() => Object.keys(window).filter((k) => /attention|reader/i.test(k)))).toEqual([]);
    await screenshot(page, '1-article-highlighted');
    await page.close();
  });

  it('saves a highlighted passage through the in-page toolbar and shows it in the popup and review page', async () => {
    const page = await openArticle();
    firstSaved = await clickFirstHighlight(page);
    const save = await saveButton(page);
    await new Promise((r) => setTimeout(r, 200)); // let the fade-in finish for the screenshot
    await screenshot(page, '2-toolbar-open');
    await save.click();
    await statusSays(page, 'Saved for review');
    await screenshot(page, '3-saved');
    await page.close();

    const stats = await popupStats();
    expect(stats.snippets).toBe(1);
    expect(stats.highlighted).toBeGreaterThan(0);
    expect(stats.due).toBeGreaterThanOrEqual(1);

    const review = await session.browser.newPage();
    await review.goto(extensionUrl(session, 'review.html'));
    // A gist card's front shows the passage's opening words.
    await review.waitForFunction((start) => document.body.innerText.includes(start), { timeout: 20_000 }, openingWords(firstSaved));
    await screenshot(review, '4-review-page');
    await review.close();
  });

  it('loses nothing when the service worker is stopped between two saves', async () => {
    await stopServiceWorker(session);
    const page = await openArticle();
    // Keyboard path: next highlight (skipping the one saved already), the toolbar takes focus
    // on its first button (Save), Enter saves.
    await nextHighlight(page);
    await saveButton(page);
    if ((await focusedText(page)) === firstSaved) await nextHighlight(page);
    expect(await focusedText(page)).not.toBe(firstSaved);
    await saveButton(page);
    await page.keyboard.press('Enter');
    await statusSays(page, 'Saved for review');
    await page.close();
    const stats = await popupStats();
    expect(stats.snippets).toBe(2);
  });

  it('keeps everything across a browser restart with the same profile', async () => {
    await session.close();
    session = await launch({ profileDir });
    const stats = await popupStats();
    expect(stats.snippets).toBe(2);
    expect(stats.due).toBeGreaterThanOrEqual(2);
    const review = await session.browser.newPage();
    await review.goto(extensionUrl(session, 'review.html'));
    await review.waitForFunction((start) => document.body.innerText.includes(start), { timeout: 20_000 }, openingWords(firstSaved));
    await screenshot(review, '5-review-after-restart');
    await review.close();
  });
});
