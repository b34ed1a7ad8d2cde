/**
 * The article-extraction-benchmark metric (scrapinghub/article-extraction-benchmark), as its
 * data README states it: tokens are the `\w+` runs of the text (Unicode letters, digits and
 * underscore; case kept), each page's true and predicted bodies become multisets of 4-token
 * shingles, tp/fp/fn are the shared / predicted-only / true-only shingle counts divided by
 * their sum (every page weighs the same), precision and recall are means over pages, and F1
 * is the harmonic mean of those two means.
 */

/** Python's Unicode `\w`: letters, numbers (all numeric categories) and the underscore. Marks are not word characters there. */
const WORD = /[\p{L}\p{N}_]+/gu;

export const SHINGLE_SIZE = 4;

export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * The n-token shingles of `text` with their counts. A text shorter than n tokens is one
 * shingle of all its tokens; a text without tokens has none.
 */
export function shingles(text: string, n = SHINGLE_SIZE): Map<string, number> {
  const tokens = tokenize(text);
  const out = new Map<string, number>();
  const count = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < count; i++) {
    const gram = tokens.slice(i, i + n);
    if (gram.length === 0) continue;
    // A separator no token can contain keeps ("a b", "c") apart from ("a", "b c").
    const key = gram.join('\u0000');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface PageCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/** Shared, predicted-only and true-only shingles, normalised to sum to 1 (all 0 when both are empty). */
export function pageCounts(truth: string, predicted: string, n = SHINGLE_SIZE): PageCounts {
  const t = shingles(truth, n);
  const p = shingles(predicted, n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, pc] of p) {
    const tc = t.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fp += Math.max(0, pc - tc);
  }
  for (const [key, tc] of t) fn += Math.max(0, tc - (p.get(key) ?? 0));
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp: 0, fp: 0, fn: 0 };
}

export function pagePrecision({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

export function pageRecall({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

export interface ExtractionScore {
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
  readonly pages: number;
}

/** Means over pages (precision over pages that predicted something, recall over pages with a truth), and F1 of the means. */
export function scorePages(pages: readonly PageCounts[]): ExtractionScore {
  const ps = pages.filter((c) => c.tp + c.fp > 0).map(pagePrecision);
  const rs = pages.filter((c) => c.tp + c.fn > 0).map(pageRecall);
  const precision = mean(ps);
  const recall = mean(rs);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { f1, precision, recall, pages: pages.length };
}

function mean(xs: readonly number[]): number {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
