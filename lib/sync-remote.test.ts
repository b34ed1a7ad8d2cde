import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cutFirstUpload } from '../tests/webdav/faults';
import { startWebDavServer, type TestWebDavServer } from '../tests/webdav/server';
import { SyncError } from './sync-error';
import { applySegments, emptySyncState, makeSegment, mergeSegment, sameState, type SyncEvent } from './sync-log';
import { openAccount, pullLatestSnapshot, pullSegments, pushSegment, pushSnapshot, segmentPath, type SyncAccount } from './sync-remote';
import { createWebDavClient, type WebDavClient } from './webdav';

const ITERATIONS = 1_000;
const T0 = Date.UTC(2026, 2, 1, 9);
const PASSPHRASE = 'Lesen ist Abenteuer im Kopf';

const word = (id: string, device: string, at: number, key: string, state: 'known' | 'learning'): SyncEvent => ({ id, device, at, kind: 'word', key, form: key, state });
const setting = (id: string, device: string, at: number, field: string, value: unknown): SyncEvent => ({ id, device, at, kind: 'setting', field, value });

describe('sync through a WebDAV server', () => {
  let server: TestWebDavServer;
  let folder = 0;
  let base: string;
  beforeAll(async () => {
    server = await startWebDavServer({ user: 'ana', password: 'token' });
  });
  afterAll(async () => {
    await server.stop();
  });
  // Each test gets its own sync folder on the server.
  beforeEach(() => {
    base = server.url.replace(/sync\/$/, `sync-${++folder}/`);
  });
  const client = (f?: typeof fetch): WebDavClient => createWebDavClient({ baseUrl: base, user: 'ana', password: 'token', timeoutMs: 5000, ...(f ? { fetch: f } : {}) });
  const account = (passphrase = PASSPHRASE, c = client()) => openAccount(c, passphrase, { now: T0, iterations: ITERATIONS });

  it('two devices exchange their segments and end with the same state', async () => {
    const laptop = await account();
    const desktop = await account();
    let laptopState = emptySyncState();
    let desktopState = emptySyncState();
    const a = makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'fuchs', 'learning'), setting('a2', 'laptop', T0, 'dailyMinutes', 30)]);
    const b = makeSegment('desktop', 1, [word('b1', 'desktop', T0 + 5, 'fuchs', 'known'), setting('b2', 'desktop', T0 + 5, 'highlightDensity', 'many')]);
    // Each device merges its own segment when it writes it.
    mergeSegment(laptopState, a);
    mergeSegment(desktopState, b);
    expect(await pushSegment(laptop, a)).toBeGreaterThan(0);
    await pushSegment(desktop, b);
    const forLaptop = await pullSegments(laptop, laptopState);
    const forDesktop = await pullSegments(desktop, desktopState);
    expect(forLaptop.segments.map((s) => `${s.device}/${s.seq}`)).toEqual(['desktop/1']);
    expect(forDesktop.segments.map((s) => `${s.device}/${s.seq}`)).toEqual(['laptop/1']);
    laptopState = applySegments(laptopState, forLaptop.segments);
    desktopState = applySegments(desktopState, forDesktop.segments);
    expect(sameState(laptopState, desktopState)).toBe(true);
    expect(laptopState.words.get('fuchs')!.state).toBe('known');
    expect([...laptopState.settings.keys()].sort()).toEqual(['dailyMinutes', 'highlightDensity']);
    // Nothing new: nothing read.
    expect((await pullSegments(laptop, laptopState)).segments).toEqual([]);
  });

  it('two devices setting up the account at the same moment agree on one salt', async () => {
    // The desktop finds no account, then waits with its upload until the laptop has set one up.
    let sawNoAccount!: () => void;
    const desktopLooked = new Promise<void>((r) => (sawNoAccount = r));
    let laptopDone!: () => void;
    const laptopFinished = new Promise<void>((r) => (laptopDone = r));
    const slowDesktop: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') await laptopFinished;
      const response = await fetch(input, init);
      if (init?.method === 'GET' && response.status === 404) sawNoAccount();
      return response;
    };
    const desktopSetup = account(PASSPHRASE, client(slowDesktop));
    await desktopLooked;
    const laptop = await account();
    laptopDone();
    const desktop = await desktopSetup;
    expect(Buffer.from(desktop.key.params.salt).equals(Buffer.from(laptop.key.params.salt))).toBe(true);
    await pushSegment(laptop, makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'fuchs', 'known')]));
    expect((await pullSegments(desktop, emptySyncState())).segments).toHaveLength(1);
  });

  it('the server holds only ciphertext', async () => {
    const laptop = await account();
    await pushSegment(laptop, makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'geheimnis', 'learning')]));
    const raw = await client().get(segmentPath('laptop', 1));
    expect(Buffer.from(raw!).includes(Buffer.from('geheimnis'))).toBe(false);
    expect(Buffer.from(raw!).includes(Buffer.from('laptop'))).toBe(false);
  });

  it('a wrong passphrase is refused when the account is opened, before anything is read', async () => {
    const laptop = await account();
    await pushSegment(laptop, makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'fuchs', 'known')]));
    await expect(account('Lesen ist Abenteuer im Kopf!')).rejects.toSatisfy((e) => e instanceof SyncError && e.code === 'wrong-passphrase');
    // The right one still works afterwards.
    const desktop = await account();
    expect((await pullSegments(desktop, emptySyncState())).segments).toHaveLength(1);
  });

  it('a damaged, foreign or misplaced segment is refused and reported; other devices are still read, the broken device not past it', async () => {
    const laptop = await account();
    const c = client();
    await pushSegment(laptop, makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'fuchs', 'known')]));
    await pushSegment(laptop, makeSegment('laptop', 2, [word('a2', 'laptop', T0, 'vogel', 'known')]));
    await pushSegment(laptop, makeSegment('phone', 1, [word('p1', 'phone', T0, 'schnee', 'known')]));
    await pushSegment(laptop, makeSegment('phone', 3, [word('p3', 'phone', T0, 'eis', 'known')]));
    // The server (or another program) puts a foreign file where phone's segment 2 belongs.
    await c.put(segmentPath('phone', 2), new TextEncoder().encode('not ours'));
    // And laptop's segment 1 is copied over its segment 2.
    await c.put(segmentPath('laptop', 2), (await c.get(segmentPath('laptop', 1)))!);
    const pulled = await pullSegments(await account(), emptySyncState());
    expect(pulled.segments.map((s) => `${s.device}/${s.seq}`).sort()).toEqual(['laptop/1', 'phone/1']);
    expect(pulled.refused.map((r) => [r.path, r.error.code]).sort()).toEqual([
      [segmentPath('laptop', 2), 'corrupt'],
      [segmentPath('phone', 2), 'corrupt'],
    ]);
  });

  it('an upload cut off half-way is not seen by others, and its retry is merged exactly once', async () => {
    const laptop = await account();
    const first = makeSegment('laptop', 1, [word('a1', 'laptop', T0, 'fuchs', 'known')]);
    await pushSegment(laptop, first);
    const cuttingFetch = cutFirstUpload(server);
    const cut: SyncAccount = { ...laptop, client: client(cuttingFetch) };
    const events = Array.from({ length: 400 }, (_, i) => word(`b${i}`, 'laptop', T0 + i, `wort${i}`, 'learning'));
    const second = makeSegment('laptop', 2, events);
    try {
      await expect(pushSegment(cut, second)).rejects.toSatisfy((e) => e instanceof SyncError && e.code === 'unreachable');
    } finally {
      await server.restart();
    }
    const desktop = await account();
    let state = applySegments(emptySyncState(), (await pullSegments(desktop, emptySyncState())).segments);
    expect(state.words.size).toBe(1);
    // The same segment, retried.
    await pushSegment(cut, second);
    const later = await pullSegments(desktop, state);
    expect(later.segments.map((s) => s.seq)).toEqual([2]);
    expect(later.refused).toEqual([]);
    state = applySegments(state, later.segments);
    expect(state.words.size).toBe(401);
    expect((await client().list('segments/laptop', { withTemporary: true })).map((e) => e.name)).toEqual(['00000001.arsy', '00000002.arsy']);
  });

  it('a new device starts from the newest snapshot and reads only the later segments', async () => {
    const laptop = await account();
    let state = emptySyncState();
    const segments = Array.from({ length: 5 }, (_, i) => makeSegment('laptop', i + 1, [word(`a${i}`, 'laptop', T0 + i, `w${i % 3}`, i % 2 ? 'known' : 'learning')]));
    for (const s of segments.slice(0, 3)) {
      await pushSegment(laptop, s);
      mergeSegment(state, s);
    }
    await pushSnapshot(laptop, state, 'laptop', T0 + 1);
    await pushSnapshot(laptop, state, 'laptop', T0 + 2);
    await pushSnapshot(laptop, state, 'laptop', T0 + 3);
    for (const s of segments.slice(3)) await pushSegment(laptop, s);
    // Only the newest two snapshots are kept.
    expect((await client().list('snapshots')).map((e) => e.name)).toHaveLength(2);
    const phone = await account();
    const snap = await pullLatestSnapshot(phone);
    expect(snap!.path).toContain(String(T0 + 3));
    const rest = await pullSegments(phone, snap!.state);
    expect(rest.segments.map((s) => s.seq)).toEqual([4, 5]);
    expect(sameState(applySegments(snap!.state, rest.segments), applySegments(emptySyncState(), segments))).toBe(true);
  });

  it('a damaged newest snapshot is passed over for the one before it', async () => {
    const laptop = await account();
    const state = applySegments(emptySyncState(), [makeSegment('laptop', 1, [word('a', 'laptop', T0, 'fuchs', 'known')])]);
    await pushSnapshot(laptop, state, 'laptop', T0 + 1);
    await pushSnapshot(laptop, state, 'laptop', T0 + 2);
    const c = client();
    const newest = (await c.list('snapshots')).map((e) => e.name).sort().at(-1)!;
    const bytes = (await c.get(`snapshots/${newest}`))!;
    await c.put(`snapshots/${newest}`, bytes.subarray(0, bytes.length - 3));
    const snap = await pullLatestSnapshot(await account());
    expect(snap!.path).toContain(String(T0 + 1));
    expect(snap!.refused.map((r) => r.error.code)).toEqual(['corrupt']);
    expect(sameState(snap!.state, state)).toBe(true);
  });
});
