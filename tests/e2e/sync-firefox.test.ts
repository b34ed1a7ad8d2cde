/**
 * Sync between Firefox and Chromium: a Firefox ESR profile (the Firefox build, its background
 * page doing the sync) and a Chromium profile each save a passage, mark a word and answer
 * their reviews offline, turn sync on in Settings -> Sync against the same WebDAV server on
 * 127.0.0.1, and end with the same cards, due dates, review answers and word marks.
 *
 * Host access: both test builds are granted 127.0.0.1 in their manifest (harness
 * `buildWithGrantedSites`; Firefox grants an MV3 build's host permissions at install), so
 * "Turn on sync"'s request for the server's host is answered without a prompt in either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startWebDavServer, type TestWebDavServer } from '../webdav/server';
import { extensionUrl, launch, type Session } from './harness';
import { launchFirefox, openFirefoxExtensionPage, type FirefoxSession } from './firefox-harness';
import { SYNC_TOKEN, SYNC_USER, learnerData, readOffline, readyOptions, reviewOffline, syncNowButton, syncSectionShot, turnOnSync } from './lib/sync-profiles';

let server: TestWebDavServer;
let chromium: Session | undefined;
let firefox: FirefoxSession | undefined;

beforeAll(async () => {
  server = await startWebDavServer({ user: SYNC_USER, password: SYNC_TOKEN });
});

afterAll(async () => {
  await chromium?.close().catch(() => {});
  await firefox?.close().catch(() => {});
  await server?.stop();
});

async function chromiumOptions(): Promise<Page> {
  chromium = await launch();
  const options = await chromium.browser.newPage();
  await options.setViewport({ width: 1000, height: 900 });
  await options.goto(extensionUrl(chromium, 'options.html'));
  await readyOptions(options);
  return options;
}

async function firefoxOptions(): Promise<Page> {
  firefox = await launchFirefox();
  const options = await firefox.browser.newPage();
  await options.setViewport({ width: 1000, height: 900 });
  await openFirefoxExtensionPage(options, 'options.html');
  await readyOptions(options, () => openFirefoxExtensionPage(options, 'options.html'));
  return options;
}

describe('sync between Firefox and Chromium', () => {
  it('a Firefox profile and a Chromium profile that read and reviewed offline end with the same cards, due dates, reviews and word marks', async () => {
    const fox = await firefoxOptions();
    const chrome = await chromiumOptions();
    await readOffline(fox, 1, 'The heron stood still in the shallow water of the lake.', 'heron');
    await readOffline(chrome, 2, 'A kestrel hovered above the motorway verge at dawn.', 'kestrel');
    await reviewOffline(fox, 'firefox', 3);
    await reviewOffline(chrome, 'chromium', 1);
    const before = { fox: await learnerData(fox), chrome: await learnerData(chrome) };
    expect(before.fox.cards.length).toBeGreaterThan(0);
    expect(before.fox.logs.length).toBe(before.fox.cards.length);

    expect(await turnOnSync(fox, server.url)).toMatch(/: Nothing new from your other devices; this device’s changes sent\.$/);
    await syncSectionShot(fox, 'sync-firefox-1-on');
    expect(await turnOnSync(chrome, server.url)).toMatch(/: 1 update from your other devices merged; this device’s changes sent\.$/);
    expect(await syncNowButton(fox)).toMatch(/: 1 update from your other devices merged; /);
    await syncSectionShot(fox, 'sync-firefox-2-merged');

    const a = await learnerData(fox);
    expect(await learnerData(chrome)).toEqual(a);
    expect(a.cards).toEqual([...before.fox.cards, ...before.chrome.cards].sort((x, y) => x.id.localeCompare(y.id)));
    expect(a.logs).toEqual([...before.fox.logs, ...before.chrome.logs].sort((x, y) => x.id.localeCompare(y.id)));
    expect(a.words).toEqual(expect.arrayContaining(['heron:known', 'kestrel:known']));
  }, 240_000);
});
