/**
 * Sync turned on, run and stopped through the stored link, against a real WebDAV server: the
 * outcome lines the settings page shows, and backups that leave the link (credentials,
 * passphrase, sync state) out and still restore after a sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type TestWebDavServer } from '../../tests/webdav/server';
import { createLearner, markWord } from '../../lib/learner';
import { cardsFromSnippet } from '../../lib/review';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { createSnippet } from '../../lib/snippet';
import { openReaderDB, type CardRecord, type ReaderDatabase, type SnippetRecord } from '../db';
import { exportBackup, importBackup } from '../service/data';
import { KEYS } from '../service/state';
import { DEVICE_LOCAL_KV_KEYS, SYNC_CONFIG_KEY } from './device-keys';
import { configureSync, runSync, stopSync, syncStatus, SyncRefused, type SyncLinkDeps } from './link';

const T0 = Date.UTC(2026, 6, 1, 9);
const PASSWORD = 'app-token-7Qx';
const PASSPHRASE = 'seven swans over the frozen lake';
let dbs = 0;
let ids = 0;

async function deviceWithData(passage: string, word: string): Promise<ReaderDatabase> {
  const db = await openReaderDB({ name: `sync-link-${++dbs}` });
  const snippet = createSnippet({ passage, marks: [], url: `https://example.org/${dbs}`, title: 't', lang: 'en', createdAt: T0 });
  await db.put('snippets', snippet as unknown as SnippetRecord);
  for (const card of cardsFromSnippet(snippet, T0)) await db.put('cards', card as unknown as CardRecord);
  await db.put('kv', { key: KEYS.settings, value: { ...DEFAULT_SETTINGS, onboarded: true } });
  await db.put('kv', { key: KEYS.learner, value: markWord(createLearner({ targetLang: 'en', nativeLang: 'de', now: T0 }), word, 'known', T0) });
  return db;
}

describe('the sync link', () => {
  let server: TestWebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ user: 'ana', password: PASSWORD });
  });
  afterAll(async () => {
    await server.stop();
  });
  const depsFor = (db: ReaderDatabase, at = T0): SyncLinkDeps => ({ db: async () => db, now: () => at, randomId: () => `id${++ids}`, iterations: 1000 });
  const input = (over: Partial<{ url: string; user: string; password: string; passphrase: string }> = {}) => ({ url: server.url, user: 'ana', password: PASSWORD, passphrase: PASSPHRASE, ...over });

  it('refuses an address that is not http(s), and a short passphrase', async () => {
    const deps = depsFor(await deviceWithData('A fox.', 'fox'));
    await expect(configureSync(deps, input({ url: 'ftp://example.org/dav' }))).rejects.toThrow(SyncRefused);
    await expect(configureSync(deps, input({ url: 'javascript:alert(1)' }))).rejects.toThrow(/https/);
    await expect(configureSync(deps, input({ url: 'http://192.168.1.20/dav/' }))).rejects.toThrow(/unencrypted/);
    await expect(configureSync(deps, input({ passphrase: 'short' }))).rejects.toThrow(/8 characters/);
    expect((await syncStatus(deps)).configured).toBe(false);
  });

  it('two devices sync through the link; the status never shows the password or passphrase', async () => {
    const laptop = depsFor(await deviceWithData('The heron waited in the reeds.', 'heron'), T0 + 1000);
    const desktop = depsFor(await deviceWithData('The swift flew over the barn.', 'swift'), T0 + 2000);
    await configureSync(laptop, input());
    await configureSync(desktop, input());
    expect((await runSync(laptop)).last).toEqual({ at: T0 + 1000, ok: true, line: 'Nothing new from your other devices; this device’s changes sent.' });
    const second = await runSync(desktop);
    expect(second.last?.line).toBe('1 update from your other devices merged; this device’s changes sent.');
    await runSync(laptop);
    const cardsOf = async (d: SyncLinkDeps) => (await (await d.db()).getAllKeys('cards')).sort();
    expect(await cardsOf(laptop)).toEqual(await cardsOf(desktop));
    expect((await cardsOf(laptop)).length).toBeGreaterThanOrEqual(2);
    const status = JSON.stringify(await syncStatus(laptop));
    expect(status).not.toContain(PASSWORD);
    expect(status).not.toContain(PASSPHRASE);
  });

  it('a wrong passphrase, a wrong password and an unreachable server each give their line, and merge nothing', async () => {
    const seed = depsFor(await deviceWithData('Snow fell on the hills.', 'snow'));
    await configureSync(seed, input());
    expect((await runSync(seed)).last?.ok).toBe(true);
    const other = depsFor(await deviceWithData('Rain on the roof.', 'rain'));
    const before = (await (await other.db()).getAllKeys('cards')).sort();
    await configureSync(other, input({ passphrase: 'not the passphrase at all' }));
    expect((await runSync(other)).last).toMatchObject({ ok: false, line: expect.stringMatching(/^Wrong sync passphrase: nothing was merged/) });
    await configureSync(other, input({ password: 'wrong' }));
    expect((await runSync(other)).last?.line).toMatch(/\(401\): check the user name and password/);
    await configureSync(other, input({ url: 'http://127.0.0.1:1/dav/' }));
    expect((await runSync(other)).last?.line).toMatch(/could not be reached/);
    expect((await (await other.db()).getAllKeys('cards')).sort()).toEqual(before);
    // The outcome is kept for the settings page.
    expect((await syncStatus(other)).last?.ok).toBe(false);
  });

  it('a backup taken after a sync holds no credentials nor sync state, restores on a new device, and leaves the link of the device it is restored on', async () => {
    const device = depsFor(await deviceWithData('The otter slid into the river.', 'otter'));
    await configureSync(device, input());
    expect((await runSync(device)).last?.ok).toBe(true);
    const db = await device.db();
    for (const key of DEVICE_LOCAL_KV_KEYS) expect(await db.get('kv', key)).toBeDefined();
    const clock = { now: () => T0, tzOffsetMinutes: () => 0 };
    const json = (await exportBackup({ db: device.db, clock })).parts.join('');
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(PASSPHRASE);
    for (const key of DEVICE_LOCAL_KV_KEYS) expect(json).not.toContain(`"${key}"`);

    const fresh = await openReaderDB({ name: `sync-link-${++dbs}` });
    const restored = await importBackup({ db: async () => fresh }, { json });
    expect(restored.restored.cards).toBe((await db.getAllKeys('cards')).length);
    expect(await fresh.get('kv', SYNC_CONFIG_KEY)).toBeUndefined();

    // Restored on the synced device itself: the data is replaced, the link stays, and sync goes on.
    const link = await db.get('kv', SYNC_CONFIG_KEY);
    await importBackup({ db: device.db }, { json });
    expect(await db.get('kv', SYNC_CONFIG_KEY)).toEqual(link);
    expect((await runSync(device)).last?.ok).toBe(true);
  });

  it('stopping forgets the link and its credentials, and keeps the data', async () => {
    const device = depsFor(await deviceWithData('A wren sang.', 'wren'));
    await configureSync(device, input());
    await runSync(device);
    const db = await device.db();
    const cards = await db.getAllKeys('cards');
    expect(await stopSync(device)).toEqual({ configured: false, url: null, user: null, last: null });
    for (const key of DEVICE_LOCAL_KV_KEYS) expect(await db.get('kv', key)).toBeUndefined();
    expect(await db.getAllKeys('cards')).toEqual(cards);
    expect((await runSync(device).catch((e: unknown) => e)) instanceof SyncRefused).toBe(true);
  });
});
