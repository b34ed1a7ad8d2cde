/**
 * The sync log: what one device tells the others about the learner, and the merge that
 * makes every device that has seen the same events hold the same state, whatever order the
 * events arrived in and however often.
 *
 * A synced event is `{ id, device, at, kind, ...payload }`: `id` is unique (the product's
 * own event id where it has one), `device` the device that wrote it, `at` when it happened
 * (epoch ms on that device's clock). Each device appends its own events in numbered
 * segments (1, 2, 3, ...); the state records which (device, segment) pairs it covers, and a
 * covered segment is skipped. Beyond that, every rule below is a join (commutative,
 * associative, idempotent), so even an event seen twice in two segments changes nothing.
 *
 * The rule of each kind:
 * - `review` (a card answered 1-4): every answer is kept. A card's schedule and review log
 *   are not synced but rebuilt by replaying its answers in time order (`at`, then `id`)
 *   through the FSRS scheduler from the card's creation (lib/sync-view.ts), so two devices
 *   that reviewed the same card offline both count, in the order they happened.
 * - `review-undo`: the undone answer is left out of the replay, on every device.
 * - `word` (an explicit mark: known, learning, unknown, ignored): per word key, the latest
 *   mark wins (`at`, ties broken by the larger `id`). Only explicit marks sync; what a device
 *   infers from reading (exposures, look-ups) stays on it, and explicit marks win there too.
 * - `setting`: per field, the latest value wins (`at`, then `id`): changing the daily
 *   budget on one device and the highlight density on another keeps both.
 * - `snippet` (a saved passage): per snippet id (URL + passage, so the same paragraph saved
 *   on two devices is one snippet), the earliest save gives title, time and language; the
 *   marked words are the union (in passage order, at most MAX_MARKS), the context the
 *   smallest span covering every save's context.
 * - `card` (a card made, edited, suspended or resumed): per card id, the content of the
 *   latest edit wins (`at`, then `id`); the creation time is the earliest seen. Its schedule
 *   comes from the replay, never from the event.
 * - `card-delete`: a deleted card stays deleted, whatever was edited or answered elsewhere
 *   (deleting is deliberate; a card coming back would surprise more than one going away).
 * - `example` (a relevance label with the paragraph's embedding): kept by id; per label
 *   class only the newest EXAMPLES_PER_CLASS (the head's own replay size), by (`at`, `id`).
 *   Each device's relevance head learns the merged examples it has not taken yet, once
 *   each (lib/sync-head.ts).
 *
 * A snapshot is a compacted state (winners only, where a rule keeps only winners) with the
 * segments it covers: a new device starts from it and applies only later segments, and
 * ends in the same state as one that applied every segment.
 */
import * as v from 'valibot';
import { ReviewCardSchema, type ReviewCard, type ReviewRating } from './review';
import { MAX_EPOCH_MS, MAX_ID_CHARS, MAX_MARKS, SnippetSchema, type MarkedWord, type Snippet } from './snippet';

export const SEGMENT_FORMAT = 'attention-reader-sync-segment';
export const SNAPSHOT_FORMAT = 'attention-reader-sync-snapshot';
export const SYNC_LOG_VERSION = 1;
/** Examples kept per label class: the relevance head's replay holds as many (lib/head.ts replayPerClass). */
export const EXAMPLES_PER_CLASS = 500;

export type WordMark = 'unknown' | 'learning' | 'known' | 'ignored';

interface EventBase {
  readonly id: string;
  readonly device: string;
  readonly at: number;
}

export interface ReviewEvent extends EventBase {
  readonly kind: 'review';
  readonly cardId: string;
  readonly rating: ReviewRating;
  readonly durationMs: number;
}
export interface ReviewUndoEvent extends EventBase {
  readonly kind: 'review-undo';
  /** The id of the `review` event undone. */
  readonly reviewId: string;
}
export interface WordEvent extends EventBase {
  readonly kind: 'word';
  /** The learner model's word key (lib/learner.ts learnerWordKey). */
  readonly key: string;
  readonly form: string;
  readonly state: WordMark;
}
export interface SettingEvent extends EventBase {
  readonly kind: 'setting';
  readonly field: string;
  /** Any JSON value; the settings schema checks it when it is applied. */
  readonly value: unknown;
}
export interface SnippetEvent extends EventBase {
  readonly kind: 'snippet';
  readonly snippet: Snippet;
}
export interface CardEvent extends EventBase {
  readonly kind: 'card';
  /** The card's content; its `due` and `schedule` are ignored (rebuilt from the answers). */
  readonly card: ReviewCard;
}
export interface CardDeleteEvent extends EventBase {
  readonly kind: 'card-delete';
  readonly cardId: string;
}
/** A relevance label: the paragraph, its embedding (int8, see lib/sync-embedding.ts) and the label. */
export interface ExampleEvent extends EventBase {
  readonly kind: 'example';
  readonly paragraphId: string;
  readonly encoderId: string;
  /** Base64 of one signed byte per dimension. */
  readonly embedding: string;
  /** Multiply a byte by this to get the component back. */
  readonly scale: number;
  readonly label: 0 | 1;
  readonly weight: number;
  /** The paragraph's text, so a device with another encoder can embed it again. */
  readonly text: string;
}

export type SyncEvent = ReviewEvent | ReviewUndoEvent | WordEvent | SettingEvent | SnippetEvent | CardEvent | CardDeleteEvent | ExampleEvent;
export type SyncEventKind = SyncEvent['kind'];

/** One device's numbered batch of events, as uploaded (before compression and encryption). */
export interface Segment {
  readonly format: typeof SEGMENT_FORMAT;
  readonly version: typeof SYNC_LOG_VERSION;
  readonly device: string;
  /** 1, 2, 3, ... per device. */
  readonly seq: number;
  readonly events: readonly SyncEvent[];
}

interface CardEntry {
  /** The latest content event. */
  readonly latest: CardEvent;
  readonly createdAt: number;
}
interface SnippetEntry {
  /** Event id and time of the earliest save (its fields are the snippet's). */
  readonly firstId: string;
  readonly firstAt: number;
  readonly snippet: Snippet;
}

/**
 * The merged state. Maps keyed by ids the learner's data supplies (a word could be
 * "__proto__"), never plain objects. Compare two states with `serialiseState`.
 */
export interface SyncState {
  /** Segments merged, per device. */
  readonly covered: Map<string, Set<number>>;
  readonly reviews: Map<string, ReviewEvent>;
  /** Ids of undone review events. */
  readonly undone: Set<string>;
  readonly words: Map<string, WordEvent>;
  readonly settings: Map<string, SettingEvent>;
  readonly snippets: Map<string, SnippetEntry>;
  readonly cards: Map<string, CardEntry>;
  /** Deleted card ids, with the earliest deletion time. */
  readonly deletedCards: Map<string, number>;
  readonly examples: Map<string, ExampleEvent>;
}

export function emptySyncState(): SyncState {
  return {
    covered: new Map(),
    reviews: new Map(),
    undone: new Set(),
    words: new Map(),
    settings: new Map(),
    snippets: new Map(),
    cards: new Map(),
    deletedCards: new Map(),
    examples: new Map(),
  };
}

/** A copy that can be merged into without changing `state` (events themselves are immutable). */
export function cloneSyncState(state: SyncState): SyncState {
  return {
    covered: new Map([...state.covered].map(([d, s]) => [d, new Set(s)])),
    reviews: new Map(state.reviews),
    undone: new Set(state.undone),
    words: new Map(state.words),
    settings: new Map(state.settings),
    snippets: new Map(state.snippets),
    cards: new Map(state.cards),
    deletedCards: new Map(state.deletedCards),
    examples: new Map(state.examples),
  };
}

/** Whether `a` happened after `b`: later time, or the same time and the larger id. */
export function isLater(a: { at: number; id: string }, b: { at: number; id: string }): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** Snippet saves joined: earliest save's fields, union of marks, hull of contexts. */
function joinSnippets(a: SnippetEntry, b: SnippetEntry): SnippetEntry {
  const [first, other] = isLater({ at: b.firstAt, id: b.firstId }, { at: a.firstAt, id: a.firstId }) ? [a, b] : [b, a];
  const base = first.snippet;
  // The id names URL + passage; a different passage under one id is not ours to merge.
  if (other.snippet.passage !== base.passage) return first;
  const marks: MarkedWord[] = [...base.marks];
  for (const m of other.snippet.marks) if (!marks.some((k) => k.start === m.start && k.end === m.end)) marks.push(m);
  marks.sort((x, y) => x.start - y.start || x.end - y.end || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
  const start = Math.min(base.contextStart, other.snippet.contextStart);
  const end = Math.max(base.contextStart + base.context.length, other.snippet.contextStart + other.snippet.context.length);
  const snippet: Snippet = { ...base, marks: marks.slice(0, MAX_MARKS), contextStart: start, context: base.passage.slice(start, end) };
  const paragraphId = base.paragraphId ?? other.snippet.paragraphId;
  if (paragraphId !== undefined) snippet.paragraphId = paragraphId;
  return { firstId: first.firstId, firstAt: first.firstAt, snippet };
}

function keepNewestExamples(examples: Map<string, ExampleEvent>, label: 0 | 1): void {
  let count = 0;
  let oldest: ExampleEvent | undefined;
  for (const e of examples.values()) {
    if (e.label !== label) continue;
    count++;
    if (!oldest || isLater(oldest, e)) oldest = e;
  }
  if (count > EXAMPLES_PER_CLASS && oldest) examples.delete(oldest.id);
}

/** Merges one event into `state`, in place. Idempotent, and the order of events never matters. */
export function mergeEvent(state: SyncState, e: SyncEvent): void {
  switch (e.kind) {
    case 'review':
      if (!state.reviews.has(e.id)) state.reviews.set(e.id, e);
      return;
    case 'review-undo':
      state.undone.add(e.reviewId);
      return;
    case 'word': {
      const held = state.words.get(e.key);
      if (!held || isLater(e, held)) state.words.set(e.key, e);
      return;
    }
    case 'setting': {
      const held = state.settings.get(e.field);
      if (!held || isLater(e, held)) state.settings.set(e.field, e);
      return;
    }
    case 'snippet': {
      const entry: SnippetEntry = { firstId: e.id, firstAt: e.at, snippet: e.snippet };
      const held = state.snippets.get(e.snippet.id);
      state.snippets.set(e.snippet.id, held ? joinSnippets(held, entry) : entry);
      return;
    }
    case 'card': {
      const held = state.cards.get(e.card.id);
      const latest = !held || isLater(e, held.latest) ? e : held.latest;
      const createdAt = held ? Math.min(held.createdAt, e.card.createdAt) : e.card.createdAt;
      state.cards.set(e.card.id, { latest, createdAt });
      return;
    }
    case 'card-delete': {
      const held = state.deletedCards.get(e.cardId);
      state.deletedCards.set(e.cardId, held === undefined ? e.at : Math.min(held, e.at));
      return;
    }
    case 'example':
      if (state.examples.has(e.id)) return;
      state.examples.set(e.id, e);
      keepNewestExamples(state.examples, e.label);
      return;
  }
}

export function coversSegment(state: SyncState, device: string, seq: number): boolean {
  return state.covered.get(device)?.has(seq) ?? false;
}

/** Merges `segment` into `state` in place; false (and nothing changed) when it was already merged. */
export function mergeSegment(state: SyncState, segment: Segment): boolean {
  if (coversSegment(state, segment.device, segment.seq)) return false;
  for (const e of segment.events) mergeEvent(state, e);
  let seqs = state.covered.get(segment.device);
  if (!seqs) state.covered.set(segment.device, (seqs = new Set()));
  seqs.add(segment.seq);
  return true;
}

/** `state` with `segments` merged, as a new state. */
export function applySegments(state: SyncState, segments: readonly Segment[]): SyncState {
  const next = cloneSyncState(state);
  for (const s of segments) mergeSegment(next, s);
  return next;
}

/** The segments of `device` that `state` covers, as the highest n such that 1..n are all covered. */
export function coveredThrough(state: SyncState, device: string): number {
  const seqs = state.covered.get(device);
  let n = 0;
  while (seqs?.has(n + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------
// Serialisation: canonical JSON (sorted keys), so equal states give equal bytes.

function sortedEntries<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Sequence numbers as [first, last] runs: a year of daily segments is one pair. */
export function toRuns(seqs: Iterable<number>): [number, number][] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}

function fromRuns(runs: readonly (readonly [number, number])[]): Set<number> {
  const out = new Set<number>();
  for (const [a, b] of runs) for (let n = a; n <= b; n++) out.add(n);
  return out;
}

/** JSON with object keys in sorted order at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: (v as Record<string, unknown>)[k], enumerable: true });
      return out;
    }
    return v;
  });
}

export interface SerialisedState {
  covered: [string, [number, number][]][];
  reviews: ReviewEvent[];
  undone: string[];
  words: WordEvent[];
  settings: SettingEvent[];
  snippets: SnippetEntry[];
  cards: CardEntry[];
  deletedCards: [string, number][];
  examples: ExampleEvent[];
}

export function serialiseState(state: SyncState): SerialisedState {
  return {
    covered: sortedEntries(state.covered).map(([d, s]) => [d, toRuns(s)]),
    reviews: sortedEntries(state.reviews).map(([, e]) => e),
    undone: [...state.undone].sort(),
    words: sortedEntries(state.words).map(([, e]) => e),
    settings: sortedEntries(state.settings).map(([, e]) => e),
    snippets: sortedEntries(state.snippets).map(([, e]) => e),
    cards: sortedEntries(state.cards).map(([, e]) => e),
    deletedCards: sortedEntries(state.deletedCards),
    examples: sortedEntries(state.examples).map(([, e]) => e),
  };
}

/** Whether two states hold the same thing (for tests and for "nothing new" checks). */
export function sameState(a: SyncState, b: SyncState): boolean {
  return canonicalJson(serialiseState(a)) === canonicalJson(serialiseState(b));
}

// ---------------------------------------------------------------------------------------
// Schemas: what a segment or snapshot from another device must look like before it is merged.

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS + 24));
const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_EPOCH_MS));
const base = { id, device: id, at: epochMs };
const MAX_EXAMPLE_TEXT_CHARS = 20_000;
const MAX_EMBEDDING_CHARS = 8192;

export const SyncEventSchema = v.variant('kind', [
  v.strictObject({
    ...base,
    kind: v.literal('review'),
    cardId: id,
    rating: v.picklist([1, 2, 3, 4] as const),
    durationMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(3_600_000)),
  }),
  v.strictObject({ ...base, kind: v.literal('review-undo'), reviewId: id }),
  v.strictObject({ ...base, kind: v.literal('word'), key: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), form: v.pipe(v.string(), v.maxLength(200)), state: v.picklist(['unknown', 'learning', 'known', 'ignored'] as const) }),
  v.strictObject({ ...base, kind: v.literal('setting'), field: v.pipe(v.string(), v.minLength(1), v.maxLength(100)), value: v.unknown() }),
  v.strictObject({ ...base, kind: v.literal('snippet'), snippet: SnippetSchema }),
  v.strictObject({ ...base, kind: v.literal('card'), card: ReviewCardSchema }),
  v.strictObject({ ...base, kind: v.literal('card-delete'), cardId: id }),
  v.strictObject({
    ...base,
    kind: v.literal('example'),
    paragraphId: id,
    encoderId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    embedding: v.pipe(v.string(), v.maxLength(MAX_EMBEDDING_CHARS), v.regex(/^[A-Za-z0-9+/]*={0,2}$/)),
    scale: v.pipe(v.number(), v.finite(), v.minValue(0)),
    label: v.picklist([0, 1] as const),
    weight: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(100)),
    text: v.pipe(v.string(), v.maxLength(MAX_EXAMPLE_TEXT_CHARS)),
  }),
]);

export const SegmentSchema = v.strictObject({
  format: v.literal(SEGMENT_FORMAT),
  version: v.literal(SYNC_LOG_VERSION),
  device: id,
  seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  events: v.array(SyncEventSchema),
});

const runs = v.array(v.tuple([v.pipe(v.number(), v.safeInteger(), v.minValue(1)), v.pipe(v.number(), v.safeInteger(), v.minValue(1))]));

export const SnapshotSchema = v.strictObject({
  format: v.literal(SNAPSHOT_FORMAT),
  version: v.literal(SYNC_LOG_VERSION),
  /** The device that made it, and when. */
  device: id,
  at: epochMs,
  state: v.strictObject({
    covered: v.array(v.tuple([id, runs])),
    reviews: v.array(v.any()),
    undone: v.array(id),
    words: v.array(v.any()),
    settings: v.array(v.any()),
    snippets: v.array(v.strictObject({ firstId: id, firstAt: epochMs, snippet: SnippetSchema })),
    cards: v.array(v.strictObject({ latest: v.any(), createdAt: epochMs })),
    deletedCards: v.array(v.tuple([id, epochMs])),
    examples: v.array(v.any()),
  }),
});

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SYNC_LOG_VERSION;
  readonly device: string;
  readonly at: number;
  readonly state: SerialisedState;
}

export function makeSegment(device: string, seq: number, events: readonly SyncEvent[]): Segment {
  return { format: SEGMENT_FORMAT, version: SYNC_LOG_VERSION, device, seq, events };
}

export function makeSnapshot(state: SyncState, device: string, at: number): Snapshot {
  return { format: SNAPSHOT_FORMAT, version: SYNC_LOG_VERSION, device, at, state: serialiseState(state) };
}

/** Throws a valibot error when `data` is not a segment; the caller reports it as corrupt. */
export function parseSegment(data: unknown): Segment {
  return v.parse(SegmentSchema, data) as Segment;
}

/**
 * The state a snapshot holds. Its events are checked one by one with the same schema as a
 * segment's, so a snapshot cannot carry what a segment could not.
 */
export function stateFromSnapshot(data: unknown): SyncState {
  const snap = v.parse(SnapshotSchema, data);
  const s = snap.state;
  const check = <K extends SyncEventKind>(kind: K, e: unknown) => {
    const parsed = v.parse(SyncEventSchema, e) as SyncEvent;
    if (parsed.kind !== kind) throw new Error(`A snapshot lists a ${parsed.kind} event among ${kind} events.`);
    return parsed as Extract<SyncEvent, { kind: K }>;
  };
  const state = emptySyncState();
  for (const [device, r] of s.covered) state.covered.set(device, fromRuns(r));
  for (const e of s.reviews) {
    const r = check('review', e);
    state.reviews.set(r.id, r);
  }
  for (const u of s.undone) state.undone.add(u);
  for (const e of s.words) {
    const w = check('word', e);
    state.words.set(w.key, w);
  }
  for (const e of s.settings) {
    const st = check('setting', e);
    state.settings.set(st.field, st);
  }
  for (const e of s.snippets) state.snippets.set(e.snippet.id, e as SnippetEntry);
  for (const e of s.cards) {
    const latest = check('card', e.latest);
    state.cards.set(latest.card.id, { latest, createdAt: e.createdAt });
  }
  for (const [cardId, at] of s.deletedCards) state.deletedCards.set(cardId, at);
  for (const e of s.examples) {
    const x = check('example', e);
    state.examples.set(x.id, x);
  }
  return state;
}
