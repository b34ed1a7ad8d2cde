/**
 * Review cards made from snippets, and their scheduling with FSRS-6 (ts-fsrs).
 *
 * A marked word becomes a cloze card in its own sentence, because a word met again in the
 * context it was read in is remembered better than a bare word/translation pair; a snippet
 * without marked words becomes one "recall the gist" card.
 *
 * Cards and review logs are plain serialisable objects with times as epoch-ms numbers: they
 * are stored in IndexedDB, sent in runtime messages and written to JSON backups. ts-fsrs's
 * Date-based objects exist only inside this module.
 */
import * as v from 'valibot';
import { createEmptyCard, fsrs, generatorParameters, Rating, type Card as FsrsCard, type Grade, type ReviewLog as FsrsLog, type StepUnit } from 'ts-fsrs';
import { contentHash, normaliseWhitespace, safeLocale, wordTokens } from './text.ts';
import {
  MAX_EPOCH_MS,
  MAX_ID_CHARS,
  MAX_TITLE_CHARS,
  MAX_URL_CHARS,
  sentenceSpans,
  sentencesAround,
  type Snippet,
  type TextSpan,
} from './snippet.ts';

/** 1 Again, 2 Hard, 3 Good, 4 Easy: the same numbers as ts-fsrs and Anki, and the keys the
 *  review page answers to. */
export type ReviewRating = 1 | 2 | 3 | 4;
export const RATINGS: readonly ReviewRating[] = [1, 2, 3, 4];
export const RATING_LABELS: Readonly<Record<ReviewRating, string>> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

/** 0 New, 1 Learning, 2 Review, 3 Relearning (ts-fsrs State). */
export type CardState = 0 | 1 | 2 | 3;

export const MAX_CARD_TEXT_CHARS = 5000;
/** A cloze sentence longer than this is cut to a window around the hidden word. */
export const MAX_CLOZE_SENTENCE_CHARS = 400;
export const MAX_NOTE_CHARS = 2000;
export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 60;
/** Longer answer times are logged as this: the tab was left open, not the card studied. */
export const MAX_REVIEW_DURATION_MS = 10 * 60 * 1000;
const MAX_COUNT = 1_000_000;

/** FSRS memory state of one card, with times as epoch ms (when it is due is `ReviewCard.due`). */
export interface CardSchedule {
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: CardState;
  lastReview: number | null;
}

interface CardBase {
  id: string;
  snippetId: string;
  lang: string;
  source: { url: string; title: string };
  /** The learner's own note, shown with the answer. */
  note: string;
  tags: string[];
  suspended: boolean;
  createdAt: number;
  /** Last edit of the content (not of the schedule). */
  updatedAt: number;
  /** When the card is next due, epoch ms; top-level because the storage layer indexes it. */
  due: number;
  schedule: CardSchedule;
}

/** The dictionary meaning a cloze card was saved with (the word card's chosen sense). */
export interface CardSense {
  lemma: string;
  /** noun, verb, adjective, adverb. */
  pos: string;
  gloss: string;
}

/** `text` is the sentence; `cloze` the span of the hidden word in it; `sense` its meaning there, when saved from a look-up. */
export interface ClozeCard extends CardBase {
  kind: 'cloze';
  text: string;
  cloze: TextSpan;
  sense?: CardSense;
}

/** `text` is the passage to recall; `cue` the opening words shown as the prompt. */
export interface GistCard extends CardBase {
  kind: 'gist';
  text: string;
  cue: string;
}

export type ReviewCard = ClozeCard | GistCard;

/**
 * One answer, kept so that FSRS parameters can be fitted to this learner later, and so that
 * the answer can be undone. The memory fields hold the state *before* the answer, which is
 * what ts-fsrs's rollback needs.
 */
export interface ReviewLogEntry {
  id: string;
  cardId: string;
  rating: ReviewRating;
  /** Card state before the answer. */
  state: CardState;
  /** When the answer was given, epoch ms. */
  at: number;
  /** Whole days since the previous review (0 for the first). */
  elapsedDays: number;
  lastElapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  stability: number;
  difficulty: number;
  /** Exact due time and last review before the answer, restored on undo. */
  previousDue: number;
  previousLastReview: number | null;
  /** Time the learner took to answer, capped at MAX_REVIEW_DURATION_MS. */
  durationMs: number;
}

/** What the review page shows: the card and its two sides as plain text. */
export interface ReviewItem {
  card: ReviewCard;
  front: string;
  back: string;
}

/** Raised for an impossible card operation; `message` is written for the learner. */
export class CardError extends Error {
  override name = 'CardError';
}

// ---------------------------------------------------------------------------------------
// Conversion between our plain records and ts-fsrs's Date-based ones.

function toFsrsCard({ due, schedule: s }: { due: number; schedule: CardSchedule }): FsrsCard {
  const card: FsrsCard = {
    due: new Date(due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
  };
  if (s.lastReview !== null) card.last_review = new Date(s.lastReview);
  return card;
}

function fromFsrsCard(c: FsrsCard): { due: number; schedule: CardSchedule } {
  const schedule: CardSchedule = {
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as number as CardState,
    lastReview: c.last_review ? c.last_review.getTime() : null,
  };
  return { due: c.due.getTime(), schedule };
}

function toFsrsLog(log: ReviewLogEntry): FsrsLog {
  return {
    rating: log.rating as number as Rating,
    state: log.state,
    // ts-fsrs keeps the previous last review (or, for a new card, the due time) here.
    due: new Date(log.previousLastReview ?? log.previousDue),
    stability: log.stability,
    difficulty: log.difficulty,
    elapsed_days: log.elapsedDays,
    last_elapsed_days: log.lastElapsedDays,
    scheduled_days: log.scheduledDays,
    learning_steps: log.learningSteps,
    review: new Date(log.at),
  };
}

/** Due time and schedule of a card never reviewed: due at `now`. */
export function newSchedule(now: number): { due: number; schedule: CardSchedule } {
  return fromFsrsCard(createEmptyCard(new Date(now)));
}

// ---------------------------------------------------------------------------------------
// Making cards.

function foldWord(word: string, lang: string): string {
  return normaliseWhitespace(word).toLocaleLowerCase(safeLocale(lang));
}

/** Cuts an over-long sentence to a window around `span`, at word boundaries. */
function clozeWindow(sentence: string, span: TextSpan, lang: string): { text: string; cloze: TextSpan } {
  if (sentence.length <= MAX_CLOZE_SENTENCE_CHARS) return { text: sentence, cloze: span };
  // Centre a window of the maximum length on the word, shifted to stay inside the sentence.
  const room = Math.max(0, MAX_CLOZE_SENTENCE_CHARS - (span.end - span.start));
  let start = Math.max(0, Math.min(span.start - Math.floor(room / 2), sentence.length - MAX_CLOZE_SENTENCE_CHARS));
  let end = Math.max(span.end, Math.min(sentence.length, start + MAX_CLOZE_SENTENCE_CHARS));
  // Snap inwards to word starts/ends so no word is cut in half.
  const tokens = wordTokens(sentence, lang);
  const first = tokens.find((t) => t.index >= start && t.index <= span.start);
  const last = [...tokens].reverse().find((t) => t.index + t.word.length <= end && t.index + t.word.length >= span.end);
  start = first ? first.index : span.start;
  end = last ? last.index + last.word.length : span.end;
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < sentence.length ? ' …' : '';
  return {
    text: prefix + sentence.slice(start, end) + suffix,
    cloze: { start: span.start - start + prefix.length, end: span.end - start + prefix.length },
  };
}

/** The opening words of a passage, as the prompt of a gist card. */
function gistCue(text: string, lang: string): string {
  const tokens = wordTokens(text, lang);
  const n = Math.max(3, Math.min(8, Math.floor(tokens.length / 3)));
  if (tokens.length <= n) return text;
  const last = tokens[n - 1]!;
  return text.slice(0, last.index + last.word.length) + ' …';
}

export function cardId(snippetId: string, part: string): string {
  return 'c_' + contentHash(snippetId + '\u0000' + part);
}

function baseFields(snippet: Snippet, now: number, tags: readonly string[]) {
  return {
    snippetId: snippet.id,
    lang: snippet.lang,
    source: { url: snippet.url, title: snippet.title },
    note: '',
    tags: normaliseTags(tags),
    suspended: false,
    createdAt: now,
    updatedAt: now,
    ...newSchedule(now),
  };
}

/**
 * The cards a snippet yields: one cloze card per distinct marked word (its first marked
 * occurrence, in its own sentence), or one gist card when nothing is marked. Ids are derived
 * from the snippet and the mark, so building the cards of a snippet again (after more words
 * were marked) gives the old cards the same ids; store only the ids not yet stored.
 */
export function cardsFromSnippet(
  snippet: Snippet,
  now: number,
  options: { tags?: readonly string[]; sense?: CardSense & { word: string } } = {},
): ReviewCard[] {
  const tags = options.tags ?? [];
  const senseKey = options.sense ? foldWord(options.sense.word, snippet.lang) : null;
  if (snippet.marks.length === 0) {
    const card: GistCard = {
      id: cardId(snippet.id, 'gist'),
      kind: 'gist',
      text: snippet.context,
      cue: gistCue(snippet.context, snippet.lang),
      ...baseFields(snippet, now, tags),
    };
    return [card];
  }
  const spans = sentenceSpans(snippet.passage, snippet.lang);
  const seen = new Set<string>();
  const cards: ReviewCard[] = [];
  for (const mark of snippet.marks) {
    const key = foldWord(mark.text, snippet.lang);
    if (seen.has(key)) continue;
    seen.add(key);
    const sentence = sentencesAround(spans, mark, snippet.passage.length);
    const { text, cloze } = clozeWindow(
      snippet.passage.slice(sentence.start, sentence.end),
      { start: mark.start - sentence.start, end: mark.end - sentence.start },
      snippet.lang,
    );
    const card: ClozeCard = {
      id: cardId(snippet.id, `${mark.start}:${mark.end}`),
      kind: 'cloze',
      text,
      cloze,
      ...baseFields(snippet, now, tags),
    };
    if (options.sense && key === senseKey) card.sense = { lemma: options.sense.lemma, pos: options.sense.pos, gloss: options.sense.gloss };
    cards.push(card);
  }
  return cards;
}

/** A saved meaning in one line: "bank (noun): sloping land beside a body of water". */
export function senseLine(sense: CardSense): string {
  return `${sense.lemma} (${sense.pos}): ${sense.gloss}`;
}

/** Front and back of a card as plain text (the review page draws the cloze blank itself). */
export function cardFaces(card: ReviewCard): { front: string; back: string } {
  const withNote = (s: string) => (card.note ? `${s}\n\n${card.note}` : s);
  if (card.kind === 'cloze') {
    const before = card.text.slice(0, card.cloze.start);
    const after = card.text.slice(card.cloze.end);
    return { front: `${before}[…]${after}`, back: withNote(card.sense ? `${card.text}\n\n${senseLine(card.sense)}` : card.text) };
  }
  return { front: `Recall the gist: ${card.cue}`, back: withNote(card.text) };
}

export function toReviewItem(card: ReviewCard): ReviewItem {
  return { card, ...cardFaces(card) };
}

// ---------------------------------------------------------------------------------------
// Editing, suspending, deleting.

/** Tags as Anki accepts them: no spaces inside, no duplicates, bounded. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const t = normaliseWhitespace(String(tag)).replaceAll(' ', '_').slice(0, MAX_TAG_CHARS);
    if (t && !out.includes(t)) out.push(t);
  }
  if (out.length > MAX_TAGS) throw new CardError(`A card can have at most ${MAX_TAGS} tags.`);
  return out;
}

export interface CardEdit {
  text?: string;
  /** New span of the hidden word in the (new) text; cloze cards only. */
  cloze?: TextSpan;
  /** New prompt; gist cards only. */
  cue?: string;
  note?: string;
  tags?: readonly string[];
}

function checkText(text: string, what: string): string {
  if (typeof text !== 'string' || normaliseWhitespace(text) === '') throw new CardError(`The ${what} cannot be empty.`);
  if (text.length > MAX_CARD_TEXT_CHARS) throw new CardError(`The ${what} can be at most ${MAX_CARD_TEXT_CHARS} characters long.`);
  return text;
}

/**
 * Applies the learner's edit. The schedule is kept: fixing a typo does not make the learner
 * forget the word. When a cloze card's text changes without a new span, the hidden word is
 * looked for in the new text.
 */
export function editCard(card: ReviewCard, edit: CardEdit, now: number): ReviewCard {
  const note = edit.note ?? card.note;
  if (note.length > MAX_NOTE_CHARS) throw new CardError(`A note can be at most ${MAX_NOTE_CHARS} characters long.`);
  const tags = edit.tags ? normaliseTags(edit.tags) : card.tags;
  const common = { note, tags, updatedAt: now };
  if (card.kind === 'gist') {
    if (edit.cloze) throw new CardError('A gist card has no hidden word.');
    const text = edit.text === undefined ? card.text : checkText(edit.text, 'passage');
    const cue = edit.cue === undefined ? card.cue : checkText(edit.cue, 'prompt');
    return { ...card, ...common, text, cue };
  }
  if (edit.cue !== undefined) throw new CardError('A cloze card has no prompt to edit; edit its sentence instead.');
  const text = edit.text === undefined ? card.text : checkText(edit.text, 'sentence');
  let cloze = edit.cloze;
  if (!cloze) {
    if (text === card.text) cloze = card.cloze;
    else {
      const answer = card.text.slice(card.cloze.start, card.cloze.end);
      const at = text.indexOf(answer);
      if (at < 0) throw new CardError(`"${answer}" is no longer in the sentence; mark the word to hide.`);
      cloze = { start: at, end: at + answer.length };
    }
  }
  const ok =
    Number.isInteger(cloze.start) &&
    Number.isInteger(cloze.end) &&
    cloze.start >= 0 &&
    cloze.start < cloze.end &&
    cloze.end <= text.length &&
    text.slice(cloze.start, cloze.end).trim() !== '';
  if (!ok) throw new CardError('The hidden word must be a non-empty part of the sentence.');
  return { ...card, ...common, text, cloze: { start: cloze.start, end: cloze.end } };
}

export function setSuspended(card: ReviewCard, suspended: boolean, now: number): ReviewCard {
  return card.suspended === suspended ? card : { ...card, suspended, updatedAt: now };
}

// ---------------------------------------------------------------------------------------
// Scheduling.

export interface SchedulerOptions {
  /** Target probability of recall when a card comes due (FSRS "desired retention"). */
  requestRetention?: number;
  maximumIntervalDays?: number;
  learningSteps?: readonly StepUnit[];
  relearningSteps?: readonly StepUnit[];
  /** Spread intervals a little so cards learnt together do not stay due together. */
  enableFuzz?: boolean;
  /** FSRS-6 weights fitted to this learner; ts-fsrs defaults otherwise. */
  weights?: readonly number[];
}

export interface Scheduler {
  /** Applies an answer: the card's new schedule and the log entry to store. */
  rate(card: ReviewCard, rating: ReviewRating, now: number, durationMs: number): { card: ReviewCard; log: ReviewLogEntry };
  /** When the card would next be due for each possible answer (epoch ms). */
  preview(card: ReviewCard, now: number): Record<ReviewRating, number>;
  /** Undoes the answer `log`, which must be the card's latest: the card as it was before. */
  undo(card: ReviewCard, log: ReviewLogEntry): ReviewCard;
  /** Probability of recall now, 0..1 (0 for a card never reviewed). */
  retrievability(card: ReviewCard, now: number): number;
}

function checkTime(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0 || now > MAX_EPOCH_MS) throw new CardError(`Invalid time: ${now}.`);
}

function checkRating(rating: number): asserts rating is ReviewRating {
  if (!RATINGS.includes(rating as ReviewRating)) throw new CardError(`A rating is 1 (Again) to 4 (Easy), not ${rating}.`);
}

export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const retention = options.requestRetention ?? 0.9;
  if (!(retention > 0 && retention < 1)) throw new CardError('Desired retention must lie between 0 and 1.');
  const params = generatorParameters({
    request_retention: retention,
    maximum_interval: options.maximumIntervalDays ?? 36500,
    enable_fuzz: options.enableFuzz ?? true,
    enable_short_term: true,
    learning_steps: options.learningSteps ?? ['1m', '10m'],
    relearning_steps: options.relearningSteps ?? ['10m'],
    ...(options.weights ? { w: options.weights } : {}),
  });
  const f = fsrs(params);

  return {
    rate(card, rating, now, durationMs) {
      checkRating(rating);
      checkTime(now);
      if (card.suspended) throw new CardError('A suspended card cannot be reviewed.');
      // A clock that went backwards (or a stale tab) must not produce a negative interval.
      const at = Math.max(now, card.schedule.lastReview ?? 0);
      const before = card.schedule;
      const { card: next, log } = f.next(toFsrsCard(card), new Date(at), rating as number as Grade);
      const entry: ReviewLogEntry = {
        id: `${card.id}@${at}`,
        cardId: card.id,
        rating,
        state: log.state as number as CardState,
        at,
        elapsedDays: log.elapsed_days,
        lastElapsedDays: log.last_elapsed_days,
        scheduledDays: log.scheduled_days,
        learningSteps: log.learning_steps,
        stability: log.stability,
        difficulty: log.difficulty,
        previousDue: card.due,
        previousLastReview: before.lastReview,
        durationMs: Number.isFinite(durationMs) ? Math.round(Math.min(Math.max(durationMs, 0), MAX_REVIEW_DURATION_MS)) : 0,
      };
      return { card: { ...card, ...fromFsrsCard(next) }, log: entry };
    },

    preview(card, now) {
      checkTime(now);
      const at = new Date(Math.max(now, card.schedule.lastReview ?? 0));
      const p = f.repeat(toFsrsCard(card), at);
      return {
        1: p[Rating.Again].card.due.getTime(),
        2: p[Rating.Hard].card.due.getTime(),
        3: p[Rating.Good].card.due.getTime(),
        4: p[Rating.Easy].card.due.getTime(),
      };
    },

    undo(card, log) {
      if (log.cardId !== card.id) throw new CardError('This review belongs to another card.');
      if (card.schedule.lastReview !== log.at) {
        throw new CardError('Only the latest review of a card can be undone.');
      }
      const prev = fromFsrsCard(f.rollback(toFsrsCard(card), toFsrsLog(log)));
      // ts-fsrs's rollback sets `due` to the review time; the log keeps the exact value.
      return { ...card, due: log.previousDue, schedule: { ...prev.schedule, lastReview: log.previousLastReview } };
    },

    retrievability(card, now) {
      if (card.schedule.state === 0 || card.schedule.lastReview === null) return 0;
      return f.get_retrievability(toFsrsCard(card), new Date(now), false);
    },
  };
}

/** The latest log entry of `cardId` (or of any card), by review time. */
export function latestLog(logs: readonly ReviewLogEntry[], cardId?: string): ReviewLogEntry | undefined {
  let best: ReviewLogEntry | undefined;
  for (const log of logs) {
    if (cardId !== undefined && log.cardId !== cardId) continue;
    if (!best || log.at > best.at) best = log;
  }
  return best;
}

/**
 * Undoes the latest answer given to `card`: the restored card and the logs without that
 * answer's entry. Throws CardError when the card has no review to undo.
 */
export function undoLatest(
  scheduler: Scheduler,
  card: ReviewCard,
  logs: readonly ReviewLogEntry[],
): { card: ReviewCard; logs: ReviewLogEntry[]; removed: ReviewLogEntry } {
  const removed = latestLog(logs, card.id);
  if (!removed) throw new CardError('This card has no review to undo.');
  return { card: scheduler.undo(card, removed), logs: logs.filter((l) => l !== removed), removed };
}

// ---------------------------------------------------------------------------------------
// The queue.

const queueRank = (state: CardState) => (state === 1 || state === 3 ? 0 : state === 2 ? 1 : 2);

/**
 * Cards due at `now`, in the order to study them: cards in (re)learning first, since their
 * short steps are time-sensitive; then reviews, most overdue first; then new cards, oldest
 * first (at most `newLimit` of them). Suspended cards never appear.
 */
export function dueCards(cards: readonly ReviewCard[], now: number, options: { newLimit?: number } = {}): ReviewCard[] {
  const due = cards.filter((c) => !c.suspended && c.due <= now);
  due.sort(
    (a, b) =>
      queueRank(a.schedule.state) - queueRank(b.schedule.state) ||
      a.due - b.due ||
      a.createdAt - b.createdAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const limit = options.newLimit;
  if (limit === undefined) return due;
  let newSeen = 0;
  return due.filter((c) => c.schedule.state !== 0 || newSeen++ < limit);
}

export function dueCount(cards: readonly ReviewCard[], now: number, options: { newLimit?: number } = {}): number {
  let count = 0;
  let fresh = 0;
  for (const c of cards) {
    if (c.suspended || c.due > now) continue;
    if (c.schedule.state === 0) fresh++;
    else count++;
  }
  return count + (options.newLimit === undefined ? fresh : Math.min(fresh, options.newLimit));
}

/** When the next card (not suspended) comes due, or null when there is none. */
export function nextDue(cards: readonly ReviewCard[]): number | null {
  let next: number | null = null;
  for (const c of cards) if (!c.suspended && (next === null || c.due < next)) next = c.due;
  return next;
}

// ---------------------------------------------------------------------------------------
// Schemas: what a stored or restored card or log must look like (used by lib/backup.ts).

const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_EPOCH_MS));
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_COUNT));
const real = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));
const cardState = v.picklist([0, 1, 2, 3] as const);
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS));
const cardText = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CARD_TEXT_CHARS));

export const CardScheduleSchema = v.strictObject({
  stability: real(0, MAX_COUNT),
  difficulty: real(0, 10),
  elapsedDays: count,
  scheduledDays: count,
  learningSteps: count,
  reps: count,
  lapses: count,
  state: cardState,
  lastReview: v.nullable(epochMs),
});

const cardBaseEntries = {
  id,
  snippetId: id,
  lang: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  source: v.strictObject({
    url: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)),
    title: v.pipe(v.string(), v.maxLength(MAX_TITLE_CHARS)),
  }),
  note: v.pipe(v.string(), v.maxLength(MAX_NOTE_CHARS)),
  tags: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TAG_CHARS), v.regex(/^\S+$/u))), v.maxLength(MAX_TAGS)),
  suspended: v.boolean(),
  createdAt: epochMs,
  updatedAt: epochMs,
  due: epochMs,
  schedule: CardScheduleSchema,
};

export const ReviewCardSchema = v.variant('kind', [
  v.pipe(
    v.strictObject({
      ...cardBaseEntries,
      kind: v.literal('cloze'),
      text: cardText,
      cloze: v.strictObject({ start: count, end: count }),
      sense: v.optional(
        v.strictObject({
          lemma: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
          pos: v.pipe(v.string(), v.maxLength(20)),
          gloss: v.pipe(v.string(), v.maxLength(MAX_NOTE_CHARS)),
        }),
      ),
    }),
    v.check((c) => c.cloze.start < c.cloze.end && c.cloze.end <= c.text.length, 'The hidden word lies outside the sentence.'),
  ),
  v.strictObject({
    ...cardBaseEntries,
    kind: v.literal('gist'),
    text: cardText,
    cue: cardText,
  }),
]);

export const ReviewLogSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS + 24)),
  cardId: id,
  rating: v.picklist([1, 2, 3, 4] as const),
  state: cardState,
  at: epochMs,
  elapsedDays: count,
  lastElapsedDays: count,
  scheduledDays: count,
  learningSteps: count,
  stability: real(0, MAX_COUNT),
  difficulty: real(0, 10),
  previousDue: epochMs,
  previousLastReview: v.nullable(epochMs),
  durationMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_REVIEW_DURATION_MS)),
});

// Keep the hand-written types and the schemas from drifting apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const cardSchemaMatches: Same<v.InferOutput<typeof ReviewCardSchema>, ReviewCard> = true;
const logSchemaMatches: Same<v.InferOutput<typeof ReviewLogSchema>, ReviewLogEntry> = true;
void cardSchemaMatches;
void logSchemaMatches;
