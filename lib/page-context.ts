/**
 * A paragraph's embedding read in the context of its page: the paragraph's own direction
 * with the page's centre (the mean of its paragraphs' unit embeddings) mixed in.
 *
 * Why: what a paragraph is about is partly what its article is about. A paragraph on its own
 * is short, and a single one can read as off-topic ("He said the figures were wrong") inside
 * an article squarely on the learner's interest, or the other way round. Relevance judged
 * on the paragraph alone is noisy for that reason; mixing in the page's centre shares
 * evidence across the paragraphs of one article, as a hierarchical model would.
 */

/**
 * Weight of the page's centre, set at one half before measuring (an even mix: neither the
 * paragraph nor its page outweighs the other). Measured afterwards, side by side on the same
 * seeds (bench:relevance, held-out articles, median of 5 seeds, 0 -> 0.5): ROC AUC at N = 0
 * labels 0.880 -> 0.905, N = 10 0.902 -> 0.930, N = 50 0.960 -> 0.977, N = 200 0.985 -> 0.993.
 */
export const PAGE_CONTEXT_WEIGHT = 0.5;

/**
 * The unit vector of `v` in double precision (zero for a zero vector). Written as plain loops:
 * a page's 2,000 paragraphs are put in its context on every message of the page, and the
 * same arithmetic through `Array.from` callbacks took several times as long.
 */
function unit(v: ArrayLike<number>): Float64Array {
  const d = v.length;
  let n = 0;
  for (let i = 0; i < d; i++) n += v[i]! * v[i]!;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = v[i]! * s;
  return out;
}

/** The mean of unit vectors (not normalised), or null for none. */
function meanOf(units: readonly Float64Array[]): Float64Array | null {
  if (units.length === 0) return null;
  const d = units[0]!.length;
  const sum = new Float64Array(d);
  for (const u of units) for (let j = 0; j < d; j++) sum[j]! += u[j]!;
  for (let j = 0; j < d; j++) sum[j]! /= units.length;
  return sum;
}

/** The mean of the unit embeddings (not normalised), or null for none. */
export function pageCentre(embeddings: readonly ArrayLike<number>[]): Float64Array | null {
  return meanOf(embeddings.map(unit));
}

/**
 * Each embedding as (1 - weight) x its unit vector + weight x the page centre's unit vector,
 * normalised. weight 0 gives the paragraphs' own unit embeddings.
 */
export function inPageContext(embeddings: readonly Float32Array[], weight: number, centre?: Float64Array | null): Float32Array[] {
  const units = embeddings.map(unit);
  const mean = centre === undefined ? meanOf(units) : centre;
  if (!mean || weight <= 0) return units.map((u) => Float32Array.from(u));
  const c = unit(mean);
  return units.map((u) => {
    const mixed = new Float64Array(u.length);
    for (let j = 0; j < u.length; j++) mixed[j] = (1 - weight) * u[j]! + weight * c[j]!;
    return Float32Array.from(unit(mixed));
  });
}
