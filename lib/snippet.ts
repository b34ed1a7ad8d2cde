/**
 * A snippet is what the learner keeps from a page: the passage, the sentence(s) around the
 * words they chose, where it came from, and the words they marked in it. Review cards are
 * built from snippets (lib/review.ts), so a snippet stores enough to rebuild every card.
 *
 * Everything here is a plain serialisable object (numbers, strings, arrays): snippets travel
 * through runtime messages and IndexedDB, and into JSON backups.
 */
import * as v from 'valibot';
import { contentHash, normaliseWhitespace, safeLocale, sentences, wordTokens } from './text.ts';

/** Longest passage a snippet keeps. Longer input is refused, never silently cut, so the
 *  learner always knows what was saved. */
export const MAX_PASSAGE_CHARS = 5000;
/** Page titles are labels, not learning material: a longer one is shortened with an ellipsis. */
export const MAX_TITLE_CHARS = 300;
export const MAX_URL_CHARS = 2048;
export const MAX_MARKS = 50;
export const MAX_MARK_CHARS = 100;
export const MAX_ID_CHARS = 200;
/** Latest epoch-ms value a Date can hold; anything later is corrupt data. */
export const MAX_EPOCH_MS = 8.64e15;

/** A half-open range [start, end) of UTF-16 offsets, the unit DOM Ranges use. */
export interface TextSpan {
  start: number;
  end: number;
}

/** A word (or short phrase) the learner marked, located in `Snippet.passage`. */
export interface MarkedWord {
  text: string;
  start: number;
  end: number;
}

export interface Snippet {
  /** Derived from URL + passage, so saving the same paragraph again names the same snippet. */
  id: string;
  /** The passage with whitespace normalised (lib/text.ts normaliseWhitespace). */
  passage: string;
  /** The whole sentence(s) around the learner's selection, as it appears in `passage`. */
  context: string;
  /** Offset of `context` in `passage`. */
  contextStart: number;
  url: string;
  title: string;
  /** Canonical BCP 47 tag of the passage's language. */
  lang: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Marked words in passage order, no two with the same span. */
  marks: MarkedWord[];
  /** Set when the passage is one of the paragraphs the content script extracted and scored. */
  paragraphId?: string;
}

export interface SnippetInput {
  /** Passage text as taken from the page; whitespace is normalised here. */
  passage: string;
  /** The learner's selection: offsets into `passage` (as given, before normalising), or
   *  the selected text itself, found in the passage. Without it the context is the
   *  sentences holding the marks, or the whole passage. */
  selection?: TextSpan | string;
  /** Words the learner marked: a word or phrase to find in the passage (case-insensitive,
   *  whole words, the occurrence inside the selection first), or its offsets into `passage`. */
  marks?: ReadonlyArray<string | TextSpan>;
  url: string;
  title: string;
  lang: string;
  /** Epoch milliseconds. */
  createdAt: number;
  paragraphId?: string;
}

/** Raised when input cannot make a snippet; `message` is written for the learner. */
export class SnippetError extends Error {
  override name = 'SnippetError';
}

const WHITESPACE = /[\s\u00a0\u200b\ufeff]/u;

/**
 * normaliseWhitespace plus, for every offset of the raw text, the matching offset in the
 * normalised text, so that a selection made in the page maps onto the stored passage.
 */
export function normaliseWithOffsets(raw: string): { text: string; offsets: number[] } {
  let text = '';
  const offsets = new Array<number>(raw.length + 1);
  let pendingSpace = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (WHITESPACE.test(ch)) {
      if (text.length > 0) pendingSpace = true;
      offsets[i] = text.length;
      continue;
    }
    if (pendingSpace) {
      text += ' ';
      pendingSpace = false;
    }
    offsets[i] = text.length;
    text += ch;
  }
  offsets[raw.length] = text.length;
  // A run of whitespace maps to the single space that replaces it; offsets past the end
  // (trailing whitespace, which is dropped) are clamped.
  for (let i = 0; i <= raw.length; i++) offsets[i] = Math.min(offsets[i]!, text.length);
  return { text, offsets };
}

/** Where each of `sentences()` lies in `text`, in order. */
export function sentenceSpans(text: string, lang: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let from = 0;
  for (const s of sentences(text, lang)) {
    const start = text.indexOf(s, from);
    // sentences() trims segments of `text`, so each one is found; the guard keeps a
    // segmenter quirk from producing a bogus span.
    if (start < 0) continue;
    spans.push({ start, end: start + s.length });
    from = start + s.length;
  }
  return spans;
}

/** The span covering every sentence that overlaps `target` (or holds it, when empty). */
export function sentencesAround(spans: readonly TextSpan[], target: TextSpan, textLength: number): TextSpan {
  let start = -1;
  let end = -1;
  for (const s of spans) {
    const overlaps =
      target.start === target.end
        ? s.start <= target.start && target.start <= s.end
        : s.start < target.end && target.start < s.end;
    if (!overlaps) continue;
    if (start < 0) start = s.start;
    end = s.end;
  }
  if (start < 0) return { start: 0, end: textLength };
  return { start, end };
}

function trimSpan(text: string, span: TextSpan): TextSpan {
  let { start, end } = span;
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return { start, end };
}

function checkRawSpan(span: TextSpan, rawLength: number, what: string): void {
  const ok =
    Number.isInteger(span.start) &&
    Number.isInteger(span.end) &&
    span.start >= 0 &&
    span.start <= span.end &&
    span.end <= rawLength;
  if (!ok) {
    throw new SnippetError(`The ${what} (${span.start}–${span.end}) lies outside the passage (0–${rawLength}).`);
  }
}

/** Finds `phrase` as whole words in `text`, case-insensitively, preferring `within`. */
function findPhrase(text: string, phrase: string, lang: string, within: TextSpan | undefined): TextSpan | undefined {
  const locale = safeLocale(lang);
  const fold = (w: string) => w.toLocaleLowerCase(locale);
  const needle = wordTokens(phrase, lang).map((t) => fold(t.word));
  if (needle.length === 0) return undefined;
  const hay = wordTokens(text, lang);
  let fallback: TextSpan | undefined;
  for (let i = 0; i + needle.length <= hay.length; i++) {
    let hit = true;
    for (let j = 0; j < needle.length && hit; j++) hit = fold(hay[i + j]!.word) === needle[j];
    if (!hit) continue;
    const last = hay[i + needle.length - 1]!;
    const span = { start: hay[i]!.index, end: last.index + last.word.length };
    if (!within || (span.start >= within.start && span.end <= within.end)) return span;
    fallback ??= span;
  }
  return fallback;
}

function canonicalLang(lang: string): string {
  const tag = typeof lang === 'string' ? lang.trim() : '';
  // Pages often declare "en_US"; BCP 47 wants a hyphen.
  const canonical = (tag && safeLocale(tag)) || (tag && safeLocale(tag.replaceAll('_', '-')));
  if (!canonical) throw new SnippetError(`"${String(lang).slice(0, 40)}" is not a language tag (expected e.g. "de" or "pt-BR").`);
  return canonical;
}

function checkUrl(url: string): string {
  if (typeof url !== 'string') throw new SnippetError('The page address is missing.');
  const trimmed = url.trim();
  if (trimmed === '') return '';
  if (trimmed.length > MAX_URL_CHARS) {
    throw new SnippetError(`The page address is ${trimmed.length} characters long; at most ${MAX_URL_CHARS} are kept.`);
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new SnippetError('The page address is not a valid URL.');
  }
  // The address is later shown as a link (review page, Anki export); only schemes that
  // cannot run code are accepted.
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
    throw new SnippetError(`Snippets can only come from http, https or file pages, not "${parsed.protocol}".`);
  }
  return trimmed;
}

function shortenTitle(title: string): string {
  const t = normaliseWhitespace(typeof title === 'string' ? title : '');
  return t.length <= MAX_TITLE_CHARS ? t : t.slice(0, MAX_TITLE_CHARS - 1).trimEnd() + '…';
}

/**
 * The part of a paragraph a snippet keeps around the learner's selection. The limit on a
 * snippet's length applies to what the learner chose: a selection within a paragraph longer
 * than a snippet holds keeps the whole sentences around it, as many as fit (the nearest first),
 * instead of the paragraph being refused. Only a selection itself over the limit is refused.
 */
export function passageAround(paragraph: string, selection: string, lang: string, max = MAX_PASSAGE_CHARS): { passage: string; selection: string } {
  const text = normaliseWhitespace(paragraph);
  const wanted = normaliseWhitespace(selection);
  if (wanted.length > max) {
    throw new SnippetError(`The selection is ${wanted.length} characters long; a snippet holds at most ${max}. Select a shorter part.`);
  }
  if (text.length <= max) return { passage: text, selection: wanted };
  const at = text.indexOf(wanted);
  if (at < 0 || wanted.length === 0) throw new SnippetError('The selected text is not part of the passage.');
  const target = { start: at, end: at + wanted.length };
  const spans = sentenceSpans(text, lang);
  const core = sentencesAround(spans, target, text.length);
  let start: number;
  let end: number;
  if (core.end - core.start > max) {
    // One sentence longer than a snippet: the characters around the selection, centred on it.
    start = Math.max(0, Math.min(at - Math.floor((max - wanted.length) / 2), text.length - max));
    end = start + max;
  } else {
    ({ start, end } = core);
    let before = spans.findIndex((s) => s.end > core.start) - 1;
    let after = spans.findIndex((s) => s.start >= core.end);
    // Whole sentences on either side, nearest first, while they fit.
    for (let grew = true; grew; ) {
      grew = false;
      if (before >= 0 && end - spans[before]!.start <= max) {
        start = spans[before--]!.start;
        grew = true;
      }
      if (after >= 0 && after < spans.length && spans[after]!.end - start <= max) {
        end = spans[after++]!.end;
        grew = true;
      }
    }
  }
  return { passage: text.slice(start, end).trim(), selection: wanted };
}

/** The id a snippet from this page and passage gets. */
export function snippetId(url: string, passage: string): string {
  return 's_' + contentHash(url + '\u0000' + passage);
}

/**
 * Builds and validates a snippet. Throws SnippetError with a message fit for the learner
 * when the passage is empty or too long, a mark is not in it, a span is out of range, or the
 * URL, language or time is unusable.
 */
export function createSnippet(input: SnippetInput): Snippet {
  if (typeof input.passage !== 'string') throw new SnippetError('There is no passage to save.');
  const { text: passage, offsets } = normaliseWithOffsets(input.passage);
  if (passage.length === 0) throw new SnippetError('The passage is empty.');
  if (passage.length > MAX_PASSAGE_CHARS) {
    throw new SnippetError(
      `This passage is ${passage.length} characters long; a snippet holds at most ${MAX_PASSAGE_CHARS}. Select a shorter part.`,
    );
  }
  if (!Number.isSafeInteger(input.createdAt) || input.createdAt < 0 || input.createdAt > MAX_EPOCH_MS) {
    throw new SnippetError('The snippet has no valid creation time.');
  }
  if (input.paragraphId !== undefined && (typeof input.paragraphId !== 'string' || input.paragraphId.length === 0 || input.paragraphId.length > MAX_ID_CHARS)) {
    throw new SnippetError('The paragraph id is invalid.');
  }
  const url = checkUrl(input.url);
  const lang = canonicalLang(input.lang);

  const rawLength = input.passage.length;
  const toPassage = (span: TextSpan) => trimSpan(passage, { start: offsets[span.start]!, end: offsets[span.end]! });
  let selection: TextSpan | undefined;
  if (typeof input.selection === 'string') {
    const wanted = normaliseWhitespace(input.selection);
    const at = wanted ? passage.indexOf(wanted) : -1;
    if (at < 0) throw new SnippetError('The selected text is not part of the passage.');
    selection = { start: at, end: at + wanted.length };
  } else if (input.selection) {
    checkRawSpan(input.selection, rawLength, 'selection');
    selection = toPassage(input.selection);
  }

  const rawMarks = input.marks ?? [];
  if (rawMarks.length > MAX_MARKS) throw new SnippetError(`At most ${MAX_MARKS} words can be marked in one snippet.`);
  const marks: MarkedWord[] = [];
  for (const mark of rawMarks) {
    let span: TextSpan | undefined;
    if (typeof mark === 'string') {
      span = findPhrase(passage, normaliseWhitespace(mark), lang, selection);
      if (!span) throw new SnippetError(`The marked word "${mark.slice(0, MAX_MARK_CHARS)}" does not occur in the passage.`);
    } else {
      checkRawSpan(mark, rawLength, 'marked word');
      span = toPassage(mark);
    }
    if (span.end === span.start) throw new SnippetError('A marked word is empty.');
    if (span.end - span.start > MAX_MARK_CHARS) {
      throw new SnippetError(`A marked word or phrase can be at most ${MAX_MARK_CHARS} characters long.`);
    }
    if (!marks.some((m) => m.start === span.start && m.end === span.end)) {
      marks.push({ text: passage.slice(span.start, span.end), start: span.start, end: span.end });
    }
  }
  marks.sort((a, b) => a.start - b.start || a.end - b.end);

  // Context: the sentences holding the selection; else those holding the marks; else all.
  const target: TextSpan =
    selection ??
    (marks.length > 0 ? { start: marks[0]!.start, end: Math.max(...marks.map((m) => m.end)) } : { start: 0, end: passage.length });
  const around = sentencesAround(sentenceSpans(passage, lang), target, passage.length);

  const snippet: Snippet = {
    id: snippetId(url, passage),
    passage,
    context: passage.slice(around.start, around.end),
    contextStart: around.start,
    url,
    title: shortenTitle(input.title),
    lang,
    createdAt: input.createdAt,
    marks,
  };
  if (input.paragraphId !== undefined) snippet.paragraphId = input.paragraphId;
  return snippet;
}

/**
 * Folds a newer save of the same passage into the stored snippet: marks are united and the
 * context widened to cover both, while the id and creation time stay, so cards already made
 * for earlier marks keep their ids (and schedules).
 */
export function mergeSnippets(stored: Snippet, update: Snippet): Snippet {
  if (stored.id !== update.id || stored.passage !== update.passage) {
    throw new SnippetError('Only two saves of the same passage from the same page can be merged.');
  }
  const marks = [...stored.marks];
  for (const m of update.marks) {
    if (!marks.some((k) => k.start === m.start && k.end === m.end)) marks.push(m);
  }
  marks.sort((a, b) => a.start - b.start || a.end - b.end);
  if (marks.length > MAX_MARKS) throw new SnippetError(`At most ${MAX_MARKS} words can be marked in one snippet.`);
  const start = Math.min(stored.contextStart, update.contextStart);
  const end = Math.max(stored.contextStart + stored.context.length, update.contextStart + update.context.length);
  const merged: Snippet = { ...stored, marks, contextStart: start, context: stored.passage.slice(start, end) };
  const paragraphId = stored.paragraphId ?? update.paragraphId;
  if (paragraphId !== undefined) merged.paragraphId = paragraphId;
  return merged;
}

// ---------------------------------------------------------------------------------------
// Schema: what a stored or restored snippet must look like (used by lib/backup.ts).

const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_EPOCH_MS));
const offset = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_PASSAGE_CHARS));

export const MarkedWordSchema = v.strictObject({
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_MARK_CHARS)),
  start: offset,
  end: offset,
});

export const SnippetSchema = v.pipe(
  v.strictObject({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS)),
    passage: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PASSAGE_CHARS)),
    context: v.pipe(v.string(), v.maxLength(MAX_PASSAGE_CHARS)),
    contextStart: offset,
    url: v.pipe(v.string(), v.maxLength(MAX_URL_CHARS)),
    title: v.pipe(v.string(), v.maxLength(MAX_TITLE_CHARS)),
    lang: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    createdAt: epochMs,
    marks: v.pipe(v.array(MarkedWordSchema), v.maxLength(MAX_MARKS)),
    paragraphId: v.exactOptional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS))),
  }),
  v.check(
    (s) => s.passage.slice(s.contextStart, s.contextStart + s.context.length) === s.context,
    'The context is not part of the passage.',
  ),
  v.check(
    (s) => s.marks.every((m) => m.start < m.end && s.passage.slice(m.start, m.end) === m.text),
    'A marked word does not match the passage.',
  ),
);

// Keeps the hand-written interface and the schema from drifting apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const snippetSchemaMatches: Same<v.InferOutput<typeof SnippetSchema>, Snippet> = true;
void snippetSchemaMatches;
