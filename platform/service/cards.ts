/**
 * The learner's changes to single cards from the review page: edit the note or tags,
 * suspend, delete. Each is one IndexedDB transaction on the `cards` store only, so review
 * logs (which still describe how this learner forgets) and the snippet a card came from are
 * never touched.
 */
import * as v from 'valibot';
import { CardError, ReviewCardSchema, editCard, setSuspended, toReviewItem, type CardEdit, type ReviewCard } from '../../lib/review';
import type { RequestOf, ResponseOf } from '../../lib/protocol';
import type { CardRecord, ReaderDB } from '../db';
import type { IDBPTransaction } from 'idb';
import type { ServiceDeps } from './deps';

type CardsTx = IDBPTransaction<ReaderDB, ['cards'], 'readwrite'>;

function unknownCard(cardId: string): CardError {
  return new CardError(`There is no card ${cardId} (it may have been deleted on another page).`);
}

/**
 * Reads a card, applies `change`, checks the result still is a valid card and stores it.
 * Every failure is found before anything is written, so the transaction then simply commits
 * having changed nothing (no abort, whose rejected `done` would need handling too).
 */
async function updateCard(deps: ServiceDeps, cardId: string, change: (card: ReviewCard, now: number) => ReviewCard): Promise<ReviewCard> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx: CardsTx = db.transaction(['cards'], 'readwrite');
  const store = tx.objectStore('cards');
  const card = (await store.get(cardId)) as unknown as ReviewCard | undefined;
  let next: ReviewCard | undefined;
  let failure: unknown;
  if (!card) failure = unknownCard(cardId);
  else {
    try {
      next = change(card, now);
      // The reply is validated against this schema; a card that would not pass must not be stored.
      const checked = v.safeParse(ReviewCardSchema, next);
      if (!checked.success) failure = new CardError(`The edited card is not valid: ${checked.issues[0]?.message ?? 'unknown problem'}`);
    } catch (e) {
      failure = e;
    }
  }
  if (failure !== undefined || !next) {
    await tx.done;
    throw failure;
  }
  if (next !== card) await store.put(next as unknown as CardRecord);
  await tx.done;
  return next;
}

export async function handleEditCard(deps: ServiceDeps, req: RequestOf<'review.editCard'>): Promise<ResponseOf<'review.editCard'>> {
  const edit: CardEdit = {};
  if (req.note !== undefined) edit.note = req.note;
  if (req.tags !== undefined) edit.tags = req.tags;
  return { card: await updateCard(deps, req.cardId, (card, now) => editCard(card, edit, now)) };
}

/** A suspended card keeps its due time, so unsuspending puts it back where it was. */
export async function handleSuspendCard(deps: ServiceDeps, req: RequestOf<'review.suspendCard'>): Promise<ResponseOf<'review.suspendCard'>> {
  return { card: await updateCard(deps, req.cardId, (card, now) => setSuspended(card, req.suspended, now)) };
}

/**
 * The suspended cards, drawn as `review.due` draws a card, so the review page can list them
 * and bring one back. There is no index on `suspended` (nothing else asks for it), so the
 * store is walked with a cursor: only the suspended cards are kept in memory, not every card.
 */
export async function handleSuspendedCards(deps: ServiceDeps): Promise<ResponseOf<'review.suspended'>> {
  const db = await deps.db();
  const tx = db.transaction('cards', 'readonly');
  const suspended: ReviewCard[] = [];
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    const card = cursor.value as unknown as ReviewCard;
    if (card.suspended) suspended.push(card);
  }
  await tx.done;
  // Suspending sets updatedAt, so the card the learner just took out of the queue comes first.
  suspended.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items: suspended.map(toReviewItem) };
}

/**
 * Deletes one card. A card already gone answers `deleted: false` instead of an error, so a
 * retried request (or a second open review tab) does not show the learner a failure.
 */
export async function handleDeleteCard(deps: ServiceDeps, req: RequestOf<'review.deleteCard'>): Promise<ResponseOf<'review.deleteCard'>> {
  const db = await deps.db();
  const tx: CardsTx = db.transaction(['cards'], 'readwrite');
  const store = tx.objectStore('cards');
  const exists = (await store.getKey(req.cardId)) !== undefined;
  if (exists) await store.delete(req.cardId);
  await tx.done;
  return { deleted: exists };
}
