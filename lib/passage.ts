/**
 * Is this block a passage worth reading, or a label? Section labels ("US FALLS"), captions
 * and photo credits ("(Image: GETTY)"), "DON'T MISS", related-story teasers and one-line
 * fillers are extracted as blocks like any other, but they are not something a learner reads
 * for its own sake, so they are never highlight candidates.
 *
 * Judged from the text's shape alone, the same way on every site and, where the shape is
 * universal, in every language: how many words (Intl word segmentation, so scripts without
 * spaces count too), whether it ends as a sentence does, how much of it is in capitals, and
 * whether it is a caption's credit. No site's markup or wording is named.
 */
import { wordTokens } from './text';

export type NotPassageReason = 'too-short' | 'no-sentence' | 'capitals' | 'credit';

export interface PassageShape {
  passage: boolean;
  /** Why it is not a passage (absent for a passage). */
  reason?: NotPassageReason;
  words: number;
}

/** Fewer words than this is a label or a filler, whatever its punctuation ("Read more.", "Share this article"). */
export const MIN_PASSAGE_WORDS = 6;
/**
 * A block that does not end as a sentence ends is a heading, a label, a teaser's headline or a
 * caption, unless it is this long: long unpunctuated blocks are prose whose author dropped
 * the full stop, or a list item of the article.
 */
export const UNPUNCTUATED_PASSAGE_WORDS = 15;
/** Share of cased words written wholly in capitals above which a block is a label ("DON'T MISS", "FRANCE WINS"). */
export const MAX_CAPITALS_SHARE = 0.5;

/** Sentence-final punctuation in the scripts the segmenter knows (a colon too: a sentence introducing a list), optionally followed by closing quotes or brackets. */
const SENTENCE_END = /[.!?…:。！？؟।۔።：][\p{Pf}\p{Pe}"'\s]*$/u;
/**
 * A trailing credit in brackets, "(Image: GETTY)", "[Photo: Jane Doe/Agency]": a short
 * "name: source" pair closing the block, in any language.
 */
const TRAILING_CREDIT = /[([]\s*[^()[\]:]{1,30}:\s*[^()[\]]{1,60}[)\]]\s*[.]?\s*$/u;
/** A copyright sign: a credit line, or a caption ending in one. */
const COPYRIGHT = /[©℗]/u;
/** Credits and captions are short; a long block that merely contains a bracketed aside is prose. */
const MAX_CREDIT_BLOCK_WORDS = 40;

function hasCase(word: string): boolean {
  return word.toLocaleLowerCase() !== word.toLocaleUpperCase();
}

function isCapitals(word: string): boolean {
  // One capital letter alone ("I", "A") says nothing about the block.
  return word.length >= 2 && word === word.toLocaleUpperCase() && word !== word.toLocaleLowerCase();
}

/** The shape of a block's text: a passage, or why not. */
export function passageShape(text: string, lang = 'und'): PassageShape {
  const trimmed = text.trim();
  const tokens = wordTokens(trimmed, lang === 'und' ? 'en' : lang).map((t) => t.word);
  const words = tokens.length;
  if (words < MIN_PASSAGE_WORDS) return { passage: false, reason: 'too-short', words };
  const cased = tokens.filter(hasCase);
  if (cased.length >= 2 && cased.filter(isCapitals).length / cased.length > MAX_CAPITALS_SHARE) return { passage: false, reason: 'capitals', words };
  if (words <= MAX_CREDIT_BLOCK_WORDS && (TRAILING_CREDIT.test(trimmed) || COPYRIGHT.test(trimmed))) return { passage: false, reason: 'credit', words };
  if (words < UNPUNCTUATED_PASSAGE_WORDS && !SENTENCE_END.test(trimmed)) return { passage: false, reason: 'no-sentence', words };
  return { passage: true, words };
}

/** Whether a block is a passage a learner might read (a highlight candidate). */
export function isPassage(text: string, lang?: string): boolean {
  return passageShape(text, lang).passage;
}
