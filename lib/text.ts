/**
 * Text primitives shared by every judgement the extension makes: normalising a block of
 * page text, naming it by a stable content hash, and cutting it into words and sentences
 * with `Intl.Segmenter`, which knows word boundaries for scripts without spaces (CJK, Thai)
 * where a regular expression would not.
 */

/** Collapses every run of whitespace (including NBSP and line breaks) to one space and trims. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b\ufeff]+/gu, ' ').trim();
}

/**
 * A stable 64-bit id for a piece of normalised text, as 16 hex digits.
 *
 * Two FNV-1a passes with different offsets over UTF-16 code units: fast, synchronous and
 * identical in every context (content script, service worker, Node). The same paragraph on
 * a revisit or on another URL gets the same id. Not cryptographic, nor meant to be; the
 * integrity of downloaded models uses SHA-256 instead.
 */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const segmenters = new Map<string, { word: Intl.Segmenter; sentence: Intl.Segmenter }>();

/** `lang` if it is a valid BCP 47 tag, else undefined (the runtime's default rules). */
export function safeLocale(lang: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(lang)[0];
  } catch {
    return undefined;
  }
}

function segmentersFor(lang: string) {
  let entry = segmenters.get(lang);
  if (!entry) {
    const locale = safeLocale(lang);
    entry = {
      word: new Intl.Segmenter(locale, { granularity: 'word' }),
      sentence: new Intl.Segmenter(locale, { granularity: 'sentence' }),
    };
    segmenters.set(lang, entry);
  }
  return entry;
}

/** A word of running text with its position, so that it can be mapped back to a DOM Range. */
export interface WordToken {
  readonly word: string;
  readonly index: number;
}

/** The word-like segments of `text` (no punctuation or spaces), in order. */
export function wordTokens(text: string, lang = 'en'): WordToken[] {
  const out: WordToken[] = [];
  for (const s of segmentersFor(lang).word.segment(text)) {
    if (s.isWordLike) out.push({ word: s.segment, index: s.index });
  }
  return out;
}

/** The words of `text`, lower-cased with the language's own rules. */
export function words(text: string, lang = 'en'): string[] {
  return wordTokens(text, lang).map((t) => t.word.toLocaleLowerCase(safeLocale(lang)));
}

/** The sentences of `text`, trimmed, empty ones dropped. */
export function sentences(text: string, lang = 'en'): string[] {
  const out: string[] = [];
  for (const s of segmentersFor(lang).sentence.segment(text)) {
    const t = s.segment.trim();
    if (t) out.push(t);
  }
  return out;
}

/**
 * What to show a learner about a failure: an Error's own message, or the thrown value as text
 * (a rejected promise or a message port can hand over a string, or anything else).
 */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
