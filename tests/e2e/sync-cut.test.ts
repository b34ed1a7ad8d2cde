/**
 * A sync cut off mid-upload in the browser: the learner's server goes away while a profile's
 * first segment is half sent (tests/webdav/upload-cut.ts lets half of that PUT's body through,
 * drops the connection and stops answering). Settings -> Sync says the sync failed, as an
 * alert; once the server is back, "Sync now" completes, and nothing is doubled: the other
 * profile ends with each card and review answer once, and the server holds exactly one whole
 * copy of the segment (no second number for it, no half-written leftover).
 *
 * Host access as in sync.test.ts: the test build is granted 127.0.0.1, whatever the port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { emptySyncState } from '../../lib/sync-log';
import { openAccount, pullSegments } from '../../lib/sync-remote';
import { createWebDavClient } from '../../lib/webdav';
import { startWebDavServer, type TestWebDavServer } from '../webdav/server';
import { startUploadCuttingFront, type UploadCuttingFront } from '../webdav/upload-cut';
import { extensionUrl, launch, type Session } from './harness';
import { SYNC_PASSPHRASE, SYNC_TOKEN, SYNC_USER, lastSyncFailed, learnerData, readOffline, readyOptions, reviewOffline, syncNowButton, syncSectionShot, turnOnSync } from './lib/sync-profiles';

let server: TestWebDavServer;
let front: UploadCuttingFront;
const sessions: Session[] = [];

async function profile(): Promise<Page> {
  const session = await launch();
  sessions.push(session);
  const options = await session.browser.newPage();
  await options.setViewport({ width: 1000, height: 900 });
  await options.goto(extensionUrl(session, 'options.html'));
  await readyOptions(options);
  return options;
}

beforeAll(async () => {
  server = await startWebDavServer({ user: SYNC_USER, password: SYNC_TOKEN });
  front = await startUploadCuttingFront(server);
});

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  await front?.close();
  await server?.stop();
});

describe('a sync cut off half-way through an upload', () => {
  it('fails with its line, completes with "Sync now" once the server is back, and doubles nothing', async () => {
    // Straight to the server (not through the front): what it holds.
    const direct = createWebDavClient({ baseUrl: server.url, user: SYNC_USER, password: SYNC_TOKEN });
    const laptop = await profile();
    const desktop = await profile();
    await readOffline(laptop, 1, 'The heron stood still in the shallow water of the lake.', 'heron');
    await readOffline(desktop, 2, 'A kestrel hovered above the motorway verge at dawn.', 'kestrel');
    await reviewOffline(laptop, 'laptop', 3);
    await reviewOffline(desktop, 'desktop', 2);
    const before = { laptop: await learnerData(laptop), desktop: await learnerData(desktop) };
    expect(await turnOnSync(laptop, front.url)).toMatch(/: Nothing new from your other devices; this device’s changes sent\.$/);

    const cutting = front.cutNextUpload('/segments/', 0.5);
    const failed = await turnOnSync(desktop, front.url);
    const cut = await cutting;
    expect(cut.passed).toBeLessThan(cut.total);
    expect(failed).toMatch(/The server could not be reached/);
    expect(await lastSyncFailed(desktop)).toBe(true);
    await syncSectionShot(desktop, 'sync-cut-1-failed');
    // The desktop's first segment, cut off: the server holds no whole copy of it yet.
    const [, device, file] = /\/segments\/([^/]+)\/([^/]+)\.part$/.exec(cut.path) ?? [];
    expect(file).toBe('00000001.arsy');
    // Only what the cut upload left under its temporary name, which the server started to write.
    expect((await direct.list(`segments/${device}`, { withTemporary: true })).map((e) => e.name)).toEqual(['00000001.arsy.part']);

    await front.restart();
    expect(await syncNowButton(desktop)).toMatch(/: 1 update from your other devices merged; this device’s changes sent\.$/);
    expect(await lastSyncFailed(desktop)).toBe(false);
    await syncSectionShot(desktop, 'sync-cut-2-recovered');
    expect(await syncNowButton(laptop)).toMatch(/: 1 update from your other devices merged; nothing new to send\.$/);

    // Each card and each answer once, on both.
    const a = await learnerData(laptop);
    expect(await learnerData(desktop)).toEqual(a);
    expect(a.cards.map((c) => c.id)).toEqual([...before.laptop.cards, ...before.desktop.cards].map((c) => c.id).sort());
    expect(a.logs).toEqual([...before.laptop.logs, ...before.desktop.logs].sort((x, y) => x.id.localeCompare(y.id)));
    expect(a.logs.length).toBe(a.cards.length);

    // One whole copy of the segment that was cut: under its one number, no leftover of the
    // cut upload, and it opens (sealed files are authenticated: a partial one would not) with
    // each of the desktop's cards and answers in it once.
    const held = await direct.list(`segments/${device}`, { withTemporary: true });
    expect(held.map((e) => e.name)).toEqual(['00000001.arsy']);
    const account = await openAccount(direct, SYNC_PASSPHRASE, { now: Date.now() });
    const pulled = await pullSegments(account, emptySyncState());
    expect(pulled.refused).toEqual([]);
    expect(pulled.segments).toHaveLength(2);
    const ours = pulled.segments.filter((s) => s.device === device);
    expect(ours.map((s) => s.seq)).toEqual([1]);
    const segment = ours[0]!;
    expect(new Set(segment.events.map((e) => e.id)).size).toBe(segment.events.length);
    const sent = (kind: string, idOf: (e: Record<string, unknown>) => unknown) =>
      (segment.events as unknown as Record<string, unknown>[]).filter((e) => e.kind === kind).map((e) => String(idOf(e))).sort();
    expect(sent('card', (e) => (e.card as { id: string }).id)).toEqual(before.desktop.cards.map((c) => c.id).sort());
    expect(sent('review', (e) => e.cardId)).toEqual(before.desktop.logs.map((l) => l.cardId).sort());
  }, 240_000);
});
