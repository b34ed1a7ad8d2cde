/**
 * The word a learner pointed at, and the sentence around it, from a paragraph's text and an
 * offset into it (where the click or the caret landed). Word and sentence boundaries come from
 * `Intl.Segmenter` with the paragraph's language, so that scripts without spaces are cut where
 * the language cuts them, not at the next space.
 */
import { safeLocale } from './text';

/** A piece of `text` with its position: `text.slice(start, end) === value`. */
export interface TextPiece {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
const sentenceSegmenters = new Map<string, Intl.Segmenter>();

function segmenter(cache: Map<string, Intl.Segmenter>, lang: string, granularity: 'word' | 'sentence'): Intl.Segmenter {
  let s = cache.get(lang);
  if (!s) {
    s = new Intl.Segmenter(safeLocale(lang), { granularity });
    cache.set(lang, s);
  }
  return s;
}

/**
 * The word at `offset` in `text`, or null when the offset falls on space or punctuation. An
 * offset just past a word's last letter still names that word (a click on a word's right
 * half puts the caret after it), unless another word starts exactly there.
 */
export function wordAt(text: string, offset: number, lang = 'en'): TextPiece | null {
  if (!(offset >= 0) || offset > text.length) return null;
  let before: TextPiece | null = null;
  for (const s of segmenter(wordSegmenters, lang, 'word').segment(text)) {
    const end = s.index + s.segment.length;
    if (!s.isWordLike) {
      if (s.index > offset) break;
      continue;
    }
    const piece = { value: s.segment, start: s.index, end };
    if (offset >= s.index && offset < end) return piece;
    if (end === offset) before = piece;
    if (s.index > offset) break;
  }
  return before;
}

/** The sentence of `text` holding the position `offset`, trimmed of surrounding space. */
export function sentenceAt(text: string, offset: number, lang = 'en'): TextPiece {
  const at = Math.max(0, Math.min(offset, Math.max(0, text.length - 1)));
  for (const s of segmenter(sentenceSegmenters, lang, 'sentence').segment(text)) {
    const end = s.index + s.segment.length;
    if (at < end || end === text.length) return trimmed(text, s.index, end);
  }
  return trimmed(text, 0, text.length);
}

function trimmed(text: string, start: number, end: number): TextPiece {
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return { value: text.slice(start, end), start, end };
}

/** A sentence cut to at most `max` characters around the span [start, end) it must keep. */
export function sentenceWindow(sentence: TextPiece, word: TextPiece, max: number): string {
  if (sentence.value.length <= max) return sentence.value;
  const wordStart = word.start - sentence.start;
  const room = Math.max(0, max - (word.end - word.start));
  const from = Math.max(0, Math.min(wordStart - Math.floor(room / 2), sentence.value.length - max));
  return sentence.value.slice(from, from + max);
}
