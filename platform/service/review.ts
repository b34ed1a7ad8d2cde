/**
 * The review queue: due cards, answers scheduled by FSRS (lib/review.ts), undo. Time spent
 * answering counts into today's load.
 */
import { createScheduler, dueCards, toReviewItem, undoLatest, type ReviewCard, type ReviewLogEntry } from '../../lib/review';
import { recordReview } from '../../lib/load';
import type { RequestOf, ResponseOf } from '../../lib/protocol';
import type { CardRecord, ReviewLogRecord } from '../db';
import type { ServiceDeps } from './deps';
import { atomically, readBudgetTx, readSettingsTx, readTodayTx } from './state';

/** New cards introduced per day, so a big save session does not bury the learner. */
export const NEW_CARDS_PER_DAY = 20;

export async function handleReviewDue(deps: ServiceDeps): Promise<ResponseOf<'review.due'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const due = (await db.getAllFromIndex('cards', 'by-due', IDBKeyRange.upperBound(now))) as unknown as ReviewCard[];
  const ordered = dueCards(due, now, { newLimit: NEW_CARDS_PER_DAY });
  return { items: ordered.map(toReviewItem), total: ordered.length };
}

export async function handleReviewRate(deps: ServiceDeps, req: RequestOf<'review.rate'>): Promise<ResponseOf<'review.rate'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx = db.transaction(['events', 'cards', 'reviewLogs', 'kv', 'daily'], 'readwrite');
  return atomically(tx, async () => {
    const seen = await tx.objectStore('events').get(req.eventId);
    if (seen) {
      await tx.done;
      return { nextDue: Number(seen.data.nextDue), duplicate: true };
    }
    const card = (await tx.objectStore('cards').get(req.cardId)) as unknown as ReviewCard | undefined;
    if (!card) {
      tx.abort();
      throw new Error('This card no longer exists (it may have been deleted on another page).');
    }
    const settings = await readSettingsTx(tx);
    const { card: next, log } = createScheduler({ requestRetention: settings.desiredRetention }).rate(card, req.rating, now, req.durationMs);
    await tx.objectStore('cards').put(next as unknown as CardRecord);
    await tx.objectStore('reviewLogs').put(log as unknown as ReviewLogRecord);
    const budget = await readBudgetTx(tx, settings);
    const { today } = await readTodayTx(tx, budget, settings, deps.clock);
    await tx.objectStore('daily').put(recordReview(today, log.durationMs / 60_000));
    await tx.objectStore('events').add({ eventId: req.eventId, kind: 'review', at: now, day: today.day, paragraphId: null, data: { cardId: card.id, logId: log.id, nextDue: next.due } });
    await tx.done;
    return { nextDue: next.due, duplicate: false };
  });
}

/** Undoes the latest answer of all (what the review page's undo means). */
export async function handleReviewUndo(deps: ServiceDeps): Promise<ResponseOf<'review.undo'>> {
  const db = await deps.db();
  const tx = db.transaction(['cards', 'reviewLogs', 'kv', 'daily'], 'readwrite');
  const cursor = await tx.objectStore('reviewLogs').index('by-time').openCursor(null, 'prev');
  if (!cursor) {
    await tx.done;
    return { undone: false };
  }
  const latest = cursor.value as unknown as ReviewLogEntry;
  const card = (await tx.objectStore('cards').get(latest.cardId)) as unknown as ReviewCard | undefined;
  if (!card) {
    await tx.done;
    return { undone: false };
  }
  const settings = await readSettingsTx(tx);
  const { card: restored } = undoLatest(createScheduler({ requestRetention: settings.desiredRetention }), card, [latest]);
  await tx.objectStore('cards').put(restored as unknown as CardRecord);
  await cursor.delete();
  await tx.done;
  return { undone: true };
}
