import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, selectHighlights } from './selection';

/** The true optimum by trying every subset (small n only). */
function bruteForce(cands: readonly Candidate[], budget: number): number {
  let best = 0;
  const n = cands.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let load = 0;
    let value = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        load += Math.max(0, cands[i]!.load);
        value += cands[i]!.value;
      }
    }
    if (load <= budget + 1e-9 && value > best) best = value;
  }
  return best;
}

const byId = (cands: readonly Candidate[]) => new Map(cands.map((c) => [c.id, c]));

function check(cands: readonly Candidate[], budget: number, chosen: readonly string[]) {
  const m = byId(cands);
  const load = chosen.reduce((s, id) => s + Math.max(0, m.get(id)!.load), 0);
  expect(load).toBeLessThanOrEqual(budget + 1e-6);
  expect(new Set(chosen).size).toBe(chosen.length);
  for (const id of chosen) expect(m.get(id)!.value).toBeGreaterThan(0);
}

/** Candidates with loads in whole seconds, values possibly non-positive. */
const arbSecondsInstance = fc
  .array(fc.record({ value: fc.integer({ min: -3, max: 50 }), seconds: fc.integer({ min: 0, max: 300 }) }), { minLength: 0, maxLength: 10 })
  .map((xs) => xs.map((x, i) => ({ id: `p${i}`, value: x.value, load: x.seconds / 60 })));

const arbAnyInstance = fc
  .array(fc.record({ value: fc.double({ min: 0.01, max: 10, noNaN: true }), load: fc.double({ min: 0, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 10 })
  .map((xs) => xs.map((x, i) => ({ id: `p${i}`, ...x })));

describe('selectHighlights, exact', () => {
  it('finds the optimum when loads are multiples of the resolution (many random instances)', () => {
    fc.assert(
      fc.property(arbSecondsInstance, fc.integer({ min: 0, max: 900 }), (cands, budgetSeconds) => {
        const budget = budgetSeconds / 60;
        const r = selectHighlights(cands, budget);
        expect(r.method).toBe('exact');
        check(cands, budget, r.chosen);
        expect(r.totalValue).toBeCloseTo(bruteForce(cands.filter((c) => c.value > 0), budget), 9);
      }),
      { numRuns: 500 },
    );
  });

  it('loses at most what a budget smaller by n x resolution would, for any loads', () => {
    fc.assert(
      fc.property(arbAnyInstance, fc.double({ min: 0, max: 15, noNaN: true }), fc.constantFrom(0.01, 0.1, 0.5), (cands, budget, resolution) => {
        const r = selectHighlights(cands, budget, { resolution });
        expect(r.method).toBe('exact');
        check(cands, budget, r.chosen);
        const lowerBound = bruteForce(cands, budget - cands.length * resolution);
        expect(r.totalValue).toBeGreaterThanOrEqual(lowerBound - 1e-9);
        expect(r.totalValue).toBeLessThanOrEqual(bruteForce(cands, budget) + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('reports totals that match the chosen ids', () => {
    const cands = [
      { id: 'a', value: 3, load: 2 },
      { id: 'b', value: 4, load: 3 },
      { id: 'c', value: 5, load: 4 },
    ];
    const r = selectHighlights(cands, 5);
    expect(r.chosen.sort()).toEqual(['a', 'b']);
    expect(r.totalValue).toBe(7);
    expect(r.totalLoad).toBe(5);
    expect(r.limitedByBudget).toBe(true);
  });
});

describe('selectHighlights, greedy', () => {
  it('is used when the table would be too large, and is never worse than half the optimum', () => {
    fc.assert(
      fc.property(arbAnyInstance, fc.double({ min: 0.1, max: 15, noNaN: true }), (cands, budget) => {
        // A resolution this fine makes the capacity alone exceed the exact method's limit.
        const r = selectHighlights(cands, budget, { resolution: budget / 3e6 });
        const opt = bruteForce(cands, budget);
        const overBudget = cands.reduce((s, c) => s + c.load, 0) > budget;
        const somePaidItemFits = cands.some((c) => c.load > 0 && c.load <= budget);
        expect(r.method).toBe(overBudget && somePaidItemFits ? 'greedy' : 'exact');
        check(cands, budget, r.chosen);
        expect(r.totalValue).toBeGreaterThanOrEqual(opt / 2 - 1e-9);
        expect(r.totalValue).toBeLessThanOrEqual(opt + 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('takes the best single item when the ratio order would waste the budget', () => {
    // Greedy by ratio takes the small item (ratio 2) and then cannot fit the large one (ratio 1).
    const cands = [
      { id: 'small', value: 2, load: 1 },
      { id: 'large', value: 10, load: 10 },
    ];
    const r = selectHighlights(cands, 10, { resolution: 1e-7 });
    expect(r.method).toBe('greedy');
    expect(r.chosen).toEqual(['large']);
  });
});

describe('selectHighlights, rules', () => {
  it('never chooses items of value zero or less, even when they are free', () => {
    const r = selectHighlights(
      [
        { id: 'neg', value: -1, load: 0 },
        { id: 'zero', value: 0, load: 0.1 },
        { id: 'nan', value: Number.NaN, load: 0.1 },
        { id: 'pos', value: 1, load: 0.5 },
      ],
      10,
      { keep: ['neg', 'zero'] },
    );
    expect(r.chosen).toEqual(['pos']);
    expect(r.limitedByBudget).toBe(false);
  });

  it('always takes free positive items and skips broken loads', () => {
    const r = selectHighlights(
      [
        { id: 'free', value: 1, load: 0 },
        { id: 'broken', value: 5, load: Number.NaN },
        { id: 'big', value: 9, load: 100 },
      ],
      1,
    );
    expect(r.chosen).toEqual(['free']);
    expect(r.limitedByBudget).toBe(true);
  });

  it('keeps shown highlights while they fit, and optimises the rest around them', () => {
    const cands = [
      { id: 'shown', value: 1, load: 3 },
      { id: 'better', value: 10, load: 3 },
      { id: 'other', value: 2, load: 2 },
    ];
    // Without keep, the optimum for 5 minutes is better + other.
    expect(selectHighlights(cands, 5).chosen.sort()).toEqual(['better', 'other']);
    const kept = selectHighlights(cands, 5, { keep: ['shown'] });
    expect(kept.chosen).toContain('shown');
    expect(kept.chosen).toContain('other');
    expect(kept.totalLoad).toBeLessThanOrEqual(5);
    // When the budget shrinks below it, a kept highlight goes.
    expect(selectHighlights(cands, 2.5, { keep: ['shown'] }).chosen).toEqual(['other']);
  });

  it('says when the budget left something worthwhile out', () => {
    const cands = [
      { id: 'a', value: 1, load: 1 },
      { id: 'b', value: 1, load: 1 },
    ];
    expect(selectHighlights(cands, 2).limitedByBudget).toBe(false);
    expect(selectHighlights(cands, 1.5).limitedByBudget).toBe(true);
    expect(selectHighlights(cands, 0)).toMatchObject({ chosen: [], totalValue: 0, limitedByBudget: true });
    expect(selectHighlights([], 10)).toMatchObject({ chosen: [], limitedByBudget: false, method: 'exact' });
  });

  it('treats a missing or negative budget as none and an infinite one as no limit', () => {
    const cands = [{ id: 'a', value: 1, load: 1 }];
    expect(selectHighlights(cands, -5).chosen).toEqual([]);
    expect(selectHighlights(cands, Number.NaN).chosen).toEqual([]);
    expect(selectHighlights(cands, Infinity).chosen).toEqual(['a']);
  });

  it('ignores repeated ids after the first', () => {
    const r = selectHighlights(
      [
        { id: 'a', value: 1, load: 1 },
        { id: 'a', value: 100, load: 1 },
      ],
      5,
    );
    expect(r).toMatchObject({ chosen: ['a'], totalValue: 1 });
  });

  it('handles a page of 300 paragraphs quickly', () => {
    const cands = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, value: ((i * 7919) % 100) / 10, load: 0.2 + ((i * 104729) % 50) / 20 }));
    const t = performance.now();
    const r = selectHighlights(cands, 20);
    expect(performance.now() - t).toBeLessThan(1000);
    check(cands, 20, r.chosen);
    expect(r.method).toBe('exact');
  });
});
