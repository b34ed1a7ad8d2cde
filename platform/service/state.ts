/**
 * The background's access to learner state in IndexedDB: settings, learner model, relevance
 * head, lexical fallback model, daily load and budget, each a record in the `kv` or `daily`
 * store. Reads merge stored data over defaults; writes happen inside the caller's
 * transaction so that a read-modify-write of shared state is atomic (two tabs cannot lose
 * each other's updates).
 */
import type { IDBPTransaction } from 'idb';
import type { HeadState } from '../../lib/head';
import { createLearner, type Learner } from '../../lib/learner';
import { createBudget, rollDay, type BudgetState, type DailyLoad } from '../../lib/load';
import { readSettings, type Settings } from '../../lib/settings';
import { createTfidf, type TfidfState } from '../../lib/tfidf';
import type { ReaderDB, ReaderDatabase } from '../db';

/**
 * Any transaction over the stores a helper reads; the helpers only call `objectStore` on
 * the stores named in their bodies, and idb's own types check those calls.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KvTx = IDBPTransaction<ReaderDB, any, IDBTransactionMode>;

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

export async function readHeadTx(tx: KvTx): Promise<HeadState | undefined> {
  return kvGet<HeadState>(tx, KEYS.head);
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

export type { ReaderDatabase };

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
