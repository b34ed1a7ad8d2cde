/**
 * Backup, restore and delete-all against a real (fake-indexeddb) database filled by the real
 * handlers: a round trip restores every store exactly, and a refused file changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { BACKUP_FORMAT } from '../../lib/backup';
import { createLearner, markWord } from '../../lib/learner';
import type { HeadState } from '../../lib/head';
import { ALL_STORES, openReaderDB, type ReaderDatabase } from '../db';
import type { RemoteEncoder } from '../offscreen-client';
import { BACKED_UP_STORES, exportBackup, handleDeleteAll, importBackup } from './data';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { createEncoderTier } from './relevance';
import { KEYS, readHeadTx, type Clock } from './state';

/** A backup as the file the learner downloads: its pieces joined. */
async function exportJson(deps: Parameters<typeof exportBackup>[0]): Promise<{ fileName: string; json: string }> {
  const { fileName, parts } = await exportBackup(deps);
  return { fileName, json: parts.join('') };
}

let dbCount = 0;
const sender = { id: 'ext' };

/** Texts sharing words get similar vectors: enough for the relevance head to learn from. */
const encoder: RemoteEncoder = {
  async embed(texts) {
    const dims = 16;
    const vectors = texts.map((t) => {
      const v = new Array<number>(dims).fill(0);
      for (const w of t.toLowerCase().match(/\p{L}+/gu) ?? []) v[[...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % dims, 0)]! += 1;
      return v;
    });
    return { encoderId: 'use-lite-int8', backend: 'fake', dimensions: dims, vectors };
  },
  async status() {
    return { ready: true, encoderId: 'use-lite-int8', backend: 'fake', error: null };
  },
  async ensure() {},
};

function setup() {
  const name = `data-${dbCount++}`;
  let now = Date.UTC(2026, 10, 28, 12);
  const clock: Clock = { now: () => now, tzOffsetMinutes: () => 60 };
  const deps: ServiceDeps = { db: () => openReaderDB({ name }), clock, encoder: createEncoderTier(encoder, 1000), lexicon: async () => undefined };
  return { deps, handlers: createHandlers(deps), advance: (ms: number) => (now += ms) };
}

const TEXTS = [
  'The river under the street floods every spring because the old tunnel is too small for the water.',
  'Engineers want to open the river again so that fish can return and the banks become a park.',
  'Tickets for the football final sold out within an hour of going on sale on Monday morning.',
];
const page = { url: 'https://news.example/river', title: 'River', lang: 'en', paragraphs: TEXTS.map((text, i) => ({ id: `p${i}`, text, lang: 'en' })), shown: [] };

/** A database with something in every store: reading, feedback, a snippet, a review, settings. */
async function fill(s: ReturnType<typeof setup>): Promise<void> {
  const { handlers, deps } = s;
  await handlers['settings.update']({ patch: { interests: ['river flood'], budgetMinutes: 30 } }, sender);
  await handlers['page.paragraphs'](page, sender);
  await handlers['reading.dwell']({ url: page.url, events: [{ eventId: 'd1', paragraphId: 'p0', visibleMs: 20_000, highlighted: true }] }, sender);
  await handlers['feedback.give']({ eventId: 'f1', paragraphId: 'p1', kind: 'relevant', url: page.url }, sender);
  await handlers['snippet.save']({ eventId: 's1', url: page.url, title: 'River', lang: 'en', text: TEXTS[0]!, context: TEXTS[0]!, paragraphId: 'p0', markedWords: ['tunnel'] }, sender);
  // A word marked by itself (not with a saved passage) is an event of its own kind.
  await handlers['word.mark']({ eventId: 'w1', word: 'culvert', lang: 'en', state: 'learning' }, sender);
  // A dictionary look-up is kept in a store of its own.
  await handlers['word.lookup']({ eventId: 'l1', word: 'tunnel', sentence: TEXTS[0]!, lang: 'en', url: page.url, title: 'River' }, sender);
  const [item] = (await handlers['review.due']({}, sender)).items;
  await handlers['review.rate']({ eventId: 'r1', cardId: item!.card.id, rating: 3, durationMs: 9000 }, sender);
  // Words that are also names of Object.prototype members must survive the round trip.
  const db = await deps.db();
  const stored = (await db.get('kv', KEYS.learner))!.value as ReturnType<typeof createLearner>;
  let learner = markWord(stored, 'constructor', 'known', deps.clock.now());
  learner = markWord(learner, 'prototype', 'learning', deps.clock.now());
  learner = { ...learner, corpus: { constructor: 3, river: 2 } };
  await db.put('kv', { key: KEYS.learner, value: learner });
}

async function snapshot(db: ReaderDatabase, stores = ALL_STORES): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const s of stores) out[s] = await db.getAll(s);
  return out;
}

describe('data.export', () => {
  it('writes every store but the embedding cache into one backup file', async () => {
    const s = setup();
    await fill(s);
    const { fileName, json } = await exportJson(s.deps);
    expect(fileName).toMatch(/^attention-reader-backup-2026-11-28\.json$/);
    const backup = JSON.parse(json) as { format: string; stores: Record<string, unknown[]> };
    expect(backup.format).toBe(BACKUP_FORMAT);
    expect(Object.keys(backup.stores).sort()).toEqual([...BACKED_UP_STORES].sort());
    expect(backup.stores.embeddings).toBeUndefined();
    for (const store of BACKED_UP_STORES) expect(backup.stores[store]!.length, store).toBeGreaterThan(0);
    // The database really had embeddings: leaving them out was a choice.
    expect(await (await s.deps.db()).count('embeddings')).toBeGreaterThan(0);
  });

  it('writes the relevance head whole, its replay examples inside it, as files always had it', async () => {
    const s = setup();
    await fill(s);
    const db = await s.deps.db();
    const stored = await db.getAll('replay');
    expect(stored.length).toBeGreaterThan(0);
    const backup = JSON.parse((await exportJson(s.deps)).json) as { stores: Record<string, Array<{ key: string; value: unknown }>> };
    expect(backup.stores.replay).toBeUndefined();
    const head = backup.stores.kv!.find((r) => r.key === KEYS.head)!.value as HeadState;
    expect(head.replay.map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(head.replay[0]!.embedding).toEqual(Array.from(stored[0]!.embedding));
    expect(head).toEqual(await readHeadTx(db.transaction(['kv', 'replay'])));
  });
});

describe('data.import', () => {
  it('restores every store of an exported file exactly, into another profile', async () => {
    const source = setup();
    await fill(source);
    // `replay` is not in the file but restored from the head inside it.
    const before = await snapshot(await source.deps.db(), [...BACKED_UP_STORES, 'replay']);
    expect(before.replay!.length).toBeGreaterThan(0);
    const { json } = await exportJson(source.deps);

    const target = setup();
    await target.handlers['settings.update']({ patch: { interests: ['cooking'] } }, sender);
    const reply = await importBackup(target.deps, { json });
    for (const store of BACKED_UP_STORES) expect(reply.restored[store], store).toBe(before[store]!.length);
    const after = await snapshot(await target.deps.db(), [...BACKED_UP_STORES, 'replay']);
    expect(after).toEqual(before);
    expect(reply.restored.replay).toBeUndefined();
    const learner = (after.kv as Array<{ key: string; value: { words: Record<string, { state: string }> } }>).find((r) => r.key === KEYS.learner)!.value;
    expect(Object.hasOwn(learner.words, 'constructor')).toBe(true);
    expect(learner.words['constructor' as string]!.state).toBe('known');
    // The restored data works: the dashboard reads it.
    expect((await target.handlers['dashboard.get']({}, sender)).snippets).toBe(1);
  });

  it('replaces what was there: stores absent from the file end up empty', async () => {
    const s = setup();
    await fill(s);
    const json = JSON.stringify({ format: BACKUP_FORMAT, version: 1, createdAt: 1, stores: { daily: [] } });
    const reply = await importBackup(s.deps, { json });
    expect(reply.restored.snippets).toBe(0);
    const after = await snapshot(await s.deps.db());
    for (const store of ALL_STORES) expect(after[store], store).toEqual([]);
  });

  async function expectRefusedUnchanged(json: string, message: RegExp): Promise<void> {
    const s = setup();
    await fill(s);
    const db = await s.deps.db();
    const before = await snapshot(db);
    await expect(importBackup(s.deps, { json })).rejects.toThrow(message);
    expect(await snapshot(db)).toEqual(before);
  }

  async function validBackup(): Promise<{ format: string; version: number; createdAt: number; stores: Record<string, Array<Record<string, unknown>>> }> {
    const s = setup();
    await fill(s);
    return JSON.parse((await exportJson(s.deps)).json);
  }

  it('refuses a file cut short, and changes nothing', async () => {
    const { json } = await exportJson(setup().deps);
    await expectRefusedUnchanged(json.slice(0, json.length - 5), /Nothing was changed.*cut short/);
  });

  it('refuses a foreign JSON file', async () => {
    await expectRefusedUnchanged(JSON.stringify({ bookmarks: [] }), /not an Attention Reader backup/);
  });

  it('refuses a backup with one damaged record in any store, naming it', async () => {
    const backup = await validBackup();
    backup.stores.daily![0]!.consumedMinutes = -4;
    await expectRefusedUnchanged(JSON.stringify(backup), /Entry 1 of "daily" is damaged/);
  });

  it('refuses a damaged relevance model (a vector of the wrong length)', async () => {
    const backup = await validBackup();
    const head = backup.stores.kv!.find((r) => r.key === KEYS.head)! as { value: { weights: number[] } };
    head.value.weights.push(0.5);
    await expectRefusedUnchanged(JSON.stringify(backup), /"kv" is damaged.*dimensions/);
  });

  it('refuses settings outside their allowed range', async () => {
    const backup = await validBackup();
    const settings = backup.stores.kv!.find((r) => r.key === KEYS.settings)! as { value: { budgetMinutes: number } };
    settings.value.budgetMinutes = 100_000;
    await expectRefusedUnchanged(JSON.stringify(backup), /"kv" is damaged/);
  });

  it('refuses data of a kind it does not know, and two records under one key', async () => {
    const unknownKey = await validBackup();
    unknownKey.stores.kv!.push({ key: 'telemetry', value: {} });
    await expectRefusedUnchanged(JSON.stringify(unknownKey), /"kv" is damaged/);
    const duplicate = await validBackup();
    duplicate.stores.daily!.push({ ...duplicate.stores.daily![0]! });
    await expectRefusedUnchanged(JSON.stringify(duplicate), /share the key/);
  });

  it('refuses a backup holding the raw embedding cache', async () => {
    const backup = await validBackup();
    backup.stores.embeddings = [{ key: 'use-lite-int8:p0', vector: { 0: 1 }, at: 1 }];
    await expectRefusedUnchanged(JSON.stringify(backup), /kind this version does not know \("embeddings"\)/);
  });
});

describe('data.deleteAll', () => {
  it('empties every store; the extension starts again from defaults', async () => {
    const s = setup();
    await fill(s);
    expect(await handleDeleteAll(s.deps)).toEqual({ ok: true });
    const after = await snapshot(await s.deps.db());
    for (const store of ALL_STORES) expect(after[store], store).toEqual([]);
    const settings = await s.handlers['settings.get']({}, sender);
    expect(settings.interests).toEqual([]);
    expect(settings.onboarded).toBe(false);
    expect((await s.handlers['dashboard.get']({}, sender)).snippets).toBe(0);
  });
});
