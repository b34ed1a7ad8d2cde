/**
 * Information gain of a paragraph, in bits: how much more likely than a random paragraph
 * it is to be relevant to this learner.
 *
 *   IG(p) = log2( P(relevant | p) / P(relevant) )
 *
 * the pointwise mutual information between "this paragraph" and "relevant". 0 bits at the
 * base rate (reading it tells you nothing you did not expect), +1 bit when it is twice as
 * likely as a random paragraph, negative when less likely. P(relevant | p) comes from the
 * head (lib/head.ts), calibrated on the learner's own feedback; P(relevant) is the base rate
 * of what the learner reads (lib/head.ts `baseRate`: the prior before any label, then the
 * head's mean P(relevant | p) over a sample of the paragraphs read).
 *
 * Both probabilities are clamped to [EPSILON, 1 - EPSILON] before the ratio: log(0) is minus infinity, and a single overconfident prediction would otherwise
 * give one paragraph an unbounded (negative) gain that swamps the knapsack that chooses
 * highlights. A floor of 1/1000 also matches what the evidence can support: a head trained
 * on at most a thousand remembered labels cannot honestly tell 1 in 1000 from 1 in 10000.
 * The gain is therefore within +-log2(999) ~ +-9.97 bits. A probability that is not a
 * finite number (a broken head) carries no information: 0 bits, rather than an exception
 * that would stop the whole page from being judged.
 */
import { baseRate, evidenceFor, predict, type HeadEvidence, type HeadState } from './head';

export const EPSILON = 1e-3;

function clampProbability(p: number): number {
  return Math.min(1 - EPSILON, Math.max(EPSILON, p));
}

/** PMI in bits between a paragraph and relevance, from P(relevant | p) and the base rate P(relevant). */
export function informationGain(pRelevant: number, baseRate: number): number {
  if (!Number.isFinite(pRelevant) || !Number.isFinite(baseRate)) return 0;
  return Math.log2(clampProbability(pRelevant) / clampProbability(baseRate));
}

/** Bits of information gain of one paragraph for the learner the head models. */
export function gainBits(head: HeadState, embedding: Float32Array): number {
  return informationGain(predict(head, embedding), baseRate(head));
}

export interface Explanation extends HeadEvidence {
  readonly bits: number;
  /** Calibrated P(relevant | paragraph). */
  readonly probability: number;
  /** The learner's base rate P(relevant). */
  readonly baseRate: number;
}

/**
 * "Why was this highlighted?": the gain and its parts, the stated interests by similarity,
 * and the nearest remembered paragraphs the learner marked relevant / not relevant (ids and
 * cosine similarity), so the UI can name them. `k` bounds each list of examples.
 */
export function explain(head: HeadState, embedding: Float32Array, k = 3): Explanation {
  const probability = predict(head, embedding);
  const rate = baseRate(head);
  return {
    bits: informationGain(probability, rate),
    probability,
    baseRate: rate,
    ...evidenceFor(head, embedding, k),
  };
}
