import { describe, expect, it } from 'vitest';
import { CARD_GAP_PX, placeCard, VIEWPORT_MARGIN_PX, type Rect } from './card-placement';

const VIEWPORT = { width: 1000, height: 800 };
const CARD = { width: 320, height: 200 };
const word = (left: number, top: number, width = 40, height = 18): Rect => ({ left, top, right: left + width, bottom: top + height });

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('placeCard', () => {
  it('puts the card just below a word with room under it', () => {
    const w = word(100, 100);
    const p = placeCard(w, CARD, VIEWPORT);
    expect(p.side).toBe('below');
    expect(p.top).toBe(w.bottom + CARD_GAP_PX);
    expect(p.left).toBe(100);
  });

  it('puts the card above a word near the bottom of the window', () => {
    const w = word(100, 700);
    const p = placeCard(w, CARD, VIEWPORT);
    expect(p.side).toBe('above');
    expect(p.top + CARD.height).toBe(w.top - CARD_GAP_PX);
  });

  it('never covers the word, wherever it is and however tall the card', () => {
    for (const top of [0, 50, 300, 390, 600, 780]) {
      for (const left of [0, 500, 990]) {
        for (const height of [100, 500, 2000]) {
          const w = word(left, top);
          const p = placeCard(w, { width: 320, height }, VIEWPORT);
          const shown = Math.min(height, p.maxHeight);
          const card = { left: p.left, top: p.top, right: p.left + 320, bottom: p.top + shown };
          expect(overlaps(card, w), `word at ${left},${top}, card ${height} high`).toBe(false);
          expect(card.top).toBeGreaterThanOrEqual(VIEWPORT_MARGIN_PX - 0.001);
          expect(card.bottom).toBeLessThanOrEqual(VIEWPORT.height - VIEWPORT_MARGIN_PX + 0.001);
        }
      }
    }
  });

  it('shifts the card left to stay inside the window beside a word at the right edge', () => {
    const p = placeCard(word(950, 100), CARD, VIEWPORT);
    expect(p.left + CARD.width).toBe(VIEWPORT.width - VIEWPORT_MARGIN_PX);
  });

  it('chooses the side with more room when the card fits on neither, and limits its height to it', () => {
    const p = placeCard(word(100, 600), { width: 320, height: 1000 }, VIEWPORT);
    expect(p.side).toBe('above');
    expect(p.maxHeight).toBe(600 - CARD_GAP_PX - VIEWPORT_MARGIN_PX);
    expect(p.top).toBe(VIEWPORT_MARGIN_PX);
  });
});
