/**
 * The `sync.*` handlers and the automatic-sync alarm: turning sync on sets the alarm, the
 * alarm syncs while sync is on, stopping clears it, and an alarm left after the link was
 * forgotten clears itself without a sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type TestWebDavServer } from '../../tests/webdav/server';
import { envelope, parseEnvelope } from '../../lib/protocol';
import { openReaderDB } from '../db';
import type { Handlers } from '../messaging';
import {
  createSyncHandlers,
  startSyncAlarm,
  withSyncAfterChanges,
  SYNC_AFTER_CHANGE_MINUTES,
  SYNC_ALARM,
  SYNC_PERIOD_MINUTES,
  SYNC_SOON_ALARM,
  type SyncAlarmsLike,
} from './handlers';

function fakeAlarms() {
  const alarms = new Map<string, { delayInMinutes?: number; periodInMinutes?: number }>();
  const listeners: ((a: { name: string }) => void)[] = [];
  const api: SyncAlarmsLike = {
    create: (name, info) => void alarms.set(name, info),
    clear: async (name) => alarms.delete(name),
    get: async (name) => (alarms.has(name) ? { name } : undefined),
    onAlarm: { addListener: (cb) => void listeners.push(cb) },
  };
  return { api, alarms, fire: (name: string) => listeners.forEach((l) => l({ name })) };
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('sync handlers and alarm', () => {
  let server: TestWebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ user: 'bo', password: 'pw' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('turning sync on sets the alarm, the alarm syncs, stopping clears it', async () => {
    const db = await openReaderDB({ name: 'sync-handlers-1' });
    const alarms = fakeAlarms();
    let ids = 0;
    let synced = 0;
    const deps = { db: async () => db, now: () => 1_000_000, randomId: () => `x${++ids}`, iterations: 1000, alarms: alarms.api, onSynced: () => void synced++ };
    const handlers = createSyncHandlers(deps);
    startSyncAlarm(deps);
    const sender = { id: 'ext' };
    expect((await handlers['sync.status']({}, sender)).configured).toBe(false);
    const on = await handlers['sync.configure']({ url: server.url, user: 'bo', password: 'pw', passphrase: 'a passphrase long enough' }, sender);
    expect(on).toEqual({ configured: true, url: server.url, user: 'bo', last: null });
    expect(alarms.alarms.get(SYNC_ALARM)).toEqual({ delayInMinutes: SYNC_PERIOD_MINUTES, periodInMinutes: SYNC_PERIOD_MINUTES });
    alarms.fire(SYNC_ALARM);
    for (let i = 0; i < 20 && synced === 0; i++) await settle(100);
    expect(synced).toBe(1);
    expect((await handlers['sync.status']({}, sender)).last?.ok).toBe(true);
    expect((await handlers['sync.now']({}, sender)).last?.ok).toBe(true);
    expect(synced).toBe(2);
    expect((await handlers['sync.stop']({}, sender)).configured).toBe(false);
    expect(alarms.alarms.has(SYNC_ALARM)).toBe(false);
  });

  it('an alarm with no link clears itself and syncs nothing', async () => {
    const db = await openReaderDB({ name: 'sync-handlers-2' });
    const alarms = fakeAlarms();
    let synced = 0;
    const deps = { db: async () => db, now: () => 1, randomId: () => 'y', alarms: alarms.api, onSynced: () => void synced++ };
    alarms.alarms.set(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
    startSyncAlarm(deps);
    alarms.fire(SYNC_ALARM);
    for (let i = 0; i < 20 && alarms.alarms.has(SYNC_ALARM); i++) await settle(50);
    expect(alarms.alarms.has(SYNC_ALARM)).toBe(false);
    expect(synced).toBe(0);
  });

  it('a change syncs soon while sync is on: one alarm for a burst, none when off or when the change failed', async () => {
    const db = await openReaderDB({ name: 'sync-handlers-3' });
    const alarms = fakeAlarms();
    let synced = 0;
    const deps = { db: async () => db, now: () => 2_000_000, randomId: () => 'z', iterations: 1000, alarms: alarms.api, onSynced: () => void synced++ };
    let marks = 0;
    const app = withSyncAfterChanges(
      {
        'word.mark': async () => {
          marks++;
          return { ok: true };
        },
        'settings.update': async () => {
          throw new Error('disk full');
        },
        'learner.get': async () => ({ ok: true }),
      } as unknown as Handlers<'word.mark' | 'settings.update' | 'learner.get'>,
      deps,
    );
    const sync = createSyncHandlers(deps);
    startSyncAlarm(deps);
    const sender = { id: 'ext' };
    const mark = () => app['word.mark']({ eventId: 'e', word: 'otter', lang: 'en', state: 'known' }, sender);

    // Sync off: a change schedules nothing.
    await mark();
    await settle(100);
    expect(alarms.alarms.has(SYNC_SOON_ALARM)).toBe(false);

    await sync['sync.configure']({ url: server.url, user: 'bo', password: 'pw', passphrase: 'a passphrase long enough' }, sender);
    // A read changes nothing; a failed change changed nothing.
    await app['learner.get']({}, sender);
    await expect(app['settings.update']({ patch: {} }, sender)).rejects.toThrow('disk full');
    await settle(100);
    expect(alarms.alarms.has(SYNC_SOON_ALARM)).toBe(false);

    await mark();
    for (let i = 0; i < 20 && !alarms.alarms.has(SYNC_SOON_ALARM); i++) await settle(50);
    expect(alarms.alarms.get(SYNC_SOON_ALARM)).toEqual({ delayInMinutes: SYNC_AFTER_CHANGE_MINUTES });
    // A later change does not push the pending sync further off.
    alarms.alarms.set(SYNC_SOON_ALARM, { delayInMinutes: 0.5 });
    await mark();
    await settle(100);
    expect(alarms.alarms.get(SYNC_SOON_ALARM)).toEqual({ delayInMinutes: 0.5 });
    expect(marks).toBe(3);

    alarms.alarms.delete(SYNC_SOON_ALARM);
    alarms.fire(SYNC_SOON_ALARM);
    for (let i = 0; i < 20 && synced === 0; i++) await settle(100);
    expect(synced).toBe(1);
    expect((await sync['sync.status']({}, sender)).last?.ok).toBe(true);

    await sync['sync.stop']({}, sender);
    await mark();
    await settle(100);
    expect(alarms.alarms.has(SYNC_SOON_ALARM)).toBe(false);
  });

  it('the protocol refuses an address that is not http(s) and a passphrase under 8 characters', () => {
    const ok = { url: 'https://cloud.example.org/remote.php/dav/files/ana/Reader/', user: 'ana', password: 'p', passphrase: '12345678' };
    expect(parseEnvelope(envelope('sync.configure', ok)).ok).toBe(true);
    expect(parseEnvelope(envelope('sync.configure', { ...ok, url: 'file:///etc/passwd' })).ok).toBe(false);
    expect(parseEnvelope(envelope('sync.configure', { ...ok, url: 'javascript:alert(1)' })).ok).toBe(false);
    expect(parseEnvelope(envelope('sync.configure', { ...ok, passphrase: '1234567' })).ok).toBe(false);
  });
});
