import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createHead, update, type HeadState } from '../lib/head';
import { seededRandom } from '../lib/random';
import { ALL_STORES, DB_VERSION, MIGRATIONS, openReaderDB, StorageError, type Migration, type ReaderDatabase } from './db';
import { readHeadTx } from './service/state';

let n = 0;
const freshName = () => `test-db-${Date.now()}-${n++}`;

/** A head that has learnt from a few labels, as version 2 kept it: replay inside the kv record. */
function learntHead(labels = 5): HeadState {
  const rand = seededRandom(3);
  const vector = () => Float32Array.from({ length: 8 }, () => rand() * 2 - 1);
  let head = createHead('use-lite-int8', 8, [{ id: 'i', text: 'rivers', embedding: vector() }], { options: { stepsPerUpdate: 2 } });
  for (let i = 0; i < labels; i++) head = update(head, { id: `p${i}`, embedding: vector(), label: (i % 2) as 0 | 1, weight: 1 });
  return head;
}

/** Every record of every store the database has, by store. */
async function contents(db: ReaderDatabase): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const store of [...db.objectStoreNames].sort()) out[store] = await db.getAll(store);
  return out;
}

/** A version-2 database holding reading data and a head with replay examples. */
async function versionTwo(name: string, head: HeadState): Promise<void> {
  const old = await openReaderDB({ name, version: 2 });
  await old.put('pages', { url: 'https://a.example/', title: 'A', lang: 'en', lastVisited: 5, paragraphIds: ['p1'] });
  await old.put('kv', { key: 'head', value: head });
  await old.put('kv', { key: 'settings', value: { budgetMinutes: 25 } });
  old.close();
}

/** Opens the database at whatever version it has, without upgrading it. */
async function asItIs(name: string): Promise<ReaderDatabase> {
  return (await openDB(name)) as unknown as ReaderDatabase;
}

describe('reader database', () => {
  it('creates every store at the current version', async () => {
    const db = await openReaderDB({ name: freshName() });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([...ALL_STORES].sort());
    db.close();
  });

  it('upgrades a database made by every earlier version without losing its data', async () => {
    for (let from = 1; from < MIGRATIONS.length; from++) {
      const name = freshName();
      const old = await openReaderDB({ name, version: from });
      await old.put('pages', { url: 'https://a.example/', title: 'A', lang: 'en', lastVisited: 5, paragraphIds: ['p1'] });
      await old.put('kv', { key: 'settings', value: { budgetMinutes: 25 } });
      await old.put('events', { eventId: 'e1', kind: 'feedback', at: 1, day: '2026-01-01', paragraphId: 'p1', data: {} });
      old.close();

      const db = await openReaderDB({ name });
      expect(db.version).toBe(DB_VERSION);
      expect(await db.get('pages', 'https://a.example/')).toMatchObject({ title: 'A', paragraphIds: ['p1'] });
      expect(await db.get('kv', 'settings')).toEqual({ key: 'settings', value: { budgetMinutes: 25 } });
      // The index added by a later migration covers records written before it existed.
      expect(await db.getAllFromIndex('events', 'by-paragraph', 'p1')).toHaveLength(1);
      db.close();
    }
  });

  it('refuses duplicate event ids (what makes a retried event apply once)', async () => {
    const db = await openReaderDB({ name: freshName() });
    const event = { eventId: 'same', kind: 'save' as const, at: 1, day: 'd', paragraphId: null, data: {} };
    await db.add('events', event);
    await expect(db.add('events', event)).rejects.toThrow();
    expect(await db.count('events')).toBe(1);
    db.close();
  });
});

describe('version 3: the head’s replay examples in a store of their own', () => {
  it('moves a version-2 head’s replay examples out of its kv record, losing none', async () => {
    const name = freshName();
    const head = learntHead(5);
    await versionTwo(name, head);

    const db = await openReaderDB({ name });
    expect(db.version).toBe(DB_VERSION);
    const core = (await db.get('kv', 'head'))!.value as Record<string, unknown>;
    expect(core).not.toHaveProperty('replay');
    expect(core.weights).toEqual(head.weights);
    const records = await db.getAll('replay');
    expect(records).toHaveLength(5);
    expect(records[0]!.embedding).toBeInstanceOf(Float32Array);
    // Assembled again, it is the head version 2 stored, examples in their order.
    expect(await readHeadTx(db.transaction(['kv', 'replay']))).toEqual(head);
    expect(await db.get('kv', 'settings')).toEqual({ key: 'settings', value: { budgetMinutes: 25 } });
    expect(await db.count('pages')).toBe(1);
    db.close();
  });

  it('upgrades a version-2 database without a head', async () => {
    const name = freshName();
    (await openReaderDB({ name, version: 2 })).close();
    const db = await openReaderDB({ name });
    expect(await db.count('replay')).toBe(0);
    expect(await db.get('kv', 'head')).toBeUndefined();
    db.close();
  });
});

describe('version 4: a store of dictionary look-ups', () => {
  it('adds an empty look-up store to a version-3 database and keeps every record', async () => {
    const name = freshName();
    await versionTwo(name, learntHead(3));
    const three = await openReaderDB({ name, version: 3 });
    const before = await contents(three);
    three.close();
    const db = await openReaderDB({ name });
    expect(db.version).toBe(4);
    const after = await contents(db);
    expect(after.lookups).toEqual([]);
    const { lookups: _added, ...rest } = after;
    expect(rest).toEqual(before);
    await db.add('lookups', { id: 'l1', at: 5, word: 'bank', lang: 'en', lemma: 'bank', pos: 'noun', sentence: 's', url: 'u', title: 't', senseId: 'bank.n.1', gloss: 'g' });
    expect((await db.getAllFromIndex('lookups', 'by-time')).map((r) => r.id)).toEqual(['l1']);
    db.close();
  });
});

describe('an upgrade that fails half-way', () => {
  const previous = MIGRATIONS.slice(0, 2);
  /** Step 3 variants that have done part of their work when they fail. */
  const failing: Record<string, Migration> = {
    'throws after creating a store': (db) => {
      db.createObjectStore('replay', { keyPath: 'key' });
      throw new Error('disk detached');
    },
    'rejects after moving part of the data': async (db, tx) => {
      const store = db.createObjectStore('replay', { keyPath: 'key' });
      const head = (await tx.objectStore('kv').get('head'))!.value as HeadState;
      await store.put({ ...head.replay[0]!, key: [1, 'p0', 0, 0], embedding: new Float32Array(8) });
      await tx.objectStore('kv').delete('head');
      throw new Error('disk detached');
    },
    'has a write refused by the database': async (db, tx) => {
      db.createObjectStore('replay', { keyPath: 'key' });
      await tx.objectStore('kv').put({ key: 'moved', value: 1 });
      // A record without its key path: the request fails and IndexedDB aborts by itself.
      await tx.objectStore('pages').put({} as never);
    },
  };

  for (const [how, step] of Object.entries(failing)) {
    it(`${how}: a clear error, version 2 with every record intact, and a later upgrade succeeds`, async () => {
      const name = freshName();
      const head = learntHead(4);
      await versionTwo(name, head);
      const snapshot = await asItIs(name);
      const before = await contents(snapshot);
      snapshot.close();

      const attempt = openReaderDB({ name, migrations: [...previous, step] });
      await expect(attempt).rejects.toBeInstanceOf(StorageError);
      await expect(attempt).rejects.toThrow(/from version 2 to 3 failed at step 3 .*Nothing was changed: the database is still at version 2/);

      const after = await asItIs(name);
      expect(after.version).toBe(2);
      expect([...after.objectStoreNames]).not.toContain('replay');
      expect(await contents(after)).toEqual(before);
      after.close();

      const db = await openReaderDB({ name });
      expect(db.version).toBe(DB_VERSION);
      expect(await readHeadTx(db.transaction(['kv', 'replay']))).toEqual(head);
      expect(await db.count('pages')).toBe(1);
      db.close();
    });
  }
});

describe('another connection at an older version', () => {
  it('that does not let go: the upgrade fails at once with a clear message instead of hanging', async () => {
    const name = freshName();
    await versionTwo(name, learntHead(2));
    // A connection with no versionchange handler, like a page of an old extension build.
    const stubborn = await openDB(name, 2);
    const attempt = Promise.race([
      openReaderDB({ name }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('hung')), 2000)),
    ]);
    await expect(attempt).rejects.toThrow(/held open at an older version by another extension page/);
    expect(stubborn.version).toBe(2);
    stubborn.close();
    // Once it is gone, a retry upgrades with the data intact.
    const db = await openReaderDB({ name });
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('replay')).toBe(2);
    db.close();
  });

  it('of our own closes itself when a newer version wants to upgrade', async () => {
    const name = freshName();
    await versionTwo(name, learntHead(2));
    const old = await openReaderDB({ name, version: 2 });
    const db = await openReaderDB({ name });
    expect(db.version).toBe(DB_VERSION);
    // The old connection was closed by its `blocking` handler: it can no longer be used.
    expect(() => old.transaction('kv')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    db.close();
  });

  it('tells its holder when it closes itself, so the holder opens a new one', async () => {
    const name = freshName();
    const closed: string[] = [];
    const first = await openReaderDB({ name, onClosed: () => closed.push('first') });
    // Deleting the learner's data (or a newer version) asks every open connection to go.
    const deleting = new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase(name);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error);
    });
    await deleting;
    expect(closed).toEqual(['first']);
    expect(() => first.transaction('kv')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    const second = await openReaderDB({ name });
    expect(second.version).toBe(DB_VERSION);
    second.close();
  });
});
