/**
 * The learner's core path in a real Firefox (ESR) with the Firefox build: highlights appear on
 * an article with the encoder running in the background page (Firefox has no offscreen
 * documents), a passage is saved through the in-page toolbar, the popup and the review page
 * show it, and a restart with the same profile keeps it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ask, highlightCounts, newProfileDir, screenshot, serve } from './harness';
import { FIREFOX_BUILD_DIR, launchFirefox, openFirefoxExtensionPage, relayPassageStep, type FirefoxSession } from './firefox-harness';
import { storeRecords } from './lib/extension-pages';
import { TIER_PATTERN, waitForHighlights } from './lib/page-probes';

let server: Awaited<ReturnType<typeof serve>>;
let session: FirefoxSession;
const profileDir = newProfileDir();

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launchFirefox({ profileDir });
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

async function extensionPage(path: string, viewport = { width: 1000, height: 800 }): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport(viewport);
  await openFirefoxExtensionPage(page, path);
  return page;
}

async function openArticle(): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
  await waitForHighlights(page, 120_000);
  return page;
}

async function popupStats(name: string): Promise<Record<string, number>> {
  const popup = await extensionPage('popup.html', { width: 340, height: 560 });
  await popup.waitForSelector('[data-stat="snippets"]');
  const stats = await popup.$$eval('[data-stat]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.stat!, Number(e.textContent)])));
  await screenshot(popup, name);
  await popup.close();
  return stats;
}

async function reviewShows(text: string, name: string): Promise<void> {
  const review = await extensionPage('review.html');
  await review.waitForFunction((start) => document.body.innerText.includes(start), { timeout: 20_000, polling: 100 }, text.trim().split(/\s+/).slice(0, 3).join(' '));
  await screenshot(review, name);
  await review.close();
}

let saved = '';

describe('the core path in Firefox', () => {
  it('is the Firefox build: a background page hosts the encoder, no offscreen document', () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_BUILD_DIR, 'manifest.json'), 'utf8')) as { background: { scripts?: string[] }; permissions: string[] };
    expect(manifest.background.scripts).toEqual(['background.js']);
    expect(manifest.permissions).not.toContain('offscreen');
  });

  it('declares the shortcuts, which Firefox assigns', async () => {
    const control = await extensionPage('popup.html');
    const commands = await control.evaluate(() => (globalThis as unknown as { browser: { commands: { getAll(): Promise<Array<{ name: string; shortcut: string }>> } } }).browser.commands.getAll());
    expect(Object.fromEntries(commands.map((c) => [c.name, c.shortcut]))).toEqual({ 'next-passage': 'Alt+Shift+N', 'previous-passage': 'Alt+Shift+P', 'look-up-word': 'Alt+Shift+L', _execute_action: 'Alt+Shift+R' });
    await control.close();
  });

  it('highlights an article with the encoder running in the background page', async () => {
    const page = await openArticle();
    const total = Object.entries(await highlightCounts(page)).filter(([k]) => TIER_PATTERN.test(k)).reduce((s, [, n]) => s + n, 0);
    expect(total).toBeGreaterThan(0);
    await screenshot(page, 'firefox-1-article-highlighted');
    const control = await extensionPage('popup.html');
    const status = await ask(control, 'encoder.status', {});
    expect(status).toMatchObject({ ready: true, error: null, encoderId: expect.stringContaining('use-lite') });
    // The passages were scored with the encoder, not the word-matching fallback.
    expect((await ask(control, 'dashboard.get', {})).scorer).toBe('encoder');
    await control.close();
    await page.close();
  });

  it('saves the passage the next-passage command focuses, with Enter on the toolbar; the popup and review page show it', async () => {
    const page = await openArticle();
    // The next-passage command (Alt+Shift+N, which Firefox lists as assigned): keys sent over
    // BiDi reach the page but not Firefox's shortcut handling, so the test sends what the
    // background relays for the command, from one of the extension's pages.
    const control = await extensionPage('popup.html');
    await page.bringToFront();
    await relayPassageStep(control, page.url(), 1);
    await page.waitForFunction(() => (CSS.highlights.get('attention-reader-focus')?.size ?? 0) > 0, { timeout: 20_000, polling: 100 });
    saved = await page.evaluate(() => {
      const range = [...CSS.highlights.get('attention-reader-focus')!][0] as Range;
      return range.startContainer.parentElement!.closest('p,li,blockquote')?.textContent ?? '';
    });
    expect(saved).not.toBe('');
    await new Promise((r) => setTimeout(r, 300));
    await screenshot(page, 'firefox-2-toolbar-open');
    // Focus is on the toolbar's Save button: a real Enter saves.
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 20_000;
    let snippets: Record<string, unknown>[] = [];
    while (Date.now() < deadline && snippets.length === 0) {
      snippets = await storeRecords(control, 'snippets');
      if (snippets.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(snippets).toHaveLength(1);
    // The passage saved is the one the shortcut focused.
    const words = (t: string) => t.trim().split(/\s+/).slice(0, 8).join(' ');
    expect(words(String(snippets[0]!.passage))).toBe(words(saved));
    await screenshot(page, 'firefox-3-saved');
    await control.close();
    await page.close();

    const stats = await popupStats('firefox-4-popup');
    expect(stats.snippets).toBe(1);
    expect(stats.highlighted).toBeGreaterThan(0);
    await reviewShows(saved, 'firefox-5-review');
  });

  it('keeps the saved passage across a restart with the same profile', async () => {
    await session.close();
    session = await launchFirefox({ profileDir });
    const stats = await popupStats('firefox-6-popup-after-restart');
    expect(stats.snippets).toBe(1);
    await reviewShows(saved, 'firefox-7-review-after-restart');
  });
});
