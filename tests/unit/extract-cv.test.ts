import { describe, expect, it } from 'vitest';
import { assignFolds, crossValidate, type CvPage } from '../../bench/lib/extract-cv';

const perfect = { tp: 1, fp: 0, fn: 0 };
const miss = { tp: 0, fp: 0.5, fn: 0.5 };

describe('assignFolds', () => {
  it('deals every page into one of k folds of near-equal size, the same way for the same seed', () => {
    const folds = assignFolds(23, 5, 7);
    expect(folds).toHaveLength(23);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(assignFolds(23, 5, 7)).toEqual(folds);
    expect(assignFolds(23, 5, 8)).not.toEqual(folds);
  });
});

describe('crossValidate', () => {
  it('scores each fold with the candidate that won on the other folds', () => {
    // Candidate 1 is right on every page; candidate 0 (the defaults) on none.
    const pages: CvPage[] = Array.from({ length: 10 }, (_, i) => ({ id: String(i), counts: [miss, perfect] }));
    const cv = crossValidate(pages, 5);
    expect(cv.chosen).toEqual([1, 1, 1, 1, 1]);
    expect(cv.heldOut.f1).toBe(1);
    expect(cv.inSample[0]!.f1).toBe(0);
  });

  it('reports held-out figures below in-sample ones when a candidate only fits the pages it was chosen on', () => {
    // Candidate c is right on page c alone: whichever wins on the other folds is wrong on the held-out ones.
    const pages: CvPage[] = Array.from({ length: 4 }, (_, i) => ({
      id: String(i),
      counts: Array.from({ length: 4 }, (_, c) => (c === i ? perfect : miss)),
    }));
    const cv = crossValidate(pages, 4);
    expect(cv.heldOut.f1).toBe(0);
    expect(Math.max(...cv.inSample.map((s) => s.f1))).toBeGreaterThan(0);
  });

  it('refuses fewer than two folds or more folds than pages', () => {
    const pages: CvPage[] = [{ id: 'a', counts: [perfect] }];
    expect(() => crossValidate(pages, 2)).toThrow(/k must be/);
    expect(() => crossValidate([...pages, ...pages], 1)).toThrow(/k must be/);
  });
});
