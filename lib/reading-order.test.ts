import { describe, expect, it } from 'vitest';
import { firstOnOrBelowScreen, nearestFirst } from './reading-order';

const items = Array.from({ length: 10 }, (_, i) => i);

describe('nearestFirst', () => {
  it('takes the anchor, then outwards, below before equally far above', () => {
    expect(nearestFirst(items, 5, 5)).toEqual([5, 6, 4, 7, 3]);
  });

  it('runs on past either end of the page', () => {
    expect(nearestFirst(items, 0, 4)).toEqual([0, 1, 2, 3]);
    expect(nearestFirst(items, 9, 4)).toEqual([9, 8, 7, 6]);
    expect(nearestFirst(items, 8, 10)).toEqual([8, 9, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('takes everything when asked for more than there is, each once', () => {
    const all = nearestFirst(items, 3, 100);
    expect([...all].sort((a, b) => a - b)).toEqual(items);
  });

  it('treats an anchor past the end (all above the screen) as the last item, and answers nothing for nothing', () => {
    expect(nearestFirst(items, 10, 3)).toEqual([9, 8, 7]);
    expect(nearestFirst([], 0, 3)).toEqual([]);
    expect(nearestFirst(items, 2, 0)).toEqual([]);
  });
});

describe('firstOnOrBelowScreen', () => {
  it('finds the first item whose bottom is below the top of the screen in O(log n) measurements', () => {
    // 50,000 paragraphs of 30 px, scrolled so that the screen's top is at 600,015 px.
    const scrolled = 600_015;
    let measured = 0;
    const bottom = (i: number) => (measured++, (i + 1) * 30 - scrolled);
    expect(firstOnOrBelowScreen(50_000, bottom)).toBe(20_000);
    expect(measured).toBeLessThanOrEqual(17);
  });

  it('is 0 at the top of the page and the count when everything is above the screen', () => {
    expect(firstOnOrBelowScreen(5, (i) => (i + 1) * 30)).toBe(0);
    expect(firstOnOrBelowScreen(5, () => -1)).toBe(5);
    expect(firstOnOrBelowScreen(0, () => 1)).toBe(0);
  });
});
