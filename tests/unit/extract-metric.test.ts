import { describe, expect, it } from 'vitest';
import { pageCounts, pagePrecision, pageRecall, scorePages, shingles, tokenize } from '../../bench/lib/extract-metric';

describe('tokenize', () => {
  it('takes Unicode \\w runs: letters, digits and underscore, case kept', () => {
    expect(tokenize("Hello, world! It's 2019_v2 — naïve café")).toEqual(['Hello', 'world', 'It', 's', '2019_v2', 'naïve', 'café']);
    expect(tokenize('Москва и 東京')).toEqual(['Москва', 'и', '東京']);
    expect(tokenize(' ... ')).toEqual([]);
  });
});

describe('shingles', () => {
  it('counts 4-token shingles as a multiset', () => {
    const s = shingles('a b c d a b c d');
    expect(s.size).toBe(4); // abcd, bcda, cdab, dabc
    expect(s.get(['a', 'b', 'c', 'd'].join('\u0000'))).toBe(2);
  });

  it('makes one shingle of a text shorter than four tokens, none of an empty one', () => {
    expect([...shingles('just two').values()]).toEqual([1]);
    expect(shingles('').size).toBe(0);
  });

  it('keeps shingles of different token boundaries apart', () => {
    expect(shingles('ab c').has(['a', 'b c'].join('\u0000'))).toBe(false);
  });
});

describe('pageCounts', () => {
  it('is all tp for identical texts, whatever the whitespace and punctuation', () => {
    expect(pageCounts('One two three four five.', 'One two,\nthree four five')).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('normalises tp, fp and fn by their sum', () => {
    // truth: 3 shingles (a b c d, b c d e, c d e f); predicted adds one token: 1 extra shingle.
    const c = pageCounts('a b c d e f', 'a b c d e f g');
    expect(c.tp).toBeCloseTo(3 / 4);
    expect(c.fp).toBeCloseTo(1 / 4);
    expect(c.fn).toBe(0);
  });

  it('counts repeated shingles only as often as they occur in both', () => {
    // Predicted: abcd twice, bcda, cdab, dabc; truth: abcd once. 1 shared, 4 extra.
    const c = pageCounts('a b c d', 'a b c d\na b c d');
    expect(c.tp).toBeCloseTo(1 / 5);
    expect(c.fp).toBeCloseTo(4 / 5);
    expect(c.fn).toBe(0);
  });

  it('is all zero when both texts are empty', () => {
    expect(pageCounts('', '')).toEqual({ tp: 0, fp: 0, fn: 0 });
  });
});

describe('page precision and recall', () => {
  it('scores a page with no error as 1 and one with nothing shared as 0', () => {
    expect(pagePrecision({ tp: 1, fp: 0, fn: 0 })).toBe(1);
    expect(pageRecall({ tp: 1, fp: 0, fn: 0 })).toBe(1);
    expect(pagePrecision({ tp: 0, fp: 0.5, fn: 0.5 })).toBe(0);
    expect(pageRecall({ tp: 0, fp: 0.5, fn: 0.5 })).toBe(0);
    expect(pagePrecision({ tp: 0.5, fp: 0.25, fn: 0.25 })).toBeCloseTo(2 / 3);
  });
});

describe('scorePages', () => {
  it('takes means over pages and the F1 of the means', () => {
    const pages = [
      { tp: 1, fp: 0, fn: 0 },
      { tp: 0.5, fp: 0.5, fn: 0 },
    ];
    const s = scorePages(pages);
    expect(s.precision).toBeCloseTo(0.75);
    expect(s.recall).toBeCloseTo(1);
    expect(s.f1).toBeCloseTo((2 * 0.75) / 1.75);
    expect(s.pages).toBe(2);
  });

  it('leaves pages without a prediction out of precision and pages without truth out of recall', () => {
    const s = scorePages([
      { tp: 1, fp: 0, fn: 0 },
      { tp: 0, fp: 0, fn: 1 }, // predicted nothing: no precision, recall 0
      { tp: 0, fp: 1, fn: 0 }, // nothing true: precision 0, no recall
    ]);
    expect(s.precision).toBeCloseTo(0.5);
    expect(s.recall).toBeCloseTo(0.5);
  });
});
