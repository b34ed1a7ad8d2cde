/**
 * Ours against the naive transformers.js reference (bench/lib/naive-pipeline-run.ts), run by
 * run: both ran in the same run of the benchmark, one right after the other, so each ratio
 * compares times taken under the same load on the machine; the medians of those ratios are
 * what the goal ("first highlight >= 3x faster than the naive pipeline") reads.
 */
import type { NaiveRunResult } from './naive-pipeline-run';

export type Visit = 'cold' | 'warm';

export interface NaiveComparisonRow {
  visit: Visit;
  /** Which of the naive reference's times ours is held against. */
  naive: 'first' | 'all';
  /** Medians over the paired runs, ms. */
  oursMs: number;
  naiveMs: number;
  /** Median over runs of naive time / our time: above 1, ours is that many times faster. */
  speedup: number;
  pairs: number;
}

/**
 * Pairs run i of ours (its first highlight; null where the run does not count, e.g. not
 * scored by the encoder) with run i of the naive reference (null where it failed).
 */
export function compareWithNaive(
  ours: ReadonlyArray<Record<Visit, number> | null>,
  naive: ReadonlyArray<NaiveRunResult | null>,
  median: (xs: number[]) => number,
): NaiveComparisonRow[] {
  const rows: NaiveComparisonRow[] = [];
  for (const visit of ['cold', 'warm'] as const) {
    for (const which of ['first', 'all'] as const) {
      const pairs = ours.flatMap((o, i) => {
        const n = naive[i];
        if (!o || !n) return [];
        const theirs = which === 'first' ? n[visit].firstMs : n[visit].allMs;
        return o[visit] > 0 && Number.isFinite(theirs) ? [[o[visit], theirs] as const] : [];
      });
      rows.push({
        visit,
        naive: which,
        oursMs: median(pairs.map((p) => p[0])),
        naiveMs: median(pairs.map((p) => p[1])),
        speedup: median(pairs.map(([o, n]) => n / o)),
        pairs: pairs.length,
      });
    }
  }
  return rows;
}
