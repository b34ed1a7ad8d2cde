/**
 * Where the word card goes: beside the word, never over it. Below the word when the card fits
 * there, else above it, else on whichever side has more room (clipped to the viewport, still
 * clear of the word's own line); horizontally starting at the word, shifted to stay inside the
 * viewport. Pure arithmetic on rectangles in viewport coordinates, so it is tested in Node.
 */

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface Placement {
  readonly left: number;
  readonly top: number;
  /** The most height the card may take there (it scrolls inside beyond that). */
  readonly maxHeight: number;
  readonly side: 'below' | 'above';
}

/** Space kept between the word and the card, and between the card and the viewport's edges. */
export const CARD_GAP_PX = 6;
export const VIEWPORT_MARGIN_PX = 8;

export function placeCard(word: Rect, card: { width: number; height: number }, viewport: { width: number; height: number }): Placement {
  const m = VIEWPORT_MARGIN_PX;
  const roomBelow = viewport.height - m - (word.bottom + CARD_GAP_PX);
  const roomAbove = word.top - CARD_GAP_PX - m;
  const side: Placement['side'] = card.height <= roomBelow || roomBelow >= roomAbove ? 'below' : 'above';
  const room = Math.max(0, side === 'below' ? roomBelow : roomAbove);
  const height = Math.min(card.height, room);
  const top = side === 'below' ? word.bottom + CARD_GAP_PX : word.top - CARD_GAP_PX - height;
  const width = Math.min(card.width, Math.max(0, viewport.width - 2 * m));
  const left = Math.max(m, Math.min(word.left, viewport.width - m - width));
  return { left, top, maxHeight: room, side };
}
