import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardsFromSnippet, createScheduler, type ReviewCard, type ReviewRating } from './review';
import { createSnippet, type Snippet } from './snippet';
import { packEmbedding, unpackEmbedding } from './sync-embedding';
import {
  EXAMPLES_PER_CLASS,
  applySegments,
  canonicalJson,
  coveredThrough,
  emptySyncState,
  makeSegment,
  makeSnapshot,
  mergeEvent,
  mergeSegment,
  parseSegment,
  sameState,
  serialiseState,
  stateFromSnapshot,
  toRuns,
  type ExampleEvent,
  type Segment,
  type SyncEvent,
  type SyncState,
} from './sync-log';
import { syncView } from './sync-view';

const T0 = Date.UTC(2026, 0, 5, 8);
const MIN = 60_000;
const DAY = 24 * 3600_000;
const scheduler = createScheduler();

const PASSAGES = [
  'Der Fuchs schleicht am Abend über das Feld. Die Hühner schlafen schon lange im Stall.',
  'Im Winter ziehen viele Vögel nach Süden. Andere bleiben und suchen Futter im Schnee.',
];
const snippetOf = (p: number, marks: string[], createdAt: number): Snippet =>
  createSnippet({ passage: PASSAGES[p]!, marks, url: `https://example.org/${p}`, title: `Seite ${p}`, lang: 'de', createdAt });
/** Two gist cards and two cloze cards, the pool the generated events act on. */
const CARDS: ReviewCard[] = [
  ...cardsFromSnippet(snippetOf(0, [], T0), T0),
  ...cardsFromSnippet(snippetOf(1, ['Vögel', 'Futter'], T0), T0),
  ...cardsFromSnippet(snippetOf(0, ['Fuchs'], T0), T0),
];
const WORDS = ['fuchs', 'vogel', 'schnee', '__proto__'];
const FIELDS = ['dailyMinutes', 'highlightDensity', 'targetLang'];
/** Words that can be marked in each passage. */
const MARK_WORDS = [
  [['Fuchs'], ['Hühner'], ['Feld', 'Stall'], []],
  [['Vögel'], ['Futter', 'Schnee'], []],
];
const DEVICES = ['laptop', 'desktop', 'phone'];

type MakeEvent = (id: string, device: string, at: number) => SyncEvent;
/** An event's kind and payload (id, device and time are added by `events`). */
const payload: fc.Arbitrary<MakeEvent> = fc.oneof(
  fc.record({ card: fc.integer({ min: 0, max: CARDS.length - 1 }), rating: fc.constantFrom<ReviewRating>(1, 2, 3, 4), ms: fc.integer({ min: 0, max: 60_000 }) }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'review', cardId: CARDS[r.card]!.id, rating: r.rating, durationMs: r.ms }),
  ),
  fc.integer({ min: 0, max: 30 }).map((n): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'review-undo', reviewId: `e${n}` })),
  fc.record({ w: fc.constantFrom(...WORDS), state: fc.constantFrom('unknown', 'learning', 'known', 'ignored' as const) }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'word', key: r.w, form: r.w, state: r.state }),
  ),
  fc.record({ field: fc.constantFrom(...FIELDS), value: fc.oneof(fc.integer({ min: 5, max: 120 }), fc.constantFrom('few', 'many', 'de')) }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'setting', field: r.field, value: r.value }),
  ),
  fc.record({ p: fc.integer({ min: 0, max: 1 }), marks: fc.nat(3) }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'snippet', snippet: snippetOf(r.p, MARK_WORDS[r.p]![r.marks % MARK_WORDS[r.p]!.length]!, at) }),
  ),
  fc.record({ card: fc.integer({ min: 0, max: CARDS.length - 1 }), note: fc.constantFrom('', 'Fuchs = fox', 'aus dem Märchen'), suspended: fc.boolean() }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'card', card: { ...CARDS[r.card]!, note: r.note, suspended: r.suspended, createdAt: at, updatedAt: at } }),
  ),
  fc.integer({ min: 0, max: CARDS.length - 1 }).map((c): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'card-delete', cardId: CARDS[c]!.id })),
  fc.record({ label: fc.constantFrom<0 | 1>(0, 1), p: fc.integer({ min: 0, max: 5 }), v: fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }) }).map(
    (r): MakeEvent => (id, device, at) => ({ id, device, at, kind: 'example', paragraphId: `p${r.p}`, encoderId: 'use-lite-int8', ...packEmbedding(r.v), label: r.label, weight: 1, text: PASSAGES[r.p % 2]! }),
  ),
);

/** Events with unique ids; times from a small range so that equal times (ties) are common. */
const events = fc
  .array(fc.tuple(payload, fc.integer({ min: 0, max: DEVICES.length - 1 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 40 })
  .map((specs) => specs.map(([make, d, t], i) => make(`e${i}`, DEVICES[d]!, T0 + t * 10 * MIN)));

/** Each device's events cut into numbered segments (the cut points drawn). */
function segmentsOf(all: readonly SyncEvent[], cuts: readonly number[]): Segment[] {
  const out: Segment[] = [];
  for (const device of DEVICES) {
    const mine = all.filter((e) => e.device === device);
    let seq = 0;
    for (let i = 0; i < mine.length; ) {
      const n = 1 + (cuts[(seq + i) % cuts.length]! % 4);
      out.push(makeSegment(device, ++seq, mine.slice(i, i + n)));
      i += n;
    }
  }
  return out;
}

const world = fc.record({ events, cuts: fc.array(fc.nat(10), { minLength: 1, maxLength: 8 }) }).chain(({ events: all, cuts }) => {
  const segments = segmentsOf(all, cuts);
  return fc.record({
    events: fc.constant(all),
    segments: fc.constant(segments),
    eventOrder: fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
    segmentOrder: fc.shuffledSubarray(segments, { minLength: segments.length, maxLength: segments.length }),
  });
});

function mergeAll(list: readonly SyncEvent[]): SyncState {
  const s = emptySyncState();
  for (const e of list) mergeEvent(s, e);
  return s;
}

const viewJson = (s: SyncState) => canonicalJson(syncView(s, scheduler));

describe('sync merge: order-independent and idempotent', () => {
  it('any permutation of the same events gives the same state and the same cards, logs, words and settings', () => {
    fc.assert(
      fc.property(world, ({ events: all, eventOrder }) => {
        const a = mergeAll(all);
        const b = mergeAll(eventOrder);
        expect(sameState(a, b)).toBe(true);
        expect(viewJson(b)).toBe(viewJson(a));
      }),
      { numRuns: 150 },
    );
  });

  it('any interleaving of the devices\' segments gives the same state', () => {
    fc.assert(
      fc.property(world, ({ segments, segmentOrder }) => {
        const a = applySegments(emptySyncState(), segments);
        const b = applySegments(emptySyncState(), segmentOrder);
        expect(sameState(a, b)).toBe(true);
        expect(viewJson(b)).toBe(viewJson(a));
      }),
      { numRuns: 150 },
    );
  });

  it('applying a segment twice changes nothing, and an event repeated in another segment neither', () => {
    fc.assert(
      fc.property(world, fc.nat(), fc.nat(), ({ segments, segmentOrder }, pick, at) => {
        const once = applySegments(emptySyncState(), segmentOrder);
        const again = segments[pick % segments.length]!;
        const order = [...segmentOrder];
        order.splice(at % (order.length + 1), 0, again);
        const twice = emptySyncState();
        const merged = order.map((s) => mergeSegment(twice, s));
        expect(merged.filter((m) => !m)).toHaveLength(1);
        expect(sameState(once, twice)).toBe(true);
        // The same events re-sent under a new segment number: the segment is new, the events are not.
        const resent = applySegments(once, [makeSegment('laptop', 999, again.events)]);
        expect(viewJson(resent)).toBe(viewJson(once));
      }),
      { numRuns: 100 },
    );
  });

  it('a snapshot plus the later segments equals all segments, also through JSON', () => {
    fc.assert(
      fc.property(world, fc.array(fc.nat(6), { minLength: 3, maxLength: 3 }), ({ segments, segmentOrder }, firsts) => {
        // The snapshot covers each device's first few segments (a device's segments are uploaded in order).
        const early = segments.filter((s) => s.seq <= firsts[DEVICES.indexOf(s.device)]!);
        const snapshot = JSON.parse(JSON.stringify(makeSnapshot(applySegments(emptySyncState(), early), 'desktop', T0 + DAY)));
        const restored = stateFromSnapshot(snapshot);
        // A new device lists everything on the server and skips what the snapshot covers.
        const joined = applySegments(restored, segmentOrder);
        const all = applySegments(emptySyncState(), segments);
        expect(sameState(joined, all)).toBe(true);
        expect(viewJson(joined)).toBe(viewJson(all));
        for (const d of DEVICES) expect(coveredThrough(restored, d)).toBe(Math.min(firsts[DEVICES.indexOf(d)]!, segments.filter((s) => s.device === d).length));
      }),
      { numRuns: 100 },
    );
  });
});

describe('sync merge: the rule of each kind', () => {
  const at = (minutes: number) => T0 + minutes * MIN;
  const [gist, cloze] = [CARDS[0]!, CARDS[1]!];

  it('reviews from two devices are replayed in time order through the scheduler', () => {
    const s = mergeAll([
      { id: 'c', device: 'laptop', at: at(0), kind: 'card', card: gist },
      // The desktop answered later in time but its segment arrives first.
      { id: 'r2', device: 'desktop', at: at(2 * 24 * 60), kind: 'review', cardId: gist.id, rating: 1, durationMs: 5000 },
      { id: 'r1', device: 'laptop', at: at(10), kind: 'review', cardId: gist.id, rating: 3, durationMs: 4000 },
    ]);
    const view = syncView(s, scheduler);
    let expected = scheduler.rate(gist, 3, at(10), 4000).card;
    expected = scheduler.rate(expected, 1, at(2 * 24 * 60), 5000).card;
    expect(view.cards).toHaveLength(1);
    expect(view.cards[0]!.due).toBe(expected.due);
    expect(view.cards[0]!.schedule).toEqual(expected.schedule);
    expect(view.cards[0]!.schedule.lapses).toBe(expected.schedule.lapses);
    expect(view.reviewLogs.map((l) => l.rating)).toEqual([3, 1]);
  });

  it('an undone answer is left out of the replay', () => {
    const s = mergeAll([
      { id: 'c', device: 'laptop', at: at(0), kind: 'card', card: gist },
      { id: 'r1', device: 'laptop', at: at(10), kind: 'review', cardId: gist.id, rating: 3, durationMs: 0 },
      { id: 'r2', device: 'laptop', at: at(20), kind: 'review', cardId: gist.id, rating: 4, durationMs: 0 },
      { id: 'u', device: 'laptop', at: at(21), kind: 'review-undo', reviewId: 'r2' },
    ]);
    const view = syncView(s, scheduler);
    expect(view.reviewLogs.map((l) => l.rating)).toEqual([3]);
    expect(view.cards[0]!.due).toBe(scheduler.rate(gist, 3, at(10), 0).card.due);
  });

  it('word marks: the latest wins; at the same time, the larger event id', () => {
    const s = mergeAll([
      { id: 'b', device: 'desktop', at: at(5), kind: 'word', key: 'fuchs', form: 'Fuchs', state: 'known' },
      { id: 'a', device: 'laptop', at: at(9), kind: 'word', key: 'fuchs', form: 'Fuchs', state: 'learning' },
      { id: 'x', device: 'laptop', at: at(1), kind: 'word', key: 'vogel', form: 'Vögel', state: 'ignored' },
      { id: 'y', device: 'desktop', at: at(1), kind: 'word', key: 'vogel', form: 'Vögel', state: 'known' },
    ]);
    expect(syncView(s, scheduler).words.map((w) => [w.key, w.state])).toEqual([
      ['fuchs', 'learning'],
      ['vogel', 'known'],
    ]);
  });

  it('settings: per field, so changes to different fields on two devices both stay', () => {
    const s = mergeAll([
      { id: 'a', device: 'laptop', at: at(1), kind: 'setting', field: 'dailyMinutes', value: 30 },
      { id: 'b', device: 'desktop', at: at(2), kind: 'setting', field: 'highlightDensity', value: 'many' },
      { id: 'c', device: 'desktop', at: at(0), kind: 'setting', field: 'dailyMinutes', value: 45 },
    ]);
    expect(syncView(s, scheduler).settings).toEqual([
      ['dailyMinutes', 30],
      ['highlightDensity', 'many'],
    ]);
  });

  it('a snippet saved on two devices is one snippet with the union of marked words', () => {
    const first = snippetOf(0, ['Fuchs'], at(0));
    const second = snippetOf(0, ['Stall'], at(30));
    expect(first.id).toBe(second.id);
    const s = mergeAll([
      { id: 'b', device: 'desktop', at: at(30), kind: 'snippet', snippet: second },
      { id: 'a', device: 'laptop', at: at(0), kind: 'snippet', snippet: first },
    ]);
    const [merged] = syncView(s, scheduler).snippets;
    expect(merged!.marks.map((m) => m.text)).toEqual(['Fuchs', 'Stall']);
    expect(merged!.createdAt).toBe(at(0));
    expect(merged!.context).toBe(PASSAGES[0]);
  });

  it('a card edit: the latest content wins, the schedule still comes from the answers, and deletion wins', () => {
    const s = mergeAll([
      { id: 'c1', device: 'laptop', at: at(0), kind: 'card', card: cloze },
      { id: 'r', device: 'laptop', at: at(5), kind: 'review', cardId: cloze.id, rating: 3, durationMs: 0 },
      { id: 'c2', device: 'desktop', at: at(9), kind: 'card', card: { ...cloze, note: 'Vogel, Plural Vögel', updatedAt: at(9), createdAt: at(9) } },
    ]);
    const [card] = syncView(s, scheduler).cards;
    expect(card!.note).toBe('Vogel, Plural Vögel');
    expect(card!.createdAt).toBe(cloze.createdAt);
    expect(card!.schedule.reps).toBe(1);
    mergeEvent(s, { id: 'd', device: 'phone', at: at(1), kind: 'card-delete', cardId: cloze.id });
    mergeEvent(s, { id: 'c3', device: 'desktop', at: at(99), kind: 'card', card: { ...cloze, note: 'later edit' } });
    expect(syncView(s, scheduler).cards).toEqual([]);
  });

  it('relevance examples: kept by id, the newest per label class', () => {
    const example = (i: number, label: 0 | 1): ExampleEvent => ({
      id: `x${i}`,
      device: 'laptop',
      at: at(i),
      kind: 'example',
      paragraphId: `p${i}`,
      encoderId: 'use-lite-int8',
      ...packEmbedding([0.5, -0.5, 0.25]),
      label,
      weight: 1,
      text: 'Absatz',
    });
    const s = emptySyncState();
    for (let i = 0; i < EXAMPLES_PER_CLASS + 10; i++) mergeEvent(s, example(i, 1));
    mergeEvent(s, example(100_000, 0));
    mergeEvent(s, example(0, 1)); // an evicted example seen again stays out
    const kept = syncView(s, scheduler).examples;
    expect(kept.filter((e) => e.label === 1)).toHaveLength(EXAMPLES_PER_CLASS);
    expect(kept.filter((e) => e.label === 1)[0]!.id).toBe('x10');
    expect(kept.filter((e) => e.label === 0).map((e) => e.id)).toEqual(['x100000']);
  });

  it('embeddings travel as one byte per dimension, close to the original', () => {
    const v = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 0.37) / 16);
    const packed = packEmbedding(v);
    expect(packed.embedding.length).toBeLessThanOrEqual(684);
    const back = unpackEmbedding(packed);
    for (let i = 0; i < v.length; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(packed.scale / 2 + 1e-7);
  });
});

describe('sync segments and snapshots on receipt', () => {
  it('a segment survives JSON and is checked; a malformed one is refused', () => {
    const seg = makeSegment('laptop', 1, [{ id: 'a', device: 'laptop', at: T0, kind: 'word', key: 'fuchs', form: 'Fuchs', state: 'known' }]);
    expect(parseSegment(JSON.parse(JSON.stringify(seg)))).toEqual(seg);
    expect(() => parseSegment({ ...seg, seq: 0 })).toThrow();
    expect(() => parseSegment({ ...seg, events: [{ id: 'a', device: 'laptop', at: T0, kind: 'word', key: 'fuchs', form: 'Fuchs', state: 'forgotten' }] })).toThrow();
    expect(() => parseSegment({ ...seg, events: [{ id: 'a', device: 'laptop', at: -1, kind: 'setting', field: 'x', value: 1 }] })).toThrow();
  });

  it('a snapshot whose lists mix kinds is refused', () => {
    const s = mergeAll([{ id: 'a', device: 'laptop', at: T0, kind: 'word', key: 'fuchs', form: 'Fuchs', state: 'known' }]);
    const snap = JSON.parse(JSON.stringify(makeSnapshot(s, 'laptop', T0)));
    expect(sameState(stateFromSnapshot(snap), s)).toBe(true);
    snap.state.settings = snap.state.words;
    expect(() => stateFromSnapshot(snap)).toThrow();
  });

  it('covered segments serialise as runs', () => {
    expect(toRuns([3, 1, 2, 7, 5, 6])).toEqual([
      [1, 3],
      [5, 7],
    ]);
    const s = applySegments(emptySyncState(), [makeSegment('a', 1, []), makeSegment('a', 2, []), makeSegment('a', 4, [])]);
    expect(coveredThrough(s, 'a')).toBe(2);
    expect(serialiseState(s).covered).toEqual([['a', [[1, 2], [4, 4]]]]);
  });
});
