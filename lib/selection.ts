/**
 * Which paragraphs to highlight: the most valuable set whose reading load fits today's budget,
 * a 0/1 knapsack (value = what reading a paragraph is worth, weight = its load in minutes).
 *
 * Exact by dynamic programming over load discretised to `resolution` minutes when the table
 * (items x capacity) is small enough; otherwise greedy by value per minute, taking the better
 * of the greedy set and the best single item, which is never worse than half the optimum (the
 * classic bound: the greedy prefix plus the first item that did not fit is worth at least the
 * fractional optimum, so one of the two halves is worth at least half of it).
 *
 * Discretisation rounds each load *up* to whole units, so every chosen set really fits. The
 * price is bounded: the set found is worth at least the optimum for a budget smaller by
 * n x resolution (any set fitting that smaller budget still fits after rounding), and it is
 * exactly optimal when all loads are multiples of the resolution.
 */

export interface Candidate {
  readonly id: string;
  readonly value: number;
  /** Minutes. */
  readonly load: number;
}

export interface SelectionResult {
  readonly chosen: string[];
  readonly totalValue: number;
  readonly totalLoad: number;
  readonly method: 'exact' | 'greedy';
  /** Some positive-value candidate was left out for lack of budget. */
  readonly limitedByBudget: boolean;
}

export interface SelectionOptions {
  /** Load unit of the exact method, in minutes (default 1/60: one second). */
  readonly resolution?: number;
  /**
   * Ids highlighted already: kept, in this order, while they still fit, so that re-selecting
   * after a small change does not make highlights flicker. The rest is optimised around them.
   */
  readonly keep?: readonly string[];
}

export const DEFAULT_RESOLUTION_MINUTES = 1 / 60;
/** Largest DP table (items x capacity cells) solved exactly: a few MB and a few ms. */
export const MAX_EXACT_CELLS = 2_000_000;
/** Float slack so that loads like 0.1 + 0.2 fit a budget of 0.3. */
const EPS = 1e-9;

export function selectHighlights(
  cands: readonly Candidate[],
  budget: number,
  opts: SelectionOptions = {},
): SelectionResult {
  const cap = Number.isNaN(budget) ? 0 : Math.max(0, budget);
  // Worth choosing at all: positive value, a real load (a negative load is treated as none).
  const seen = new Set<string>();
  const items: Candidate[] = [];
  for (const c of cands) {
    if (seen.has(c.id) || !(c.value > 0) || !Number.isFinite(c.value) || Number.isNaN(c.load) || c.load === Infinity) continue;
    seen.add(c.id);
    items.push({ id: c.id, value: c.value, load: Math.max(0, c.load) });
  }
  const byId = new Map(items.map((c) => [c.id, c]));

  const chosen: Candidate[] = [];
  let remaining = cap;
  for (const id of opts.keep ?? []) {
    const c = byId.get(id);
    if (c && !chosen.includes(c) && c.load <= remaining + EPS) {
      chosen.push(c);
      remaining -= c.load;
    }
  }
  const kept = new Set(chosen);
  const rest = items.filter((c) => !kept.has(c));

  let method: SelectionResult['method'] = 'exact';
  const restLoad = rest.reduce((s, c) => s + c.load, 0);
  if (restLoad <= remaining + EPS) {
    chosen.push(...rest);
  } else {
    // Free items always fit; the knapsack is over the others.
    chosen.push(...rest.filter((c) => c.load === 0));
    const paid = rest.filter((c) => c.load > 0 && c.load <= remaining + EPS);
    const resolution = opts.resolution !== undefined && opts.resolution > 0 ? opts.resolution : DEFAULT_RESOLUTION_MINUTES;
    const capacity = Math.floor(remaining / resolution + EPS);
    if (paid.length * (capacity + 1) <= MAX_EXACT_CELLS) {
      chosen.push(...knapsackExact(paid, resolution, capacity));
    } else {
      method = 'greedy';
      chosen.push(...knapsackGreedy(paid, remaining));
    }
  }

  const chosenSet = new Set(chosen);
  return {
    chosen: chosen.map((c) => c.id),
    totalValue: chosen.reduce((s, c) => s + c.value, 0),
    totalLoad: chosen.reduce((s, c) => s + c.load, 0),
    method,
    limitedByBudget: items.some((c) => !chosenSet.has(c)),
  };
}

/** 0/1 knapsack by dynamic programming over whole units of load (each load rounded up). */
function knapsackExact(items: readonly Candidate[], resolution: number, capacity: number): Candidate[] {
  const n = items.length;
  const width = capacity + 1;
  const weights = items.map((c) => Math.max(1, Math.ceil(c.load / resolution - EPS)));
  const best = new Float64Array(width);
  // took[i * width + w]: item i is in the best set for capacity w among items 0..i.
  const took = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    const v = items[i]!.value;
    for (let c = capacity; c >= w; c--) {
      const withItem = best[c - w]! + v;
      if (withItem > best[c]!) {
        best[c] = withItem;
        took[i * width + c] = 1;
      }
    }
  }
  const out: Candidate[] = [];
  let c = capacity;
  for (let i = n - 1; i >= 0; i--) {
    if (took[i * width + c]) {
      out.push(items[i]!);
      c -= weights[i]!;
    }
  }
  return out.reverse();
}

/**
 * Greedy by value per minute, skipping what does not fit and going on; then the best single
 * item if that alone is worth more, topped up greedily. At least half the optimum (see top).
 */
function knapsackGreedy(items: readonly Candidate[], budget: number): Candidate[] {
  const byRatio = [...items].sort((a, b) => b.value / b.load - a.value / a.load);
  const fill = (start: Candidate[], room: number) => {
    const out = [...start];
    const taken = new Set(start);
    for (const c of byRatio) {
      if (!taken.has(c) && c.load <= room + EPS) {
        out.push(c);
        taken.add(c);
        room -= c.load;
      }
    }
    return out;
  };
  const greedy = fill([], budget);
  let single: Candidate | undefined;
  for (const c of items) if (c.load <= budget + EPS && (!single || c.value > single.value)) single = c;
  const worth = (s: Candidate[]) => s.reduce((t, c) => t + c.value, 0);
  if (single && single.value > worth(greedy)) return fill([single], budget - single.load);
  return greedy;
}
