/**
 * How hard a paragraph is for one learner, and whether that is the right difficulty.
 *
 * Two sources of difficulty, kept apart so that each can be shown and weighed:
 * - lexical: the words the learner probably does not know. Its share of running words gives
 *   coverage, the figure reading research works with: about 95% known words for adequate and
 *   98% for comfortable unassisted reading (Laufer 1989; Hu & Nation 2000; Nation 2006).
 * - syntactic: long sentences with many clauses, which load working memory whatever the words.
 *
 * Knowledge of a word comes from the learner's state for it when there is one, else from its
 * frequency rank against the learner's vocabulary size (lib/vocabulary.ts). Names and numbers
 * do not count either way.
 */
import {
  knownAfterLookups,
  type Learner,
  type LearnerContext,
  learnerLexicon,
  type ParagraphWord,
  paragraphWords,
  shippedLexicon,
  type WordRecord,
} from './learner';
import { cefrLevel } from './level';
import { type NewWord, probablyNewWords } from './new-words';
import { sentences, wordTokens } from './text';
import {
  CEFR_LEVELS,
  type CefrLevel,
  knownProbability,
  type Lexicon,
  rankOf,
  unlistedRank,
  VOCABULARY_BY_LEVEL,
} from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Lexical side.
// ---------------------------------------------------------------------------------------------

/** The probability a word is known, from the learner's record for it; undefined when the record says nothing. */
export function knowledgeFromRecord(record: WordRecord | undefined): number | undefined {
  if (!record) return undefined;
  switch (record.state) {
    case 'known':
      return 1;
    case 'learning':
      // Met and being learned: recognised about half the time is the neutral guess, less
      // for each time the learner had to look it up.
      return knownAfterLookups(record.lookups);
    case 'ignored':
      return undefined;
    case 'unknown':
      // An explicit "I don't know it" is certain; an implicit unknown only means "not yet seen enough".
      return record.explicit ? 0 : undefined;
  }
}

/** The probability a word is known by frequency alone, for a vocabulary of `vocabularySize` ranks. */
export function knowledgeFromRank(word: string, lexicon: Lexicon, vocabularySize: number): number {
  return knownProbability(rankOf(word, lexicon) ?? unlistedRank(lexicon), vocabularySize);
}

export interface LexicalProfile {
  /** Words that count: not names, numbers or words the learner ignores. */
  readonly countedWords: number;
  /** Expected number of unknown running words. */
  readonly expectedUnknown: number;
  /** Expected share of counted running words unknown, in [0, 1]. */
  readonly unknownShare: number;
  /** 1 - unknownShare: the expected lexical coverage. */
  readonly coverage: number;
  /** Expected number of distinct unknown words (each is worked out once per paragraph). */
  readonly distinctUnknown: number;
  /**
   * Distinct unknown words per square root of counted words: a soft "Advanced Guiraud" index
   * (Daller, van Hout & Treffers-Daller 2003), where "advanced" means "probably unknown to this
   * learner". Dividing by the square root, not by the length, keeps short and long texts
   * comparable, since new words keep appearing at about that rate (Guiraud 1954).
   */
  readonly lexicalLoad: number;
}

/**
 * Sums word knowledge over a paragraph's words. `knowledge` gives P(known) for a word, or
 * undefined for a word that does not count (ignored by the learner).
 */
export function lexicalProfile(
  words: readonly ParagraphWord[],
  knowledge: (w: ParagraphWord, index: number) => number | undefined,
): LexicalProfile {
  let counted = 0;
  let expectedUnknown = 0;
  const unknownByKey = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.ignored) continue;
    const p = knowledge(w, i);
    if (p === undefined) continue;
    counted++;
    expectedUnknown += 1 - p;
    unknownByKey.set(w.key, 1 - p);
  }
  let distinctUnknown = 0;
  for (const u of unknownByKey.values()) distinctUnknown += u;
  const unknownShare = counted > 0 ? expectedUnknown / counted : 0;
  return {
    countedWords: counted,
    expectedUnknown,
    unknownShare,
    coverage: 1 - unknownShare,
    distinctUnknown,
    lexicalLoad: counted > 0 ? distinctUnknown / Math.sqrt(counted) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Syntactic side.
// ---------------------------------------------------------------------------------------------

/** Sentence length that plain-language guidance aims at (about 15 words); a load of 1 means "plain". */
export const PLAIN_SENTENCE_WORDS = 15;
/** What one extra clause costs, in words of sentence length: a clause is a unit to hold and attach. */
export const WORDS_PER_CLAUSE = 3;
/** A word this long (in letters) counts as long: long words are read more slowly, common ones included. */
export const LONG_WORD_LETTERS = 7;

/**
 * Subordinating conjunctions and relative pronouns that open a clause of their own (English).
 * "that" is left out: as a determiner it is far more common than as a clause opener.
 */
const CLAUSE_OPENERS_EN = new Set([
  'which', 'who', 'whom', 'whose', 'because', 'although', 'though', 'while', 'whereas', 'unless',
  'until', 'whether', 'whereby', 'wherever', 'whenever', 'if', 'when', 'since', 'where',
]);

/** Punctuation that separates clauses or inserts them: commas, semicolons, colons, dashes, brackets. */
const CLAUSE_PUNCTUATION = /[,;:\u2013\u2014(\u3001\uff0c\uff1b]/gu;

export interface SyntaxProfile {
  readonly sentences: number;
  readonly words: number;
  readonly meanSentenceWords: number;
  readonly longWordShare: number;
  /** Clause boundaries per sentence beyond the main clause (punctuation plus, in English, subordinators). */
  readonly clausesPerSentence: number;
  /**
   * (mean sentence words + WORDS_PER_CLAUSE x clauses per sentence) / PLAIN_SENTENCE_WORDS.
   * About 1 for plain prose; long words are left out here because the lexical side already
   * counts the rare ones.
   */
  readonly load: number;
}

export function syntaxProfile(text: string, lang: string): SyntaxProfile {
  const sents = sentences(text, lang);
  let wordCount = 0;
  let long = 0;
  let sentenceCount = 0;
  let openers = 0;
  const english = /^en\b/i.test(lang);
  for (const s of sents) {
    const toks = wordTokens(s, lang);
    if (toks.length === 0) continue;
    sentenceCount++;
    wordCount += toks.length;
    for (const t of toks) {
      if ([...t.word].length >= LONG_WORD_LETTERS) long++;
      if (english && CLAUSE_OPENERS_EN.has(t.word.toLowerCase())) openers++;
    }
  }
  const punctuation = (text.match(CLAUSE_PUNCTUATION) ?? []).length;
  const meanSentenceWords = sentenceCount > 0 ? wordCount / sentenceCount : 0;
  const clausesPerSentence = sentenceCount > 0 ? (punctuation + openers) / sentenceCount : 0;
  return {
    sentences: sentenceCount,
    words: wordCount,
    meanSentenceWords,
    longWordShare: wordCount > 0 ? long / wordCount : 0,
    clausesPerSentence,
    load: (meanSentenceWords + WORDS_PER_CLAUSE * clausesPerSentence) / PLAIN_SENTENCE_WORDS,
  };
}

// ---------------------------------------------------------------------------------------------
// Fit, level and the combined estimate.
// ---------------------------------------------------------------------------------------------

/** Coverage range that reading research calls adequate (95%) to comfortable (98%). */
export const READABLE_ZONE: readonly [number, number] = [0.95, 0.98];
/** How fast fit falls below the zone: a Gaussian of this width in coverage (0.90 -> about 0.2). */
const FIT_WIDTH_BELOW = 0.04;
/** Fit left at full coverage: a text with nothing new still gives reading practice, but less. */
const FIT_AT_FULL_COVERAGE = 0.5;

/**
 * How well a coverage suits learning by reading, in [0, 1]: 1 in the readable zone, falling
 * steeply below it (comprehension collapses between 95% and 80%; Hu & Nation 2000) and gently
 * above it, to FIT_AT_FULL_COVERAGE when every word is known (too easy teaches less).
 */
export function fit(coverage: number): number {
  if (!Number.isFinite(coverage)) return 0;
  const c = Math.min(1, Math.max(0, coverage));
  const [lo, hi] = READABLE_ZONE;
  if (c < lo) return Math.exp(-(((lo - c) / FIT_WIDTH_BELOW) ** 2));
  if (c <= hi) return 1;
  const t = (c - hi) / (1 - hi);
  return 1 - (1 - FIT_AT_FULL_COVERAGE) * t * t;
}

/**
 * The CEFR-like level of a text by its words alone: the lowest level whose typical vocabulary
 * (VOCABULARY_BY_LEVEL) would know at least 95% of its running words. The fallback label
 * where no level model calibrated on CEFR ratings applies (lib/level.ts: English with the
 * shipped frequency list); it answers "who can read these words".
 */
export function textLevel(words: readonly ParagraphWord[], lexicon: Lexicon, threshold = READABLE_ZONE[0]): CefrLevel {
  const counted = words.filter((w) => !w.ignored);
  if (counted.length === 0) return 'A1';
  const ranks = counted.map((w) => rankOf(w.word, lexicon) ?? unlistedRank(lexicon));
  for (const level of CEFR_LEVELS) {
    const v = VOCABULARY_BY_LEVEL[level];
    const coverage = ranks.reduce((s, r) => s + knownProbability(r, v), 0) / ranks.length;
    if (coverage >= threshold) return level;
  }
  return 'C2';
}

/**
 * Weight of syntactic load beside lexical load in the one-number difficulty score. A load
 * unit is a plain-prose sentence (15 words), a lexical unit one unknown word per √words; at
 * 0.5, going from plain sentences to 30-word ones weighs as much as half an extra unknown
 * word per √words. Chosen on the readability benchmark, where ordering is insensitive to
 * it between 0.25 and 2 (see bench/difficulty.ts).
 */
export const SYNTAX_WEIGHT = 0.5;

/** The one-number difficulty: lexical load plus weighted syntactic load. Higher is harder; about 1-5 for news. */
export function difficultyScore(lexicalLoad: number, syntacticLoad: number, syntaxWeight = SYNTAX_WEIGHT): number {
  return lexicalLoad + syntaxWeight * syntacticLoad;
}

export interface DifficultyEstimate {
  readonly lexical: LexicalProfile;
  readonly syntax: SyntaxProfile;
  /** difficultyScore(lexical.lexicalLoad, syntax.load). */
  readonly score: number;
  /** fit(lexical.coverage). */
  readonly fit: number;
  /**
   * The text's CEFR level, for display: by the level model calibrated on CEFR experts'
   * ratings (lib/level.ts) when one applies, else by its words alone (`textLevel`).
   */
  readonly level: CefrLevel;
  /** The level model's continuous score (about 1 = A1 ... 6 = C2), when the model applies. */
  readonly levelScore?: number;
}

function estimate(
  text: string,
  lang: string,
  words: ParagraphWord[],
  lexicon: Lexicon,
  knowledge: (w: ParagraphWord) => number | undefined,
  shipped: Lexicon | undefined,
): DifficultyEstimate {
  const lexical = lexicalProfile(words, knowledge);
  const syntax = syntaxProfile(text, lang);
  const calibrated = shipped ? cefrLevel(text, lang, shipped, words) : undefined;
  return {
    lexical,
    syntax,
    score: difficultyScore(lexical.lexicalLoad, syntax.load),
    fit: fit(lexical.coverage),
    level: calibrated?.level ?? textLevel(words, lexicon),
    ...(calibrated ? { levelScore: calibrated.score } : {}),
  };
}

/**
 * The difficulty of a paragraph for this learner: the learner's word states first, frequency
 * against their vocabulary size for the rest. `ctx.lexicon` is the shipped list for the
 * target language, if any (else the learner's own reading counts stand in).
 */
export function estimateDifficulty(text: string, learner: Learner, ctx: LearnerContext = {}): DifficultyEstimate {
  return difficultyOfPrepared(prepareText(text, learner.targetLang, shippedLexicon(learner, ctx)), learner, ctx);
}

/**
 * What a text's difficulty takes from the text and the shipped word list alone, whoever reads
 * it: its words (numbers and names left out), their frequency ranks, its sentences, its level
 * by the level model. Segmenting and ranking are most of the cost of judging a paragraph, and
 * none of it changes while the learner's knowledge, level or speed does: a page judged in
 * turns prepares each paragraph once and keeps it (platform/service/page-memory.ts), and each
 * message weighs all of them against the learner as they are then (`difficultyOfPrepared`).
 */
export interface PreparedText {
  /** The target language and the shipped list it was prepared for: with another, it does not apply. */
  readonly targetLang: string;
  readonly shipped: Lexicon | undefined;
  /** The words that count (not ignored), in order. */
  readonly counted: readonly ParagraphWord[];
  /** Their ranks in the shipped list (an unlisted word past its end); absent without one (the learner's own reading ranks them then). */
  readonly ranks?: readonly number[];
  readonly syntax: SyntaxProfile;
  /** The level when the shipped list gives it (the level model's, else the words'); absent without one. */
  readonly level?: { readonly level: CefrLevel; readonly score?: number };
}

/** `text` prepared for a learner of `targetLang` judged by `shipped` (shippedLexicon), if any. */
export function prepareText(text: string, targetLang: string, shipped: Lexicon | undefined): PreparedText {
  const words = paragraphWords(text, targetLang, shipped);
  const counted = words.filter((w) => !w.ignored);
  const syntax = syntaxProfile(text, targetLang);
  if (!shipped) return { targetLang, shipped, counted, syntax };
  const unlisted = unlistedRank(shipped);
  const calibrated = cefrLevel(text, targetLang, shipped, words);
  return {
    targetLang,
    shipped,
    counted,
    ranks: counted.map((w) => rankOf(w.word, shipped) ?? unlisted),
    syntax,
    level: calibrated ? { level: calibrated.level, score: calibrated.score } : { level: textLevel(counted, shipped) },
  };
}

/** Whether `prepared` was made for this learner's language and word list. */
export function preparedFor(prepared: PreparedText, learner: Learner, ctx: LearnerContext = {}): boolean {
  return prepared.targetLang === learner.targetLang && prepared.shipped === shippedLexicon(learner, ctx);
}

/**
 * The difficulty of a prepared text for this learner (as `estimateDifficulty` of its text):
 * the learner's word states first, frequency against their vocabulary size for the rest.
 */
export function difficultyOfPrepared(prepared: PreparedText, learner: Learner, ctx: LearnerContext = {}): DifficultyEstimate {
  if (!preparedFor(prepared, learner, ctx)) throw new Error('difficultyOfPrepared: the text was prepared for another language or word list');
  // Words are keyed by the shipped list only (as the learner's records are); ranks may come
  // from the learner's own reading when no list applies.
  const lexicon = learnerLexicon(learner, ctx);
  const { ranks } = prepared;
  const byRecord = learnerKnowledge(learner, lexicon);
  const knowledge = ranks
    ? (w: ParagraphWord, i: number) => {
        const record = Object.hasOwn(learner.words, w.key) ? learner.words[w.key] : undefined;
        if (record?.state === 'ignored') return undefined;
        return knowledgeFromRecord(record) ?? knownProbability(ranks[i]!, learner.vocabularySize);
      }
    : byRecord;
  const lexical = lexicalProfile(prepared.counted, knowledge);
  const { syntax } = prepared;
  const level = prepared.level ?? { level: textLevel(prepared.counted, lexicon) };
  return {
    lexical,
    syntax,
    score: difficultyScore(lexical.lexicalLoad, syntax.load),
    fit: fit(lexical.coverage),
    level: level.level,
    ...(level.score !== undefined ? { levelScore: level.score } : {}),
  };
}

/**
 * P(known) of a paragraph's word for this learner: their record for it when it says something,
 * else its frequency rank (in `lexicon`) against their vocabulary size; undefined for a word
 * they ignore. The one knowledge model behind difficulty and the words marked new on a page.
 */
export function learnerKnowledge(learner: Learner, lexicon: Lexicon): (w: ParagraphWord) => number | undefined {
  return (w) => {
    const record = Object.hasOwn(learner.words, w.key) ? learner.words[w.key] : undefined;
    if (record?.state === 'ignored') return undefined;
    return knowledgeFromRecord(record) ?? knowledgeFromRank(w.word, lexicon, learner.vocabularySize);
  };
}

/**
 * The difficulty of a text for a reference learner who knows nothing beyond frequency: a
 * vocabulary of `vocabularySize` ranks and no word states. Used to compare texts with each
 * other (benchmarks, labels), where a particular learner's history would only add noise.
 */
export function referenceDifficulty(text: string, lang: string, lexicon: Lexicon, vocabularySize: number): DifficultyEstimate {
  const words = paragraphWords(text, lang, lexicon);
  return estimate(text, lang, words, lexicon, (w) => knowledgeFromRank(w.word, lexicon, vocabularySize), lexicon);
}

/** `newWordsOf` a prepared text (its words left out as ignored never are new). */
export function newWordsOfPrepared(prepared: PreparedText, learner: Learner, ctx: LearnerContext = {}): NewWord[] {
  if (!preparedFor(prepared, learner, ctx)) throw new Error('newWordsOfPrepared: the text was prepared for another language or word list');
  return probablyNewWords(prepared.counted, learnerKnowledge(learner, learnerLexicon(learner, ctx)));
}

/** The words of a paragraph this learner probably does not know yet (lib/new-words.ts), judged as its difficulty is. */
export function newWordsOf(text: string, learner: Learner, ctx: LearnerContext = {}): NewWord[] {
  const lexicon = learnerLexicon(learner, ctx);
  const words = paragraphWords(text, learner.targetLang, shippedLexicon(learner, ctx));
  return probablyNewWords(words, learnerKnowledge(learner, lexicon));
}
