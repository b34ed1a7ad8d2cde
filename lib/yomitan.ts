/**
 * Dictionaries and frequency lists in Yomitan's open format, read from the zip a learner picks
 * in Settings: `index.json` (title, revision, format), `term_bank_N.json` (definitions),
 * `term_meta_bank_N.json` (frequencies; pitch and IPA rows are checked and left out),
 * `kanji_bank_N.json` / `kanji_meta_bank_N.json` (checked and counted; single characters are
 * not what the product looks up) and `tag_bank_N.json` (checked).
 *
 * `readYomitanZip` checks everything before it returns anything: the archive, the index, the
 * shape of every entry of every bank, and limits on the archive's size, on what it unpacks to
 * (declared sizes first, then each file as it is inflated: lib/zip-reader.ts), on the number
 * of entries and on the length of every string. Anything wrong throws `DictionaryRefused` with
 * a sentence for the learner that says which file and entry, so a bad file is refused whole
 * and the caller stores nothing of it.
 *
 * Format 3 is the current one; format 2 uses the same bank layout and is read the same way.
 * Format 1 (early Yomichan) laid term entries out differently and is refused. Definitions are
 * kept as plain text (lib/yomitan-glossary.ts). Pure: bytes in, records out.
 */
import { safeLocale } from './text';
import type { FrequencyList } from './vocabulary';
import { GlossaryShapeError, glossaryItemText } from './yomitan-glossary';
import { listZipEntries, readZipEntry, ZipError, type ZipEntry } from './zip-reader';

export interface YomitanLimits {
  /** The zip file itself. */
  readonly maxZipBytes: number;
  /** All the JSON files read, unpacked, together. */
  readonly maxUnpackedBytes: number;
  /** Entries of all banks together (terms, frequencies, kanji, tags). */
  readonly maxEntries: number;
  /** Any one string: a term, a reading, a tag list, a definition as text. */
  readonly maxStringLength: number;
  /** Files in the archive. */
  readonly maxFiles: number;
}

/**
 * Large enough for the big general dictionaries learners use (a JMdict-based dictionary with
 * structured content is about 40 MB zipped, 200-400 MB unpacked), small enough that a
 * browser tab holds it while it is checked and written.
 */
export const DEFAULT_LIMITS: YomitanLimits = {
  maxZipBytes: 128 * 1024 * 1024,
  maxUnpackedBytes: 640 * 1024 * 1024,
  maxEntries: 3_000_000,
  maxStringLength: 64 * 1024,
  maxFiles: 20_000,
};

export type RefusalKind = 'not-yomitan' | 'old-format' | 'too-large' | 'malformed' | 'damaged' | 'unsupported';

/** A file refused as a dictionary; `message` is written for the learner. */
export class DictionaryRefused extends Error {
  override name = 'DictionaryRefused';
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}

export type FrequencyMode = 'rank-based' | 'occurrence-based';

export interface YomitanInfo {
  readonly title: string;
  readonly revision: string;
  /** 2 or 3. */
  readonly format: number;
  /** ISO 639 code of the terms' language, when the index gives it. */
  readonly sourceLanguage?: string;
  /** ISO 639 code of the definitions' language. */
  readonly targetLanguage?: string;
  readonly author?: string;
  readonly description?: string;
  readonly attribution?: string;
  readonly url?: string;
  /** How frequency values read: ranks (1 = most frequent) or counts. Absent: ranks, as most lists are. */
  readonly frequencyMode?: FrequencyMode;
  /** Kanji entries checked and left out. */
  readonly kanjiCount: number;
}

export interface ImportedTerm {
  readonly term: string;
  /** The reading, or '' when it is the term itself. */
  readonly reading: string;
  /** Each glossary item as plain text, empty ones dropped. */
  readonly definitions: string[];
  /** The definition's and the term's tags, once each. */
  readonly tags: string[];
  /** Popularity for ordering a dictionary's entries for one term (higher first). */
  readonly score: number;
}

export interface ImportedFrequency {
  readonly term: string;
  readonly reading?: string;
  readonly value: number;
}

export interface YomitanDictionary {
  readonly info: YomitanInfo;
  readonly terms: ImportedTerm[];
  readonly frequencies: ImportedFrequency[];
}

/** Bytes of the JSON read so far against all there are to read. */
export type ReadProgress = (done: number, total: number) => void;

type BankKind = 'term' | 'term_meta' | 'kanji' | 'kanji_meta' | 'tag';
const BANK_NAME = /^(term|term_meta|kanji|kanji_meta|tag)_bank_(\d{1,6})\.json$/;
const LANGUAGE_CODE = /^[a-z]{2,3}$/;

/** A size as the learner reads it: bytes, KB or MB, rounded up. */
const mb = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.ceil(bytes / (1024 * 1024))} MB`);
const count = (n: number) => n.toLocaleString('en-US');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const notYomitan = (why: string) => new DictionaryRefused('not-yomitan', `This file is not a Yomitan dictionary: ${why}.`);

/** Lets the page paint (a progress bar) between files. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface Bank {
  readonly kind: BankKind;
  readonly number: number;
  readonly entry: ZipEntry;
}

/** Refuses a file over the size limit: the settings page asks before reading the file into memory. */
export function checkFileSize(bytes: number, limits: YomitanLimits = DEFAULT_LIMITS): void {
  if (bytes > limits.maxZipBytes) {
    throw new DictionaryRefused('too-large', `This dictionary is larger than the extension accepts: the file is ${mb(bytes)}, the limit is ${mb(limits.maxZipBytes)}.`);
  }
}

/** Reads and checks a whole dictionary; throws DictionaryRefused. */
export async function readYomitanZip(bytes: Uint8Array, limits: YomitanLimits = DEFAULT_LIMITS, onProgress?: ReadProgress): Promise<YomitanDictionary> {
  checkFileSize(bytes.length, limits);
  const entries = zipEntries(bytes);
  if (entries.length > limits.maxFiles) {
    throw new DictionaryRefused('too-large', `This dictionary is larger than the extension accepts: it holds ${count(entries.length)} files, the limit is ${count(limits.maxFiles)}.`);
  }
  const { index, banks } = findFiles(entries);
  const toRead = [index, ...banks.map((b) => b.entry)];
  const total = toRead.reduce((sum, e) => sum + e.size, 0);
  if (total > limits.maxUnpackedBytes) {
    throw new DictionaryRefused('too-large', `This dictionary is larger than the extension accepts: it unpacks to ${mb(total)}, the limit is ${mb(limits.maxUnpackedBytes)}.`);
  }

  let done = 0;
  const info = readIndex(parseJson(bytes, index), limits);
  done += index.size;
  onProgress?.(done, total);

  const reader = new BankReader(limits);
  for (const bank of banks) {
    await breathe();
    reader.read(bank, parseJson(bytes, bank.entry));
    done += bank.entry.size;
    onProgress?.(done, total);
  }
  if (reader.terms.length === 0 && reader.frequencies.length === 0) {
    throw notYomitan('it holds no terms and no frequencies (no term_bank or term_meta_bank files with entries)');
  }
  return { info: { ...info, kanjiCount: reader.kanji }, terms: reader.terms, frequencies: reader.frequencies };
}

function zipEntries(bytes: Uint8Array): ZipEntry[] {
  try {
    return listZipEntries(bytes);
  } catch (e) {
    throw refusalFromZip(e);
  }
}

function refusalFromZip(e: unknown): DictionaryRefused {
  if (!(e instanceof ZipError)) return new DictionaryRefused('damaged', `This file could not be read: ${e instanceof Error ? e.message : String(e)}.`);
  if (e.kind === 'not-zip') return notYomitan(e.message);
  return new DictionaryRefused(e.kind, `This file could not be read: ${e.message}.`);
}

/** index.json and the banks, in bank order; refuses duplicates and a dictionary zipped inside a folder. */
function findFiles(entries: readonly ZipEntry[]): { index: ZipEntry; banks: Bank[] } {
  const seen = new Set<string>();
  let index: ZipEntry | undefined;
  const banks: Bank[] = [];
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue; // a folder
    if (seen.has(entry.name)) throw new DictionaryRefused('damaged', `This file could not be read: it holds two files named "${entry.name}".`);
    seen.add(entry.name);
    if (entry.name === 'index.json') index = entry;
    const bank = BANK_NAME.exec(entry.name);
    if (bank) banks.push({ kind: bank[1] as BankKind, number: Number(bank[2]), entry });
  }
  if (!index) {
    const nested = entries.find((e) => e.name.endsWith('/index.json'));
    throw notYomitan(
      nested
        ? `index.json is missing (there is one inside the folder "${nested.name.slice(0, -'index.json'.length)}": zip the dictionary's files themselves, not their folder)`
        : 'index.json is missing',
    );
  }
  const order: readonly BankKind[] = ['tag', 'term', 'term_meta', 'kanji', 'kanji_meta'];
  banks.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.number - b.number);
  return { index, banks };
}

function parseJson(bytes: Uint8Array, entry: ZipEntry): unknown {
  let data: Uint8Array;
  try {
    data = readZipEntry(bytes, entry);
  } catch (e) {
    throw refusalFromZip(e);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new DictionaryRefused('malformed', `${entry.name} is not valid UTF-8 text.`);
  }
  try {
    // A byte-order mark is allowed before the JSON.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new DictionaryRefused('malformed', `${entry.name} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function readIndex(index: unknown, limits: YomitanLimits): Omit<YomitanInfo, 'kanjiCount'> {
  // `why` is "has no title" or ": field must be ..." (after "index.json").
  const bad = (why: string) => new DictionaryRefused('malformed', `This file is not a Yomitan dictionary: index.json${why.startsWith(':') ? '' : ' '}${why}.`);
  if (!isObject(index)) throw bad('must be an object');
  const text = (field: string, required: boolean): string | undefined => {
    const value = index[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (required && value.trim() === '')) throw bad(required ? `has no ${field}` : `: ${field} must be text`);
    if (value.length > limits.maxStringLength) throw bad(`: ${field} is longer than ${count(limits.maxStringLength)} characters`);
    return value;
  };
  const title = text('title', true)!.trim();
  const revision = text('revision', true)!.trim();
  const format = index.format ?? index.version;
  if (format === 1) {
    throw new DictionaryRefused('old-format', `"${title}" is in the first Yomichan format (format 1), which is not supported: get a newer version of this dictionary (format 3).`);
  }
  if (format !== 2 && format !== 3) throw bad(format === undefined ? 'has no format' : `has format ${JSON.stringify(format)}; only format 3 (and 2) is supported`);
  const language = (field: string): string | undefined => {
    const code = text(field, false);
    if (code !== undefined && !LANGUAGE_CODE.test(code)) throw bad(`: ${field} must be a language code such as "en" or "ja", not ${JSON.stringify(code.slice(0, 20))}`);
    return code;
  };
  const frequencyMode = text('frequencyMode', false);
  if (frequencyMode !== undefined && frequencyMode !== 'rank-based' && frequencyMode !== 'occurrence-based') {
    throw bad(': frequencyMode must be "rank-based" or "occurrence-based"');
  }
  const optional = {
    sourceLanguage: language('sourceLanguage'),
    targetLanguage: language('targetLanguage'),
    author: text('author', false),
    description: text('description', false),
    attribution: text('attribution', false),
    url: text('url', false),
    frequencyMode: frequencyMode as FrequencyMode | undefined,
  };
  const info: Record<string, unknown> = { title, revision, format };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) info[key] = value;
  return info as unknown as Omit<YomitanInfo, 'kanjiCount'>;
}

/** Thrown inside one entry; BankReader adds the file and entry number. */
class EntryError extends Error {}

/** Checks the entries of each bank and keeps terms and frequencies. */
class BankReader {
  readonly terms: ImportedTerm[] = [];
  readonly frequencies: ImportedFrequency[] = [];
  kanji = 0;
  private entries = 0;

  constructor(private readonly limits: YomitanLimits) {}

  read(bank: Bank, data: unknown): void {
    const file = bank.entry.name;
    if (!Array.isArray(data)) throw new DictionaryRefused('malformed', `${file} must be a list of entries.`);
    this.entries += data.length;
    if (this.entries > this.limits.maxEntries) {
      throw new DictionaryRefused('too-large', `This dictionary is larger than the extension accepts: more than ${count(this.limits.maxEntries)} entries.`);
    }
    const readOne = this.readerFor(bank.kind);
    for (let i = 0; i < data.length; i++) {
      try {
        readOne(data[i]);
      } catch (e) {
        if (e instanceof EntryError || e instanceof GlossaryShapeError) throw new DictionaryRefused('malformed', `${file}, entry ${count(i + 1)}: ${e.message}.`);
        throw e;
      }
    }
  }

  private readerFor(kind: BankKind): (entry: unknown) => void {
    switch (kind) {
      case 'term':
        return (e) => this.term(e);
      case 'term_meta':
        return (e) => this.termMeta(e);
      case 'kanji':
        return (e) => this.kanjiEntry(e);
      case 'kanji_meta':
        return (e) => this.kanjiMeta(e);
      case 'tag':
        return (e) => this.tag(e);
    }
  }

  private string(value: unknown, what: string, allowEmpty = true): string {
    if (typeof value !== 'string') throw new EntryError(`${what} must be text`);
    if (!allowEmpty && value.trim() === '') throw new EntryError(`${what} must not be empty`);
    if (value.length > this.limits.maxStringLength) throw new EntryError(`${what} is longer than ${count(this.limits.maxStringLength)} characters`);
    return value;
  }

  private tuple(entry: unknown, length: number, layout: string): unknown[] {
    if (!Array.isArray(entry) || entry.length !== length) throw new EntryError(`must be a list of ${length} items (${layout})`);
    return entry;
  }

  /** [term, reading, definitionTags, rules, score, glossary, sequence, termTags] */
  private term(entry: unknown): void {
    const [term, reading, definitionTags, rules, score, glossary, sequence, termTags] = this.tuple(entry, 8, 'term, reading, tags, rules, score, glossary, sequence, term tags');
    const word = this.string(term, 'the term', false);
    const spoken = this.string(reading, 'the reading');
    const tags = definitionTags === null ? '' : this.string(definitionTags, 'the definition tags');
    this.string(rules, 'the rules');
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new EntryError('the score must be a number');
    if (!Array.isArray(glossary)) throw new EntryError('glossary must be a list');
    if (typeof sequence !== 'number' || !Number.isInteger(sequence)) throw new EntryError('the sequence must be a whole number');
    const moreTags = this.string(termTags, 'the term tags');
    const definitions: string[] = [];
    for (let g = 0; g < glossary.length; g++) {
      let text: string;
      try {
        text = glossaryItemText(glossary[g]);
      } catch (e) {
        if (e instanceof GlossaryShapeError) throw new EntryError(`glossary item ${g + 1}: ${e.message}`);
        throw e;
      }
      if (text.length > this.limits.maxStringLength) throw new EntryError(`glossary item ${g + 1} is longer than ${count(this.limits.maxStringLength)} characters`);
      if (text) definitions.push(text);
    }
    const trimmed = word.trim();
    this.terms.push({
      term: trimmed,
      reading: spoken.trim() === trimmed ? '' : spoken.trim(),
      definitions,
      tags: [...new Set(`${tags} ${moreTags}`.split(/\s+/).filter(Boolean))],
      score,
    });
  }

  /** [term, "freq" | "pitch" | "ipa", data] */
  private termMeta(entry: unknown): void {
    const [term, mode, data] = this.tuple(entry, 3, 'term, mode, data');
    const word = this.string(term, 'the term', false).trim();
    if (mode === 'pitch' || mode === 'ipa') {
      if (!isObject(data) || typeof data.reading !== 'string') throw new EntryError(`${mode} data must be an object with a reading`);
      return;
    }
    if (mode !== 'freq') throw new EntryError(`the mode must be "freq", "pitch" or "ipa", not ${JSON.stringify(String(mode)).slice(0, 30)}`);
    let reading: string | undefined;
    let frequency: unknown = data;
    if (isObject(data) && 'frequency' in data) {
      reading = this.string(data.reading, 'the frequency reading').trim() || undefined;
      frequency = data.frequency;
    }
    const value = frequencyValue(frequency);
    // Text that does not start with a number ("rare") is valid in the format but ranks nothing.
    if (value === undefined) return;
    this.frequencies.push(reading === undefined || reading === word ? { term: word, value } : { term: word, reading, value });
  }

  /** [character, onyomi, kunyomi, tags, meanings, stats] */
  private kanjiEntry(entry: unknown): void {
    const [character, onyomi, kunyomi, tags, meanings, stats] = this.tuple(entry, 6, 'character, onyomi, kunyomi, tags, meanings, stats');
    this.string(character, 'the character', false);
    this.string(onyomi, 'the onyomi');
    this.string(kunyomi, 'the kunyomi');
    this.string(tags, 'the tags');
    if (!Array.isArray(meanings)) throw new EntryError('the meanings must be a list');
    meanings.forEach((m, i) => this.string(m, `meaning ${i + 1}`));
    if (!isObject(stats)) throw new EntryError('the stats must be an object');
    this.kanji++;
  }

  /** [character, "freq", frequency] */
  private kanjiMeta(entry: unknown): void {
    const [character, mode] = this.tuple(entry, 3, 'character, mode, data');
    this.string(character, 'the character', false);
    if (mode !== 'freq') throw new EntryError('the mode must be "freq"');
  }

  /** [name, category, order, notes, score] */
  private tag(entry: unknown): void {
    const [name, category, order, notes, score] = this.tuple(entry, 5, 'name, category, order, notes, score');
    this.string(name, 'the tag name');
    this.string(category, 'the category');
    this.string(notes, 'the notes');
    if (typeof order !== 'number' || typeof score !== 'number') throw new EntryError('the order and score must be numbers');
  }
}

/** A frequency as the format writes it: a number, text starting with one, or {value, displayValue}. */
function frequencyValue(frequency: unknown): number | undefined {
  if (typeof frequency === 'number') {
    if (!Number.isFinite(frequency)) throw new EntryError('the frequency must be a finite number');
    return frequency;
  }
  if (typeof frequency === 'string') {
    const match = /^\s*(-?\d+(?:\.\d+)?)/.exec(frequency.replace(/(?<=\d),(?=\d{3})/g, ''));
    return match ? Number(match[1]) : undefined;
  }
  if (isObject(frequency) && typeof frequency.value === 'number' && Number.isFinite(frequency.value)) {
    if (frequency.displayValue !== undefined && typeof frequency.displayValue !== 'string') throw new EntryError('the frequency displayValue must be text');
    return frequency.value;
  }
  throw new EntryError('the frequency must be a number, text, or an object with a numeric value');
}

/**
 * An imported frequency list as the product's ranked word list (lib/vocabulary.ts's
 * FrequencyList, whose `words[i]` has rank i + 1): forms lower-cased as the learner model keys
 * them, each once at its best rank, most frequent first. Rank-based lists (the default) put
 * low values first, occurrence-based ones high values; ties keep the file's order.
 */
export function frequencyListOf(frequencies: readonly ImportedFrequency[], mode: FrequencyMode | undefined, lang: string): FrequencyList {
  const locale = safeLocale(lang);
  const sign = mode === 'occurrence-based' ? -1 : 1;
  const best = new Map<string, { key: number; at: number }>();
  frequencies.forEach((f, at) => {
    const form = f.term.toLocaleLowerCase(locale);
    const key = sign * f.value;
    const seen = best.get(form);
    if (!seen || key < seen.key) best.set(form, { key, at: seen?.at ?? at });
  });
  const words = [...best].sort((a, b) => a[1].key - b[1].key || a[1].at - b[1].at).map(([form]) => form);
  return { lang, words };
}
