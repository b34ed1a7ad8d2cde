/**
 * Host access is the learner's to give. The build as shipped has none at install: it reads no
 * page and cannot script one. With one site granted (what "Turn on for this site" leaves
 * behind; see harness `buildWithGrantedSites` for why the grant is made in the manifest
 * copy), the reader is registered for that site only: its pages are read, the same pages
 * under another host name are not, and asking to read a page already being read does not
 * start a second reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope } from '../../lib/protocol';
import { EXTENSION_DIR, ROOT, TEST_SITES, extensionUrl, highlightCounts, launch, screenshot, sendFrom, serve, type Session } from './harness';
import { openExtensionPage } from './lib/extension-pages';
import { UI_HOST_SELECTOR, waitForHighlights, waitForSettledHighlights } from './lib/page-probes';

let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
});
afterAll(async () => {
  await server?.close();
});

interface Registered {
  id: string;
  matches?: string[];
}
type ChromeApis = {
  chrome: {
    scripting: { getRegisteredContentScripts(): Promise<Registered[]> };
    permissions: { getAll(): Promise<{ origins?: string[]; permissions?: string[] }> };
    tabs: { query(q: object): Promise<Array<{ id?: number }>> };
  };
};

async function grantsAndScripts(session: Session): Promise<{ origins: string[]; scripts: Registered[] }> {
  const worker = await session.worker();
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as ChromeApis;
    const origins = (await chrome.permissions.getAll()).origins ?? [];
    const scripts = (await chrome.scripting.getRegisteredContentScripts()).map(({ id, matches }) => ({ id, matches }));
    return { origins, scripts };
  });
}

/** What the reader left on a page: highlight ranges and its own UI host element. */
async function readerTraces(page: Page): Promise<{ highlights: number; uiHosts: number }> {
  const counts = await highlightCounts(page);
  const highlights = Object.entries(counts)
    .filter(([name]) => name.startsWith('attention-reader-'))
    .reduce((sum, [, n]) => sum + n, 0);
  return { highlights, uiHosts: await page.$$eval(UI_HOST_SELECTOR, (els) => els.length) };
}

/** Asks the background to start the reader on the front tab, as the popup's "Read this page only" does. */
async function readFrontTab(session: Session, control: Page): Promise<unknown> {
  const worker = await session.worker();
  const tabId = await worker.evaluate(async () => (await (globalThis as unknown as ChromeApis).chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
  // The raw reply: a refusal is part of what is checked.
  return sendFrom(control, envelope('site.read', { tabId: tabId! }));
}

describe('as installed, with no site granted', () => {
  let session: Session;
  beforeAll(async () => {
    session = await launch({ grantedSites: [] });
  });
  afterAll(async () => {
    await session?.close().catch(() => {});
  });

  it('asks for no host access at install and registers no reader', async () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).not.toHaveProperty('host_permissions');
    expect(manifest).not.toHaveProperty('content_scripts');
    expect(manifest.optional_host_permissions).toEqual(['*://*/*']);
    expect(manifest.permissions).toEqual(expect.arrayContaining(['activeTab', 'scripting']));
    expect(await grantsAndScripts(session)).toEqual({ origins: [], scripts: [] });
  });

  it('leaves pages alone: nothing read, nothing drawn, and no way to script them without a grant', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(`${server.origin}/article.html`, { waitUntil: 'load' });
    await page.bringToFront();
    // Long enough for a registered reader to have drawn highlights (about a second here).
    await new Promise((r) => setTimeout(r, 3000));
    expect(await readerTraces(page)).toEqual({ highlights: 0, uiHosts: 0 });

    const control = await openExtensionPage(session);
    await page.bringToFront();
    const summary = await sendFrom(control, envelope('page.summary', { url: `${server.origin}/article.html` }));
    expect(summary).toMatchObject({ ok: true, value: { known: false } });
    // Without the toolbar click's activeTab grant, "read this page" is refused by the browser.
    const reply = (await readFrontTab(session, control)) as { ok: boolean; error?: string };
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/Cannot access|permission/i);
    expect(await readerTraces(page)).toEqual({ highlights: 0, uiHosts: 0 });
    await screenshot(page, 'site-access-1-not-granted');
    await control.close();
    await page.close();
  });
});

describe('with one site granted', () => {
  let session: Session;
  beforeAll(async () => {
    session = await launch();
  });
  afterAll(async () => {
    await session?.close().catch(() => {});
  });

  it('registers the reader for that site only', async () => {
    const { origins, scripts } = await grantsAndScripts(session);
    expect(origins).toEqual([...TEST_SITES]);
    expect(scripts).toEqual([
      { id: 'reader-colours', matches: [...TEST_SITES] },
      { id: 'reader', matches: [...TEST_SITES] },
    ]);
  });

  it('reads pages of the granted site and not the same pages under another host name', async () => {
    const granted = await session.browser.newPage();
    await granted.setViewport({ width: 1100, height: 900 });
    await granted.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
    await waitForHighlights(granted, 90_000);
    // The first screen is painted first; the rest of the page follows.
    await waitForSettledHighlights(granted, 2_000, 60_000);
    const read = await readerTraces(granted);
    expect(read.highlights).toBeGreaterThan(0);
    expect(read.uiHosts).toBe(1);

    // The same server, reached as localhost: another site to the browser, not granted.
    const other = await session.browser.newPage();
    await other.setViewport({ width: 1100, height: 900 });
    await other.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/article.html`, { waitUntil: 'load' });
    await other.bringToFront();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await readerTraces(other)).toEqual({ highlights: 0, uiHosts: 0 });
    await screenshot(other, 'site-access-2-other-site-untouched');
    await other.close();

    // "Read this page" on a page already being read starts no second reader.
    await granted.bringToFront();
    const control = await openExtensionPage(session);
    await granted.bringToFront();
    expect(await readFrontTab(session, control)).toEqual({ ok: true, value: { started: false } });
    expect(await readerTraces(granted)).toEqual(read);
    await control.close();
    await granted.close();
  });

  it('stops a reader and clears its page when access to its site is taken back', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
    await waitForHighlights(page, 90_000);
    const worker = await session.worker();
    // What the background sends every tab after permissions.onRemoved (a required grant of this
    // test build cannot really be removed, so the message is sent as the background sends it).
    const tell = (removed: string[], granted: string[]) =>
      worker.evaluate(
        async (message: unknown) => {
          const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id?: number }>>; sendMessage(id: number, m: unknown): Promise<unknown> } } }).chrome;
          const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
          return c.tabs.sendMessage(tab!.id!, message);
        },
        envelope('reader.stop', { removed, granted }) as unknown,
      );
    await page.bringToFront();
    // Another site taken back: this page goes on.
    expect(await tell(['*://other.example/*'], [...TEST_SITES])).toEqual({ ok: true, value: { stopped: false } });
    expect((await readerTraces(page)).highlights).toBeGreaterThan(0);
    // This site taken back: highlights and controls go, and the page is as it was.
    expect(await tell([...TEST_SITES], [])).toEqual({ ok: true, value: { stopped: true } });
    expect(await readerTraces(page)).toEqual({ highlights: 0, uiHosts: 0 });
    await screenshot(page, 'site-access-3-stopped');

    // "Read this page only" starts the reader again on this one tab, by injection (the same
    // files the registration uses), with its colours and controls.
    const control = await openExtensionPage(session);
    await page.bringToFront();
    expect(await readFrontTab(session, control)).toEqual({ ok: true, value: { started: true } });
    await waitForHighlights(page, 30_000);
    const again = await readerTraces(page);
    expect(again.highlights).toBeGreaterThan(0);
    expect(again.uiHosts).toBe(1);
    await screenshot(page, 'site-access-3b-read-once');
    await control.close();
    await page.close();
  });

  it('shows the site as on in the popup opened over its page', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
    await page.bringToFront();
    const worker = await session.worker();
    await worker.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
    const popup = (await (await session.browser.waitForTarget((t) => t.url() === extensionUrl(session, 'popup.html'))).asPage())!;
    await popup.waitForSelector('.site-access[data-access="site"]');
    expect(await popup.$eval('.site-access', (e) => e.textContent)).toMatch(/On for 127\.0\.0\.1\..*Turn off for 127\.0\.0\.1.*Pause on 127\.0\.0\.1/);
    await popup.$eval('.site-access', (e) => e.scrollIntoView());
    await screenshot(popup, 'site-access-4-popup-site-on');
    await popup.close().catch(() => {});
    await page.close();
  });
});
