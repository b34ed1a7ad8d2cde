/**
 * Which sense of a looked-up word the page means: each sense is scored by how close its text
 * is to the sentence the word was found in (cosine of their embeddings from the product's
 * encoder) plus a frequency prior from WordNet's sense order, and the scores become
 * probabilities with a softmax. The caller embeds `sentence` and `senseText(sense)` for each
 * sense with the same encoder and passes the vectors in; nothing here runs a model.
 */
import { cosineSimilarity } from '../encoder';
import type { PartOfSpeech, Sense } from './types';

/**
 * Weight of the frequency prior, score = cosine + PRIOR_WEIGHT * -ln(rank + 1) (a Zipf-like
 * prior: the k-th sense is about 1/k as likely as the first, raised to the weight).
 * Chosen by `npm run bench:senses` (3000 WordNet example sentences of polysemous words, seed 1,
 * USE-lite int8; 5-fold cross-validation grouped by lemma). Weighted to the sense frequencies
 * of tagged running text (WordNet's concordance counts), as the words on a page are, every
 * fold chose 0.15: top sense right 55.9% of the time (cross-validated), against 50.9% for
 * the first sense alone and 42.7% for similarity alone. On the examples as sampled (about as
 * many per rare sense as per common one) the folds chose 0.02-0.03 and 0.15 costs 5.7 points
 * there (43.0% vs 48.7%); the reader's text is the first case.
 */
export const PRIOR_WEIGHT = 0.15;

/** Softmax temperature turning scores into probabilities: the likelihood-best in the same bench. */
export const TEMPERATURE = 0.1;

/**
 * The text that stands for a sense when it is embedded: the word itself and its synonyms (they
 * anchor the sense to the lemma, as the word does in the page's sentence), then the gloss,
 * then the examples, which are sentences of the same kind as the one on the page.
 * E.g. "bank (depository financial institution, banking concern): a financial institution
 * that accepts deposits ... he cashed a check at the bank." (Without the synonyms, without the
 * word, or with the gloss alone, similarity-alone accuracy moved by less than a point on 800
 * bench items, within noise.)
 */
export function senseText(sense: Sense): string {
  const words = sense.synonyms.length > 0 ? `${sense.lemma} (${sense.synonyms.join(', ')})` : sense.lemma;
  const examples = sense.examples.map((e) => (/[.!?]$/.test(e) ? e : `${e}.`));
  return [`${words}: ${sense.gloss}.`, ...examples].join(' ');
}

/** The frequency prior of a sense of rank `rank` (0 = most frequent), before weighting. */
export function frequencyPrior(rank: number): number {
  return -Math.log(rank + 1);
}

export interface RankSensesOptions {
  /** Weight of the frequency prior (default PRIOR_WEIGHT; 0 = similarity alone). */
  readonly priorWeight?: number;
  /** Softmax temperature for the probabilities (default TEMPERATURE). */
  readonly temperature?: number;
  /** When the caller knows the word's part of speech: only senses of it (all if none match). */
  readonly pos?: PartOfSpeech;
}

export interface RankedSense {
  readonly sense: Sense;
  readonly score: number;
  readonly probability: number;
}

/** The senses, most likely first, with their scores and probabilities (summing to 1). */
export function rankSenses(
  sentenceVector: Float32Array,
  senses: ReadonlyArray<{ sense: Sense; vector: Float32Array }>,
  options: RankSensesOptions = {},
): RankedSense[] {
  const weight = options.priorWeight ?? PRIOR_WEIGHT;
  const temperature = options.temperature ?? TEMPERATURE;
  const ofPos = options.pos ? senses.filter((s) => s.sense.pos === options.pos) : senses;
  const pool = ofPos.length > 0 ? ofPos : senses;
  const scored = pool.map(({ sense, vector }) => ({
    sense,
    score: cosineSimilarity(sentenceVector, vector) + weight * frequencyPrior(sense.rank),
  }));
  const best = Math.max(...scored.map((s) => s.score));
  const weights = scored.map((s) => Math.exp((s.score - best) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  return scored
    .map((s, i) => ({ ...s, probability: weights[i]! / total }))
    .sort((a, b) => b.score - a.score || a.sense.rank - b.sense.rank);
}
