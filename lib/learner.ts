/**
 * The learner model: which words this learner knows, how large their vocabulary is, and how
 * fast they read. Plain serialisable state (stored as is in IndexedDB), changed only through
 * the pure functions here, each returning a new object.
 *
 * Word knowledge is kept per key (lower-cased, English reduced to a base form by
 * `wordKey`), with four states:
 * - `known`, `learning`, `unknown`: what the learner knows;
 * - `ignored`: not vocabulary to learn (the learner's own choice, e.g. a brand name).
 * Explicit marks (the learner said so) always win. The implicit rules, each applied only to
 * words without an explicit mark:
 * - a word in a saved snippet becomes `learning` (saving shows intent to learn it); in a long
 *   snippet only the words frequency says the learner probably does not know yet;
 * - a word looked up becomes `learning` (even if it was implicitly `known`: the lookup says not);
 * - a word met in KNOWN_AFTER_EXPOSURES different paragraphs read at normal speed, with no
 *   lookup since, becomes `known` (understood in context often enough);
 * - numbers and names (capitalised in mid-sentence) are ignored where they occur and never
 *   stored, so "Will" the name does not make "will" ignored.
 * Words without a record are judged by frequency rank against the vocabulary size (see
 * lib/vocabulary.ts).
 */
import { wordTokens } from './text';
import {
  type CefrLevel,
  corpusLexicon,
  countCorpusWords,
  knownProbability,
  type Lexicon,
  levelForVocabulary,
  rankOf,
  unlistedRank,
  VOCABULARY_BY_LEVEL,
  wordKey,
} from './vocabulary';
import { sameLanguage } from './language';

export type WordState = 'unknown' | 'learning' | 'known' | 'ignored';

export interface WordRecord {
  readonly state: WordState;
  /** True when the learner set the state; implicit rules never change it then. */
  readonly explicit: boolean;
  /** Paragraphs read at normal speed containing the word, since it was last looked up or saved. */
  readonly cleanExposures: number;
  readonly lookups: number;
  /** The form first met, for display (the key may be a base form). */
  readonly form: string;
  readonly updatedAt: number;
  /**
   * When the word last became known (a mark, or the implicit rule); absent while it is not
   * known, and in records made before this was kept. "Known this week" counts by it.
   */
  readonly knownAt?: number;
}

export interface Learner {
  readonly version: 1;
  readonly targetLang: string;
  readonly nativeLang: string;
  /** Estimated vocabulary size, in frequency ranks (see lib/vocabulary.ts). */
  readonly vocabularySize: number;
  /** Reading speed on plain text the learner finds easy, in words per minute. */
  readonly wordsPerMinute: number;
  /** How many readings have updated the speed (0 = still the default). */
  readonly speedObservations: number;
  readonly words: Readonly<Record<string, WordRecord>>;
  /** Word counts from the learner's own reading, for languages without a shipped frequency list. */
  readonly corpus: Readonly<Record<string, number>>;
  readonly updatedAt: number;
}

/**
 * Default reading speeds per level. Adults read their first language silently at about 240
 * words per minute (Brysbaert 2019); second-language reading is markedly slower and rises with
 * proficiency. These are starting points, replaced by the learner's observed speed.
 */
export const DEFAULT_WPM_BY_LEVEL: Readonly<Record<CefrLevel, number>> = {
  A1: 70,
  A2: 90,
  B1: 120,
  B2: 150,
  C1: 180,
  C2: 210,
};

/** Bounds on the estimated speed, so that one odd session cannot make the model absurd. */
export const MIN_WPM = 20;
export const MAX_WPM = 800;

/** Different paragraphs a word must be met in, read normally and not looked up, to count as known. */
export const KNOWN_AFTER_EXPOSURES = 5;

/** Weight of a new observation in the speed's moving average (in log speed, so that it is symmetric). */
export const SPEED_SMOOTHING = 0.2;

export interface LearnerOptions {
  readonly targetLang: string;
  readonly nativeLang: string;
  readonly level?: CefrLevel;
  /** Overrides the level's typical size (e.g. from a placement check). */
  readonly vocabularySize?: number;
  readonly wordsPerMinute?: number;
  readonly now?: number;
}

export function createLearner(opts: LearnerOptions): Learner {
  const level = opts.level ?? (opts.vocabularySize !== undefined ? levelForVocabulary(opts.vocabularySize) : 'B1');
  return {
    version: 1,
    targetLang: opts.targetLang,
    nativeLang: opts.nativeLang,
    vocabularySize: Math.max(1, Math.round(opts.vocabularySize ?? VOCABULARY_BY_LEVEL[level])),
    wordsPerMinute: clamp(opts.wordsPerMinute ?? DEFAULT_WPM_BY_LEVEL[level], MIN_WPM, MAX_WPM),
    speedObservations: 0,
    words: {},
    corpus: {},
    updatedAt: opts.now ?? 0,
  };
}

/** The learner's CEFR-like level, from the vocabulary size. */
export function learnerLevel(learner: Learner): CefrLevel {
  return levelForVocabulary(learner.vocabularySize);
}

/** Sets the vocabulary size, e.g. from a placement check. */
export function setVocabularySize(learner: Learner, size: number, now: number): Learner {
  if (!(size >= 0)) return learner;
  return { ...learner, vocabularySize: Math.max(1, Math.round(size)), updatedAt: now };
}

/** What the learner functions need beside the state: the shipped frequency list for the target language, if any. */
export interface LearnerContext {
  /** Must be the same list on every call, so that word keys stay the same. */
  readonly lexicon?: Lexicon;
}

/**
 * `ctx.lexicon` when it is a list for the learner's target language, else undefined: a list
 * for another language would key and rank the words wrongly. The one place that decides
 * whether the shipped list applies.
 */
export function shippedLexicon(learner: Learner, ctx: LearnerContext): Lexicon | undefined {
  return ctx.lexicon && sameLanguage(ctx.lexicon.lang, learner.targetLang) ? ctx.lexicon : undefined;
}

/**
 * The frequency ranks to judge this learner's words by: the shipped list when it applies
 * (shippedLexicon), else estimates from the learner's own reading.
 */
export function learnerLexicon(learner: Learner, ctx: LearnerContext = {}): Lexicon {
  return shippedLexicon(learner, ctx) ?? corpusLexicon(learner.targetLang, learner.corpus);
}

/** The key a word is stored under for this learner. */
export function learnerWordKey(learner: Learner, word: string, ctx: LearnerContext = {}): string {
  return wordKey(word, learner.targetLang, shippedLexicon(learner, ctx));
}

// ---------------------------------------------------------------------------------------------
// Words of a paragraph, with the implicit "ignored" rule for numbers and names.
// ---------------------------------------------------------------------------------------------

export interface ParagraphWord {
  /** The word as written. */
  readonly word: string;
  readonly index: number;
  readonly key: string;
  /** A number or a name: not vocabulary, left out of knowledge and difficulty. */
  readonly ignored: boolean;
}

/** Languages that capitalise every noun, where a capital in mid-sentence does not mean a name. */
const NOUN_CAPITALISING = new Set(['de', 'lb']);

/** Characters after which a capital is expected: sentence ends, and openings of quotes or brackets. */
const OPENS_SENTENCE = /[.!?:;…"“”«»„‘'(\[¿¡]/u;

function isSentenceStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i]!;
    if (/\s/u.test(c)) continue;
    return OPENS_SENTENCE.test(c);
  }
  return true;
}

/**
 * The words of a paragraph with their keys; numbers, acronyms and names are marked ignored.
 * A name is a capitalised word in mid-sentence (not English "I"); the same spelling at the
 * start of a sentence elsewhere in the paragraph is then a name too. Languages that capitalise
 * nouns (German) only get the number rule. `index` is an offset into `text.normalize('NFKC')`.
 */
export function paragraphWords(rawText: string, lang: string, lexicon?: Lexicon): ParagraphWord[] {
  // Compatibility forms (the "ﬁ" ligature of PDF-born text, full-width letters) would split or
  // hide words. Offsets below are therefore into rawText.normalize('NFKC').
  const text = rawText.normalize('NFKC');
  const tokens = wordTokens(text, lang);
  const base = lang.split('-')[0]!.toLowerCase();
  const nameRule = !NOUN_CAPITALISING.has(base);
  const names = new Set<string>();
  const capitalised = (w: string) => /^\p{Lu}/u.test(w) && !(base === 'en' && w === 'I');
  const acronym = (w: string) => w.length >= 2 && /^[\p{Lu}\p{N}.]+$/u.test(w) && /\p{Lu}.*\p{Lu}/u.test(w);
  // "Iguchi's" is the name "Iguchi".
  const bare = (w: string) => w.replace(/['\u2019]s?$/u, '');
  // A capital inside a word (iPhone, YouTube) marks a brand whatever its position.
  const innerCapital = (w: string) => /\p{Ll}\p{Lu}/u.test(w);
  if (nameRule) {
    for (const t of tokens) if (capitalised(t.word) && !isSentenceStart(text, t.index)) names.add(bare(t.word));
  }
  return tokens.map((t) => ({
    word: t.word,
    index: t.index,
    key: wordKey(t.word, lang, lexicon),
    ignored:
      /\p{N}/u.test(t.word) || (nameRule && (names.has(bare(t.word)) || acronym(t.word) || innerCapital(t.word))),
  }));
}

// ---------------------------------------------------------------------------------------------
// Explicit marks.
// ---------------------------------------------------------------------------------------------

function withRecord(learner: Learner, key: string, record: WordRecord, now: number): Learner {
  return { ...learner, words: { ...learner.words, [key]: record }, updatedAt: now };
}

/**
 * `record` in `state`, with `knownAt` following it: set when the word becomes known, gone when
 * it stops being known, untouched while it stays known (a record from before `knownAt` was
 * kept stays without it: when it became known is not known).
 */
function inState(record: WordRecord, state: WordState, now: number): WordRecord {
  const { knownAt, ...rest } = record;
  if (state !== 'known') return { ...rest, state };
  if (record.state === 'known') return knownAt === undefined ? { ...rest, state } : { ...rest, state, knownAt };
  return { ...rest, state, knownAt: now };
}

function emptyRecord(form: string, now: number): WordRecord {
  return { state: 'unknown', explicit: false, cleanExposures: 0, lookups: 0, form, updatedAt: now };
}

/** The learner says what they know of a word; this wins over every implicit rule. */
export function markWord(learner: Learner, word: string, state: WordState, now: number, ctx: LearnerContext = {}): Learner {
  const key = learnerWordKey(learner, word, ctx);
  if (!key) return learner;
  const prev = Object.hasOwn(learner.words, key) ? learner.words[key]! : emptyRecord(word, now);
  return withRecord(learner, key, { ...inState(prev, state, now), explicit: true, updatedAt: now }, now);
}

// ---------------------------------------------------------------------------------------------
// Implicit rules.
// ---------------------------------------------------------------------------------------------

/** A snippet of at most this many words is a choice of those very words: all become learning. */
export const SHORT_SNIPPET_WORDS = 3;

export interface SnippetContext extends LearnerContext {
  /**
   * The probability that the learner knows a word already, by key. Words of a long snippet at
   * 0.5 or above stay as they are. Defaults to the frequency estimate for the learner's
   * vocabulary size: without it every word of a saved paragraph ("the", "people") would become
   * 'learning' (known half the time), and one save would put every later page out of reach.
   */
  readonly knownProbability?: (key: string) => number;
}

/**
 * A snippet was saved for review: its words become `learning`, except explicit marks, words
 * already known or ignored, names and numbers; and, in a snippet longer than a few words, the
 * words the learner probably knows anyway ("the", "and").
 */
export function applySnippetSaved(learner: Learner, snippetText: string, now: number, ctx: SnippetContext = {}): Learner {
  const lexicon = shippedLexicon(learner, ctx);
  const counted = paragraphWords(snippetText, learner.targetLang, lexicon).filter((w) => !w.ignored);
  const short = counted.length <= SHORT_SNIPPET_WORDS;
  const ranks = learnerLexicon(learner, ctx);
  const probablyKnown =
    ctx.knownProbability ?? ((key: string) => knownProbability(rankOf(key, ranks) ?? unlistedRank(ranks), learner.vocabularySize));
  const words = { ...learner.words };
  let changed = false;
  for (const w of counted) {
    const prev = Object.hasOwn(words, w.key) ? words[w.key]! : undefined;
    if (prev?.explicit || prev?.state === 'ignored') continue;
    if (!short && (prev?.state === 'known' || probablyKnown(w.key) >= 0.5)) continue;
    words[w.key] = { ...inState(prev ?? emptyRecord(w.word, now), 'learning', now), cleanExposures: 0, updatedAt: now };
    changed = true;
  }
  return changed ? { ...learner, words, updatedAt: now } : learner;
}

export interface ParagraphReading {
  readonly text: string;
  /** How long the paragraph was attended (visible and focused), in milliseconds. */
  readonly dwellMs: number;
  /** Words the learner looked up in this paragraph. */
  readonly lookups?: readonly string[];
  /**
   * How much longer than plain easy text this paragraph takes this learner (lib/load.ts's
   * `difficultyFactor`, >= 1); divided out so that the stored speed is the easy-text speed.
   */
  readonly difficultyFactor?: number;
  readonly now: number;
}

/** Probability of knowing a word, by frequency, above which reading it is not worth recording. */
export const SURE_BY_FREQUENCY = 0.95;

/** Observed speed between these multiples of the expected one counts as "normal" reading. */
export const NORMAL_SPEED_RANGE: readonly [number, number] = [0.5, 2];
/** Readings outside these multiples are not reading (skimming past, or away from the screen). */
const PLAUSIBLE_SPEED_RANGE: readonly [number, number] = [0.25, 4];
const MIN_WORDS_FOR_SPEED = 8;

/** Observed speed / expected speed for a reading, or undefined when the reading is too short to say. */
export function speedRatio(learner: Learner, reading: ParagraphReading, wordCount: number): number | undefined {
  if (wordCount < MIN_WORDS_FOR_SPEED || !(reading.dwellMs >= 1000)) return undefined;
  const factor = Math.max(1, reading.difficultyFactor ?? 1);
  const expectedMs = (wordCount / learner.wordsPerMinute) * factor * 60_000;
  return expectedMs / reading.dwellMs;
}

/**
 * A paragraph was read (dwell measured by the page). Four things follow:
 * - the speed estimate moves toward the observed speed: an exponential moving average in log
 *   speed with weight SPEED_SMOOTHING, each step clamped to [0.5, 2]x, ignoring readings that
 *   are too short or implausibly fast or slow;
 * - looked-up words become `learning` (unless explicitly marked) and their clean count restarts;
 * - at normal speed, every other word's clean count rises by one (once per paragraph), and a
 *   word reaching KNOWN_AFTER_EXPOSURES becomes `known` unless explicitly marked. A word that
 *   frequency alone already makes near-certainly known (p >= SURE_BY_FREQUENCY) gets no new
 *   record from this, so that the stored map stays about the words that matter;
 * - without a shipped frequency list, the words are added to the learner's own counts.
 */
export function applyParagraphRead(learner: Learner, reading: ParagraphReading, ctx: LearnerContext = {}): Learner {
  const lexicon = shippedLexicon(learner, ctx);
  const all = paragraphWords(reading.text, learner.targetLang, lexicon);
  const now = reading.now;
  let next: Learner = { ...learner, updatedAt: now };

  const ratio = speedRatio(learner, reading, all.length);
  const plausible = ratio !== undefined && ratio >= PLAUSIBLE_SPEED_RANGE[0] && ratio <= PLAUSIBLE_SPEED_RANGE[1];
  if (plausible) {
    const step = Math.log(clamp(ratio, 0.5, 2)) * SPEED_SMOOTHING;
    next = {
      ...next,
      wordsPerMinute: clamp(learner.wordsPerMinute * Math.exp(step), MIN_WPM, MAX_WPM),
      speedObservations: learner.speedObservations + 1,
    };
  }
  const normal = ratio !== undefined && ratio >= NORMAL_SPEED_RANGE[0] && ratio <= NORMAL_SPEED_RANGE[1];

  const ranks = learnerLexicon(learner, ctx);
  const sureByFrequency = (word: string) =>
    knownProbability(rankOf(word, ranks) ?? unlistedRank(ranks), learner.vocabularySize) >= SURE_BY_FREQUENCY;
  const looked = new Set((reading.lookups ?? []).map((w) => wordKey(w, learner.targetLang, lexicon)));
  const words = { ...learner.words };
  const seen = new Set<string>();
  for (const w of all) {
    if (w.ignored || seen.has(w.key)) continue;
    seen.add(w.key);
    const prev = Object.hasOwn(words, w.key) ? words[w.key]! : undefined;
    if (looked.has(w.key)) {
      const rec = prev ?? emptyRecord(w.word, now);
      words[w.key] = {
        ...inState(rec, rec.explicit ? rec.state : 'learning', now),
        cleanExposures: 0,
        lookups: rec.lookups + 1,
        updatedAt: now,
      };
    } else if (normal && (prev || !sureByFrequency(w.word))) {
      const rec = prev ?? emptyRecord(w.word, now);
      const cleanExposures = rec.cleanExposures + 1;
      const promote = !rec.explicit && rec.state !== 'ignored' && cleanExposures >= KNOWN_AFTER_EXPOSURES;
      words[w.key] = { ...inState(rec, promote ? 'known' : rec.state, now), cleanExposures, updatedAt: now };
    }
  }
  next = { ...next, words };
  if (!lexicon) next = { ...next, corpus: countCorpusWords(learner.corpus, reading.text, learner.targetLang) };
  return next;
}

/**
 * Probability that a learner knows a word they are learning, after `lookups` look-ups of it:
 * one half for a word merely being learned, halved by each look-up (a first look-up says the
 * meaning was not there when needed; a second, after the first, says so more strongly).
 */
export function knownAfterLookups(lookups: number): number {
  return 0.5 * 0.5 ** Math.max(0, Math.min(lookups, 20));
}

/**
 * The learner looked a word up in the dictionary: it becomes `learning` (unless marked
 * explicitly: the learner's own word stands), its clean exposures start again, and its count
 * of look-ups rises, which lowers the probability that it is known (knownAfterLookups).
 */
export function applyLookup(learner: Learner, word: string, now: number, ctx: LearnerContext = {}): Learner {
  const key = learnerWordKey(learner, word, ctx);
  if (!key) return learner;
  const prev = Object.hasOwn(learner.words, key) ? learner.words[key]! : emptyRecord(word, now);
  const state = prev.explicit ? prev.state : 'learning';
  return withRecord(learner, key, { ...inState(prev, state, now), cleanExposures: 0, lookups: prev.lookups + 1, updatedAt: now }, now);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
