import { describe, expect, it } from 'vitest';
import { firstOnOrBelowScreen, firstScreen, nearestFirst, type VerticalBox } from './reading-order';

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

describe('firstScreen', () => {
  /** Paragraphs `height` px tall with `gap` px between them, the first at `offset` px, the page scrolled by `scrolled`. */
  const layout = (height: number, gap = 0, offset = 0, scrolled = 0) => (i: number): VerticalBox => ({
    top: offset + i * (height + gap) - scrolled,
    bottom: offset + i * (height + gap) + height - scrolled,
  });
  const limits = { marginShare: 0.25, min: 3, max: 8 };

  it('takes the paragraphs that meet the screen or the margin below it, from the first on screen', () => {
    // 800 px screen, margin to 1,000 px; 150 px paragraphs: 0-150, ..., 900-1050 meet it (7).
    expect(firstScreen(30, layout(150), 800, limits)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Scrolled by 400 px: the paragraph cut by the top of the screen (300-450) comes first.
    expect(firstScreen(30, layout(150, 0, 0, 400), 800, limits)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('takes at most the ceiling, from the top of the screen down', () => {
    // 40 px lines of a forum: 25 meet the screen and its margin.
    expect(firstScreen(100, layout(40), 800, limits)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('takes at least the floor: the next paragraphs below when a picture fills the screen', () => {
    // The text starts 900 px down, under a hero picture: only its first paragraph meets the margin.
    expect(firstScreen(30, layout(200, 0, 900), 800, limits)).toEqual([0, 1, 2]);
    // Nothing within reach at all (the text starts two screens down).
    expect(firstScreen(30, layout(200, 0, 1_600), 800, limits)).toEqual([0, 1, 2]);
  });

  it('takes the last ones when the screen is past the end of the text', () => {
    expect(firstScreen(20, layout(100, 0, 0, 5_000), 800, limits)).toEqual([17, 18, 19]);
    expect(firstScreen(20, layout(100, 0, 0, 1_850), 800, limits)).toEqual([17, 18, 19]);
  });

  it('sends a page no longer than the ceiling whole, and nothing of an empty one', () => {
    expect(firstScreen(8, layout(500), 800, limits)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(firstScreen(0, layout(500), 800, limits)).toEqual([]);
  });

  it('takes the floor where nothing is laid out (every box empty at 0)', () => {
    expect(firstScreen(30, () => ({ top: 0, bottom: 0 }), 800, limits)).toEqual([27, 28, 29]);
  });

  it('measures O(log n) boxes on a 50,000-paragraph page', () => {
    let measured = 0;
    const box = layout(30, 0, 0, 600_015);
    const out = firstScreen(50_000, (i) => (measured++, box(i)), 800, limits);
    expect(out).toEqual([20_000, 20_001, 20_002, 20_003, 20_004, 20_005, 20_006, 20_007]);
    expect(measured).toBeLessThanOrEqual(40);
  });
});
