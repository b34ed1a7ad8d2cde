/**
 * Sync between browsers through a real WebDAV server on 127.0.0.1, set up the way the
 * learner does it: Settings -> Sync in each profile's options page (address, user, app token,
 * passphrase, "Turn on sync"). Each of two profiles saves a passage, marks a word and answers
 * its reviews offline first; after both sync (and the first once more), both hold the same
 * cards, due dates, review answers and word marks. A third profile with a wrong passphrase is
 * refused with its line and merges nothing; a new profile with the right one gets everything.
 *
 * Host access: "Turn on sync" asks the browser for the server's host (permissions.request,
 * in the click). The test build is already granted http(s)://127.0.0.1 (harness
 * `buildWithGrantedSites`, as for the sites the e2e tests read), so Chrome answers the
 * request without a prompt; a headless browser cannot click a permission prompt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startWebDavServer, type TestWebDavServer } from '../webdav/server';
import { extensionUrl, launch, type Session } from './harness';
import { SYNC_TOKEN, SYNC_USER, lastSyncFailed, learnerData, readOffline, readyOptions, reviewOffline, syncNowButton, syncSectionShot, turnOnSync, type LearnerData } from './lib/sync-profiles';

let server: TestWebDavServer;
const sessions: Session[] = [];

async function profile(): Promise<Page> {
  const session = await launch();
  sessions.push(session);
  const options = await session.browser.newPage();
  await options.setViewport({ width: 1000, height: 1000 });
  await options.goto(extensionUrl(session, 'options.html'));
  await readyOptions(options);
  return options;
}

beforeAll(async () => {
  server = await startWebDavServer({ user: SYNC_USER, password: SYNC_TOKEN });
});

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  await server?.stop();
});

let laptop: Page;
let desktop: Page;
let merged: LearnerData;
let answers = 0;

describe('sync through the learner’s WebDAV server', () => {
  it('two profiles that read and reviewed offline end with the same cards, due dates, reviews and word marks; a wrong passphrase merges nothing', async () => {
    laptop = await profile();
    desktop = await profile();
    await readOffline(laptop, 1, 'The heron stood still in the shallow water of the lake.', 'heron');
    await readOffline(desktop, 2, 'A kestrel hovered above the motorway verge at dawn.', 'kestrel');
    answers += await reviewOffline(laptop, 'laptop', 3);
    answers += await reviewOffline(desktop, 'desktop', 1);
    const before = { laptop: await learnerData(laptop), desktop: await learnerData(desktop) };
    expect(before.laptop.cards.length).toBeGreaterThan(0);
    expect(before.desktop.cards.length).toBeGreaterThan(0);
    // Every card was answered once, offline.
    expect(before.laptop.logs.length + before.desktop.logs.length).toBe(answers);
    expect(answers).toBe(before.laptop.cards.length + before.desktop.cards.length);

    expect(await turnOnSync(laptop, server.url)).toMatch(/: Nothing new from your other devices; this device’s changes sent\.$/);
    expect(await turnOnSync(desktop, server.url)).toMatch(/: 1 update from your other devices merged; this device’s changes sent\.$/);
    await syncSectionShot(desktop, 'sync-settings');
    expect(await syncNowButton(laptop)).toMatch(/1 update from your other devices merged/);

    merged = await learnerData(laptop);
    expect(await learnerData(desktop)).toEqual(merged);
    expect(merged.cards.map((c) => c.id)).toEqual([...before.laptop.cards, ...before.desktop.cards].map((c) => c.id).sort());
    // Each profile's answers, as given there: same ids, times and ratings, each once.
    expect(merged.logs).toEqual([...before.laptop.logs, ...before.desktop.logs].sort((a, b) => a.id.localeCompare(b.id)));
    // A card keeps the due date its answer gave it on the profile where it was answered.
    expect(merged.cards).toEqual([...before.laptop.cards, ...before.desktop.cards].sort((a, b) => a.id.localeCompare(b.id)));
    expect(merged.words).toEqual(expect.arrayContaining(['heron:known', 'kestrel:known']));

    const third = await profile();
    await readOffline(third, 3, 'The wren sang from the top of the hedge.', 'wren');
    const thirdBefore = await learnerData(third);
    expect(await turnOnSync(third, server.url, 'a passphrase that is not the one')).toMatch(/Wrong sync passphrase: nothing was merged/);
    expect(await lastSyncFailed(third)).toBe(true);
    expect(await learnerData(third)).toEqual(thirdBefore);
  }, 300_000);

  it('a new profile that joins with the right passphrase gets every card, due date, review answer and word mark', async () => {
    expect(merged.logs.length).toBe(answers);
    const joining = await profile();
    expect((await learnerData(joining)).cards).toEqual([]);
    expect(await turnOnSync(joining, server.url)).toMatch(/: 2 updates from your other devices merged; /);
    const joined = await learnerData(joining);
    expect(joined).toEqual(merged);
    // And the two first profiles still hold the same.
    expect(await learnerData(laptop)).toEqual(merged);
    expect(await learnerData(desktop)).toEqual(merged);
  }, 120_000);
});
