/**
 * What the merged sync state means for the learner's stores: cards with their schedules,
 * the review log, word marks, settings, snippets and relevance examples. Pure: the storage
 * adapter writes the result, and two devices with the same state get the same view.
 *
 * A card's schedule is rebuilt by replaying its answers (not undone) in time order, then by
 * event id, through the FSRS scheduler from a new card at its creation time: the rule of
 * lib/sync-log.ts for `review`. Suspension does not stop the replay of answers given before
 * it; a suspended card keeps the schedule its answers give.
 */
import { newSchedule, type ReviewCard, type ReviewLogEntry, type Scheduler } from './review';
import type { Snippet } from './snippet';
import { isLater, type ExampleEvent, type ReviewEvent, type SyncState, type WordMark } from './sync-log';

export interface SyncedWord {
  key: string;
  form: string;
  state: WordMark;
  at: number;
}

export interface SyncView {
  /** Cards not deleted, by id. */
  cards: ReviewCard[];
  /** Answers replayed, in time order. */
  reviewLogs: ReviewLogEntry[];
  words: SyncedWord[];
  /** Settings fields with their winning values, by field name. */
  settings: [string, unknown][];
  snippets: Snippet[];
  /** Relevance examples, oldest first: what the head is rebuilt from. */
  examples: ExampleEvent[];
}

const byTimeThenId = (a: { at: number; id: string }, b: { at: number; id: string }) => (isLater(a, b) ? 1 : isLater(b, a) ? -1 : 0);
const byKey = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function syncView(state: SyncState, scheduler: Scheduler): SyncView {
  const answers = new Map<string, ReviewEvent[]>();
  for (const r of state.reviews.values()) {
    if (state.undone.has(r.id)) continue;
    const list = answers.get(r.cardId);
    if (list) list.push(r);
    else answers.set(r.cardId, [r]);
  }
  const cards: ReviewCard[] = [];
  const reviewLogs: ReviewLogEntry[] = [];
  const logIds = new Set<string>();
  for (const [cardId, entry] of byKey(state.cards)) {
    if (state.deletedCards.has(cardId)) continue;
    const content = entry.latest.card;
    let card: ReviewCard = { ...content, createdAt: entry.createdAt, suspended: false, ...newSchedule(entry.createdAt) };
    for (const answer of (answers.get(cardId) ?? []).sort(byTimeThenId)) {
      const { card: next, log } = scheduler.rate(card, answer.rating, answer.at, answer.durationMs);
      card = next;
      // Two answers in the same millisecond would share the scheduler's log id.
      reviewLogs.push(logIds.has(log.id) ? { ...log, id: `${log.id}#${answer.id}` } : log);
      logIds.add(log.id);
    }
    cards.push({ ...card, suspended: content.suspended });
  }
  reviewLogs.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    cards,
    reviewLogs,
    words: byKey(state.words).map(([key, e]) => ({ key, form: e.form, state: e.state, at: e.at })),
    settings: byKey(state.settings).map(([field, e]) => [field, e.value]),
    snippets: byKey(state.snippets).map(([, e]) => e.snippet),
    examples: [...state.examples.values()].sort(byTimeThenId),
  };
}
