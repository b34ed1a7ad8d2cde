/**
 * The words of a highlighted passage that this learner probably does not know yet: the page
 * underlines them and the passage's toolbar counts them, so the learner sees before reading
 * what the passage will ask of them.
 *
 * "Probably unknown" is the knowledge model the passage's difficulty is judged by
 * (lib/difficulty.ts `learnerKnowledge`: the learner's record for a word, else its frequency
 * rank against their vocabulary size), cut at NEW_WORD_BELOW; lib/difficulty.ts `newWordsOf`
 * applies it to a paragraph. This file stays free of the word lists, for the page's bundle. Names, numbers and words the
 * learner ignores never count, as in the difficulty judgement.
 *
 * The background decides and sends each word's written form; the page finds those forms in
 * the passage's live text (`newWordSpans`). Forms rather than character offsets: offsets into
 * the text the background judged (whitespace collapsed, NFKC-normalised) would drift from the
 * page's own text nodes, while a word's form is found again wherever the text stands.
 */
import type { ParagraphWord } from './learner';
import { wordTokens } from './text';

/**
 * Below this probability of being known a word is marked new. At 0.5 a marked word is more
 * likely unknown than known, so the underline is right more often than not; a lower cut would
 * hide words the learner is as likely to stumble on as not, a higher one would mark words they
 * mostly know and teach them to ignore the marks.
 */
export const NEW_WORD_BELOW = 0.5;

/**
 * At most this many written forms per passage. A passage in the readable zone (95-98% known)
 * of a few hundred words has well under this many; one far past it would be all underline, and
 * the message stays small.
 */
export const MAX_NEW_WORDS = 40;

/** Longest word form sent (the word.mark limit): longer "words" are not vocabulary. */
export const MAX_NEW_WORD_CHARS = 100;

/** One probably-new word as written in the passage, and the key the learner's records use for it. */
export interface NewWord {
  readonly form: string;
  readonly key: string;
}

/**
 * The distinct written forms among `words` whose knowledge is below NEW_WORD_BELOW, in order of
 * first appearance, at most `limit`. `knowledge` is undefined for a word that does not count.
 */
export function probablyNewWords(
  words: readonly ParagraphWord[],
  knowledge: (w: ParagraphWord) => number | undefined,
  limit = MAX_NEW_WORDS,
): NewWord[] {
  const out: NewWord[] = [];
  const seen = new Set<string>();
  for (const w of words) {
    if (out.length >= limit) break;
    if (w.ignored || seen.has(w.word) || w.word.length > MAX_NEW_WORD_CHARS) continue;
    const p = knowledge(w);
    if (p === undefined || p >= NEW_WORD_BELOW) continue;
    seen.add(w.word);
    out.push({ form: w.word, key: w.key });
  }
  return out;
}

/** How many new words the toolbar shows: distinct keys ("Run" and "run" are one word). */
export function newWordCount(words: readonly NewWord[]): number {
  return new Set(words.map((w) => w.key)).size;
}

/**
 * The list without the word the learner just marked (known or ignored): every form whose form
 * or key is that word, ignoring case.
 */
export function withoutWord(words: readonly NewWord[], marked: string): NewWord[] {
  const m = marked.trim().normalize('NFKC').toLowerCase();
  return words.filter((w) => w.form.toLowerCase() !== m && w.key.toLowerCase() !== m);
}

/** Where a word of `forms` stands in `text`: UTF-16 offsets of whole words, in order. */
export function newWordSpans(text: string, forms: ReadonlySet<string>, lang: string): Array<{ start: number; end: number }> {
  if (forms.size === 0) return [];
  const out: Array<{ start: number; end: number }> = [];
  for (const t of wordTokens(text, lang)) {
    if (forms.has(t.word.normalize('NFKC'))) out.push({ start: t.index, end: t.index + t.word.length });
  }
  return out;
}
