/**
 * Information gain of a paragraph for this learner: the pointwise mutual information, in
 * bits, between "this paragraph" and "relevant to the learner":
 *
 *   IG(p) = log2( P(relevant | p) / P(relevant) )
 *
 * 0 bits: as likely relevant as a random paragraph; +1 bit: twice as likely; -1 bit: half.
 */

/**
 * Probabilities are kept inside [EPSILON, 1 - EPSILON]: a head that says exactly 0 or 1
 * would make the gain infinite, and no finite amount of evidence justifies that.
 */
export const EPSILON = 1e-4;

function clampProbability(p: number): number {
  return Number.isFinite(p) ? Math.min(1 - EPSILON, Math.max(EPSILON, p)) : 0.5;
}

export function informationGain(pRelevant: number, baseRate: number): number {
  return Math.log2(clampProbability(pRelevant) / clampProbability(baseRate));
}
