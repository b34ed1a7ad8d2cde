import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type TestWebDavServer } from '../../tests/webdav/server';
import { createHead, explicitLabels, reset, update, type HeadState } from '../../lib/head';
import { createLearner, markWord, type Learner } from '../../lib/learner';
import { cardsFromSnippet, createScheduler, type ReviewCard } from '../../lib/review';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import { createSnippet } from '../../lib/snippet';
import { SyncError } from '../../lib/sync-error';
import { SYNCED_SETTINGS } from '../../lib/sync-outbox';
import { createWebDavClient } from '../../lib/webdav';
import { openReaderDB, type CardRecord, type ReaderDatabase, type ReviewLogRecord, type SnippetRecord } from '../db';
import { KEYS, readHeadTx, writeHeadTx } from '../service/state';
import { syncNow } from './sync-now';

const T0 = Date.UTC(2026, 5, 1, 8);
const HOUR = 3600_000;
const PASSPHRASE = 'the long walk home across the dunes';
let dbs = 0;

/** A device that read offline: saved a passage, answered its cards, marked a word, changed a setting. */
async function deviceThatRead(passage: string, url: string, marks: string[], word: string, at: number, settings: Partial<Settings>): Promise<ReaderDatabase> {
  const db = await openReaderDB({ name: `sync-now-${++dbs}` });
  const scheduler = createScheduler({ requestRetention: DEFAULT_SETTINGS.desiredRetention });
  const snippet = createSnippet({ passage, marks, url, title: url, lang: 'en', createdAt: at });
  await db.put('snippets', snippet as unknown as SnippetRecord);
  for (const card of cardsFromSnippet(snippet, at)) {
    const { card: answered, log } = scheduler.rate(card, 3, at + HOUR, 4000);
    await db.put('cards', answered as unknown as CardRecord);
    await db.put('reviewLogs', log as unknown as ReviewLogRecord);
  }
  await db.put('kv', { key: KEYS.settings, value: { ...DEFAULT_SETTINGS, onboarded: true, ...settings } });
  await db.put('kv', { key: KEYS.learner, value: markWord(createLearner({ targetLang: 'en', nativeLang: 'de', now: at }), word, 'known', at + 2 * HOUR) });
  return db;
}

/** What must end up the same on every device. */
async function learnerData(db: ReaderDatabase) {
  const cards = ((await db.getAll('cards')) as unknown as ReviewCard[]).sort((a, b) => (a.id < b.id ? -1 : 1));
  const logs = (await db.getAll('reviewLogs')).sort((a, b) => (a.id < b.id ? -1 : 1));
  const learner = (await db.get('kv', KEYS.learner))?.value as Learner | undefined;
  const settings = (await db.get('kv', KEYS.settings))?.value as Record<string, unknown>;
  return {
    cards,
    dueDates: cards.map((c) => [c.id, c.due]),
    logs,
    words: Object.entries(learner?.words ?? {}).filter(([, r]) => r.explicit).map(([k, r]) => [k, r.state]).sort(),
    settings: Object.fromEntries(SYNCED_SETTINGS.map((f) => [f, settings[f]])),
  };
}

describe('syncing two devices, and a third that joins, through a WebDAV server', () => {
  let server: TestWebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ user: 'ana', password: 'token' });
  });
  afterAll(async () => {
    await server.stop();
  });
  const options = (db: ReaderDatabase, device: string, now: number, passphrase = PASSPHRASE) => {
    let n = 0;
    return { db, client: createWebDavClient({ baseUrl: server.url, user: 'ana', password: 'token' }), passphrase, device, now, newId: () => `${device}-${now}-${++n}`, iterations: 1000 };
  };

  it('both end with the same cards, answers, due dates, word marks and settings; a new device gets everything', async () => {
    const laptop = await deviceThatRead('The otter slid down the bank into the river.', 'https://example.org/otter', ['otter'], 'river', T0, { budgetMinutes: 35 });
    const desktop = await deviceThatRead('A badger dug its sett under the old oak tree.', 'https://example.org/badger', ['badger', 'sett'], 'oak', T0 + 3 * HOUR, { density: 'many' });
    const before = { laptop: await learnerData(laptop), desktop: await learnerData(desktop) };

    expect((await syncNow(options(laptop, 'laptop', T0 + 10 * HOUR))).uploaded).toBe(1);
    const second = await syncNow(options(desktop, 'desktop', T0 + 11 * HOUR));
    expect(second.merged).toBe(1);
    expect(second.uploaded).toBe(1);
    const third = await syncNow(options(laptop, 'laptop', T0 + 12 * HOUR));
    expect(third.merged).toBe(1);

    const a = await learnerData(laptop);
    const b = await learnerData(desktop);
    expect(b).toEqual(a);
    expect(a.cards).toHaveLength(before.laptop.cards.length + before.desktop.cards.length);
    // Nothing either device had was lost or rolled back.
    for (const card of [...before.laptop.cards, ...before.desktop.cards]) expect(a.cards).toContainEqual(card);
    expect(a.words).toEqual([['oak', 'known'], ['river', 'known']]);
    // A device joining takes the account's settings (the laptop's); its own offline change does not win.
    expect(a.settings).toMatchObject({ budgetMinutes: 35, density: 'normal' });

    // Nothing new: a further sync uploads nothing.
    expect((await syncNow(options(desktop, 'desktop', T0 + 13 * HOUR))).uploaded).toBeNull();

    // Once joined, a setting changed on one device reaches the other.
    const settings = (await desktop.get('kv', KEYS.settings))!.value as Settings;
    await desktop.put('kv', { key: KEYS.settings, value: { ...settings, density: 'many' } });
    expect((await syncNow(options(desktop, 'desktop', T0 + 13 * HOUR + 1))).uploaded).toBe(2);
    await syncNow(options(laptop, 'laptop', T0 + 13 * HOUR + 2));
    const synced = await learnerData(laptop);
    expect(synced.settings).toMatchObject({ budgetMinutes: 35, density: 'many' });
    expect(await learnerData(desktop)).toEqual(synced);

    const phone = await openReaderDB({ name: `sync-now-${++dbs}` });
    const joined = await syncNow(options(phone, 'phone', T0 + 14 * HOUR));
    expect(joined.refused).toEqual([]);
    expect(await learnerData(phone)).toEqual(synced);
  });

  it('two devices syncing at the same moment, each after a month offline, agree after one more sync each', async () => {
    const folder = server.url.replace(/sync\/$/, 'together/');
    const at = (db: ReaderDatabase, device: string, now: number) => ({ ...options(db, device, now), client: createWebDavClient({ baseUrl: folder, user: 'ana', password: 'token' }) });
    const laptop = await deviceThatRead('Starlings gathered over the reed bed in a murmuration.', 'https://example.org/starling', ['starlings'], 'reed', T0, { budgetMinutes: 15 });
    const desktop = await deviceThatRead('A grebe dived and surfaced far from where it went under.', 'https://example.org/grebe', ['grebe'], 'surfaced', T0 + HOUR, {});
    await syncNow(at(laptop, 'laptop', T0 + 2 * HOUR));
    await syncNow(at(desktop, 'desktop', T0 + 2 * HOUR));
    // A month offline on both, answering the same card differently.
    const month = T0 + 30 * 24 * HOUR;
    const scheduler = createScheduler({ requestRetention: DEFAULT_SETTINGS.desiredRetention });
    for (const [db, rating, when] of [[laptop, 1, month], [desktop, 4, month + HOUR]] as const) {
      const card = ((await db.getAll('cards')) as unknown as ReviewCard[]).find((c) => c.source.url.endsWith('starling'))!;
      const { card: next, log } = scheduler.rate(card, rating, when, 2000);
      await db.put('cards', next as unknown as CardRecord);
      await db.put('reviewLogs', log as unknown as ReviewLogRecord);
    }
    await Promise.all([syncNow(at(laptop, 'laptop', month + 2 * HOUR)), syncNow(at(desktop, 'desktop', month + 2 * HOUR))]);
    await syncNow(at(laptop, 'laptop', month + 3 * HOUR));
    await syncNow(at(desktop, 'desktop', month + 3 * HOUR));
    const a = await learnerData(laptop);
    expect(await learnerData(desktop)).toEqual(a);
    // Both answers count, in the order they were given.
    const starling = a.cards.find((c) => c.source.url.endsWith('starling'))!;
    expect(a.logs.filter((l) => l.cardId === starling.id).map((l) => l.rating)).toEqual([3, 1, 4]);
    expect(starling.schedule.reps).toBe(3);
  });

  it('relevance labels given on one device teach the other device\'s head, once, and are not sent back', async () => {
    const folder = server.url.replace(/sync\/$/, 'labels/');
    const at = (db: ReaderDatabase, device: string, now: number) => ({ ...options(db, device, now), client: createWebDavClient({ baseUrl: folder, user: 'ana', password: 'token' }) });
    const storeHead = async (db: ReaderDatabase, head: HeadState) => {
      const tx = db.transaction(['kv', 'replay'], 'readwrite');
      await writeHeadTx(tx, head);
      await tx.done;
    };
    const headOf = async (db: ReaderDatabase) => (await readHeadTx(db.transaction(['kv', 'replay'])))!;
    const axis = (j: number, sign: number) => Float32Array.from({ length: 8 }, (_, i) => (i === j ? sign : 0.1));
    let labelled = createHead('encoder-x', 8, []);
    labelled = update(labelled, { id: 'p1', embedding: axis(0, 1), label: 1, weight: 1 });
    labelled = update(labelled, { id: 'p2', embedding: axis(1, 1), label: 0, weight: 1 });
    labelled = update(labelled, { id: 'p3', embedding: axis(0, 0.9), label: 1, weight: 1 });
    const laptop = await deviceThatRead('Herons stood still in the shallows.', 'https://example.org/heron', ['herons'], 'shallows', T0, {});
    const desktop = await deviceThatRead('Kingfishers flashed blue along the stream.', 'https://example.org/kingfisher', ['kingfishers'], 'stream', T0, {});
    await storeHead(laptop, labelled);
    await storeHead(desktop, createHead('encoder-x', 8, []));

    await syncNow(at(laptop, 'laptop', T0 + HOUR));
    const joined = await syncNow(at(desktop, 'desktop', T0 + 2 * HOUR));
    expect(joined.examplesLearnt).toBe(3);
    const taught = await headOf(desktop);
    expect(taught.replay.map((r) => `${r.id}:${r.label}`).sort()).toEqual(['p1:1', 'p2:0', 'p3:1']);
    expect(explicitLabels(taught)).toBe(3);

    // Not echoed: the laptop finds nothing new to learn, and the desktop has nothing more to send.
    expect((await syncNow(at(laptop, 'laptop', T0 + 3 * HOUR))).examplesLearnt).toBe(0);
    expect((await headOf(laptop)).replay).toHaveLength(3);
    expect((await syncNow(at(desktop, 'desktop', T0 + 4 * HOUR))).uploaded).toBeNull();

    // "Forget what my feedback taught" on the desktop is not undone by the next sync.
    await storeHead(desktop, reset(taught));
    expect((await syncNow(at(desktop, 'desktop', T0 + 5 * HOUR))).examplesLearnt).toBe(0);
    expect((await headOf(desktop)).replay).toHaveLength(0);
  });

  it('a wrong passphrase is refused and leaves the device\'s data as it was', async () => {
    const other = await deviceThatRead('Swifts screamed over the rooftops at dusk.', 'https://example.org/swift', ['swifts'], 'dusk', T0, {});
    const before = await learnerData(other);
    await expect(syncNow(options(other, 'tablet', T0 + HOUR, 'the long walk home across the dune'))).rejects.toSatisfy((e) => e instanceof SyncError && e.code === 'wrong-passphrase');
    expect(await learnerData(other)).toEqual(before);
    expect(await other.get('kv', 'syncState')).toBeUndefined();
  });
});
