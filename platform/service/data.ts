/**
 * All of the learner's data as one JSON file, restoring such a file (both run in the options
 * page, which shares the extension's database: a large profile's backup cannot travel in one
 * extension message, which browsers refuse over 64 MiB), and `data.deleteAll`.
 *
 * Restoring is all-or-nothing. The whole file is validated first (lib/backup.ts's
 * `parseBackup`, with a schema for the records of every store below), and only then is the
 * database changed, in one readwrite transaction that clears every store and writes the
 * backup's records: a damaged or foreign file is refused with a readable reason and changes
 * nothing, and a failure half-way through the writes rolls the transaction back.
 *
 * This device's link to the learner's sync server (`kv` "syncConfig", "syncState",
 * "syncOutbox": platform/sync/device-keys.ts) is left out of backups, credentials included,
 * and a restore keeps it as it is: the backup is the learner's data, the link is the device's.
 *
 * The embedding cache is left out of backups: it is recomputed from the paragraphs' text on
 * demand, holds typed arrays that JSON cannot carry, and is most of the database's size.
 *
 * The relevance head is one `kv` entry in the file, replay examples included, as it was
 * before the examples got a store of their own (database version 3): files made before and
 * after restore alike. Export assembles the head from both stores; import splits it again.
 *
 * `data.deleteAll` also removes the dictionaries the learner imported (their own database,
 * platform/dictionary-store.ts): they are not in backups, but "Delete everything" promises a
 * browser with nothing of the learner's left in it, and which dictionaries someone imported
 * says which languages they study.
 */
import * as v from 'valibot';
import { backupFileName, createBackup, parseBackup, REVIEW_STORE_SCHEMAS, serialiseBackupParts, type StoreSchemas } from '../../lib/backup';
import { DEFAULT_HEAD_OPTIONS, type HeadOptions, type HeadState } from '../../lib/head';
import type { Learner, WordRecord } from '../../lib/learner';
import type { BudgetState, DailyLoad } from '../../lib/load';
import { HighlightOut, PageNoticeOut, type ResponseOf } from '../../lib/protocol';
import { LookupRecordSchema } from '../../lib/lookup';
import { LEFT_OUT_REASONS } from '../../lib/page-notice';
import { readSettings, SettingsSchema } from '../../lib/settings';
import type { TfidfState } from '../../lib/tfidf';
import { ALL_STORES, type EventRecord, type PageRecord, type ParagraphRecord, type StoreName } from '../db';
import { createDictionaryStore, type DictionaryStore } from '../dictionary-store';
import { DEVICE_LOCAL_KV_KEYS, isDeviceLocalKey } from '../sync/device-keys';
import type { ServiceDeps } from './deps';
import { KEYS, readHeadTx, writeHeadTx } from './state';

/** Stores a backup carries: every store but the embedding cache, and `replay`, which travels inside the head. */
export const BACKED_UP_STORES: readonly StoreName[] = ALL_STORES.filter((s) => s !== 'embeddings' && s !== 'replay');

/** The key each store's records are stored under (their IndexedDB keyPath). */
const KEY_FIELD: Readonly<Record<StoreName, string>> = {
  pages: 'url',
  paragraphs: 'id',
  embeddings: 'key',
  events: 'eventId',
  daily: 'day',
  kv: 'key',
  snippets: 'id',
  cards: 'id',
  reviewLogs: 'id',
  replay: 'key',
  lookups: 'id',
};

// ---------------------------------------------------------------------------------------------
// Record schemas. Numbers must be finite, times and counts non-negative integers; strings are
// bounded only where a bound is part of the record's meaning (the file size bounds the rest).

const EPOCH_MAX = 8.64e15;
const finite = v.pipe(v.number(), v.finite());
const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(EPOCH_MAX));
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const text = v.string();
const nonEmpty = v.pipe(v.string(), v.minLength(1));
const dayKey = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const numbers = v.array(finite);

const PageSchema = v.strictObject({
  url: nonEmpty,
  title: text,
  lang: text,
  lastVisited: epochMs,
  paragraphIds: v.array(nonEmpty),
  highlights: v.optional(v.array(v.strictObject({ ...HighlightOut.entries, text }))),
  notice: v.optional(v.nullable(v.union([text, PageNoticeOut]))),
  leftOut: v.optional(v.array(v.strictObject({ id: nonEmpty, reason: v.picklist(LEFT_OUT_REASONS), line: text }))),
});

const ParagraphSchema = v.strictObject({
  id: nonEmpty,
  text,
  lang: text,
  firstSeen: epochMs,
  lastSeen: epochMs,
  lastUrl: text,
  gainBits: finite,
  fit: finite,
  loadMinutes: nonNegative,
  difficultyFactor: nonNegative,
  scorer: v.picklist(['encoder', 'lexical']),
});

const EventSchema = v.strictObject({
  eventId: nonEmpty,
  kind: v.picklist(['feedback', 'dwell', 'save', 'review', 'word']),
  at: epochMs,
  day: dayKey,
  paragraphId: v.nullable(nonEmpty),
  // What each kind of event remembers is a flat record of plain values.
  data: v.record(v.string(), v.nullable(v.union([v.string(), finite, v.boolean()]))),
});

const DailySchema = v.strictObject({
  day: dayKey,
  budgetMinutes: nonNegative,
  consumedMinutes: nonNegative,
  readMinutes: nonNegative,
  reviewMinutes: nonNegative,
  highlighted: v.array(nonEmpty),
  read: v.array(nonEmpty),
  tooHard: count,
  speedRatios: numbers,
  highlightedMinutes: v.optional(nonNegative),
  densities: v.optional(numbers),
});

const WordRecordSchema = v.strictObject({
  state: v.picklist(['unknown', 'learning', 'known', 'ignored']),
  explicit: v.boolean(),
  cleanExposures: count,
  lookups: count,
  form: text,
  updatedAt: epochMs,
  knownAt: v.optional(epochMs),
});

/**
 * The learner's word maps are keyed by the words themselves, and a learner may well have met
 * "constructor" or "prototype": keys a backup must never contain (lib/backup.ts refuses them,
 * as they could tamper with objects when merged). In a backup the maps are therefore lists of
 * [word, value] pairs, turned back into maps (as own properties) once validated.
 */
const LearnerInBackupSchema = v.pipe(
  v.strictObject({
    version: v.literal(1),
    targetLang: nonEmpty,
    nativeLang: text,
    vocabularySize: v.pipe(count, v.minValue(1)),
    wordsPerMinute: v.pipe(finite, v.minValue(1)),
    speedObservations: count,
    words: v.array(v.strictTuple([nonEmpty, WordRecordSchema])),
    corpus: v.array(v.strictTuple([nonEmpty, count])),
    updatedAt: epochMs,
  }),
  v.transform((l): Learner => ({ ...l, words: Object.fromEntries(l.words), corpus: Object.fromEntries(l.corpus) })),
);

function learnerForBackup(learner: Learner): unknown {
  return { ...learner, words: Object.entries(learner.words), corpus: Object.entries(learner.corpus) };
}

const PlattSchema = v.strictObject({ slope: finite, offset: finite });
const PrototypeSchema = v.strictObject({ id: nonEmpty, text, embedding: numbers });

/**
 * The head's tuning options: the ones this version knows, each of the type of its default.
 * Options a newer head added are taken from the defaults when an older backup lacks them;
 * options this version does not know are dropped.
 */
const HeadOptionsSchema = v.pipe(
  v.record(v.string(), v.union([finite, v.boolean()])),
  v.check(
    (o) => Object.entries(o).every(([k, x]) => !Object.hasOwn(DEFAULT_HEAD_OPTIONS, k) || typeof x === typeof DEFAULT_HEAD_OPTIONS[k as keyof HeadOptions]),
    'An option of the relevance model has the wrong type.',
  ),
  v.transform((o): HeadOptions => ({ ...DEFAULT_HEAD_OPTIONS, ...Object.fromEntries(Object.entries(o).filter(([k]) => Object.hasOwn(DEFAULT_HEAD_OPTIONS, k))) }) as HeadOptions),
);

const HeadSchema = v.pipe(
  v.strictObject({
    version: v.literal(1),
    encoderId: nonEmpty,
    dims: v.pipe(count, v.minValue(1)),
    options: HeadOptionsSchema,
    interests: v.array(PrototypeSchema),
    contrasts: v.array(PrototypeSchema),
    seen: v.strictObject({
      count: finite,
      mean: numbers,
      priorMean: finite,
      priorM2: finite,
      sample: v.optional(v.strictObject({ keys: v.array(finite), embeddings: v.array(numbers) })),
    }),
    weights: numbers,
    slope: finite,
    bias: finite,
    calibration: PlattSchema,
    replay: v.array(
      v.strictObject({
        id: nonEmpty,
        embedding: numbers,
        label: v.picklist([0, 1]),
        weight: finite,
        at: finite,
        logit: finite,
      }),
    ),
    positives: finite,
    negatives: finite,
    updates: count,
  }),
  // Every vector lives in the encoder's space: a wrong length would break scoring later.
  v.check(
    (h) =>
      [h.seen.mean, h.weights, ...h.interests.map((p) => p.embedding), ...h.contrasts.map((p) => p.embedding), ...h.replay.map((r) => r.embedding), ...(h.seen.sample?.embeddings ?? [])].every(
        (vector) => vector.length === h.dims,
      ) && (h.seen.sample === undefined || h.seen.sample.keys.length === h.seen.sample.embeddings.length),
    'A vector of the relevance model does not match its dimensions.',
  ),
);

const featureMap = v.record(v.string(), finite);
const TfidfSchema = v.strictObject({
  version: v.literal(1),
  lang: nonEmpty,
  interests: v.array(text),
  docCount: count,
  df: featureMap,
  weights: featureMap,
  prior: featureMap,
  g2: featureMap,
  bias: finite,
  biasG2: finite,
  positives: finite,
  negatives: finite,
  updates: count,
  explicitLabels: v.exactOptional(count),
});

const BudgetSchema = v.strictObject({
  budgetMinutes: nonNegative,
  minMinutes: nonNegative,
  maxMinutes: nonNegative,
  lastAdaptedDay: v.exactOptional(dayKey),
  log: v.array(v.strictObject({ day: dayKey, fromMinutes: nonNegative, toMinutes: nonNegative, reasons: v.array(text) })),
});

/** One schema per `kv` key; a key this version does not know is refused like an unknown store. */
export const KV_VALUE_SCHEMAS = {
  [KEYS.settings]: SettingsSchema,
  [KEYS.learner]: LearnerInBackupSchema,
  [KEYS.head]: HeadSchema,
  [KEYS.tfidf]: TfidfSchema,
  [KEYS.budget]: BudgetSchema,
  [KEYS.refused]: v.record(v.string(), count),
} satisfies Record<(typeof KEYS)[keyof typeof KEYS], v.GenericSchema>;

const kvEntry = <K extends string, S extends v.GenericSchema>(key: K, value: S) => v.strictObject({ key: v.literal(key), value });
const KvSchema = v.variant('key', [
  kvEntry(KEYS.settings, KV_VALUE_SCHEMAS.settings),
  kvEntry(KEYS.learner, KV_VALUE_SCHEMAS.learner),
  kvEntry(KEYS.head, KV_VALUE_SCHEMAS.head),
  kvEntry(KEYS.tfidf, KV_VALUE_SCHEMAS.tfidf),
  kvEntry(KEYS.budget, KV_VALUE_SCHEMAS.budget),
  kvEntry(KEYS.refused, KV_VALUE_SCHEMAS.refused),
]);

/** The schema of every backed-up store's records. */
export const STORE_SCHEMAS: StoreSchemas = {
  pages: PageSchema,
  paragraphs: ParagraphSchema,
  events: EventSchema,
  daily: DailySchema,
  kv: KvSchema,
  ...REVIEW_STORE_SCHEMAS,
  lookups: LookupRecordSchema,
};

// Compile-time checks that the schemas describe the stored types: each schema's output must be
// assignable to its record type and name the same fields, so that a field added to a record
// type without a schema change fails to compile here instead of failing a learner's restore.
type Conforms<Out, Rec> = [Out] extends [Rec] ? ([Exclude<keyof Rec, keyof Out> | Exclude<keyof Out, keyof Rec>] extends [never] ? true : false) : false;
// The check above lets a schema accept fewer values than its type. For the kinds of event that
// is not enough: a kind the product writes but a backup refuses makes the learner's own
// backup unrestorable, so every kind must be accepted.
true satisfies [EventRecord['kind']] extends [v.InferOutput<typeof EventSchema>['kind']] ? true : false;
true satisfies Conforms<v.InferOutput<typeof PageSchema>, PageRecord>;
true satisfies Conforms<v.InferOutput<typeof ParagraphSchema>, ParagraphRecord>;
true satisfies Conforms<v.InferOutput<typeof EventSchema>, EventRecord>;
true satisfies Conforms<v.InferOutput<typeof DailySchema>, DailyLoad>;
true satisfies Conforms<v.InferOutput<typeof WordRecordSchema>, WordRecord>;
true satisfies Conforms<v.InferOutput<typeof LearnerInBackupSchema>, Learner>;
true satisfies Conforms<v.InferOutput<typeof HeadSchema>, HeadState>;
true satisfies Conforms<v.InferOutput<typeof TfidfSchema>, TfidfState>;
true satisfies Conforms<v.InferOutput<typeof BudgetSchema>, BudgetState>;

// ---------------------------------------------------------------------------------------------
// Handlers.

function forBackup(store: StoreName, record: unknown, head: HeadState | undefined): unknown {
  if (store !== 'kv') return record;
  const { key, value } = record as { key: string; value: unknown };
  if (key === KEYS.learner) return { key, value: learnerForBackup(value as Learner) };
  if (key === KEYS.head && head) return { key, value: head };
  // Settings stored by an older version may lack newer fields; the backup holds them complete.
  if (key === KEYS.settings) return { key, value: readSettings(value) };
  return record;
}

/** A backup file as pieces of text (see serialiseBackupParts), and its length in characters. */
export interface BackupFile {
  fileName: string;
  parts: string[];
  chars: number;
}

export async function exportBackup(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<BackupFile> {
  const db = await deps.db();
  const now = deps.clock.now();
  // One transaction: the file is a consistent snapshot even while tabs keep reporting reading.
  const tx = db.transaction([...BACKED_UP_STORES, 'replay'], 'readonly');
  const head = await readHeadTx(tx);
  const stores: Record<string, unknown[]> = {};
  for (const name of BACKED_UP_STORES) {
    const records = await tx.objectStore(name).getAll();
    stores[name] = (name === 'kv' ? records.filter((r) => !isDeviceLocalKey((r as { key: unknown }).key)) : records).map((r) => forBackup(name, r, head));
  }
  await tx.done;
  const parts = serialiseBackupParts(createBackup({ stores }, now));
  return { fileName: backupFileName(now), parts, chars: parts.reduce((n, p) => n + p.length, 0) };
}

/** The first key that two records of one store share, if any (the restore would silently keep only one). */
function duplicateKey(store: string, records: readonly unknown[]): string | undefined {
  const field = KEY_FIELD[store as StoreName];
  if (!field) return undefined;
  const seen = new Set<unknown>();
  for (const r of records) {
    const key = (r as Record<string, unknown>)[field];
    if (seen.has(key)) return String(key);
    seen.add(key);
  }
  return undefined;
}

export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

export async function importBackup(deps: Pick<ServiceDeps, 'db'>, req: { json: string }): Promise<{ restored: Record<string, number> }> {
  const parsed = parseBackup(req.json, { schemas: STORE_SCHEMAS });
  if (!parsed.ok) throw new BackupRefused(`Nothing was changed. ${parsed.error}`);
  const stores = parsed.backup.stores;
  for (const [name, records] of Object.entries(stores)) {
    const dup = duplicateKey(name, records);
    if (dup !== undefined) throw new BackupRefused(`Nothing was changed. Two entries of "${name}" share the key "${dup}".`);
  }
  const db = await deps.db();
  const tx = db.transaction([...ALL_STORES], 'readwrite');
  const writes: Promise<unknown>[] = [];
  const restored: Record<string, number> = {};
  let head: HeadState | undefined;
  // This device's sync link outlives the restore (read before the clears, written back after).
  const deviceLocal = (await Promise.all(DEVICE_LOCAL_KV_KEYS.map((key) => tx.objectStore('kv').get(key)))).filter((r) => r !== undefined);
  for (const name of ALL_STORES) {
    writes.push(tx.objectStore(name).clear());
    const records = stores[name] ?? [];
    for (const record of records) {
      const entry = record as { key?: unknown; value?: unknown };
      // The head is written last, split into its core and its replay records.
      if (name === 'kv' && entry.key === KEYS.head) head = entry.value as HeadState;
      else writes.push(tx.objectStore(name).put(record as never));
    }
    if (BACKED_UP_STORES.includes(name)) restored[name] = records.length;
  }
  if (head) writes.push(writeHeadTx(tx, head));
  for (const record of deviceLocal) writes.push(tx.objectStore('kv').put(record));
  // All requests are issued at once (fast) and all are awaited: one failing put aborts the
  // transaction, which undoes the clears too.
  try {
    await Promise.all([...writes, tx.done]);
  } catch (e) {
    throw new Error(`Nothing was changed: the backup could not be written (${e instanceof Error ? e.message : String(e)}).`);
  }
  return { restored };
}

/** `dictionaries`: the imported dictionaries' store (tests pass their own). */
export async function handleDeleteAll(deps: ServiceDeps, dictionaries?: Pick<DictionaryStore, 'clear'>): Promise<ResponseOf<'data.deleteAll'>> {
  // Dictionaries first: if clearing them fails, the learner's data is still all there.
  const store = dictionaries ?? createDictionaryStore();
  try {
    await store.clear();
  } finally {
    if (!dictionaries) (store as DictionaryStore).close();
  }
  const db = await deps.db();
  const tx = db.transaction([...ALL_STORES], 'readwrite');
  await Promise.all([...ALL_STORES.map((name) => tx.objectStore(name).clear()), tx.done]);
  return { ok: true };
}
