/**
 * The readability benchmark's figures (see ../shared/data/README.md): ordering of each
 * article's three versions, and 3-class accuracy with two cut-points on one score.
 */

export const LEVELS = ['ele', 'int', 'adv'] as const;
export type Level = (typeof LEVELS)[number];

/** One scored text: the article it belongs to, its true level (0 = ele, 1 = int, 2 = adv), its score. */
export interface ScoredText {
  readonly article: string;
  readonly level: 0 | 1 | 2;
  readonly score: number;
}

export interface Ordering {
  /** Share of the 3 pairs per article ordered right (a tie counts as wrong). */
  readonly pairwise: number;
  /** Share of articles whose three versions are all ordered right. */
  readonly triples: number;
  readonly articles: number;
}

export function ordering(items: readonly ScoredText[]): Ordering {
  const byArticle = new Map<string, Array<number | undefined>>();
  for (const it of items) {
    const row = byArticle.get(it.article) ?? [undefined, undefined, undefined];
    row[it.level] = it.score;
    byArticle.set(it.article, row);
  }
  let pairsRight = 0;
  let pairs = 0;
  let triplesRight = 0;
  let articles = 0;
  for (const row of byArticle.values()) {
    if (row.some((s) => s === undefined)) continue;
    const [e, i, a] = row as number[];
    const ok = [e! < i!, i! < a!, e! < a!];
    articles++;
    pairs += 3;
    pairsRight += ok.filter(Boolean).length;
    if (ok.every(Boolean)) triplesRight++;
  }
  return { pairwise: pairs ? pairsRight / pairs : 0, triples: articles ? triplesRight / articles : 0, articles };
}

/** Two cut-points: score < low -> ele, < high -> int, else adv. */
export interface CutPoints {
  readonly low: number;
  readonly high: number;
}

export function classify(score: number, cuts: CutPoints): 0 | 1 | 2 {
  return score < cuts.low ? 0 : score < cuts.high ? 1 : 2;
}

export function accuracy(items: readonly ScoredText[], cuts: CutPoints): number {
  if (items.length === 0) return 0;
  return items.filter((it) => classify(it.score, cuts) === it.level).length / items.length;
}

/**
 * The two cut-points that classify the most items right, by exhaustive search over the
 * midpoints between sorted scores (O(n^2) with prefix counts). Among equally good pairs the
 * one with the widest margins is taken, so that the frozen cut-points are not needlessly
 * close to a training score.
 */
export function fitCutPoints(items: readonly ScoredText[]): CutPoints {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  const n = sorted.length;
  if (n === 0) return { low: 0, high: 0 };
  // Candidate cut k means "cut before sorted[k]" (k = 0..n); only between distinct scores.
  const valid: boolean[] = [];
  for (let k = 0; k <= n; k++) valid.push(k === 0 || k === n || sorted[k - 1]!.score < sorted[k]!.score);
  const cutValue = (k: number) =>
    k === 0 ? sorted[0]!.score - 1 : k === n ? sorted[n - 1]!.score + 1 : (sorted[k - 1]!.score + sorted[k]!.score) / 2;
  const margin = (k: number) => (k === 0 || k === n ? Infinity : sorted[k]!.score - sorted[k - 1]!.score);
  // prefix[c][k] = how many of sorted[0..k) are of class c.
  const prefix = [0, 1, 2].map((c) => {
    const p = [0];
    for (let k = 0; k < n; k++) p.push(p[k]! + (sorted[k]!.level === c ? 1 : 0));
    return p;
  });
  let best = { right: -1, margin: -1, i: 0, j: 0 };
  for (let i = 0; i <= n; i++) {
    if (!valid[i]) continue;
    for (let j = i; j <= n; j++) {
      if (!valid[j]) continue;
      const right = prefix[0]![i]! + (prefix[1]![j]! - prefix[1]![i]!) + (prefix[2]![n]! - prefix[2]![j]!);
      const m = Math.min(margin(i), margin(j));
      if (right > best.right || (right === best.right && m > best.margin)) best = { right, margin: m, i, j };
    }
  }
  return { low: cutValue(best.i), high: cutValue(best.j) };
}

/** 3-class accuracy when each article's cut-points are fitted on all the other articles only. */
export function leaveOneArticleOutAccuracy(items: readonly ScoredText[]): number {
  const articles = [...new Set(items.map((it) => it.article))];
  let right = 0;
  for (const a of articles) {
    const cuts = fitCutPoints(items.filter((it) => it.article !== a));
    for (const it of items) if (it.article === a && classify(it.score, cuts) === it.level) right++;
  }
  return items.length ? right / items.length : 0;
}

