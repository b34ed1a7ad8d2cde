/**
 * The CEFR level of a text: the label a learner sees on each passage ("level B1"), made to
 * mean what CEFR raters mean by it.
 *
 * Cheap features of the text (word frequency ranks and frequency bands from the shipped list,
 * word endings, function-word shares, sentence length, clause markers and passives, word
 * length) go through a linear model whose output is on the CEFR scale (A1 = 1 ... C2 = 6),
 * and five cut-points turn that into a label. The weights and cut-points are data
 * (lib/level-model.json), fitted by scripts/fit-level.ts on the training splits of two sets
 * of sentences rated by CEFR experts (CEFR-SP, Arase, Uchida & Kajiwara 2022; ReadMe++,
 * Naous et al. 2024) and scored on their held-out splits, on CLEAR and on OneStopEnglish by
 * bench/level.ts. Everything here is a few passes over the words, cheap enough for every
 * paragraph of a page in the browser.
 *
 * Why features that are means, shares and quantiles: the raters labelled single sentences,
 * the product labels paragraphs. Means of per-word and per-sentence quantities mean the same
 * for one sentence as for ten; counts, maxima and spreads would grow with length and label
 * every long paragraph harder (a longest sentence or a rarest word, tried as features, helped
 * the sentences a little and broke the ordering of whole articles).
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
  'meanLogRankContent',
  'contentShare',
  'q75LogRank',
  'q50LogRank',
  'over1k',
  'over2k',
  'over4k',
  'over8k',
  'over16k',
  'unlistedShare',
  'suffixShare',
  'lyShare',
  'ingShare',
  'edShare',
  'pronounShare',
  'ofShare',
  'theShare',
  'sentenceWords',
  'meanLogSentence',
  'subordinatorsPerSentence',
  'conjunctionsPerSentence',
  'punctuationPerSentence',
  'punctuationPerWord',
  'thatPerSentence',
  'passivesPerSentence',
] as const;
export type LevelFeature = (typeof LEVEL_FEATURES)[number];

/** A word this long (in letters) counts as long. */
const LONG_WORD_LETTERS = 7;

/** Subordinators and relative pronouns that open a clause (English); "that" is counted apart (mostly a determiner). */
const CLAUSE_OPENERS_EN = new Set([
  'which', 'who', 'whom', 'whose', 'because', 'although', 'though', 'while', 'whereas', 'unless',
  'until', 'whether', 'whereby', 'wherever', 'whenever', 'if', 'when', 'since', 'where',
]);
/** Coordinating conjunctions: clauses strung together rather than embedded. */
const CONJUNCTIONS_EN = new Set(['and', 'but', 'or', 'so', 'yet']);
/** Personal and possessive pronouns: frequent in conversation and simple narrative, rare in dense prose. */
const PRONOUNS_EN = new Set([
  'i', 'you', 'he', 'she', 'it', 'we', 'they', 'me', 'him', 'her', 'us', 'them', 'my', 'your', 'his', 'its', 'our', 'their',
]);
/** Forms of "be" that, followed closely by a participle, make a passive ("was built", "is being done"). */
const BE_FORMS_EN = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'am']);
/** Derivational endings of abstract nouns and adjectives (nominalisation, academic register), plural included. */
const DERIVED_SUFFIX_EN = /(tion|sion|ment|ness|ity|ance|ence|ism|ist|ous|ive|ible|able|ical|ize|ise|ify)s?$/;
/** Ranks at or below this are the grammar words (the, of, and, ...); the rest are content words. */
const FUNCTION_WORD_RANKS = 150;
const CLAUSE_PUNCTUATION = /[,;:\u2013\u2014(\u3001\uff0c\uff1b]/gu;

/** The value at or below which `q` of the `sorted` values lie (nearest rank); 0 for none. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const shareOf = <T>(values: readonly T[], test: (v: T) => boolean) =>
  values.length ? values.reduce((n, v) => n + (test(v) ? 1 : 0), 0) / values.length : 0;

/**
 * The features of a text, by name. Lexical (over its words, names and numbers left out):
 * - meanLogRank: mean natural log of the frequency rank; q50LogRank, q75LogRank, highLogRank:
 *   the median, 75th and 90th percentiles of the same; meanLogRankContent: the mean over
 *   content words only (rank past FUNCTION_WORD_RANKS), contentShare: their share;
 * - over1k ... over16k: the share of words ranked past 1,000 ... 16,000; unlistedShare: not in
 *   the list at all;
 * - unknownA1 ... unknownC1: the expected share of its words unknown to a typical learner of
 *   that level (VOCABULARY_BY_LEVEL and the knowledge curve of lib/vocabulary.ts);
 * - suffixShare, lyShare, ingShare, edShare: shares of derived abstract words (-tion, -ity,
 *   -ous, ...), of -ly adverbs, -ing and -ed forms (morphology);
 * - pronounShare, ofShare, theShare: shares of personal pronouns, "of" and "the" (register:
 *   conversation and narrative against dense nominal prose);
 * - lettersPerWord, longWordShare: word length, a proxy for morphology and syllables;
 * - namesShare: the share of words that are names or numbers (easier than their rank says).
 * Syntactic (per sentence, over all its words):
 * - logSentenceWords: log(1 + mean words per sentence); sentenceWords: the mean itself;
 *   meanLogSentence: the mean of log(1 + words) over sentences;
 * - clausesPerSentence: clause punctuation and (English) subordinators; apart:
 *   subordinatorsPerSentence, conjunctionsPerSentence, punctuationPerSentence,
 *   punctuationPerWord, thatPerSentence, passivesPerSentence ("be" then a participle within
 *   two words).
 */
export function levelFeatures(
  text: string,
  lang: string,
  lexicon: Lexicon,
  words: readonly ParagraphWord[] = paragraphWords(text, lang, lexicon),
): Record<LevelFeature, number> {
  const counted = words.filter((w) => !w.ignored);
  const unlisted = unlistedRank(lexicon);
  const ranks = counted.map((w) => rankOf(w.word, lexicon) ?? unlisted);
  const logRanks = ranks.map((r) => Math.log(Math.max(1, r)));
  const sortedLogRanks = [...logRanks].sort((a, b) => a - b);
  const contentLogRanks = logRanks.filter((l) => l > Math.log(FUNCTION_WORD_RANKS));
  const lower = counted.map((w) => w.word.toLowerCase());
  const unknown = (level: CefrLevel) =>
    ranks.length ? ranks.reduce((s, r) => s + 1 - knownProbability(r, VOCABULARY_BY_LEVEL[level]), 0) / ranks.length : 0;

  const sentenceLengths: number[] = [];
  let tokenCount = 0;
  let letters = 0;
  let long = 0;
  let openers = 0;
  let conjunctions = 0;
  let thats = 0;
  let passives = 0;
  const english = /^en\b/i.test(lang);
  for (const s of sentences(text, lang)) {
    const toks = wordTokens(s, lang).map((t) => t.word);
    if (toks.length === 0) continue;
    sentenceLengths.push(toks.length);
    tokenCount += toks.length;
    toks.forEach((t, i) => {
      const n = [...t].length;
      letters += n;
      if (n >= LONG_WORD_LETTERS) long++;
      if (!english) return;
      const w = t.toLowerCase();
      if (CLAUSE_OPENERS_EN.has(w)) openers++;
      if (CONJUNCTIONS_EN.has(w)) conjunctions++;
      if (w === 'that') thats++;
      if (BE_FORMS_EN.has(w) && toks.slice(i + 1, i + 3).some((next) => next.length > 3 && /(ed|en)$/i.test(next))) passives++;
    });
  }
  const sentenceCount = sentenceLengths.length;
  const perSentence = (n: number) => (sentenceCount ? n / sentenceCount : 0);
  const punctuation = (text.match(CLAUSE_PUNCTUATION) ?? []).length;
  const wordsPerSentence = perSentence(tokenCount);
  return {
    meanLogRank: mean(logRanks),
    highLogRank: quantile(sortedLogRanks, 0.9),
    unknownA1: unknown('A1'),
    unknownA2: unknown('A2'),
    unknownB1: unknown('B1'),
    unknownB2: unknown('B2'),
    unknownC1: unknown('C1'),
    logSentenceWords: Math.log1p(wordsPerSentence),
    clausesPerSentence: perSentence(punctuation + openers),
    lettersPerWord: tokenCount ? letters / tokenCount : 0,
    longWordShare: tokenCount ? long / tokenCount : 0,
    namesShare: words.length ? (words.length - counted.length) / words.length : 0,
    meanLogRankContent: mean(contentLogRanks),
    contentShare: logRanks.length ? contentLogRanks.length / logRanks.length : 0,
    q75LogRank: quantile(sortedLogRanks, 0.75),
    q50LogRank: quantile(sortedLogRanks, 0.5),
    over1k: shareOf(ranks, (r) => r > 1000),
    over2k: shareOf(ranks, (r) => r > 2000),
    over4k: shareOf(ranks, (r) => r > 4000),
    over8k: shareOf(ranks, (r) => r > 8000),
    over16k: shareOf(ranks, (r) => r > 16000),
    unlistedShare: shareOf(ranks, (r) => r >= unlisted),
    suffixShare: english ? shareOf(lower, (w) => w.length > 5 && DERIVED_SUFFIX_EN.test(w)) : 0,
    lyShare: english ? shareOf(lower, (w) => w.length > 4 && w.endsWith('ly')) : 0,
    ingShare: english ? shareOf(lower, (w) => w.length > 4 && w.endsWith('ing')) : 0,
    edShare: english ? shareOf(lower, (w) => w.length > 4 && w.endsWith('ed')) : 0,
    pronounShare: english ? shareOf(lower, (w) => PRONOUNS_EN.has(w)) : 0,
    ofShare: english ? shareOf(lower, (w) => w === 'of') : 0,
    theShare: english ? shareOf(lower, (w) => w === 'the') : 0,
    sentenceWords: wordsPerSentence,
    meanLogSentence: mean(sentenceLengths.map((n) => Math.log1p(n))),
    subordinatorsPerSentence: perSentence(openers),
    conjunctionsPerSentence: perSentence(conjunctions),
    punctuationPerSentence: perSentence(punctuation),
    punctuationPerWord: tokenCount ? punctuation / tokenCount : 0,
    thatPerSentence: perSentence(thats),
    passivesPerSentence: perSentence(passives),
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
