import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { createSnippet, mergeSnippets, type SnippetInput } from './snippet.ts';
import {
  CardError,
  MAX_CLOZE_SENTENCE_CHARS,
  MAX_REVIEW_DURATION_MS,
  ReviewCardSchema,
  ReviewLogSchema,
  cardFaces,
  cardsFromSnippet,
  createScheduler,
  dueCards,
  dueCount,
  editCard,
  latestLog,
  nextDue,
  setSuspended,
  toReviewItem,
  undoLatest,
  type ClozeCard,
  type ReviewCard,
  type ReviewLogEntry,
  type ReviewRating,
} from './review.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const DAY = 86_400_000;
const PASSAGE = 'Der Hund läuft schnell. Die Katze schläft auf dem Sofa. Es regnet heute.';

function snippet(over: Partial<SnippetInput> = {}) {
  return createSnippet({ passage: PASSAGE, url: 'https://example.org/a', title: 'Tiere', lang: 'de', createdAt: T0, ...over });
}

function cloze(over: Partial<SnippetInput> = {}): ClozeCard {
  const card = cardsFromSnippet(snippet({ marks: ['Katze'], ...over }), T0)[0]!;
  if (card.kind !== 'cloze') throw new Error('expected a cloze card');
  return card;
}

/** A card taken through `ratings`, each answered when due (plus `late` ms). */
function review(card: ReviewCard, ratings: ReviewRating[], late = 0) {
  const scheduler = createScheduler();
  const logs: ReviewLogEntry[] = [];
  let c = card;
  for (const r of ratings) {
    const out = scheduler.rate(c, r, c.due + late, 5000);
    c = out.card;
    logs.push(out.log);
  }
  return { card: c, logs, scheduler };
}

describe('cardsFromSnippet', () => {
  it('makes a cloze card per marked word, each in its own sentence', () => {
    const cards = cardsFromSnippet(snippet({ marks: ['Katze', 'regnet'] }), T0);
    expect(cards.map((c) => c.kind)).toEqual(['cloze', 'cloze']);
    const faces = cards.map(cardFaces);
    expect(faces[0]).toEqual({ front: 'Die […] schläft auf dem Sofa.', back: 'Die Katze schläft auf dem Sofa.' });
    expect(faces[1]).toEqual({ front: 'Es […] heute.', back: 'Es regnet heute.' });
    expect(cards.every((c) => c.snippetId === snippet().id && c.schedule.state === 0 && c.due === T0)).toBe(true);
  });

  it("puts the meaning saved with a marked word on its card's back, and only on that card", () => {
    const sense = { word: 'katze', lemma: 'Katze', pos: 'noun', gloss: 'a small domestic feline' };
    const cards = cardsFromSnippet(snippet({ marks: ['Katze', 'regnet'] }), T0, { sense });
    const [cat, rain] = cards as ClozeCard[];
    expect(cat!.sense).toEqual({ lemma: 'Katze', pos: 'noun', gloss: 'a small domestic feline' });
    expect(rain!.sense).toBeUndefined();
    expect(cardFaces(cat!)).toEqual({ front: 'Die […] schläft auf dem Sofa.', back: 'Die Katze schläft auf dem Sofa.\n\nKatze (noun): a small domestic feline' });
    expect(v.safeParse(ReviewCardSchema, cat).success).toBe(true);
    expect(v.safeParse(ReviewCardSchema, { ...cat, sense: { ...cat!.sense, extra: 1 } }).success).toBe(false);
  });

  it('makes one card for a word marked twice', () => {
    const text = 'Die Katze schläft. Eine Katze miaut.';
    const cards = cardsFromSnippet(
      snippet({ passage: text, marks: [{ start: 4, end: 9 }, { start: text.lastIndexOf('Katze'), end: text.lastIndexOf('Katze') + 5 }] }),
      T0,
    );
    expect(cards).toHaveLength(1);
    expect(cardFaces(cards[0]!).back).toBe('Die Katze schläft.');
  });

  it('makes one gist card for a passage without marked words, cued by its opening words', () => {
    const [card, ...rest] = cardsFromSnippet(snippet(), T0);
    expect(rest).toHaveLength(0);
    expect(card!.kind).toBe('gist');
    const { front, back } = cardFaces(card!);
    expect(back).toBe(PASSAGE);
    expect(front.startsWith('Recall the gist: Der Hund läuft')).toBe(true);
    expect(front.length).toBeLessThan(PASSAGE.length);
  });

  it('gives the same ids when a snippet is rebuilt with more marks, so old schedules survive', () => {
    const first = snippet({ marks: ['Katze'] });
    const later = mergeSnippets(first, snippet({ marks: ['regnet'] }));
    const before = cardsFromSnippet(first, T0).map((c) => c.id);
    const after = cardsFromSnippet(later, T0 + DAY).map((c) => c.id);
    expect(after).toContain(before[0]);
    expect(new Set(after).size).toBe(2);
  });

  it('cuts an over-long sentence to a window around the hidden word, at word boundaries', () => {
    const words = Array.from({ length: 300 }, (_, i) => `wort${i}`);
    words[200] = 'Ziel';
    const text = words.join(' ');
    const card = cloze({ passage: text, marks: ['Ziel'] });
    expect(card.text.length).toBeLessThanOrEqual(MAX_CLOZE_SENTENCE_CHARS + 4);
    expect(card.text.slice(card.cloze.start, card.cloze.end)).toBe('Ziel');
    expect(card.text.startsWith('… wort')).toBe(true);
    expect(card.text.endsWith(' …')).toBe(true);
    expect(v.safeParse(ReviewCardSchema, card).success).toBe(true);
  });

  it('gives the review page an item with both sides as text', () => {
    const card = cloze();
    expect(toReviewItem(card)).toEqual({ card, front: 'Die […] schläft auf dem Sofa.', back: 'Die Katze schläft auf dem Sofa.' });
  });
});

describe('scheduling', () => {
  it('moves a new card through the learning steps (1 min, 10 min) to review', () => {
    const s = createScheduler();
    const again = s.rate(cloze(), 1, T0, 3000);
    expect(again.card.schedule.state).toBe(1);
    expect(again.card.due).toBe(T0 + 1 * MIN);
    const good = s.rate(again.card, 3, T0 + MIN, 3000);
    expect(good.card.schedule.state).toBe(1);
    expect(good.card.due).toBe(T0 + 11 * MIN);
    const graduated = s.rate(good.card, 3, T0 + 11 * MIN, 3000);
    expect(graduated.card.schedule.state).toBe(2);
    expect(graduated.card.due - (T0 + 11 * MIN)).toBeGreaterThanOrEqual(DAY);
  });

  it('sends a forgotten review card to relearning, counting the lapse', () => {
    const { card } = review(cloze(), [3, 3, 3]);
    expect(card.schedule.state).toBe(2);
    const s = createScheduler();
    const at = card.due;
    const lapse = s.rate(card, 1, at, 2000);
    expect(lapse.card.schedule.state).toBe(3);
    expect(lapse.card.schedule.lapses).toBe(card.schedule.lapses + 1);
    expect(lapse.card.due).toBe(at + 10 * MIN);
  });

  it('uses the configured learning steps', () => {
    const s = createScheduler({ learningSteps: ['5m'] });
    expect(s.rate(cloze(), 1, T0, 0).card.due).toBe(T0 + 5 * MIN);
  });

  it('schedules sooner when a higher retention is asked for', () => {
    const { card } = review(cloze(), [3, 3, 3]);
    const at = card.due;
    const lax = createScheduler({ requestRetention: 0.8, enableFuzz: false }).rate(card, 3, at, 0).card.due;
    const strict = createScheduler({ requestRetention: 0.95, enableFuzz: false }).rate(card, 3, at, 0).card.due;
    expect(strict).toBeLessThan(lax);
    expect(() => createScheduler({ requestRetention: 1.5 })).toThrow(CardError);
  });

  it('previews later due times for better answers', () => {
    const { card } = review(cloze(), [3, 3, 3]);
    const p = createScheduler().preview(card, card.due);
    expect(p[1]).toBeLessThan(p[2]);
    expect(p[2]).toBeLessThan(p[3]);
    expect(p[3]).toBeLessThan(p[4]);
  });

  it('logs every answer: card, rating, time, elapsed days and how long it took', () => {
    const { card, logs } = review(cloze(), [3, 3, 3, 3], 2 * DAY);
    expect(logs).toHaveLength(4);
    expect(logs.every((l) => l.cardId === card.id && l.rating === 3 && l.durationMs === 5000)).toBe(true);
    expect(logs[0]!.state).toBe(0);
    expect(logs[3]!.elapsedDays).toBeGreaterThanOrEqual(2);
    expect(logs[3]!.at).toBe(card.schedule.lastReview);
    expect(new Set(logs.map((l) => l.id)).size).toBe(4);
  });

  it('caps implausible answer times and refuses impossible ratings or suspended cards', () => {
    const s = createScheduler();
    expect(s.rate(cloze(), 3, T0, 5 * 60 * 60 * 1000).log.durationMs).toBe(MAX_REVIEW_DURATION_MS);
    expect(s.rate(cloze(), 3, T0, -5).log.durationMs).toBe(0);
    expect(() => s.rate(cloze(), 5 as ReviewRating, T0, 0)).toThrow(/1 \(Again\) to 4 \(Easy\)/u);
    expect(() => s.rate(setSuspended(cloze(), true, T0), 3, T0, 0)).toThrow(/suspended/u);
  });

  it('treats a clock that went backwards as "now = last review"', () => {
    const s = createScheduler();
    const first = s.rate(cloze(), 3, T0 + DAY, 0);
    const second = s.rate(first.card, 3, T0, 0);
    expect(second.log.at).toBe(T0 + DAY);
    expect(second.card.due).toBeGreaterThanOrEqual(T0 + DAY);
  });

  it('reports falling retrievability as time passes (0 before the first review)', () => {
    const s = createScheduler();
    expect(s.retrievability(cloze(), T0)).toBe(0);
    const { card } = review(cloze(), [3, 3, 3]);
    const soon = s.retrievability(card, card.schedule.lastReview! + DAY);
    const later = s.retrievability(card, card.schedule.lastReview! + 30 * DAY);
    expect(soon).toBeGreaterThan(later);
    expect(later).toBeGreaterThan(0);
  });

  it('keeps cards and logs valid records through any sequence of answers', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<ReviewRating>(1, 2, 3, 4), { maxLength: 15 }), fc.nat(40 * DAY), (ratings, late) => {
        const { card, logs } = review(cloze(), ratings, late);
        expect(v.safeParse(ReviewCardSchema, JSON.parse(JSON.stringify(card))).success).toBe(true);
        for (const log of logs) expect(v.safeParse(ReviewLogSchema, log).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('undo', () => {
  it('restores the card exactly and removes the log, after any sequence of answers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<ReviewRating>(1, 2, 3, 4), { maxLength: 12 }),
        fc.constantFrom<ReviewRating>(1, 2, 3, 4),
        fc.nat(20 * DAY),
        (history, last, late) => {
          const { card: before, logs, scheduler } = review(cloze(), history, late);
          const { card: after, log } = scheduler.rate(before, last, before.due + late, 1234);
          const undone = undoLatest(scheduler, after, [...logs, log]);
          expect(undone.card).toEqual(before);
          expect(undone.logs).toEqual(logs);
          expect(undone.removed).toBe(log);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('only undoes the latest answer of the same card', () => {
    const { card, logs, scheduler } = review(cloze(), [3, 3]);
    expect(() => scheduler.undo(card, logs[0]!)).toThrow(/latest/u);
    const other = cloze({ marks: ['regnet'] });
    expect(() => scheduler.undo(other, logs[1]!)).toThrow(/another card/u);
    expect(() => undoLatest(scheduler, cloze(), [])).toThrow(/no review to undo/u);
  });

  it('finds the latest log, of one card or of all', () => {
    const a = review(cloze(), [3, 3]).logs;
    const b = review(cloze({ marks: ['regnet'] }), [3], 10 * DAY).logs;
    expect(latestLog([...a, ...b])).toBe(b[0]);
    expect(latestLog([...b, ...a], a[0]!.cardId)).toBe(a[1]);
    expect(latestLog([])).toBeUndefined();
  });
});

describe('the queue', () => {
  function at(card: ReviewCard, state: 0 | 1 | 2 | 3, due: number, createdAt = T0): ReviewCard {
    return { ...card, id: `${card.id}-${state}-${due}-${createdAt}`, createdAt, due, schedule: { ...card.schedule, state } };
  }

  it('orders due cards: (re)learning, then reviews by due, then new by age; never suspended or future', () => {
    const base = cloze();
    const now = T0 + 10 * DAY;
    const newer = at(base, 0, T0 + DAY, T0 + DAY);
    const older = at(base, 0, T0, T0);
    const review1 = at(base, 2, T0 + 2 * DAY);
    const review2 = at(base, 2, T0 + 5 * DAY);
    const learning = at(base, 1, now - MIN);
    const relearning = at(base, 3, now - 2 * MIN);
    const future = at(base, 2, now + DAY);
    const suspended = setSuspended(at(base, 2, T0), true, T0);
    const queue = dueCards([newer, review2, future, learning, suspended, older, review1, relearning], now);
    expect(queue).toEqual([relearning, learning, review1, review2, older, newer]);
    expect(dueCount([newer, review2, future, learning, suspended, older, review1, relearning], now)).toBe(6);
  });

  it('limits new cards when asked, and counts the same as it lists', () => {
    const base = cloze();
    const cards = [at(base, 0, T0, 1), at(base, 0, T0, 2), at(base, 0, T0, 3), at(base, 2, T0)];
    expect(dueCards(cards, T0, { newLimit: 1 }).map((c) => c.createdAt)).toEqual([T0, 1]);
    fc.assert(
      fc.property(
        fc.array(fc.record({ state: fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3), due: fc.integer({ min: T0, max: T0 + 9 }), suspended: fc.boolean() })),
        fc.option(fc.nat(5), { nil: undefined }),
        (specs, newLimit) => {
          const list = specs.map((s, i) => ({ ...at(base, s.state, s.due, i), suspended: s.suspended }));
          const opts = newLimit === undefined ? {} : { newLimit };
          expect(dueCount(list, T0 + 5, opts)).toBe(dueCards(list, T0 + 5, opts).length);
        },
      ),
    );
  });

  it('tells when the next card comes due', () => {
    const base = cloze();
    expect(nextDue([at(base, 2, T0 + 5), setSuspended(at(base, 2, T0), true, T0), at(base, 2, T0 + 3)])).toBe(T0 + 3);
    expect(nextDue([])).toBeNull();
  });
});

describe('editing, suspending, deleting', () => {
  it('edits a cloze sentence, finding the hidden word again, and keeps the schedule', () => {
    const { card } = review(cloze(), [3, 3, 3]);
    const edited = editCard(card, { text: 'Die kleine Katze schläft.', note: 'cat', tags: ['Tiere', 'A1 level'] }, T0 + 7);
    if (edited.kind !== 'cloze') throw new Error('kind changed');
    expect(edited.text.slice(edited.cloze.start, edited.cloze.end)).toBe('Katze');
    expect(edited.schedule).toEqual(card.schedule);
    expect(edited.tags).toEqual(['Tiere', 'A1_level']);
    expect(edited.updatedAt).toBe(T0 + 7);
    expect(cardFaces(edited).back).toBe('Die kleine Katze schläft.\n\ncat');
  });

  it('refuses edits that would break the card', () => {
    const card = cloze();
    expect(() => editCard(card, { text: 'Kein Tier hier.' }, T0)).toThrow(/no longer in the sentence/u);
    expect(() => editCard(card, { cloze: { start: 3, end: 3 } }, T0)).toThrow(CardError);
    expect(() => editCard(card, { cloze: { start: 0, end: 999 } }, T0)).toThrow(CardError);
    expect(() => editCard(card, { text: '   ' }, T0)).toThrow(/empty/u);
    expect(() => editCard(card, { cue: 'x' }, T0)).toThrow(CardError);
    expect(() => editCard(card, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, T0)).toThrow(/at most 20 tags/u);
  });

  it('edits the prompt of a gist card', () => {
    const gist = cardsFromSnippet(snippet(), T0)[0]!;
    const edited = editCard(gist, { cue: 'Tiere und Wetter' }, T0);
    expect(cardFaces(edited).front).toBe('Recall the gist: Tiere und Wetter');
    expect(() => editCard(gist, { cloze: { start: 0, end: 1 } }, T0)).toThrow(CardError);
  });

  it('suspends a card, and leaves it as it is when nothing changes', () => {
    const a = cloze();
    expect(setSuspended(a, true, T0 + 1)).toMatchObject({ suspended: true, updatedAt: T0 + 1 });
    expect(setSuspended(a, false, T0 + 1)).toBe(a);
  });
});
