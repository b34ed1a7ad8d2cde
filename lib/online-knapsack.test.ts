import { describe, expect, it } from 'vitest';
import { boundsFromHistory, competitiveRatio, DEFAULT_BOUNDS, DENSITY_HISTORY, extendHistory, flatShare, MIN_HISTORY, PAGE_SAMPLE, pageAllowance, pageSample, threshold } from './online-knapsack';
import { selectHighlights } from './selection';

const bounds = { lo: 0.5, mid: 2, hi: 8 };

describe('threshold', () => {
  it('stays at L up to the flat share, then rises to U when the budget is spent', () => {
    const c = flatShare(bounds);
    expect(c).toBeCloseTo(1 / (1 + Math.log(16)), 12);
    expect(threshold(0, bounds)).toBe(0.5);
    expect(threshold(c * 0.99, bounds)).toBe(0.5);
    // Continuous at c, and U at z = 1.
    expect(threshold(c + 1e-9, bounds)).toBeCloseTo(0.5, 6);
    expect(threshold(1, bounds)).toBeCloseTo(8, 9);
    expect(threshold(0.6, bounds)).toBeGreaterThan(threshold(0.4, bounds));
  });

  it('treats a share beyond the budget, or not a number, as a spent budget', () => {
    expect(threshold(3, bounds)).toBeCloseTo(8, 9);
    expect(threshold(Number.NaN, bounds)).toBeCloseTo(8, 9);
  });

  it('guarantees 1 / (1 + ln(U/L)) of the optimum', () => {
    expect(competitiveRatio(bounds)).toBeCloseTo(1 / (1 + Math.log(16)), 12);
  });
});

describe('boundsFromHistory', () => {
  it('uses the defaults until there is enough history', () => {
    expect(boundsFromHistory(undefined)).toBe(DEFAULT_BOUNDS);
    expect(boundsFromHistory(Array.from({ length: MIN_HISTORY - 1 }, () => 1))).toBe(DEFAULT_BOUNDS);
  });

  it('takes L and U from the 10th and 90th percentiles, ignoring non-positive values', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i / 10); // 0 .. 10
    const b = boundsFromHistory(xs);
    expect(b.lo).toBeCloseTo(1.09, 2);
    expect(b.hi).toBeCloseTo(9.01, 2);
    expect(b.mid).toBeCloseTo(5.05, 2);
  });

  it('keeps a spread of at least 4 when every density is alike', () => {
    const b = boundsFromHistory(Array.from({ length: 50 }, () => 2));
    expect(b.lo).toBe(2);
    expect(b.hi).toBe(8);
  });
});

describe('extendHistory', () => {
  it('appends positive finite densities, rounded, and keeps the newest', () => {
    expect(extendHistory([1], [2.00049, 0, -1, Number.NaN, Infinity])).toEqual([1, 2]);
    const long = extendHistory(Array.from({ length: DENSITY_HISTORY }, () => 1), [5]);
    expect(long).toHaveLength(DENSITY_HISTORY);
    expect(long.at(-1)).toBe(5);
  });

  it('lets one long page add only a sample of its densities, spanning their range', () => {
    // A thousand-passage page of middling densities after a varied history of ordinary pages.
    const ordinary = Array.from({ length: 60 }, (_, i) => 0.25 + (i % 12) * 0.5);
    const listing = Array.from({ length: 1000 }, (_, i) => 1 + (i % 100) / 1000);
    const history = extendHistory(ordinary, listing);
    expect(history).toHaveLength(ordinary.length + PAGE_SAMPLE);
    const added = history.slice(ordinary.length);
    expect(Math.min(...added)).toBe(1);
    expect(Math.max(...added)).toBe(1.099);
    // The bar's L still comes from the learner's ordinary pages, not the one long listing.
    expect(boundsFromHistory(history).lo).toBeCloseTo(boundsFromHistory(ordinary).lo, 1);
    expect(boundsFromHistory(history).lo).toBeLessThan(1);
  });

  it('rounds down, so pages like the recorded ones still clear the bar they make', () => {
    // Page after page of passages at the same density: the next such page must not fall below L.
    const density = 0.5109876;
    let history: number[] = [];
    for (let k = 0; k < 4; k++) history = extendHistory(history, Array.from({ length: 10 }, () => density));
    expect(history.every((x) => x === 0.51)).toBe(true);
    expect(threshold(0, boundsFromHistory(history))).toBeLessThanOrEqual(density);
  });
});

describe('pageSample', () => {
  it('keeps a short page whole and spreads a long one evenly over its sorted densities', () => {
    expect(pageSample([3, 1, 2])).toEqual([3, 1, 2]);
    expect(pageSample([5, 1, 4, 2, 3], 3)).toEqual([1, 3, 5]);
    expect(pageSample([0, -1, Number.NaN, 2], 3)).toEqual([2]);
  });
});

describe('pageAllowance', () => {
  it('lets the first page of the day spend on everything that clears L, up to the flat share and then the rising bar', () => {
    // Ten passages of 1 minute, densities 10, 9, ..., 1; a 10-minute day.
    const items = Array.from({ length: 10 }, (_, i) => ({ value: 10 - i, load: 1 }));
    const out = pageAllowance(items, 0, 10, bounds);
    expect(out.bar).toBe(0.5);
    // Walk: density d is taken while d >= psi(used / 10).
    let used = 0;
    for (const it of items) if (it.value >= threshold(used / 10, bounds)) used += 1;
    expect(out.minutes).toBe(used);
    expect(out.minutes).toBeGreaterThan(0);
    expect(out.minutes).toBeLessThan(10);
  });

  it('gives a page nothing for passages below the bar, and less as the day fills', () => {
    const items = [{ value: 1, load: 1 }];
    expect(pageAllowance(items, 0, 10, bounds).minutes).toBe(1);
    expect(pageAllowance(items, 8, 10, bounds).minutes).toBe(0);
    expect(pageAllowance([{ value: 0.4, load: 1 }], 0, 10, bounds).minutes).toBe(0);
  });

  it('never allows more than the budget left', () => {
    const items = Array.from({ length: 5 }, () => ({ value: 100, load: 3 }));
    expect(pageAllowance(items, 5, 10, bounds).minutes).toBe(3);
    expect(pageAllowance(items, 0, 0, bounds).minutes).toBe(0);
  });

  it('beats spending greedily page by page when a better page comes late', () => {
    // A day of 10 minutes: nine mediocre pages, then one excellent one.
    const mediocre = Array.from({ length: 4 }, () => ({ value: 0.6, load: 1 }));
    const excellent = Array.from({ length: 10 }, () => ({ value: 8, load: 1 }));
    const pages = [...Array.from({ length: 9 }, () => mediocre), excellent];
    const run = (policy: 'online' | 'greedy') => {
      let used = 0;
      let value = 0;
      for (const page of pages) {
        const cap = policy === 'online' ? pageAllowance(page, used, 10, bounds).minutes : 10 - used;
        const sel = selectHighlights(page.map((p, i) => ({ id: String(i), ...p })), cap);
        used += sel.totalLoad;
        value += sel.totalValue;
      }
      return value;
    };
    expect(run('online')).toBeGreaterThan(2 * run('greedy'));
  });

  it('meets its guarantee against the hindsight optimum on an adversarial order', () => {
    // Low-density items first fill what the bar allows, then high-density ones arrive.
    const lowItems = Array.from({ length: 100 }, () => ({ value: 0.5 * 0.1, load: 0.1 }));
    const highItems = Array.from({ length: 100 }, () => ({ value: 8 * 0.1, load: 0.1 }));
    let used = 0;
    let value = 0;
    for (const it of [...lowItems, ...highItems]) {
      if (pageAllowance([it], used, 10, bounds).minutes > 0) {
        used += it.load;
        value += it.value;
      }
    }
    const optimum = 8 * 10;
    expect(value / optimum).toBeGreaterThanOrEqual(competitiveRatio(bounds) - 0.01);
  });
});
