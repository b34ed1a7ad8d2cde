/**
 * Spending one day's reading budget across pages that arrive one at a time: an online
 * knapsack. The future pages of the day are unknown, so "the best set that fits in what is
 * left" on each page is greedy across the day (the first pages take everything and a better
 * page later finds the budget gone). Instead each page may only spend budget on passages whose
 * value per minute clears a bar that rises as the day's budget is used.
 *
 * The bar is the threshold of Zhou, Chakrabarty & Lukose ("Budget constrained bidding in
 * keyword auctions and online knapsack problems", WINE 2008). With every item's value density
 * (value / minutes) in [L, U] and items small against the budget, accepting an item exactly
 * when its density is at least
 *
 *     psi(z) = L                        for z <= c = 1 / (1 + ln(U / L))
 *     psi(z) = (L / e) * (U e / L)^z    for z >= c
 *
 * (z = share of the budget already used) earns at least 1 / (1 + ln(U / L)) of the hindsight
 * optimum on every arrival order, and no online policy can guarantee more. In practice, on
 * days whose pages resemble the learner's past days, it earns far more than that floor (see
 * `npm run bench:day`).
 *
 * L and U come from the learner's own history: quantiles of the value densities of the
 * passages they were offered on recent days (kept in the daily record, lib/load.ts). Before
 * there is enough history, DEFAULT_BOUNDS stand in.
 *
 * Within a page the exact knapsack still decides (lib/selection.ts): this file only says how
 * many minutes the page may spend (`pageAllowance`), by walking its passages from the densest
 * down while they clear the bar at the budget share they would bring the day to.
 */

export interface DensityBounds {
  /** L: value per minute below which a passage is not worth highlighting today at all. */
  readonly lo: number;
  /** A typical density (the median offered), for tiers. */
  readonly mid: number;
  /** U: value per minute of the best passages the learner is usually offered. */
  readonly hi: number;
}

/**
 * Before any history: value is information gain (bits) x fit, reading takes about half a
 * minute a passage, so a good passage (1-2 bits, in the zone) is worth 2-4 bits a minute and a
 * marginal one (0.1 bit) about 0.2.
 */
export const DEFAULT_BOUNDS: DensityBounds = { lo: 0.2, mid: 1, hi: 4 };
/** Densities kept in the history (newest last); about two weeks of ordinary reading. */
export const DENSITY_HISTORY = 400;
/** History needed before its quantiles replace the defaults. */
export const MIN_HISTORY = 30;
/** Quantiles of the history taken as L and U: robust to a few outliers at either end. */
const LO_QUANTILE = 0.1;
const HI_QUANTILE = 0.9;
/** U / L is kept at least this: a degenerate history (all alike) must still leave a rising bar. */
const MIN_SPREAD = 4;

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const i = Math.floor(at);
  const f = at - i;
  return sorted[i]! * (1 - f) + (sorted[Math.min(i + 1, sorted.length - 1)] ?? sorted[i]!) * f;
}

/** L, mid and U from the learner's recent densities (positive ones only), or the defaults. */
export function boundsFromHistory(history: readonly number[] | undefined): DensityBounds {
  const xs = (history ?? []).filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
  if (xs.length < MIN_HISTORY) return DEFAULT_BOUNDS;
  const lo = quantile(xs, LO_QUANTILE);
  const hi = Math.max(quantile(xs, HI_QUANTILE), lo * MIN_SPREAD);
  const mid = Math.min(hi, Math.max(lo, quantile(xs, 0.5)));
  return { lo, mid, hi };
}

/**
 * Densities one page may add to the history. The history stands for the learner's ordinary
 * days, so one page must not fill it: a forum thread or a long listing with a thousand similar
 * passages would otherwise set L to its own 10th percentile for the next two weeks, and every
 * page like it would then fall below the bar.
 */
export const PAGE_SAMPLE = 16;

/**
 * At most `k` of a page's densities, spread evenly over their sorted range (the page's
 * quantiles), so a long page adds its shape to the history without its weight.
 */
export function pageSample(densities: readonly number[], k = PAGE_SAMPLE): number[] {
  const xs = densities.filter((x) => Number.isFinite(x) && x > 0);
  if (xs.length <= k) return xs;
  const sorted = [...xs].sort((a, b) => a - b);
  return Array.from({ length: k }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (k - 1))]!);
}

/**
 * The history with one page's `densities` added (a sample of at most PAGE_SAMPLE of them),
 * newest last, at most DENSITY_HISTORY long.
 */
export function extendHistory(history: readonly number[] | undefined, densities: readonly number[]): number[] {
  // Stored to three decimals, rounded DOWN: a passage as dense as those recorded must still
  // clear a bar made of them (rounded up, a page like the last ones fell just below its own L).
  const fresh = pageSample(densities).map((x) => Math.floor(x * 1000) / 1000);
  return [...(history ?? []), ...fresh].slice(-DENSITY_HISTORY);
}

/** The share of the budget up to which the bar stays at L. */
export function flatShare(bounds: DensityBounds): number {
  return 1 / (1 + Math.log(bounds.hi / bounds.lo));
}

/** The bar psi(z): least value per minute worth spending budget on once `usedShare` of it is used. */
export function threshold(usedShare: number, bounds: DensityBounds): number {
  const z = Math.min(1, Math.max(0, Number.isFinite(usedShare) ? usedShare : 1));
  if (z <= flatShare(bounds)) return bounds.lo;
  return (bounds.lo / Math.E) * Math.pow((bounds.hi * Math.E) / bounds.lo, z);
}

/** The worst-case share of the hindsight optimum the bar guarantees: 1 / (1 + ln(U/L)). */
export function competitiveRatio(bounds: DensityBounds): number {
  return flatShare(bounds);
}

export interface AllowanceItem {
  readonly value: number;
  /** Minutes. */
  readonly load: number;
}

export interface Allowance {
  /** Minutes this page may spend. */
  readonly minutes: number;
  /** The bar when the page arrived: passages below it are not worth today's budget. */
  readonly bar: number;
}

/**
 * How many minutes a page may spend: its passages taken from the densest down, each while its
 * density clears the bar at the budget share already used (counting those taken before it)
 * and it still fits in the day. A free passage (no load) costs nothing and is always allowed.
 */
export function pageAllowance(items: readonly AllowanceItem[], usedMinutes: number, budgetMinutes: number, bounds: DensityBounds): Allowance {
  const budget = Math.max(0, Number.isFinite(budgetMinutes) ? budgetMinutes : 0);
  let used = Math.max(0, Number.isFinite(usedMinutes) ? usedMinutes : 0);
  const share = () => (budget > 0 ? used / budget : 1);
  const bar = threshold(share(), bounds);
  const start = used;
  const ranked = items
    .filter((it) => it.value > 0 && it.load > 0 && Number.isFinite(it.load))
    .sort((a, b) => b.value / b.load - a.value / a.load);
  for (const it of ranked) {
    if (it.value / it.load < threshold(share(), bounds)) break;
    if (used + it.load <= budget + 1e-9) used += it.load;
  }
  return { minutes: used - start, bar };
}
