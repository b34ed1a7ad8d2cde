/**
 * k-fold cross-validation of the extractor's tuning: every page is extracted once with each
 * candidate tuning; for each fold, the candidate with the best F1 on the other folds is
 * chosen, and the fold's own pages are scored with that choice. The held-out figure is the
 * metric over all pages, each scored by a choice made without it.
 */
import { scorePages, type ExtractionScore, type PageCounts } from './extract-metric';
import { seededRandom } from '../../lib/random';

export interface CvPage {
  readonly id: string;
  /** Counts of the page under each candidate, in the candidates' order. */
  readonly counts: readonly PageCounts[];
}

export interface CvResult {
  readonly k: number;
  /** Every page scored by the candidate chosen on the folds without it. */
  readonly heldOut: ExtractionScore;
  /** Index of the candidate each fold chose. */
  readonly chosen: number[];
  /** Each candidate scored on all pages (in-sample). */
  readonly inSample: ExtractionScore[];
}

/** Fold of each page (by position): a seeded shuffle dealt round-robin, so folds differ in size by one at most. */
export function assignFolds(count: number, k: number, seed = 1): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const rand = seededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const folds = new Array<number>(count);
  order.forEach((page, rank) => (folds[page] = rank % k));
  return folds;
}

export function crossValidate(pages: readonly CvPage[], k: number, seed = 1): CvResult {
  const candidates = pages[0]?.counts.length ?? 0;
  if (candidates === 0) throw new Error('no pages or no candidates to cross-validate');
  if (k < 2 || k > pages.length) throw new Error(`k must be between 2 and the number of pages (${pages.length}), got ${k}`);
  const folds = assignFolds(pages.length, k, seed);
  const inSample = Array.from({ length: candidates }, (_, c) => scorePages(pages.map((p) => p.counts[c]!)));
  const heldOutCounts: PageCounts[] = [];
  const chosen: number[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = pages.filter((_, i) => folds[i] !== fold);
    let best = 0;
    let bestF1 = -1;
    for (let c = 0; c < candidates; c++) {
      // Ties go to the earlier candidate: the list starts with the shipped defaults.
      const f1 = scorePages(train.map((p) => p.counts[c]!)).f1;
      if (f1 > bestF1) {
        best = c;
        bestF1 = f1;
      }
    }
    chosen.push(best);
    pages.forEach((p, i) => {
      if (folds[i] === fold) heldOutCounts.push(p.counts[best]!);
    });
  }
  return { k, heldOut: scorePages(heldOutCounts), chosen, inSample };
}
