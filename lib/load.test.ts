import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceDifficulty } from './difficulty';
import {
  adaptBudget,
  committedMinutes,
  type BudgetState,
  createBudget,
  DECREASE_STEP,
  dayKey,
  difficultyFactor,
  INCREASE_STEP,
  newDailyLoad,
  paragraphLoadMinutes,
  readingMinutes,
  recordDensities,
  recordHighlighted,
  recordOffered,
  recordRead,
  recordReview,
  recordTooHard,
  remainingMinutes,
  rollDay,
  SECONDS_PER_UNKNOWN_WORD,
  setBudget,
  skippedHighlights,
  SLOWDOWN_PER_SYNTACTIC_LOAD,
  strainReasons,
  type DailyLoad,
} from './load';
import { createLexicon } from './vocabulary';

describe('paragraph load', () => {
  it('is words over speed for plain text with every word known', () => {
    expect(readingMinutes({ words: 120, distinctUnknown: 0, syntacticLoad: 1 }, 120)).toBe(1);
    expect(readingMinutes({ words: 120, distinctUnknown: 0, syntacticLoad: 0.5 }, 120)).toBe(1);
  });

  it('adds a fixed time per distinct unknown word and slows with syntactic load', () => {
    expect(readingMinutes({ words: 120, distinctUnknown: 3, syntacticLoad: 1 }, 120)).toBeCloseTo(1 + (3 * SECONDS_PER_UNKNOWN_WORD) / 60, 12);
    expect(readingMinutes({ words: 120, distinctUnknown: 0, syntacticLoad: 3 }, 120)).toBeCloseTo(1 + 2 * SLOWDOWN_PER_SYNTACTIC_LOAD, 12);
  });

  it('is zero for nothing to read or a nonsense speed', () => {
    expect(readingMinutes({ words: 0, distinctUnknown: 2, syntacticLoad: 1 }, 120)).toBe(0);
    expect(readingMinutes({ words: 10, distinctUnknown: 0, syntacticLoad: 1 }, 0)).toBe(0);
  });

  it('has a difficulty factor of at least 1 that turns easy-text time into this text’s time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 20, max: 800, noNaN: true }),
        (words, distinctUnknown, syntacticLoad, wpm) => {
          const input = { words, distinctUnknown, syntacticLoad };
          const f = difficultyFactor(input, wpm);
          expect(f).toBeGreaterThanOrEqual(1);
          expect((words / wpm) * f).toBeCloseTo(readingMinutes(input, wpm), 9);
        },
      ),
    );
  });

  it('is heavier for a paragraph of rare words than for one of the same length in common words', () => {
    const lexicon = createLexicon({ lang: 'en', words: ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'park'] });
    const common = referenceDifficulty('The cat sat on the mat. The dog ran to the park.', 'en', lexicon, 5000);
    const rare = referenceDifficulty('The quokka sat on the tatami. The dingo ran to the veld.', 'en', lexicon, 5000);
    expect(paragraphLoadMinutes(rare, 120)).toBeGreaterThan(paragraphLoadMinutes(common, 120));
    expect(paragraphLoadMinutes(common, 120)).toBeCloseTo(12 / 120, 3);
  });
});

describe('dayKey', () => {
  const utc = (iso: string) => Date.parse(iso);

  it('is the UTC date with no offset and no roll-over hour', () => {
    expect(dayKey(utc('2024-05-10T00:00:00Z'), 0)).toBe('2024-05-10');
    expect(dayKey(utc('2024-05-10T23:59:59Z'), 0)).toBe('2024-05-10');
  });

  it('follows the local date east and west of UTC', () => {
    // 23:30 UTC is already the next day in Berlin (+120 in summer), still the same day in New York (-240).
    expect(dayKey(utc('2024-05-10T23:30:00Z'), 120)).toBe('2024-05-11');
    expect(dayKey(utc('2024-05-10T23:30:00Z'), -240)).toBe('2024-05-10');
    // 02:00 UTC is still the previous evening in New York.
    expect(dayKey(utc('2024-05-11T02:00:00Z'), -240)).toBe('2024-05-10');
    // Half-hour zones (India, +330).
    expect(dayKey(utc('2024-05-10T18:29:00Z'), 330)).toBe('2024-05-10');
    expect(dayKey(utc('2024-05-10T18:30:00Z'), 330)).toBe('2024-05-11');
  });

  it('rolls over at the chosen local hour', () => {
    // Rollover at 04:00 Berlin time (+120): 03:59 local belongs to the day before.
    expect(dayKey(utc('2024-05-11T01:59:00Z'), 120, 4)).toBe('2024-05-10');
    expect(dayKey(utc('2024-05-11T02:00:00Z'), 120, 4)).toBe('2024-05-11');
  });

  it('stays right across a daylight-saving change when given the offset in force', () => {
    // Paris, 31 March 2024: clocks go from 02:00 CET (+60) to 03:00 CEST (+120) at 01:00 UTC.
    expect(dayKey(utc('2024-03-30T22:59:00Z'), 60)).toBe('2024-03-30'); // 23:59 CET
    expect(dayKey(utc('2024-03-30T23:00:00Z'), 60)).toBe('2024-03-31'); // 00:00 CET
    expect(dayKey(utc('2024-03-31T22:30:00Z'), 120)).toBe('2024-04-01'); // 00:30 CEST
    // 27 October 2024: back from +120 to +60 at 01:00 UTC; local 23:30 CET is still the 27th.
    expect(dayKey(utc('2024-10-27T22:30:00Z'), 60)).toBe('2024-10-27');
    expect(dayKey(utc('2024-10-27T23:00:00Z'), 60)).toBe('2024-10-28');
  });

  it('agrees with the calendar date of the shifted instant, for any offset and hour', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -720, max: 840 }),
        fc.integer({ min: 0, max: 23 }),
        (now, offset, hour) => {
          const local = new Date(now + offset * 60_000);
          const key = dayKey(now, offset, hour);
          const expected = local.getUTCHours() < hour ? new Date(local.getTime() - 86_400_000) : local;
          expect(key).toBe(expected.toISOString().slice(0, 10));
        },
      ),
    );
  });
});

describe('daily load', () => {
  it('starts a new record when the day changes and hands back the finished one', () => {
    const t0 = Date.parse('2024-05-10T10:00:00Z');
    const { today } = rollDay(undefined, 20, t0, 0);
    expect(today).toEqual(newDailyLoad('2024-05-10', 20));
    const used = recordRead(today, 'p1', 3);
    expect(rollDay(used, 25, t0 + 3_600_000, 0)).toEqual({ today: used });
    const next = rollDay(used, 25, t0 + 86_400_000, 0);
    expect(next.today).toEqual(newDailyLoad('2024-05-11', 25));
    expect(next.finished).toBe(used);
  });

  it('adds reading and review minutes to what was consumed', () => {
    let d = newDailyLoad('2024-05-10', 20);
    d = recordRead(d, 'p1', 2.5, 1.1);
    d = recordRead(d, 'p1', 1, 0.9);
    d = recordReview(d, 4);
    d = recordRead(d, 'p2', Number.NaN);
    expect(d).toMatchObject({ readMinutes: 3.5, reviewMinutes: 4, consumedMinutes: 7.5, read: ['p1', 'p2'], speedRatios: [1.1, 0.9] });
    expect(remainingMinutes(d)).toBe(12.5);
    expect(remainingMinutes(recordReview(d, 100))).toBe(0);
  });

  it('records highlights once each and counts the skipped ones', () => {
    let d = newDailyLoad('2024-05-10', 20);
    d = recordHighlighted(d, ['a', 'b', 'a']);
    d = recordHighlighted(d, ['b', 'c']);
    expect(d.highlighted).toEqual(['a', 'b', 'c']);
    d = recordRead(d, 'b', 1);
    expect(skippedHighlights(d)).toBe(2);
    expect(recordTooHard(recordTooHard(d)).tooHard).toBe(2);
  });

  it('adds the minutes each highlight offers once, and commits the budget by what was read or offered, whichever is more', () => {
    let d = newDailyLoad('2024-05-10', 20);
    expect(committedMinutes(d)).toBe(0);
    d = recordOffered(d, [{ id: 'a', loadMinutes: 2 }, { id: 'b', loadMinutes: 1 }, { id: 'a', loadMinutes: 2 }]);
    d = recordOffered(d, [{ id: 'b', loadMinutes: 1 }, { id: 'c', loadMinutes: Number.NaN }]);
    expect(d.highlighted).toEqual(['a', 'b', 'c']);
    expect(d.highlightedMinutes).toBe(3);
    expect(committedMinutes(d)).toBe(3);
    d = recordRead(d, 'a', 5);
    expect(committedMinutes(d)).toBe(5);
  });

  it('reads records written before highlight minutes and densities were kept', () => {
    const { highlightedMinutes: _m, densities: _d, ...old } = { ...newDailyLoad('2024-05-10', 20), highlightedMinutes: 0, densities: [] };
    expect(committedMinutes(old)).toBe(0);
    expect(recordOffered(old, [{ id: 'a', loadMinutes: 1 }]).highlightedMinutes).toBe(1);
    expect(recordDensities(old, [2]).densities).toEqual([2]);
  });

  it('carries the history of value densities into the next day, and nothing else', () => {
    const t0 = Date.parse('2024-05-10T10:00:00Z');
    let d = rollDay(undefined, 20, t0, 0).today;
    d = recordDensities(recordOffered(recordRead(d, 'p', 3), [{ id: 'p', loadMinutes: 1 }]), [1.5, 0, 2.25]);
    expect(d.densities).toEqual([1.5, 2.25]);
    const next = rollDay(d, 20, t0 + 86_400_000, 0).today;
    expect(next).toEqual({ ...newDailyLoad('2024-05-11', 20), densities: [1.5, 2.25] });
    expect(recordDensities(next, [])).toBe(next);
  });
});

describe('budget adaptation', () => {
  const day = (over: Partial<DailyLoad> = {}): DailyLoad => ({ ...newDailyLoad('2024-05-10', 20), ...over });

  it('lowers the budget one bounded step after too-hard feedback, and says why', () => {
    const next = adaptBudget(createBudget(20), day({ tooHard: 5 }));
    expect(next.budgetMinutes).toBe(20 * (1 - DECREASE_STEP));
    expect(next.log).toEqual([{ day: '2024-05-10', fromMinutes: 20, toMinutes: 18, reasons: ['5 paragraphs marked too hard'] }]);
  });

  it('lowers it when most highlights were skipped, or reading slowed through the day', () => {
    const skipped = day({ highlighted: ['a', 'b', 'c', 'd', 'e'], read: ['a'] });
    expect(strainReasons(skipped)).toEqual(['4 of 5 highlights skipped']);
    expect(adaptBudget(createBudget(20), skipped).budgetMinutes).toBe(18);
    const tiring = day({ speedRatios: [1.1, 1, 1, 0.9, 0.7, 0.7] });
    expect(strainReasons(tiring)).toEqual(['reading slowed by 33% through the day']);
    expect(adaptBudget(createBudget(20), tiring).budgetMinutes).toBe(18);
  });

  it('raises it by a smaller step after a day that used the budget without strain', () => {
    const next = adaptBudget(createBudget(20), day({ consumedMinutes: 19 }));
    expect(next.budgetMinutes).toBe(20 * (1 + INCREASE_STEP));
    expect(next.log[0]!.reasons).toEqual(['used 95% of the budget without strain']);
  });

  it('leaves it alone after an ordinary day, but remembers the day', () => {
    const next = adaptBudget(createBudget(20), day({ consumedMinutes: 8, tooHard: 1, speedRatios: [1, 1, 1] }));
    expect(next.budgetMinutes).toBe(20);
    expect(next.log).toEqual([]);
    expect(next.lastAdaptedDay).toBe('2024-05-10');
  });

  it('learns from each day once, and only moves forward in time', () => {
    const once = adaptBudget(createBudget(20), day({ tooHard: 3 }));
    expect(adaptBudget(once, day({ tooHard: 3 }))).toBe(once);
    expect(adaptBudget(once, { ...day({ tooHard: 3 }), day: '2024-05-09' })).toBe(once);
  });

  it('moves slowly: many bad days in a row halve the budget only after about a week, never below the floor', () => {
    let b: BudgetState = createBudget(20, 10, 60);
    const days: number[] = [];
    for (let i = 1; i <= 30; i++) {
      b = adaptBudget(b, { ...day({ tooHard: 9 }), day: `2024-06-${String(i).padStart(2, '0')}` });
      days.push(b.budgetMinutes);
    }
    expect(days[0]).toBe(18);
    expect(days.findIndex((m) => m <= 10)).toBeGreaterThanOrEqual(5);
    expect(Math.min(...days)).toBe(10);
    for (let i = 1; i < days.length; i++) expect(days[i - 1]! - days[i]!).toBeLessThanOrEqual(days[i - 1]! * DECREASE_STEP + 1e-9);
  });

  it('respects the ceiling, and logs a learner’s own setting', () => {
    const b = adaptBudget(createBudget(60, 5, 60), day({ budgetMinutes: 60, consumedMinutes: 60 }));
    expect(b.budgetMinutes).toBe(60);
    const set = setBudget(b, 30, '2024-05-11');
    expect(set.budgetMinutes).toBe(30);
    expect(set.log.at(-1)).toEqual({ day: '2024-05-11', fromMinutes: 60, toMinutes: 30, reasons: ['set by the learner'] });
    expect(setBudget(set, 1000, '2024-05-12').budgetMinutes).toBe(60);
  });
});
