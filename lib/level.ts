/**
 * The CEFR level of a text: the label a learner sees on each passage ("level B1"), made to
 * mean what CEFR raters mean by it.
 *
 * A handful of cheap features of the text (word frequency ranks from the shipped list,
 * sentence length and clauses, word length) go through a linear model whose output is on the
 * CEFR scale (A1 = 1 ... C2 = 6), and five cut-points turn that into a label. The weights
 * and cut-points are data (lib/level-model.json), fitted by scripts/fit-level.ts on the
 * training splits of two sets of sentences rated by CEFR experts (CEFR-SP, Arase, Uchida &
 * Kajiwara 2022; ReadMe++, Naous et al. 2024) and scored on their held-out splits by
 * bench/level.ts. Everything here is a few passes over the words, cheap enough for every
 * paragraph of a page in the browser.
 *
 * Why features that are means and shares: the raters labelled single sentences, the product
 * labels paragraphs. Means of per-word and per-sentence quantities mean the same for one
 * sentence as for ten; counts and maxima would grow with length and label every long
 * paragraph harder.
 */
import { paragraphWords, type ParagraphWord } from './learner';
import shippedModel from './level-model.json';
import { sentences, wordTokens } from './text';
import { CEFR_LEVELS, type CefrLevel, knownProbability, type Lexicon, rankOf, unlistedRank, VOCABULARY_BY_LEVEL } from './vocabulary';

/** Feature names, in the order of `levelFeatures`' vector (the model file refers to them by name). */
export const LEVEL_FEATURES = [
  'meanLogRank',
  'highLogRank',
  'unknownA1',
  'unknownA2',
  'unknownB1',
  'unknownB2',
  'unknownC1',
  'logSentenceWords',
  'clausesPerSentence',
  'lettersPerWord',
  'longWordShare',
  'namesShare',
] as const;
export type LevelFeature = (typeof LEVEL_FEATURES)[number];

/** A word this long (in letters) counts as long. */
const LONG_WORD_LETTERS = 7;

/** Subordinators and relative pronouns that open a clause (English); "that" is left out (mostly a determiner). */
const CLAUSE_OPENERS_EN = new Set([
  'which', 'who', 'whom', 'whose', 'because', 'although', 'though', 'while', 'whereas', 'unless',
  'until', 'whether', 'whereby', 'wherever', 'whenever', 'if', 'when', 'since', 'where',
]);
const CLAUSE_PUNCTUATION = /[,;:\u2013\u2014(\u3001\uff0c\uff1b]/gu;

/** Share of `values` at or below which `q` of them lie (nearest rank); 0 for none. */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * The features of a text, by name:
 * - meanLogRank: mean natural log of the frequency rank of its words (names and numbers left
 *   out); highLogRank: the 90th percentile of the same, its rarer words;
 * - unknownA1 ... unknownC1: the expected share of its words unknown to a typical learner of
 *   that level (VOCABULARY_BY_LEVEL and the knowledge curve of lib/vocabulary.ts);
 * - logSentenceWords: log(1 + words per sentence); clausesPerSentence: clause punctuation and
 *   (English) subordinators per sentence;
 * - lettersPerWord, longWordShare: word length, a proxy for morphology and syllables;
 * - namesShare: the share of words that are names or numbers (easier than their rank says).
 */
export function levelFeatures(
  text: string,
  lang: string,
  lexicon: Lexicon,
  words: readonly ParagraphWord[] = paragraphWords(text, lang, lexicon),
): Record<LevelFeature, number> {
  const counted = words.filter((w) => !w.ignored);
  const ranks = counted.map((w) => rankOf(w.word, lexicon) ?? unlistedRank(lexicon));
  const logRanks = ranks.map((r) => Math.log(Math.max(1, r)));
  const unknown = (level: CefrLevel) =>
    ranks.length ? ranks.reduce((s, r) => s + 1 - knownProbability(r, VOCABULARY_BY_LEVEL[level]), 0) / ranks.length : 0;

  let sentenceCount = 0;
  let tokenCount = 0;
  let letters = 0;
  let long = 0;
  let openers = 0;
  const english = /^en\b/i.test(lang);
  for (const s of sentences(text, lang)) {
    const toks = wordTokens(s, lang);
    if (toks.length === 0) continue;
    sentenceCount++;
    tokenCount += toks.length;
    for (const t of toks) {
      const n = [...t.word].length;
      letters += n;
      if (n >= LONG_WORD_LETTERS) long++;
      if (english && CLAUSE_OPENERS_EN.has(t.word.toLowerCase())) openers++;
    }
  }
  const punctuation = (text.match(CLAUSE_PUNCTUATION) ?? []).length;
  return {
    meanLogRank: logRanks.length ? logRanks.reduce((a, b) => a + b, 0) / logRanks.length : 0,
    highLogRank: quantile(logRanks, 0.9),
    unknownA1: unknown('A1'),
    unknownA2: unknown('A2'),
    unknownB1: unknown('B1'),
    unknownB2: unknown('B2'),
    unknownC1: unknown('C1'),
    logSentenceWords: Math.log1p(sentenceCount ? tokenCount / sentenceCount : 0),
    clausesPerSentence: sentenceCount ? (punctuation + openers) / sentenceCount : 0,
    lettersPerWord: tokenCount ? letters / tokenCount : 0,
    longWordShare: tokenCount ? long / tokenCount : 0,
    namesShare: words.length ? (words.length - counted.length) / words.length : 0,
  };
}

/** A fitted level model (lib/level-model.json): score = intercept + sum of weight x (feature - mean) / scale. */
export interface LevelModel {
  readonly lang: string;
  readonly features: readonly LevelFeature[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
  /** Five increasing cut-points on the score between A1|A2, A2|B1, B1|B2, B2|C1, C1|C2. */
  readonly cuts: readonly number[];
}

/** The continuous level of a text, on the CEFR scale (about 1 = A1 ... 6 = C2). */
export function levelScore(model: LevelModel, features: Readonly<Record<LevelFeature, number>>): number {
  let s = model.intercept;
  model.features.forEach((name, i) => {
    s += (model.weights[i]! * (features[name] - model.mean[i]!)) / model.scale[i]!;
  });
  return s;
}

/** The CEFR label of a score: the number of cut-points at or below it. */
export function levelOfScore(model: LevelModel, score: number): CefrLevel {
  let k = 0;
  while (k < model.cuts.length && score >= model.cuts[k]!) k++;
  return CEFR_LEVELS[k]!;
}

/** The shipped model (scripts/fit-level.ts), checked once: a malformed file fails loudly at load, not as NaN labels. */
export const LEVEL_MODEL: LevelModel = checkModel(shippedModel as LevelModel);

function checkModel(m: LevelModel): LevelModel {
  const n = m.features.length;
  const ok =
    m.features.every((f) => (LEVEL_FEATURES as readonly string[]).includes(f)) &&
    [m.mean, m.scale, m.weights].every((v) => v.length === n && v.every(Number.isFinite)) &&
    m.cuts.length === CEFR_LEVELS.length - 1 &&
    m.cuts.every((c, i) => Number.isFinite(c) && (i === 0 || c > m.cuts[i - 1]!));
  if (!ok) throw new Error('lib/level-model.json is malformed: rerun scripts/fit-level.ts');
  return m;
}

/**
 * The CEFR level of a text by the shipped model, with its continuous score; undefined when
 * the model does not apply (another language than the model's). `lexicon` must be the
 * shipped frequency list of that language: the model was fitted on its ranks.
 */
export function cefrLevel(
  text: string,
  lang: string,
  lexicon: Lexicon,
  words?: readonly ParagraphWord[],
  model: LevelModel = LEVEL_MODEL,
): { score: number; level: CefrLevel } | undefined {
  if (lang.toLowerCase().split('-')[0] !== model.lang) return undefined;
  const score = levelScore(model, levelFeatures(text, lang, lexicon, words));
  return { score, level: levelOfScore(model, score) };
}
