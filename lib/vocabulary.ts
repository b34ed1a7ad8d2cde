/**
 * What a learner is likely to know, from how frequent a word is.
 *
 * The learner model stores a state per word only for the words it has evidence about; for all
 * the others it guesses from frequency: learners meet frequent words first, so a word's rank
 * in a frequency list, compared with the learner's vocabulary size, predicts whether it is
 * known (the assumption behind the Vocabulary Levels Test and LexTALE-style yes/no tests).
 *
 * English ranks come from SUBTLEX-US (built by scripts/build-frequency.mjs and passed in as
 * data: no file access here). For other languages the ranks are estimated from the learner's
 * own reading, a count map kept in the learner state (see `corpusLexicon`).
 */
import { safeLocale, wordTokens } from './text';
import { seededRandom } from './random';

export type CefrLevel = 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2';
export const CEFR_LEVELS: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/**
 * Typical vocabulary size per level, in ranks of the frequency list (word forms, regular
 * inflections merged by `wordKey`). Research counts lemmas or word families, and one family
 * spans several of our forms (derivations, irregular forms), so these run about 2-3x the usual
 * family figures: EFL studies put A2 near 2000 and B2 near 4000 lemmas (Milton & Alexiou
 * 2009), and Nation (2006) needs 8-9k families for 98% coverage of newspapers. Checked against
 * authentic news (the OneStopEnglish "advanced" texts): 95% of their running words lie within
 * the top 12,000 of our ranks and 97-98% within the top 20,000-30,000, which puts C1 and C2
 * where those coverage figures say they should be. Defaults until a placement check says
 * otherwise.
 */
export const VOCABULARY_BY_LEVEL: Readonly<Record<CefrLevel, number>> = {
  A1: 1500,
  A2: 3000,
  B1: 5000,
  B2: 8000,
  C1: 12000,
  C2: 18000,
};

/** The highest level whose typical vocabulary the size reaches (geometric midpoints between levels). */
export function levelForVocabulary(size: number): CefrLevel {
  let level: CefrLevel = 'A1';
  for (let i = 1; i < CEFR_LEVELS.length; i++) {
    const lo = VOCABULARY_BY_LEVEL[CEFR_LEVELS[i - 1]!];
    const hi = VOCABULARY_BY_LEVEL[CEFR_LEVELS[i]!];
    if (size >= Math.sqrt(lo * hi)) level = CEFR_LEVELS[i]!;
  }
  return level;
}

/** A ranked word list as shipped: `words[i]` has rank i + 1; `capitalised` indexes mostly-capitalised (name-like) entries. */
export interface FrequencyList {
  readonly lang: string;
  readonly words: readonly string[];
  readonly capitalised?: readonly number[];
}

/** Frequency ranks of lower-cased word forms for one language. */
export interface Lexicon {
  readonly lang: string;
  /** How many forms have a rank; words not listed are treated as rarer than all of them. */
  readonly size: number;
  /** The rank (1 = most frequent) of exactly this lower-cased form, or undefined. */
  formRank(form: string): number | undefined;
}

/** A Lexicon over a shipped ranked list. */
export function createLexicon(list: FrequencyList): Lexicon {
  const ranks = new Map<string, number>();
  list.words.forEach((w, i) => {
    if (!ranks.has(w)) ranks.set(w, i + 1);
  });
  return { lang: list.lang, size: list.words.length, formRank: (form) => ranks.get(form) };
}

/**
 * Zipf's law, frequency ∝ 1 / rank with the most frequent word near 10% of running text,
 * turns a relative frequency into an expected rank: rank ≈ 0.1 / (count / total). It lets a
 * small personal corpus place words on the same scale as a published list. A word seen once
 * says little (any rare word can turn up once), so ranks need at least MIN_CORPUS_COUNT sightings.
 */
const ZIPF_TOP_SHARE = 0.1;
const MIN_CORPUS_COUNT = 2;

/**
 * A Lexicon for a language without a shipped list, from the learner's own word counts
 * (lower-cased forms -> occurrences, as kept by `countCorpusWords`).
 */
export function corpusLexicon(lang: string, counts: Readonly<Record<string, number>>): Lexicon {
  let total = 0;
  let size = 0;
  for (const c of Object.values(counts)) {
    total += c;
    if (c >= MIN_CORPUS_COUNT) size++;
  }
  return {
    lang,
    size,
    formRank: (form) => {
      const c = Object.hasOwn(counts, form) ? counts[form]! : 0;
      return c >= MIN_CORPUS_COUNT ? Math.max(1, (ZIPF_TOP_SHARE * total) / c) : undefined;
    },
  };
}

/** Adds the words of `text` (by `wordKey`, without a list) to a personal count map; a new object, the input is not changed. */
export function countCorpusWords(
  counts: Readonly<Record<string, number>>,
  text: string,
  lang: string,
): Record<string, number> {
  const out: Record<string, number> = { ...counts };
  for (const t of wordTokens(text, lang)) {
    if (/\p{N}/u.test(t.word)) continue; // numbers are not vocabulary
    const key = wordKey(t.word, lang);
    out[key] = (Object.hasOwn(out, key) ? out[key]! : 0) + 1;
  }
  return out;
}

/** Words that look inflected but are not, or whose cut form is another word (news/new, evening/even). */
const NOT_INFLECTED = new Set([
  'news', 'always', 'perhaps', 'sometimes', 'series', 'species', 'whereas', 'towards', 'afterwards',
  'besides', 'overseas', 'christmas', 'nevertheless', 'unless', 'lens', 'bias', 'chaos', 'canvas',
  'evening', 'morning', 'something', 'nothing', 'anything', 'everything', 'during', 'ceiling',
]);

function isVowel(word: string, i: number): boolean {
  const c = word[i];
  if (c === undefined) return false;
  if ('aeiou'.includes(c)) return true;
  // "y" is a vowel after a consonant (fly, happy), a consonant otherwise (yes, play).
  return c === 'y' && i > 0 && !isVowel(word, i - 1);
}

/** Consonant-vowel-consonant ending with one vowel group before it (hop, mak, writ): an "e" was likely dropped. */
function looksLikeDroppedE(stem: string): boolean {
  const n = stem.length;
  if (n < 3) return false;
  const last = stem[n - 1]!;
  if ('wxy'.includes(last) || isVowel(stem, n - 1) || !isVowel(stem, n - 2) || isVowel(stem, n - 3)) return false;
  let vowelGroups = 0;
  for (let i = 0; i < n; i++) if (isVowel(stem, i) && !isVowel(stem, i - 1)) vowelGroups++;
  return vowelGroups === 1;
}

/** Regular-inflection base forms that `word` may come from, most likely first. */
function englishBaseCandidates(word: string): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (s.length >= 3 && /^[a-z]+$/.test(s)) out.push(s);
  };
  const n = word.length;
  if (n <= 3 || NOT_INFLECTED.has(word)) return out;
  if (word.endsWith('ies')) {
    add(word.slice(0, -3) + 'y'); // studies -> study
    add(word.slice(0, -1)); // movies -> movie
  } else if (word.endsWith('es')) {
    // After a sibilant the "e" belongs to the ending (watches -> watch), else to the word (comes -> come).
    const sibilant = /(s|x|z|ch|sh)es$/.test(word) && !/[^s]ses$/.test(word);
    const [first, second] = sibilant ? [word.slice(0, -2), word.slice(0, -1)] : [word.slice(0, -1), word.slice(0, -2)];
    add(first);
    add(second); // buses -> bus, heroes -> hero
  } else if (word.endsWith('s') && !/(ss|us|is|ics)$/.test(word)) {
    add(word.slice(0, -1));
  } else if (word.endsWith('ed') || word.endsWith('ing')) {
    const stem = word.slice(0, word.endsWith('ed') ? -2 : -3);
    if (word.endsWith('ied')) add(stem.slice(0, -1) + 'y'); // studied -> study
    const doubled = stem.length >= 4 && stem[stem.length - 1] === stem[stem.length - 2] && !/[aeioulsfz]$/.test(stem);
    if (doubled) add(stem.slice(0, -1)); // stopped -> stop, but called -> call, missed -> miss
    else if (looksLikeDroppedE(stem)) {
      add(stem + 'e'); // hoped -> hope before hop
      add(stem);
    } else {
      add(stem); // walked -> walk
      add(stem + 'e'); // created -> create
    }
    if (word.endsWith('ed')) add(word.slice(0, -1)); // agreed -> agree, used -> use
  }
  return out;
}

/** Common irregular forms whose regular-looking cut would be wrong (goes -> go, not "goe"). */
const IRREGULAR: Readonly<Record<string, string>> = { goes: 'go', does: 'do', went: 'go', done: 'do' };

function normaliseApostrophes(w: string): string {
  return w.replace(/[\u2019\u02bc]/g, "'");
}

/**
 * The key a word is known under: lower-cased (apostrophes unified), and for English with a
 * lexicon, its base form when a regular inflection leads to a listed base more frequent than
 * the form itself ("walked" -> "walk", "studies" -> "study", "hoped" -> "hope"; "news" and "during"
 * stay). Frequency decides between candidates because a lexicon cannot tell "hope" from
 * "hop" otherwise, and a participle more frequent than its verb ("interested", "used") is
 * usually learned as a word of its own. English possessive 's is dropped, and a few irregular
 * forms are mapped. Keys must be made with the same lexicon every time, so that they stay stable.
 */
export function wordKey(word: string, lang: string, lexicon?: Lexicon): string {
  let w = normaliseApostrophes(word).toLocaleLowerCase(safeLocale(lang));
  if (!isEnglish(lang)) return w;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("s'")) w = w.slice(0, -1);
  if (Object.hasOwn(IRREGULAR, w)) return IRREGULAR[w]!;
  if (!lexicon || !isEnglish(lexicon.lang)) return w;
  // The first candidate base that is listed and more frequent than the form itself.
  const ownRank = lexicon.formRank(w) ?? Infinity;
  for (const c of englishBaseCandidates(w)) {
    const r = lexicon.formRank(c);
    if (r !== undefined && r < ownRank) return c;
  }
  return w;
}

function isEnglish(lang: string): boolean {
  return /^en\b/i.test(lang);
}

/**
 * The frequency rank of a word in running text: its key's rank, else the form's own; for a
 * contraction (don't, aren't) the part before the apostrophe, which SUBTLEX counts separately.
 * Undefined when the lexicon does not list it.
 */
export function rankOf(word: string, lexicon: Lexicon): number | undefined {
  const key = wordKey(word, lexicon.lang, lexicon);
  const r = lexicon.formRank(key) ?? lexicon.formRank(normaliseApostrophes(word).toLowerCase());
  if (r !== undefined) return r;
  const apostrophe = key.indexOf("'");
  return apostrophe > 0 ? lexicon.formRank(key.slice(0, apostrophe)) : undefined;
}

/**
 * How steeply knowledge falls off around the vocabulary size, per unit of log rank. At 4, a
 * word twice as rare as the vocabulary size is known with probability 1/(1+2^4) ≈ 0.06 and one
 * twice as frequent with 0.94: frequency predicts knowledge well but not perfectly (Milton 2009
 * reports such a frequency profile, with most knowledge lost within one doubling of rank).
 */
export const KNOWLEDGE_SLOPE = 4;

/**
 * The probability that a learner knowing about `vocabularySize` words knows the word of rank
 * `rank`: a logistic in log rank centred on the vocabulary size, 0.5 at rank = size.
 */
export function knownProbability(rank: number, vocabularySize: number, slope = KNOWLEDGE_SLOPE): number {
  if (!(vocabularySize > 0)) return 0;
  const r = Math.max(1, rank);
  return 1 / (1 + Math.pow(r / vocabularySize, slope));
}

/** The rank assumed for a word the lexicon does not list: past its end (at least 20,000, for small personal corpora). */
export function unlistedRank(lexicon: Lexicon): number {
  return Math.max(20_000, lexicon.size * 1.5);
}

// ---------------------------------------------------------------------------------------------
// Placement check: a yes/no test ("do you know this word?") over frequency bands, with
// pseudowords to catch guessing, in the spirit of LexTALE (Lemhöfer & Broersma 2012) and
// Meara's yes/no vocabulary tests. Items come from a seed, so the same test can be rebuilt to
// score it, and no list of items needs storing.
// ---------------------------------------------------------------------------------------------

/** Ranks afterRank + 1 .. upToRank: upToRank - afterRank words. */
export interface PlacementBand {
  readonly afterRank: number;
  readonly upToRank: number;
}

export interface PlacementItem {
  readonly id: string;
  readonly text: string;
  readonly real: boolean;
  /** Index into `bands`; -1 for pseudowords. */
  readonly band: number;
}

export interface PlacementTest {
  readonly seed: number;
  readonly bands: readonly PlacementBand[];
  readonly items: readonly PlacementItem[];
}

export interface PlacementOptions {
  /** Rank edges; band i holds ranks edges[i] + 1 .. edges[i + 1]. Log-spaced by default, as knowledge falls with log rank. */
  readonly bandEdges?: readonly number[];
  readonly wordsPerBand?: number;
  readonly pseudowords?: number;
}

export const DEFAULT_BAND_EDGES: readonly number[] = [0, 1000, 2000, 4000, 8000, 16000, 32000];


function pick<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

// Pieces of English spelling, so that pseudowords look like possible words (the point of a
// pseudoword is that only knowing the real words tells them apart).
const ONSETS = ['b', 'bl', 'br', 'c', 'cl', 'cr', 'd', 'dr', 'f', 'fl', 'fr', 'g', 'gl', 'gr', 'h', 'j', 'l', 'm', 'n', 'p', 'pl', 'pr', 'r', 's', 'sc', 'sk', 'sl', 'sp', 'st', 'str', 't', 'tr', 'th', 'v', 'w'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ea', 'oa', 'ai', 'ou'];
const INNER_CODAS = ['', '', 'l', 'm', 'n', 'r', 's'];
const MIDDLE_ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v'];
const FINAL_CODAS = ['', 'b', 'd', 'g', 'l', 'm', 'n', 'nd', 'nt', 'p', 'r', 'sk', 'st', 't'];
const ENDINGS = ['', '', '', 'er', 'ish', 'ent', 'ous', 'ate', 'y'];

/** Two syllables (+ a common ending) with at most two consonants between vowels: pronounceable. */
function pseudoword(rand: () => number): string {
  const inner = pick(INNER_CODAS, rand);
  const middle = inner ? pick(MIDDLE_ONSETS, rand) : pick(ONSETS, rand);
  const coda = pick(FINAL_CODAS, rand);
  // A vowel-initial ending straight after a vowel ("-aer") does not look English.
  const ending = coda ? pick(ENDINGS, rand) : '';
  return pick(ONSETS, rand) + pick(NUCLEI, rand) + inner + middle + pick(NUCLEI, rand).slice(0, 1) + coda + ending;
}

/**
 * Subtitle counts are full of swearing and slurs, and of contraction fragments ("don", "com");
 * neither belongs in a test a learner is shown. Substrings, so that variants go too.
 */
const UNFIT_FOR_TEST = /nigg|fuck|shit|cunt|bitch|whore|slut|fag|dick|cock|puss|bastard|asshole|retard|twat|wank|piss|crap|damn|tits|boob|penis|vagin|^(com|don|isn|aren|wasn|weren|didn|doesn|couldn|wouldn|shouldn|hasn|haven|hadn|ain|gonna|wanna|gotta|yeah|okay|whoa|hmm|huh|uh|um)$/;

/**
 * Builds a placement test from a ranked list (English: the shipped SUBTLEX list). Real items
 * are base forms of at least 3 letters that are not mostly capitalised (names and sentence
 * openers are unfair items), drawn evenly from each band; pseudowords are pronounceable
 * strings the list does not contain. Items are shuffled; ids do not reveal which is which.
 */
export function createPlacementTest(list: FrequencyList, seed: number, opts: PlacementOptions = {}): PlacementTest {
  const edges = opts.bandEdges ?? DEFAULT_BAND_EDGES;
  const perBand = opts.wordsPerBand ?? 7;
  const pseudoCount = opts.pseudowords ?? 18;
  const rand = seededRandom(seed);
  const lexicon = createLexicon(list);
  const capitalised = new Set(list.capitalised ?? []);
  // Base forms only (no "takers" beside "taker"): the test asks about words, not endings.
  const isFairTestWord = (w: string, index: number) =>
    w.length >= 3 &&
    /^\p{Ll}+$/u.test(w) &&
    !capitalised.has(index) &&
    !UNFIT_FOR_TEST.test(w) &&
    englishBaseCandidates(w).every((c) => lexicon.formRank(c) === undefined);
  const bands: PlacementBand[] = [];
  const raw: Array<{ text: string; real: boolean; band: number }> = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const afterRank = Math.max(0, edges[b]!);
    const upToRank = Math.min(edges[b + 1]!, list.words.length);
    if (upToRank <= afterRank) break;
    bands.push({ afterRank, upToRank });
    const eligible: string[] = [];
    for (let r = afterRank + 1; r <= upToRank; r++) {
      const w = list.words[r - 1]!;
      if (isFairTestWord(w, r - 1)) eligible.push(w);
    }
    // A partial Fisher-Yates draw: distinct words, uniformly.
    for (let i = 0; i < Math.min(perBand, eligible.length); i++) {
      const j = i + Math.floor(rand() * (eligible.length - i));
      [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
      raw.push({ text: eligible[i]!, real: true, band: bands.length - 1 });
    }
  }
  const seen = new Set(raw.map((r) => r.text));
  const target = raw.length + pseudoCount;
  for (let tries = 0; raw.length < target && tries < pseudoCount * 200; tries++) {
    const w = pseudoword(rand);
    if (seen.has(w) || rankOf(w, lexicon) !== undefined || wordKey(w, list.lang, lexicon) !== w) continue;
    seen.add(w);
    raw.push({ text: w, real: false, band: -1 });
  }
  for (let i = raw.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [raw[i], raw[j]] = [raw[j]!, raw[i]!];
  }
  return { seed, bands, items: raw.map((r, i) => ({ id: `q${i + 1}`, ...r })) };
}

export interface PlacementResult {
  readonly vocabularySize: number;
  readonly level: CefrLevel;
  /** Share of pseudowords answered "yes". */
  readonly falseAlarmRate: number;
  /** Per band, the share of words estimated known after the guessing correction. */
  readonly knownShareByBand: readonly number[];
  /** False; when so many pseudowords were accepted (> 25%) that the estimate means little. */
  readonly reliable: boolean;
  readonly answered: number;
}

/** The guessing correction of yes/no tests: the share known is (hits - false alarms) / (1 - false alarms). */
export function correctForGuessing(hitRate: number, falseAlarmRate: number): number {
  if (falseAlarmRate >= 1) return 0;
  return Math.min(1, Math.max(0, (hitRate - falseAlarmRate) / (1 - falseAlarmRate)));
}

/**
 * Scores answers (item id -> "I know it") into a vocabulary size: the corrected known share of
 * each band times the band's width in ranks, summed. Unanswered items are left out.
 */
export function scorePlacement(test: PlacementTest, answers: Readonly<Record<string, boolean>>): PlacementResult {
  const yes = new Array<number>(test.bands.length).fill(0);
  const asked = new Array<number>(test.bands.length).fill(0);
  let pseudoYes = 0;
  let pseudoAsked = 0;
  let answered = 0;
  for (const item of test.items) {
    if (!Object.hasOwn(answers, item.id)) continue;
    const a = answers[item.id] === true;
    answered++;
    if (item.real) {
      asked[item.band]!++;
      if (a) yes[item.band]!++;
    } else {
      pseudoAsked++;
      if (a) pseudoYes++;
    }
  }
  const falseAlarmRate = pseudoAsked > 0 ? pseudoYes / pseudoAsked : 0;
  const knownShareByBand = test.bands.map((_, b) => (asked[b]! > 0 ? correctForGuessing(yes[b]! / asked[b]!, falseAlarmRate) : 0));
  const vocabularySize = Math.round(
    test.bands.reduce((sum, band, b) => sum + knownShareByBand[b]! * (band.upToRank - band.afterRank), 0),
  );
  return {
    vocabularySize,
    level: levelForVocabulary(vocabularySize),
    falseAlarmRate,
    knownShareByBand,
    reliable: falseAlarmRate <= 0.25,
    answered,
  };
}
