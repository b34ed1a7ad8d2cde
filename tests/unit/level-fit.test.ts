import { describe, expect, it } from 'vitest';
import { classFigures, classOf, CUTS_F1_WEIGHT, fitOrdinalCuts, fitRidge, foldsOf, pearson, predictRidge, spearman } from '../../bench/lib/level-fit';
import { seededRandom } from '../../lib/random';

describe('level fit statistics', () => {
  it('recovers a linear rule by ridge regression with a small penalty', () => {
    const rand = seededRandom(3);
    const X = Array.from({ length: 200 }, () => [rand() * 10, rand() * 4, rand()]);
    const y = X.map(([a, b]) => 2 + 0.5 * a! - 1.5 * b!);
    const m = fitRidge(X, y, 1e-6);
    expect(predictRidge(m, [4, 1, 0.3])).toBeCloseTo(2 + 2 - 1.5, 4);
    // A larger penalty shrinks the slopes towards zero.
    const shrunk = fitRidge(X, y, 1000);
    expect(Math.abs(shrunk.weights[0]!)).toBeLessThan(Math.abs(m.weights[0]!));
  });

  it('places ordinal cut-points between well separated classes', () => {
    const scores = [1, 1.1, 1.2, 2, 2.1, 2.2, 3.5, 3.6, 3.7];
    const classes = [1, 1, 1, 2, 2, 2, 3, 3, 3];
    const cuts = fitOrdinalCuts(scores, classes, 3);
    expect(scores.map((s) => classOf(s, cuts))).toEqual(classes);
  });

  it('gives a rare class its room when macro-F1 counts beside exact accuracy', () => {
    // Three rare class-1 items among fourteen class-2 ones, four of which score among them:
    // exact accuracy alone is best (14 of 17) with no item called class 1 at all.
    const rare = [1.0, 1.2, 1.4];
    const common = [0.9, 0.95, 1.1, 1.3, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4];
    const scores = [...rare, ...common];
    const classes = [...rare.map(() => 1), ...common.map(() => 2)];
    const label = (cuts: number[]) => scores.map((s) => classOf(s, cuts));
    const exactOnly = label(fitOrdinalCuts(scores, classes, 2));
    const balanced = label(fitOrdinalCuts(scores, classes, 2, CUTS_F1_WEIGHT));
    expect(exactOnly.filter((c) => c === 1)).toHaveLength(0);
    expect(balanced.slice(0, rare.length)).toEqual([1, 1, 1]);
    const f = (p: number[]) => classFigures(p, classes, 2);
    expect(f(balanced).macroF1).toBeGreaterThan(f(exactOnly).macroF1);
    expect(f(balanced).exact).toBeLessThanOrEqual(f(exactOnly).exact);
  });

  it('counts exact and within-one agreement and macro-F1', () => {
    const f = classFigures([1, 2, 3, 3], [1, 3, 3, 1], 3);
    expect(f.exact).toBe(0.5);
    expect(f.withinOne).toBe(0.75);
    // F1 per class: 1 -> 2/3, 2 -> 0 (predicted once, never true), 3 -> 1/2.
    expect(f.macroF1).toBeCloseTo(7 / 18, 10);
  });

  it('correlates by value and by rank, ties averaged', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 1, 2], [3, 3, 1])).toBeCloseTo(-1, 12);
  });

  it('splits items into k folds of near-equal size', () => {
    const folds = foldsOf(10, 3, seededRandom(1));
    const sizes = [0, 1, 2].map((k) => folds.filter((f) => f === k).length);
    expect(sizes.sort()).toEqual([3, 3, 4]);
  });
});
