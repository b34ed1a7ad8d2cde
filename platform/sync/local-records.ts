/**
 * The learner's records as sync sees them (lib/sync-outbox.ts LocalRecords), read from
 * IndexedDB inside the caller's transaction: cards, answers, snippets, the explicit word
 * marks of the learner model, the settings, and the relevance head's remembered examples
 * with their paragraphs' text.
 */
import type { IDBPTransaction } from 'idb';
import type { ReviewCard, ReviewLogEntry } from '../../lib/review';
import type { Snippet } from '../../lib/snippet';
import type { WordMark } from '../../lib/sync-log';
import type { LocalExample, LocalRecords } from '../../lib/sync-outbox';
import type { ReaderDB, StoreName } from '../db';
import { readHeadTx, readLearnerTx, readSettingsTx } from '../service/state';

/** The stores `readLocalRecordsTx` reads: its transaction must cover them. */
export const LOCAL_RECORD_STORES = ['cards', 'reviewLogs', 'snippets', 'kv', 'replay', 'paragraphs'] as const satisfies readonly StoreName[];

const WORD_MARKS: ReadonlySet<string> = new Set<WordMark>(['unknown', 'learning', 'known', 'ignored']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readLocalRecordsTx(tx: IDBPTransaction<ReaderDB, any, IDBTransactionMode>, now: number): Promise<LocalRecords> {
  const settings = await readSettingsTx(tx);
  const learner = await readLearnerTx(tx, settings, now);
  const head = await readHeadTx(tx);
  const cards = (await tx.objectStore('cards').getAll()) as unknown as ReviewCard[];
  const reviewLogs = (await tx.objectStore('reviewLogs').getAll()) as unknown as ReviewLogEntry[];
  const snippets = (await tx.objectStore('snippets').getAll()) as unknown as Snippet[];
  const words = Object.entries(learner.words)
    .filter(([, r]) => r.explicit && WORD_MARKS.has(r.state))
    .map(([key, r]) => ({ key, form: r.form, state: r.state as WordMark, at: r.updatedAt }));
  const examples: LocalExample[] = [];
  for (const r of head?.replay ?? []) {
    const paragraph = await tx.objectStore('paragraphs').get(r.id);
    examples.push({ paragraphId: r.id, encoderId: head!.encoderId, embedding: r.embedding, label: r.label, weight: r.weight, text: paragraph?.text ?? '' });
  }
  return { cards, reviewLogs, snippets, words, settings: settings as unknown as Record<string, unknown>, examples };
}
