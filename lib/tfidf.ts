/**
 * Lexical relevance: a TF-IDF vectoriser with an online logistic regression on top.
 *
 * Two jobs. It is the baseline the embedding head is measured against, and it is the
 * FALLBACK TIER the product uses when no encoder can run (no WASM, too little memory, a
 * model that failed to download): it scores paragraphs against the learner's interest
 * phrases with no embeddings at all and learns from the same feedback events.
 *
 * Choices, and why:
 * - Features are words (lower-cased by `lib/text`, so any script Intl.Segmenter knows) plus,
 *   for words longer than five characters, their first five characters. The prefix is a
 *   language-agnostic stand-in for stemming: "technology" also matches "technological" and
 *   "technologies", which one-word interests otherwise miss entirely.
 * - IDF is learnt online from the paragraphs the learner has actually seen (`observe`), so
 *   words that are common in what they read are discounted without shipping a corpus.
 * - Term frequency is sublinear (1 + ln tf) and vectors are L2-normalised, so a long
 *   paragraph that repeats a word is not worth more than a short one that uses it once.
 * - The regression starts from the interest phrases (their TF-IDF vectors, scaled) and is
 *   regularised towards that start rather than towards zero, so a few labels adjust the
 *   stated interest instead of replacing it.
 * - Per-feature AdaGrad step sizes: rare words get large steps the first times they are
 *   seen, frequent ones settle, which suits sparse text features learnt one example at a
 *   time.
 * - Positives are up-weighted by the running ratio of negatives to positives (capped), so
 *   the usual 1-in-5 relevant paragraphs does not teach the model that nothing is relevant.
 *
 * State is a plain object (records and numbers) so it survives structuredClone (IndexedDB)
 * and JSON. Feature keys carry a one-letter prefix ("w:", "p:") so that no key can ever be
 * "__proto__" or another Object.prototype member, which plain-object maps would mishandle.
 */
import { words } from './text';

export interface TfidfState {
  readonly version: 1;
  readonly lang: string;
  /** Interest phrases the prior was built from. */
  readonly interests: readonly string[];
  /** Paragraphs observed for document frequencies. */
  docCount: number;
  /** Document frequency per feature key. */
  df: Record<string, number>;
  /** Regression weights per feature key (absent = the prior's value, or 0). */
  weights: Record<string, number>;
  /** The interest prior the weights are regularised towards. */
  prior: Record<string, number>;
  /** AdaGrad accumulated squared gradients per feature key. */
  g2: Record<string, number>;
  bias: number;
  biasG2: number;
  /** Weighted label counts, for the class balance. */
  positives: number;
  negatives: number;
  updates: number;
  /** Labels of explicit weight (>= 1: the learner's own judgements) learnt; absent in states stored before it was counted. */
  explicitLabels?: number;
}

export interface TfidfOptions {
  /** Language for word segmentation. */
  lang?: string;
  /** Logit added per unit of cosine between paragraph and interest at cold start. */
  priorStrength?: number;
}

/** Slope of the cold-start logit per unit of cosine to the interest phrase (see createTfidf). */
const DEFAULT_PRIOR_STRENGTH = 6;
/** A priori one paragraph in five is relevant; the bias starts at that log-odds. */
const PRIOR_BASE_RATE = 0.2;
/** AdaGrad base step. */
const LEARNING_RATE = 0.5;
/** Pull of each weight back towards its prior value, per update (L2). */
const L2 = 1e-3;
/** Most a positive can be up-weighted for class balance. */
const MAX_CLASS_WEIGHT = 10;
const PREFIX_LENGTH = 5;

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Feature keys of a text with their raw counts. */
export function termCounts(text: string, lang = 'en'): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const w of words(text, lang)) {
    add('w:' + w);
    const chars = Array.from(w);
    if (chars.length > PREFIX_LENGTH) add('p:' + chars.slice(0, PREFIX_LENGTH).join(''));
  }
  return counts;
}

function idf(state: TfidfState, key: string): number {
  // Smoothed IDF: finite for unseen terms, equal to 1 for a term in every document, and
  // exactly 1 everywhere before anything was observed (plain TF at the very start).
  const df = state.df[key] ?? 0;
  return Math.log((1 + state.docCount) / (1 + df)) + 1;
}

/** L2-normalised sublinear TF-IDF vector of `text` under the current document frequencies. */
export function vectorise(state: TfidfState, text: string): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [k, tf] of termCounts(text, state.lang)) {
    const x = (1 + Math.log(tf)) * idf(state, k);
    v.set(k, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

function buildPrior(state: TfidfState, strength: number): Record<string, number> {
  // Each interest contributes its own normalised vector; the paragraph's cosine to an
  // interest is then exactly its share of the cold-start logit.
  const prior: Record<string, number> = {};
  for (const phrase of state.interests) {
    for (const [k, x] of vectorise(state, phrase)) prior[k] = (prior[k] ?? 0) + strength * x;
  }
  return prior;
}

/**
 * A lexical relevance model from the learner's interest phrases.
 *
 * Cold start: logit = logit(0.2) + strength * sum of cosines to the interest phrases, so a
 * paragraph with none of the interest words sits at the a-priori base rate and one that is
 * mostly the interest word reaches p ~ 0.99 (with strength 6).
 */
export function createTfidf(interests: readonly string[], options: TfidfOptions = {}): TfidfState {
  const state: TfidfState = {
    version: 1,
    lang: options.lang ?? 'en',
    interests: [...interests],
    docCount: 0,
    df: {},
    weights: {},
    prior: {},
    g2: {},
    bias: logit(PRIOR_BASE_RATE),
    biasG2: 0,
    positives: 0,
    negatives: 0,
    updates: 0,
  };
  state.prior = buildPrior(state, options.priorStrength ?? DEFAULT_PRIOR_STRENGTH);
  state.weights = { ...state.prior };
  return state;
}

/**
 * Counts the paragraphs the learner has seen into the document frequencies (mutates and
 * returns `state`). Call once per paragraph, labelled or not; the order does not matter.
 */
export function observe(state: TfidfState, texts: readonly string[]): TfidfState {
  for (const text of texts) {
    state.docCount++;
    for (const k of termCounts(text, state.lang).keys()) state.df[k] = (state.df[k] ?? 0) + 1;
  }
  return state;
}

function logitOf(state: TfidfState, v: Map<string, number>): number {
  let z = state.bias;
  for (const [k, x] of v) z += (state.weights[k] ?? 0) * x;
  return z;
}

/**
 * Smoothed P(relevant) for a random paragraph: Beta(1, 4) prior (one in five, worth five
 * labels, as in lib/head.ts) updated with the weighted labels; with `scoreText` it gives the
 * lexical tier's information gain (lib/gain.ts informationGain).
 */
export function tfidfBaseRate(state: TfidfState): number {
  return (1 + state.positives) / (5 + state.positives + state.negatives);
}

/**
 * The model as the interest prior alone would score (document frequencies kept, what labels
 * taught set aside): the lexical counterpart of lib/head.ts `withoutLabels`, for scoring
 * while only implicit evidence exists.
 */
export function tfidfWithoutLabels(state: TfidfState): TfidfState {
  return { ...state, weights: { ...state.prior }, g2: {}, bias: logit(PRIOR_BASE_RATE), biasG2: 0, positives: 0, negatives: 0 };
}

/** P(relevant | text): the model's probability for one paragraph. */
export function scoreText(state: TfidfState, text: string): number {
  return sigmoid(logitOf(state, vectorise(state, text)));
}

/**
 * One online logistic-regression step on a labelled paragraph (mutates and returns
 * `state`). `weight` scales the example (1 for explicit feedback, less for implicit).
 */
export function updateTfidf(state: TfidfState, text: string, label: 0 | 1, weight = 1): TfidfState {
  if (!(weight > 0)) return state;
  if (label === 1) state.positives += weight;
  else state.negatives += weight;
  if (weight >= 1) state.explicitLabels = (state.explicitLabels ?? 0) + 1;
  // Balance: positives count as negatives/positives each (Laplace-smoothed, capped), so
  // both classes pull equally on the weights whatever the learner's base rate.
  const ratio = (state.negatives + 1) / (state.positives + 1);
  const classWeight = label === 1 ? Math.min(MAX_CLASS_WEIGHT, Math.max(1, ratio)) : 1;
  const v = vectorise(state, text);
  const p = sigmoid(logitOf(state, v));
  const g = (p - label) * weight * classWeight;
  for (const [k, x] of v) {
    const w = state.weights[k] ?? 0;
    // L2 towards the prior, applied lazily to the features this example touches (the
    // usual sparse shortcut; untouched weights keep their value until they next appear).
    const grad = g * x + L2 * (w - (state.prior[k] ?? 0));
    const acc = (state.g2[k] ?? 0) + grad * grad;
    state.g2[k] = acc;
    state.weights[k] = w - (LEARNING_RATE * grad) / Math.sqrt(acc + 1e-8);
  }
  // The bias learns from the unweighted error: it tracks the real base rate, which keeps
  // the probabilities usable as P(relevant) while the weights learn from balanced classes.
  const gb = (p - label) * weight;
  state.biasG2 += gb * gb;
  state.bias -= (LEARNING_RATE * gb) / Math.sqrt(state.biasG2 + 1e-8);
  state.updates++;
  return state;
}
