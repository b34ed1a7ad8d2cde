/**
 * Dictionary look-ups: what the learner looked up, where, and which meaning fitted. One record
 * per look-up (keyed by the id the page chose for it, so a retried message or a card drawn
 * again never makes a second). The records are evidence for the learner model (a word looked
 * up is probably not known: lib/learner.ts applyLookup) and the learner's own history, which
 * the review page lists and exports as JSON or CSV.
 */
import * as v from 'valibot';

export const LOOKUP_LIMITS = {
  word: 100,
  sentence: 2_000,
  gloss: 2_000,
  url: 4_096,
  title: 1_000,
} as const;

export interface LookupRecord {
  /** The look-up's id, chosen by the page when the learner asked. */
  id: string;
  at: number;
  /** The word as written on the page. */
  word: string;
  lang: string;
  /** The dictionary's base form and part of speech of the sense chosen; null when the word was not found. */
  lemma: string | null;
  pos: string | null;
  sentence: string;
  url: string;
  title: string;
  /** The sense that fitted the sentence best (the card's first), or null. */
  senseId: string | null;
  gloss: string | null;
}

const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(8.64e15));
const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** A stored look-up, as a backup must carry it. */
export const LookupRecordSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  at: epochMs,
  word: v.pipe(v.string(), v.minLength(1), v.maxLength(LOOKUP_LIMITS.word)),
  lang: bounded(35),
  lemma: v.nullable(bounded(LOOKUP_LIMITS.word)),
  pos: v.nullable(bounded(20)),
  sentence: bounded(LOOKUP_LIMITS.sentence),
  url: bounded(LOOKUP_LIMITS.url),
  title: bounded(LOOKUP_LIMITS.title),
  senseId: v.nullable(bounded(200)),
  gloss: v.nullable(bounded(LOOKUP_LIMITS.gloss)),
});

// The record type and its schema say the same.
true satisfies [v.InferOutput<typeof LookupRecordSchema>] extends [LookupRecord] ? ([LookupRecord] extends [v.InferOutput<typeof LookupRecordSchema>] ? true : false) : false;

/** The sense a look-up chose, as far as the record keeps it. */
export interface ChosenSense {
  id: string;
  lemma: string;
  pos: string;
  gloss: string;
}

/** The record of one look-up, every field cut to its limit. */
export function lookupRecord(input: {
  id: string;
  at: number;
  word: string;
  lang: string;
  sentence: string;
  url: string;
  title: string;
  chosen: ChosenSense | null;
}): LookupRecord {
  const cut = (s: string, max: number) => s.slice(0, max);
  return {
    id: input.id,
    at: input.at,
    word: cut(input.word, LOOKUP_LIMITS.word),
    lang: cut(input.lang, 35),
    lemma: input.chosen ? cut(input.chosen.lemma, LOOKUP_LIMITS.word) : null,
    pos: input.chosen ? cut(input.chosen.pos, 20) : null,
    sentence: cut(input.sentence, LOOKUP_LIMITS.sentence),
    url: cut(input.url, LOOKUP_LIMITS.url),
    title: cut(input.title, LOOKUP_LIMITS.title),
    senseId: input.chosen ? cut(input.chosen.id, 200) : null,
    gloss: input.chosen ? cut(input.chosen.gloss, LOOKUP_LIMITS.gloss) : null,
  };
}

/** How many times each word (by lemma when found, else as written, lower-cased) was looked up. */
export function lookupCounts(records: readonly LookupRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = (r.lemma ?? r.word).toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// ---- exports ----------------------------------------------------------------------------

const CSV_COLUMNS = ['time', 'word', 'lemma', 'pos', 'meaning', 'sentence', 'title', 'url', 'lang'] as const;

function csvField(value: string): string {
  // A field that a spreadsheet would run as a formula is written as text.
  const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
}

/** The history as CSV (RFC 4180, CRLF line ends), newest first as given. */
export function lookupsToCsv(records: readonly LookupRecord[]): string {
  const rows = records.map((r) =>
    [new Date(r.at).toISOString(), r.word, r.lemma ?? '', r.pos ?? '', r.gloss ?? '', r.sentence, r.title, r.url, r.lang].map(csvField).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The history as JSON: the records as stored, with an ISO time beside each. */
export function lookupsToJson(records: readonly LookupRecord[]): string {
  return JSON.stringify({ format: 'attention-reader-lookups', version: 1, lookups: records.map((r) => ({ ...r, time: new Date(r.at).toISOString() })) }, null, 2);
}

/** e.g. "attention-reader-lookups-2026-12-03.csv" (UTC date). */
export function lookupsFileName(now: number, format: 'csv' | 'json'): string {
  return `attention-reader-lookups-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}
