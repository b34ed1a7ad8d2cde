/**
 * Which of a page's paragraphs to judge next: those nearest to where the learner is reading.
 * On a long page (a forum thread, an endless feed, a 50,000-paragraph archive) the learner
 * reads a screen somewhere in the middle; paragraphs are judged a message at a time, so each
 * message takes the ones closest to that screen, not the next ones in document order.
 */

/**
 * Up to `k` of `items` (in document order), nearest to `anchor` (an index into `items`: the
 * first item at or below the top of the screen) first: the anchor, then outwards, an item
 * below before the one equally far above (the learner reads downwards).
 */
export function nearestFirst<T>(items: readonly T[], anchor: number, k: number): T[] {
  const n = items.length;
  const out: T[] = [];
  if (n === 0 || k <= 0) return out;
  const at = Math.min(Math.max(0, Math.floor(Number.isFinite(anchor) ? anchor : 0)), n - 1);
  let below = at;
  let above = at - 1;
  while (out.length < k && (below < n || above >= 0)) {
    if (below < n && (above < 0 || below - at <= at - above)) out.push(items[below++]!);
    else out.push(items[above--]!);
  }
  return out;
}

/**
 * Paragraphs per message after a page's first screen. Each message is answered once all its
 * new paragraphs are embedded, and the next one, nearest where the learner is by then, is sent
 * only after that: a learner who scrolls waits for the message in flight. At 30-40 ms of
 * inference per paragraph on a 2-core machine (more when it is loaded), a message of 400 took
 * 15-20 s. Measured (`bench:huge-page`, load average 8-11): after a scroll to the middle of a
 * 50,000-paragraph page, a paragraph there was judged 5.0-9.5 s later with 100 per message,
 * and not within 32 s with 400; 2,000-paragraph page, 6-14 s against not within 32 s. The
 * price is the background's own work per message, four times as often: it chooses again over
 * all the page's known paragraphs (up to 2,000), but prepares and embeds only the message's
 * new ones, the rest kept from earlier messages (platform/service/page-memory.ts). Measured
 * in Node (bench/page-messages.ts, a 50,000-paragraph page, 2 cores under load): 0.16 s a
 * message once 2,000 are known (0.41 s with stated interests), where judging them all again
 * took 2.4-2.5 s.
 */
export const LATER_MESSAGE_PARAGRAPHS = 100;

/**
 * The index of the first item whose bottom edge is below the top of the screen, by binary
 * search over items in document order (their vertical order, for a page's paragraphs), with
 * `bottom(i)` the item's bottom edge relative to the screen's top. `count` when all are above
 * it. O(log n) measurements, so a 50,000-paragraph page costs a few dozen.
 */
export function firstOnOrBelowScreen(count: number, bottom: (i: number) => number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bottom(mid) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The first message of a page: the paragraphs on the screen and just below it, so that the
 * first highlights are chosen and painted while the learner starts reading, and the rest of
 * the page follows in the next messages.
 *
 * - `marginShare`: how far below the screen, as a share of its height, still counts: the
 *   learner's eyes reach the bottom of the screen within seconds and scroll on, and a
 *   paragraph cut by the bottom edge is one they will read next.
 * - `min`: at least this many, even when the screen holds fewer (a title and a big picture
 *   above the text): a choice among one or two paragraphs is hardly a choice, and the page's
 *   share cap (at most a share of the page's paragraphs, at least one) only allows one then.
 * - `max`: at most this many. The encoder's time grows with the paragraphs (on a 2-core
 *   machine, 30-37 ms each when idle: 0.85-1.1 s for a 30-paragraph page), so 8 are about
 *   250 ms of inference, against the 400 ms a learner should wait for a first highlight; a
 *   laptop screen of body text holds 4 to 8 paragraphs, so fewer would leave some of the
 *   screen's paragraphs to the next message. Measured (`bench:first-highlight`, a 900 px
 *   screen, 5 paragraphs in the first message, the machine loaded): the first message's
 *   inference 617 ms against 3,602 ms for all 30, the warm first highlight 4.2x sooner.
 */
export interface FirstScreenLimits {
  readonly marginShare: number;
  readonly min: number;
  readonly max: number;
}

export const FIRST_SCREEN: FirstScreenLimits = { marginShare: 0.25, min: 3, max: 8 };

/** A paragraph's box, relative to the top of the screen (a DOMRect's `top` and `bottom`). */
export interface VerticalBox {
  readonly top: number;
  readonly bottom: number;
}

/**
 * Indices of the items (paragraphs in document order) to send first: those whose box meets
 * the screen or the margin below it (`viewHeight` tall, from 0), at least `min` and at most
 * `max` of them, starting at the first one on screen. When the screen holds fewer than `min`,
 * the next ones below make up the count (those above it where the page ends first). A page of
 * at most `max` items is sent whole. Boxes are measured by binary search (vertical order
 * follows document order), O(log n) of them.
 */
export function firstScreen(count: number, box: (i: number) => VerticalBox, viewHeight: number, limits: FirstScreenLimits = FIRST_SCREEN): number[] {
  const all = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
  const max = Math.max(1, Math.floor(limits.max));
  if (count <= max) return all(0, count);
  const min = Math.min(max, Math.max(1, Math.floor(limits.min)));
  const from = firstOnOrBelowScreen(count, (i) => box(i).bottom);
  const limit = Math.max(0, Number.isFinite(viewHeight) ? viewHeight : 0) * (1 + Math.max(0, limits.marginShare));
  // The first item from `from` on whose top is past the margin: the end of what is in view.
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (box(mid).top >= limit) hi = mid;
    else lo = mid + 1;
  }
  const n = Math.min(max, Math.max(min, lo - from));
  const start = Math.max(0, Math.min(from, count - n));
  return all(start, start + n);
}
