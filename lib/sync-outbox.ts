/**
 * What this device has to tell the others: its records (cards, answers, snippets, explicit
 * word marks, settings, relevance examples) compared with what it has already sent, as
 * synced events (lib/sync-log.ts). Comparing records rather than hooking every handler means
 * that everything learnt before sync was turned on goes out on the first sync, and that no
 * change can be missed by a code path that forgot to report it.
 *
 * What was sent is kept as one stamp per record, a short string that changes when the record
 * does (a card's edit time, a snippet's marks and context, a word's state and time, a
 * setting's JSON). A record whose stamp differs is sent again; a card or answer that has
 * gone since it was sent is sent as a deletion or an undo. Records this device receives
 * from others should be stamped as sent when they are written, so they are not echoed back
 * (an echo would merge to nothing, but costs bytes). For the same reason a device joining
 * an account applies what it pulls before it computes its first outgoing events: otherwise
 * its default settings, sent with the current time, would win over the learner's own.
 *
 * Event ids of answers come from the answer itself (the card and the time), so the same
 * answer reported twice is one event; every other event gets a fresh id from the caller.
 */
import type { ReviewCard, ReviewLogEntry } from './review';
import type { Snippet } from './snippet';
import { packEmbedding } from './sync-embedding';
import { canonicalJson, type SyncEvent, type WordMark } from './sync-log';

/**
 * Settings that follow the learner from device to device. Left out, because they belong to
 * the device: `onboarded` (each browser shows its own welcome), `encoderId` (what the
 * device can run), `pausedEverywhere`/`pausedSites` (with the site access granted in that
 * browser), `ankiApiKey` (the key of the Anki on that computer), `version`.
 */
export const SYNCED_SETTINGS = [
  'targetLang',
  'nativeLang',
  'interests',
  'budgetMinutes',
  'rolloverHour',
  'density',
  'desiredRetention',
  'reviewNudge',
  'ankiDeck',
  'ankiNoteTypes',
  'studiedLanguages',
  'keepPagesDays',
  'underlineNewWords',
] as const;

/** A remembered relevance label, with what it takes to rebuild the head elsewhere. */
export interface LocalExample {
  readonly paragraphId: string;
  readonly encoderId: string;
  readonly embedding: Float32Array | readonly number[];
  readonly label: 0 | 1;
  readonly weight: number;
  /** The paragraph's text ('' when the page has since been forgotten). */
  readonly text: string;
}

/** The device's records, as the storage adapter reads them. */
export interface LocalRecords {
  readonly cards: readonly ReviewCard[];
  readonly reviewLogs: readonly ReviewLogEntry[];
  readonly snippets: readonly Snippet[];
  /** Explicit marks only (implicit word states stay on the device). */
  readonly words: readonly { key: string; form: string; state: WordMark; at: number }[];
  readonly settings: Readonly<Record<string, unknown>>;
  readonly examples: readonly LocalExample[];
}

/** The outbox key of a relevance example: one per paragraph, label and embedding space. */
export function exampleStampKey(x: { readonly encoderId: string; readonly paragraphId: string; readonly label: 0 | 1 }): string {
  return `example:${x.encoderId}:${x.paragraphId}:${x.label}`;
}

/** Stamps of what was sent, by record ("card:<id>", "review:<id>", ...). */
export type SentStamps = ReadonlyMap<string, string>;

/** The id of the synced event for an answer: the same answer always gives the same id. */
export const reviewEventId = (log: { id: string }) => `review:${log.id}`;

const DELETED = 'deleted';

export function outgoingEvents(
  local: LocalRecords,
  sent: SentStamps,
  context: { device: string; now: number; newId: () => string },
): { events: SyncEvent[]; stamps: Map<string, string> } {
  const { device, now, newId } = context;
  const stamps = new Map(sent);
  const events: SyncEvent[] = [];
  /** Records a stamp; true when the record changed since it was last sent. */
  const changed = (key: string, stamp: string) => {
    if (stamps.get(key) === stamp) return false;
    stamps.set(key, stamp);
    return true;
  };

  const cardIds = new Set(local.cards.map((c) => c.id));
  for (const card of local.cards) {
    if (changed(`card:${card.id}`, `${card.updatedAt}:${card.suspended ? 1 : 0}`)) events.push({ id: newId(), device, at: card.updatedAt, kind: 'card', card });
  }
  for (const [key, stamp] of sent) {
    if (!key.startsWith('card:') || stamp === DELETED) continue;
    const cardId = key.slice('card:'.length);
    if (cardIds.has(cardId)) continue;
    stamps.set(key, DELETED);
    events.push({ id: newId(), device, at: now, kind: 'card-delete', cardId });
  }

  const logIds = new Set(local.reviewLogs.map((l) => l.id));
  for (const log of local.reviewLogs) {
    if (changed(`review:${log.id}`, '1')) {
      events.push({ id: reviewEventId(log), device, at: log.at, kind: 'review', cardId: log.cardId, rating: log.rating, durationMs: log.durationMs });
    }
  }
  for (const [key, stamp] of sent) {
    if (!key.startsWith('review:') || stamp === DELETED) continue;
    const logId = key.slice('review:'.length);
    if (logIds.has(logId)) continue;
    stamps.set(key, DELETED);
    // Answers that went with their card need no undo: the card's deletion says it all.
    const cardId = logId.slice(0, logId.lastIndexOf('@'));
    if (cardIds.has(cardId)) events.push({ id: newId(), device, at: now, kind: 'review-undo', reviewId: reviewEventId({ id: logId }) });
  }

  for (const snippet of local.snippets) {
    const stamp = `${snippet.marks.map((m) => `${m.start}-${m.end}`).join(',')}:${snippet.contextStart}+${snippet.context.length}`;
    if (changed(`snippet:${snippet.id}`, stamp)) events.push({ id: newId(), device, at: snippet.createdAt, kind: 'snippet', snippet });
  }

  for (const w of local.words) {
    if (changed(`word:${w.key}`, `${w.state}:${w.at}`)) events.push({ id: newId(), device, at: w.at, kind: 'word', key: w.key, form: w.form, state: w.state });
  }

  for (const field of SYNCED_SETTINGS) {
    if (!Object.hasOwn(local.settings, field)) continue;
    const value = local.settings[field];
    if (changed(`setting:${field}`, canonicalJson(value))) events.push({ id: newId(), device, at: now, kind: 'setting', field, value });
  }

  for (const x of local.examples) {
    if (!changed(exampleStampKey(x), '1')) continue;
    events.push({ id: newId(), device, at: now, kind: 'example', paragraphId: x.paragraphId, encoderId: x.encoderId, ...packEmbedding(x.embedding), label: x.label, weight: x.weight, text: x.text });
  }
  return { events, stamps };
}
