import { describe, expect, it } from 'vitest';
import { median } from '../../bench/lib/stats';

describe('median (benchmarks)', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
  it('sorts numerically, not as text', () => {
    expect(median([10, 9, 100])).toBe(10);
  });
  it('leaves its input as it was', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});
