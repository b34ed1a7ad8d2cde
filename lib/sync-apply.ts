/**
 * What the merged sync view (lib/sync-view.ts) changes in this device's stores, decided
 * without touching them: the storage adapter writes the plan in one transaction.
 *
 * The rule is that local data is never rolled back. A record this device changed after it
 * last sent it (its stamp in the outbox differs, lib/sync-outbox.ts) is held back: the view
 * does not know that change yet, and writing the view would undo it; it goes out with the
 * next segment and comes back merged. The same holds for a card with an answer the view does
 * not have, and for an explicit word mark made here later than the view's. A device that has
 * never sent anything (it is joining) takes the view's settings: its own are the defaults. Everything else takes the view's value: cards with their replayed schedules, the
 * answers of every device, merged snippets, the latest explicit word marks, learner settings.
 * Deleted cards go with their answers; undone answers go.
 *
 * Records written from the view are stamped as sent, so they are not echoed back.
 */
import type { Learner, WordRecord } from './learner';
import type { ReviewCard, ReviewLogEntry } from './review';
import type { Snippet } from './snippet';
import { canonicalJson, type SyncState } from './sync-log';
import { SYNCED_SETTINGS, reviewEventId } from './sync-outbox';
import type { SyncView } from './sync-view';

export interface LocalForApply {
  readonly cards: readonly ReviewCard[];
  readonly reviewLogs: readonly ReviewLogEntry[];
  readonly snippets: readonly Snippet[];
  readonly learner: Learner;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface ApplyPlan {
  readonly putCards: ReviewCard[];
  readonly deleteCards: string[];
  readonly putLogs: ReviewLogEntry[];
  readonly deleteLogs: string[];
  readonly putSnippets: Snippet[];
  /** The learner with the synced marks, or null when no mark changed. */
  readonly learner: Learner | null;
  /** Settings fields to change, or null. */
  readonly settingsPatch: Record<string, unknown> | null;
  /** Ids of records held back because they changed here since they were last sent. */
  readonly heldBack: string[];
  /** The outbox stamps with the records written from the view marked as sent. */
  readonly stamps: Map<string, string>;
}

const cardStamp = (c: ReviewCard) => `${c.updatedAt}:${c.suspended ? 1 : 0}`;
const snippetStamp = (s: Snippet) => `${s.marks.map((m) => `${m.start}-${m.end}`).join(',')}:${s.contextStart}+${s.context.length}`;

export function planApply(view: SyncView, state: SyncState, local: LocalForApply, sent: ReadonlyMap<string, string>): ApplyPlan {
  const stamps = new Map(sent);
  const heldBack: string[] = [];
  /** Whether the local record is as it was when last sent (or there is none). */
  const unchangedHere = (key: string, localStamp: string | undefined) => localStamp === undefined || sent.get(key) === localStamp;

  const localCards = new Map(local.cards.map((c) => [c.id, c]));
  const localLogs = new Map(local.reviewLogs.map((l) => [l.id, l]));
  const viewLogs = new Map(view.reviewLogs.map((l) => [l.id, l]));
  const logsOfCard = new Map<string, ReviewLogEntry[]>();
  for (const l of local.reviewLogs) logsOfCard.set(l.cardId, [...(logsOfCard.get(l.cardId) ?? []), l]);

  const putCards: ReviewCard[] = [];
  const putLogs: ReviewLogEntry[] = [];
  const deleteLogs: string[] = [];
  for (const card of view.cards) {
    const mine = localCards.get(card.id);
    const unsentAnswer = (logsOfCard.get(card.id) ?? []).some((l) => !viewLogs.has(l.id) && !state.undone.has(reviewEventId(l)));
    if ((mine && !unchangedHere(`card:${card.id}`, cardStamp(mine))) || unsentAnswer) {
      heldBack.push(card.id);
      continue;
    }
    if (!mine || canonicalJson(mine) !== canonicalJson(card)) putCards.push(card);
    stamps.set(`card:${card.id}`, cardStamp(card));
    for (const l of logsOfCard.get(card.id) ?? []) {
      if (!viewLogs.has(l.id)) {
        deleteLogs.push(l.id);
        stamps.set(`review:${l.id}`, 'deleted');
      }
    }
  }
  const held = new Set(heldBack);
  for (const log of view.reviewLogs) {
    if (held.has(log.cardId)) continue;
    const mine = localLogs.get(log.id);
    if (!mine || canonicalJson(mine) !== canonicalJson(log)) putLogs.push(log);
    stamps.set(`review:${log.id}`, '1');
  }
  const deleteCards: string[] = [];
  for (const cardId of state.deletedCards.keys()) {
    if (!localCards.has(cardId)) continue;
    deleteCards.push(cardId);
    stamps.set(`card:${cardId}`, 'deleted');
    for (const l of logsOfCard.get(cardId) ?? []) {
      deleteLogs.push(l.id);
      stamps.set(`review:${l.id}`, 'deleted');
    }
  }

  const localSnippets = new Map(local.snippets.map((s) => [s.id, s]));
  const putSnippets: Snippet[] = [];
  for (const snippet of view.snippets) {
    const mine = localSnippets.get(snippet.id);
    if (mine && !unchangedHere(`snippet:${snippet.id}`, snippetStamp(mine))) {
      heldBack.push(snippet.id);
      continue;
    }
    if (!mine || canonicalJson(mine) !== canonicalJson(snippet)) putSnippets.push(snippet);
    stamps.set(`snippet:${snippet.id}`, snippetStamp(snippet));
  }

  // Word marks carry the time they were made: the later mark wins, here as in the merge.
  let words: Record<string, WordRecord> | null = null;
  for (const w of view.words) {
    const mine = Object.hasOwn(local.learner.words, w.key) ? local.learner.words[w.key]! : undefined;
    if (mine?.explicit && (mine.state === w.state || mine.updatedAt > w.at)) {
      if (mine.state !== w.state) heldBack.push(`word:${w.key}`);
      continue;
    }
    const base: WordRecord = mine ?? { state: 'unknown', explicit: false, cleanExposures: 0, lookups: 0, form: w.form, updatedAt: w.at };
    const { knownAt, ...rest } = base;
    const record: WordRecord =
      w.state === 'known'
        ? { ...rest, state: w.state, explicit: true, updatedAt: w.at, knownAt: base.state === 'known' && knownAt !== undefined ? knownAt : w.at }
        : { ...rest, state: w.state, explicit: true, updatedAt: w.at };
    words ??= { ...local.learner.words };
    Object.defineProperty(words, w.key, { value: record, enumerable: true, writable: true, configurable: true });
    stamps.set(`word:${w.key}`, `${w.state}:${w.at}`);
  }

  let settingsPatch: Record<string, unknown> | null = null;
  const synced = new Set<string>(SYNCED_SETTINGS);
  for (const [field, value] of view.settings) {
    if (!synced.has(field)) continue;
    const mine = Object.hasOwn(local.settings, field) ? canonicalJson(local.settings[field]) : undefined;
    if (mine === canonicalJson(value)) continue;
    // A device that has never sent anything takes the learner's settings as they are.
    if (sent.size > 0 && !unchangedHere(`setting:${field}`, mine)) {
      heldBack.push(`setting:${field}`);
      continue;
    }
    (settingsPatch ??= {})[field] = value;
    stamps.set(`setting:${field}`, canonicalJson(value));
  }

  return {
    putCards,
    deleteCards,
    putLogs,
    deleteLogs,
    putSnippets,
    learner: words ? { ...local.learner, words } : null,
    settingsPatch,
    heldBack,
    stamps,
  };
}
