/**
 * The background's access to learner state in IndexedDB: settings, learner model, relevance
 * head, lexical fallback model, daily load and budget, each a record in the `kv` or `daily`
 * store (the head's replay examples a record each in `replay`, see `readHeadTx`). Reads
 * merge stored data over defaults; writes happen inside the caller's transaction so that a
 * read-modify-write of shared state is atomic (two tabs cannot lose each other's updates).
 */
import type { IDBPTransaction } from 'idb';
import type { HeadState } from '../../lib/head';
import { createLearner, type Learner } from '../../lib/learner';
import { createBudget, rollDay, type BudgetState, type DailyLoad } from '../../lib/load';
import { recordsOf, replayDiff, replayFromRecords } from '../../lib/replay';
import { readSettings, type Settings } from '../../lib/settings';
import { createTfidf, type TfidfState } from '../../lib/tfidf';
import type { ReaderDB, ReaderDatabase } from '../db';

/**
 * Any transaction over the stores a helper reads; the helpers only call `objectStore` on
 * the stores named in their bodies, and idb's own types check those calls.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KvTx = IDBPTransaction<ReaderDB, any, IDBTransactionMode>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KvWriteTx = IDBPTransaction<ReaderDB, any, 'readwrite'>;

export const KEYS = { settings: 'settings', learner: 'learner', head: 'head', tfidf: 'tfidf', budget: 'budget', refused: 'refused' } as const;

async function kvGet<T>(tx: KvTx, key: string): Promise<T | undefined> {
  return (await tx.objectStore('kv').get(key))?.value as T | undefined;
}

export async function readSettingsTx(tx: KvTx): Promise<Settings> {
  return readSettings(await kvGet(tx, KEYS.settings));
}

export async function readLearnerTx(tx: KvTx, settings: Settings, now: number): Promise<Learner> {
  const stored = await kvGet<Learner>(tx, KEYS.learner);
  if (stored && stored.version === 1 && stored.targetLang === settings.targetLang) return stored;
  // A change of target language starts a new word history; the old one stays in backups.
  return createLearner({ targetLang: settings.targetLang, nativeLang: settings.nativeLang, now });
}

/** The head without its replay buffer: what `kv`'s "head" record holds. */
export type HeadCore = Omit<HeadState, 'replay'>;

/**
 * The relevance head as lib/head.ts knows it: its core from `kv` and its replay examples
 * from the `replay` store, in arrival order. The transaction must cover both stores.
 */
export async function readHeadTx(tx: KvTx): Promise<HeadState | undefined> {
  const core = await kvGet<HeadCore>(tx, KEYS.head);
  if (!core) return undefined;
  const records = await tx.objectStore('replay').getAll();
  return { ...core, replay: replayFromRecords(records) };
}

/**
 * Stores `head` inside the caller's read-write transaction over `kv` and `replay`. With
 * `previous` (the head as read in this transaction) only the replay difference is written:
 * the examples added, the examples evicted; a head that only observed a page writes its
 * core alone. Without it the replay store is replaced (a retrained or restored head); either
 * way a head reset by lib/head.ts's `reset` leaves the store empty.
 * Fields lib/head.ts adds to the head are kept in the core untouched.
 */
export async function writeHeadTx(tx: KvWriteTx, head: HeadState, previous?: HeadState): Promise<void> {
  const { replay, ...core } = head;
  const kv = tx.objectStore('kv');
  const store = tx.objectStore('replay');
  const writes: Promise<unknown>[] = [kv.put({ key: KEYS.head, value: core })];
  if (previous) {
    const { put, remove } = replayDiff(previous.replay, replay);
    for (const key of remove) writes.push(store.delete(key));
    for (const record of put) writes.push(store.put(record));
  } else {
    writes.push(store.clear());
    for (const record of recordsOf(replay)) writes.push(store.put(record));
  }
  await Promise.all(writes);
}

export async function readTfidfTx(tx: KvTx, settings: Settings): Promise<TfidfState> {
  const stored = await kvGet<TfidfState>(tx, KEYS.tfidf);
  const same = stored && stored.version === 1 && stored.lang === settings.targetLang && sameList(stored.interests, settings.interests);
  return same ? stored : createTfidf(settings.interests, { lang: settings.targetLang });
}

export async function readBudgetTx(tx: KvTx, settings: Settings): Promise<BudgetState> {
  return (await kvGet<BudgetState>(tx, KEYS.budget)) ?? createBudget(settings.budgetMinutes);
}

/** Today's load record (a fresh one after the day rolled over) and the day that just finished, if any. */
export async function readTodayTx(
  tx: KvTx,
  budget: BudgetState,
  settings: Settings,
  clock: Clock,
): Promise<{ today: DailyLoad; finished?: DailyLoad }> {
  const now = clock.now();
  const all = tx.objectStore('daily');
  // The latest record is the only candidate for "today"; keys are YYYY-MM-DD so they sort by date.
  const cursor = await all.openCursor(null, 'prev');
  const latest = cursor?.value as DailyLoad | undefined;
  return rollDay(latest, budget.budgetMinutes, now, clock.tzOffsetMinutes(now), settings.rolloverHour);
}

export interface Clock {
  now(): number;
  /** Local offset from UTC in minutes, east positive, in force at `at`. */
  tzOffsetMinutes(at: number): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  tzOffsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
};

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}


/**
 * Runs `body` over a read-write transaction as one unit: if it throws anywhere (a schema
 * error half-way, a full disk), the transaction is aborted, so nothing it wrote so far stays.
 * IndexedDB aborts on a failed request by itself, but not on an exception thrown by our code
 * between requests.
 */
export async function atomically<T>(tx: { abort(): void; done: Promise<void> }, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await tx.done.catch(() => undefined);
    throw e;
  }
}
