/**
 * With sync on, the extension talks to the learner's chosen server and to nothing else.
 *
 * One Chromium profile reads an article (highlights come, so the encoder and the service
 * worker are busy), saves a passage, turns sync on in Settings and syncs. Every request of
 * every extension context is recorded through DevTools (tests/e2e/lib/network-recorder.ts)
 * and through Chromium's net log: the ones that leave chrome-extension:// go to the WebDAV
 * server's origin only, and some do (the sync really went over the network). The article is
 * served from another origin on the same host, so "the server's origin" tells them apart.
 *
 * The popup then says when this device synced, and after the server goes away and a sync
 * fails, that it failed and why.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type TestWebDavServer } from '../webdav/server';
import { ROOT, ask, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { readNetLog, recordNetwork, type NetworkRecorder } from './lib/network-recorder';
import { waitForHighlights } from './lib/page-probes';
import { SYNC_TOKEN, SYNC_USER, readyOptions, syncNowButton, turnOnSync } from './lib/sync-profiles';

const netLogPath = join(mkdtempSync(join(tmpdir(), 'attention-reader-sync-netlog-')), 'netlog.json');

let pages: Awaited<ReturnType<typeof serve>>;
let dav: TestWebDavServer;
let session: Session;
let recorder: NetworkRecorder;
let options: Page;

beforeAll(async () => {
  pages = await serve(join(ROOT, 'tests/fixtures'));
  dav = await startWebDavServer({ user: SYNC_USER, password: SYNC_TOKEN });
  session = await launch({ extraArgs: [`--log-net-log=${netLogPath}`, '--net-log-capture-mode=Default'] });
  recorder = await recordNetwork(session.browser);
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await dav?.stop();
  await pages?.close();
});

async function popupSyncLine(): Promise<{ state: string | null; text: string }> {
  const popup = await session.browser.newPage();
  await popup.setViewport({ width: 400, height: 700 });
  await popup.goto(extensionUrl(session, 'popup.html'));
  const line = await popup.waitForSelector('.sync-line', { timeout: 15_000 });
  const result = await line!.evaluate((e) => ({ state: e.getAttribute('data-sync'), text: e.textContent ?? '' }));
  await screenshot(popup, `sync-popup-${result.state}`);
  await popup.close();
  return result;
}

describe('sync on: requests go to the chosen server only', () => {
  it('reads a page, saves a passage and syncs', async () => {
    options = await session.browser.newPage();
    await options.setViewport({ width: 1000, height: 1000 });
    await options.goto(extensionUrl(session, 'options.html'));
    await readyOptions(options);

    const page = await session.browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(`${pages.origin}/article.html`);
    await waitForHighlights(page, 60_000);
    const passage = await page.$eval('p', (p) => p.textContent ?? '');
    await ask(options, 'snippet.save', { eventId: 'save-privacy', url: `${pages.origin}/article.html`, title: 'Article', lang: 'en', text: passage, context: passage, paragraphId: null, markedWords: [] });

    // The options tab in front again: a background tab does not render, and its buttons cannot be clicked.
    await options.bringToFront();
    expect(await turnOnSync(options, dav.url)).toMatch(/this device’s changes sent\.$/);
    expect(await syncNowButton(options)).toMatch(/nothing new to send\.$/);
  }, 180_000);

  it('the popup says when this device synced', async () => {
    expect(await popupSyncLine()).toEqual({ state: 'ok', text: 'Synced with your server now.' });
  }, 60_000);

  it('no extension context made a request anywhere but chrome-extension:// URLs and the sync server', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const requests = [...recorder.requests];
    await recorder.stop();
    const ours = requests.filter((r) => r.context === 'extension' || r.context === 'content-script');
    const outside = ours.filter((r) => !r.url.startsWith('chrome-extension://'));
    const davOrigin = new URL(dav.url).origin;
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((r) => !r.url.startsWith(`${davOrigin}/`)).map((r) => `${r.context}/${r.target}: ${r.url}`)).toEqual([]);
  });

  it('the popup says that a sync failed, and why, when the server is gone', async () => {
    await dav.stop();
    await options.bringToFront();
    expect(await syncNowButton(options)).toMatch(/could not be reached/);
    const line = await popupSyncLine();
    expect(line.state).toBe('failed');
    expect(line.text).toMatch(/^Sync failed \(now\): The server could not be reached.*Sync settings$/);
  }, 120_000);

  it("the browser's net log agrees: what the extension started went to the sync server only", async () => {
    await session.close();
    const davOrigin = new URL(dav.url).origin;
    const fromExtension = readNetLog(netLogPath).filter((r) => r.initiator.startsWith('chrome-extension:'));
    expect(fromExtension.length).toBeGreaterThan(0);
    expect(fromExtension.filter((r) => !r.url.startsWith(`${davOrigin}/`)).map((r) => r.url)).toEqual([]);
  });
});
