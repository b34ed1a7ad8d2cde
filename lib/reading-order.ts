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
