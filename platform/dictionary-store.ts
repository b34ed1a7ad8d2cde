/**
 * The dictionaries and frequency lists the learner imported (Yomitan format, read by
 * lib/yomitan.ts), kept in an IndexedDB database of their own ("dictionaries"): they are large,
 * they are the learner's files rather than what the extension learned, and keeping them apart
 * leaves the reading database's schema, migrations and backups as they are.
 *
 * Stores: `dictionaries` (one record per dictionary: title, revision, languages, counts, the
 * learner's order), `terms` and `frequencies`. These two hold a dictionary's rows in chunks of
 * up to 256 (keyed [dictionaryId, chunk], so a dictionary is one key range), each chunk
 * listing its distinct terms (and readings) for a multi-entry index: a look-up finds the
 * chunks holding the word and picks its rows out of them. One record per row made importing a
 * 100,000-entry dictionary in Chromium take about 35 s, nearly all of it in the browser's
 * per-record cost of `put`; chunks make that a few hundred records.
 *
 * An import is all or nothing. The whole file is checked first; then the dictionary's record
 * and every row are written in ONE readwrite transaction, so a failure while writing (the disk
 * full, the tab closed, the browser stopping) aborts it and leaves the database as it was.
 * Importing a dictionary whose title is already there replaces that one in the same
 * transaction, keeping its place in the learner's order: importing a new revision is how a
 * dictionary is updated, and importing the same file again repairs nothing and doubles
 * nothing. (Two dictionaries with one title would show as two identical lines and answer
 * every word twice.)
 *
 * Every context of the extension can open it (same origin): the options page imports and
 * manages, the word card's look-up reads.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { LIMITS } from '../lib/protocol';
import type { FrequencyList } from '../lib/vocabulary';
import { DEFAULT_LIMITS, frequencyListOf, readYomitanZip, type FrequencyMode, type YomitanDictionary, type YomitanLimits } from '../lib/yomitan';
import { describe as describeError } from './db';
import { sameLanguage } from '../lib/language';

export const DICTIONARY_DB_NAME = 'dictionaries';
const VERSION = 1;

export interface DictionaryRecord {
  id: string;
  title: string;
  revision: string;
  format: number;
  sourceLanguage?: string;
  targetLanguage?: string;
  author?: string;
  attribution?: string;
  frequencyMode?: FrequencyMode;
  counts: { terms: number; frequencies: number; kanji: number };
  /** Position in the learner's order: lower answers first. */
  order: number;
  importedAt: number;
}

export interface TermRow {
  term: string;
  /** Absent when the reading is the term itself. */
  reading?: string;
  definitions: string[];
  tags: string[];
  score: number;
}

export interface FrequencyRow {
  term: string;
  reading?: string;
  value: number;
}

/** Consecutive rows of one dictionary, with the distinct keys they are found by. */
export interface Chunk<Row> {
  dictionaryId: string;
  chunk: number;
  /** Distinct terms of the rows (multi-entry index `by-term`). */
  terms: string[];
  /** Distinct readings of the rows (multi-entry index `by-reading`; empty for frequencies). */
  readings: string[];
  rows: Row[];
}

interface DictionaryDB extends DBSchema {
  dictionaries: { key: string; value: DictionaryRecord };
  terms: { key: [string, number]; value: Chunk<TermRow>; indexes: { 'by-term': string; 'by-reading': string } };
  frequencies: { key: [string, number]; value: Chunk<FrequencyRow>; indexes: { 'by-term': string } };
}

/** Rows per chunk, and a bound on a chunk's definition text (a look-up reads whole chunks). */
const CHUNK_ROWS = 256;
const CHUNK_CHARS = 64 * 1024;

export type DictionaryDatabase = IDBPDatabase<DictionaryDB>;
const STORES = ['dictionaries', 'terms', 'frequencies'] as const;

/**
 * Opens (creating) the database. `onClosed` is called when the connection closes itself for a
 * newer version or the browser closes it, so that its holder opens a new one next time.
 */
export function openDictionaryDatabase(name = DICTIONARY_DB_NAME, onClosed?: () => void): Promise<DictionaryDatabase> {
  if (!globalThis.indexedDB) return Promise.reject(new DictionaryStoreError('IndexedDB is not available in this context'));
  return openDB<DictionaryDB>(name, VERSION, {
    upgrade(database) {
      database.createObjectStore('dictionaries', { keyPath: 'id' });
      const terms = database.createObjectStore('terms', { keyPath: ['dictionaryId', 'chunk'] });
      terms.createIndex('by-term', 'terms', { multiEntry: true });
      terms.createIndex('by-reading', 'readings', { multiEntry: true });
      database.createObjectStore('frequencies', { keyPath: ['dictionaryId', 'chunk'] }).createIndex('by-term', 'terms', { multiEntry: true });
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      onClosed?.();
    },
    terminated() {
      onClosed?.();
    },
  }).catch((e: unknown) => {
    throw new DictionaryStoreError(`Could not open the dictionaries database: ${describeError(e)}`);
  });
}

/** A word's entry in an imported dictionary, as the word card shows it. */
export interface ImportedEntry {
  dictionary: { id: string; title: string };
  term: string;
  reading?: string;
  definitions: string[];
  tags: string[];
}

/** What an import is doing: checking the file, then writing it. `done` of `total` within the stage. */
export type ImportProgress = (progress: { stage: 'checking' | 'writing'; done: number; total: number }) => void;

export class DictionaryStoreError extends Error {
  override name = 'DictionaryStoreError';
}

export interface DictionaryStoreOptions {
  /** Tests give each case its own database. */
  name?: string;
  limits?: YomitanLimits;
  now?: () => number;
  newId?: () => string;
}

export interface DictionaryStore {
  /** Checks the whole file, then stores it in one transaction; rejects (DictionaryRefused or DictionaryStoreError) with nothing changed. */
  importDictionary(bytes: Uint8Array, onProgress?: ImportProgress): Promise<DictionaryRecord>;
  /** In the learner's order. */
  listDictionaries(): Promise<DictionaryRecord[]>;
  removeDictionary(id: string): Promise<void>;
  /** The learner's new order: `ids` first in this order, any others after them as they were. */
  reorderDictionaries(ids: readonly string[]): Promise<DictionaryRecord[]>;
  /** Entries for these forms of a word (the word as written, its base forms), by term or reading, in the learner's dictionary order. */
  lookupImported(terms: readonly string[]): Promise<ImportedEntry[]>;
  /**
   * The first imported frequency list (in the learner's order) whose terms are in `language`,
   * as a ranked word list (lib/vocabulary.ts's FrequencyList: `createLexicon` turns it into
   * the ranks difficulty is judged by); undefined when none is.
   */
  frequencyRanks(language: string): Promise<{ dictionary: { id: string; title: string }; list: FrequencyList } | undefined>;
  /** Removes every imported dictionary ("Delete everything"). */
  clear(): Promise<void>;
  close(): void;
}

/** At most this many forms of a word are looked up at once. */
const MAX_QUERY_FORMS = 16;
/** Chunks read per form and index: a form's rows sit in one chunk or a few. */
const MAX_CHUNKS_PER_FORM = 32;

export function createDictionaryStore(options: DictionaryStoreOptions = {}): DictionaryStore {
  const name = options.name ?? DICTIONARY_DB_NAME;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  let opening: Promise<DictionaryDatabase> | undefined;

  /** One connection, opened on first use and again after the browser or a newer version closed it. */
  function db(): Promise<DictionaryDatabase> {
    opening ??= openDictionaryDatabase(name, () => (opening = undefined)).catch((e: unknown) => {
      opening = undefined;
      throw e;
    });
    return opening;
  }

  return {
    async importDictionary(bytes, onProgress) {
      const dictionary = await readYomitanZip(bytes, limits, (done, total) => onProgress?.({ stage: 'checking', done, total }));
      return storeDictionary(await db(), dictionary, { id: newId(), importedAt: now() }, onProgress);
    },

    async listDictionaries() {
      return sortByOrder(await (await db()).getAll('dictionaries'));
    },

    async removeDictionary(id) {
      const tx = (await db()).transaction(STORES, 'readwrite');
      await Promise.all([tx.objectStore('dictionaries').delete(id), tx.objectStore('terms').delete(rowsOf(id)), tx.objectStore('frequencies').delete(rowsOf(id)), tx.done]);
    },

    async reorderDictionaries(ids) {
      const tx = (await db()).transaction('dictionaries', 'readwrite');
      const all = sortByOrder(await tx.store.getAll());
      const position = new Map(ids.map((id, i) => [id, i]));
      const ordered = [...all].sort((a, b) => (position.get(a.id) ?? ids.length + a.order) - (position.get(b.id) ?? ids.length + b.order));
      const writes = ordered.map((d, order) => (d.order === order ? undefined : tx.store.put({ ...d, order })));
      await Promise.all([...writes, tx.done]);
      return ordered.map((d, order) => ({ ...d, order }));
    },

    async lookupImported(terms) {
      const forms = [...new Set(terms.flatMap((t) => [t.trim(), t.trim().toLowerCase()]).filter((t) => t.length > 0))].slice(0, MAX_QUERY_FORMS);
      if (forms.length === 0) return [];
      const tx = (await db()).transaction(['dictionaries', 'terms'], 'readonly');
      const dictionaries = new Map((await tx.objectStore('dictionaries').getAll()).map((d) => [d.id, d]));
      const index = (which: 'by-term' | 'by-reading') => tx.objectStore('terms').index(which);
      const found = new Map<string, { row: TermRow; dictionaryId: string; n: number; form: number }>();
      for (let form = 0; form < forms.length; form++) {
        const word = forms[form]!;
        const [byTerm, byReading] = await Promise.all([index('by-term').getAll(word, MAX_CHUNKS_PER_FORM), index('by-reading').getAll(word, MAX_CHUNKS_PER_FORM)]);
        for (const chunk of [...byTerm, ...byReading]) {
          if (!dictionaries.has(chunk.dictionaryId)) continue;
          chunk.rows.forEach((row, i) => {
            if ((row.term !== word && row.reading !== word) || row.definitions.length === 0) return;
            const n = chunk.chunk * CHUNK_ROWS + i;
            const key = `${chunk.dictionaryId}\u0000${n}`;
            if (!found.has(key)) found.set(key, { row, dictionaryId: chunk.dictionaryId, n, form });
          });
        }
      }
      await tx.done;
      const orderOf = (id: string) => dictionaries.get(id)!.order;
      return [...found.values()]
        .sort((a, b) => orderOf(a.dictionaryId) - orderOf(b.dictionaryId) || a.form - b.form || b.row.score - a.row.score || a.n - b.n)
        .slice(0, LIMITS.importedEntries)
        .map(({ row, dictionaryId }) => entryOf(row, dictionaries.get(dictionaryId)!));
    },

    async frequencyRanks(language) {
      const database = await db();
      const candidates = sortByOrder(await database.getAll('dictionaries')).filter((d) => d.counts.frequencies > 0 && d.sourceLanguage !== undefined && sameLanguage(d.sourceLanguage, language));
      const chosen = candidates[0];
      if (!chosen) return undefined;
      const rows = (await database.getAll('frequencies', rowsOf(chosen.id))).flatMap((c) => c.rows);
      return { dictionary: { id: chosen.id, title: chosen.title }, list: frequencyListOf(rows, chosen.frequencyMode, language) };
    },

    async clear() {
      const tx = (await db()).transaction(STORES, 'readwrite');
      await Promise.all([...STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
    },

    close() {
      void opening?.then((d) => d.close(), () => undefined);
      opening = undefined;
    },
  };
}

/** Every chunk of one dictionary in `terms` or `frequencies`. */
function rowsOf(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
}

function sortByOrder(list: DictionaryRecord[]): DictionaryRecord[] {
  return list.sort((a, b) => a.order - b.order || a.importedAt - b.importedAt);
}

/** Texts cut to what one look-up answer may carry (lib/protocol.ts's ImportedEntryOut). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function entryOf(row: TermRow, dictionary: DictionaryRecord): ImportedEntry {
  const entry: ImportedEntry = {
    dictionary: { id: dictionary.id, title: clip(dictionary.title, 300) },
    term: clip(row.term, 200),
    definitions: row.definitions.slice(0, 50).map((d) => clip(d, LIMITS.gloss)),
    tags: row.tags.slice(0, 50).map((t) => clip(t, 100)),
  };
  if (row.reading !== undefined) entry.reading = clip(row.reading, 200);
  return entry;
}

/**
 * Writes a checked dictionary in one transaction (replacing one of the same title); on any
 * failure the transaction is aborted and nothing is changed. Exported for tests, which make a
 * write fail on purpose.
 */
export async function storeDictionary(
  database: DictionaryDatabase,
  dictionary: YomitanDictionary,
  identity: { id: string; importedAt: number },
  onProgress?: ImportProgress,
): Promise<DictionaryRecord> {
  const { info, terms, frequencies } = dictionary;
  const id = identity.id;
  const tx = database.transaction(STORES, 'readwrite');
  const pending: Promise<unknown>[] = [];
  let record: DictionaryRecord | undefined;
  try {
    const metas = tx.objectStore('dictionaries');
    const existing = await metas.getAll();
    const replaced = existing.find((d) => d.title === info.title);
    if (replaced) pending.push(metas.delete(replaced.id), tx.objectStore('terms').delete(rowsOf(replaced.id)), tx.objectStore('frequencies').delete(rowsOf(replaced.id)));
    record = {
      id,
      title: info.title,
      revision: info.revision,
      format: info.format,
      counts: { terms: terms.length, frequencies: frequencies.length, kanji: info.kanjiCount },
      order: replaced ? replaced.order : existing.reduce((max, d) => Math.max(max, d.order + 1), 0),
      importedAt: identity.importedAt,
    };
    for (const field of ['sourceLanguage', 'targetLanguage', 'author', 'attribution', 'frequencyMode'] as const) {
      if (info[field] !== undefined) (record as unknown as Record<string, unknown>)[field] = info[field];
    }
    pending.push(metas.put(record));

    const termRows = terms.map((t): TermRow => {
      const row: TermRow = { term: t.term, definitions: t.definitions, tags: t.tags, score: t.score };
      if (t.reading) row.reading = t.reading;
      return row;
    });
    const termChunks = chunksOf(id, termRows, (r) => r.definitions.reduce((sum, d) => sum + d.length, 0));
    const frequencyChunks = chunksOf(id, frequencies.map((f) => ({ ...f })), () => 0);
    const total = terms.length + frequencies.length;
    let done = 0;
    const wrote = (rows: number) => () => {
      done += rows;
      onProgress?.({ stage: 'writing', done, total });
    };
    const termStore = tx.objectStore('terms');
    for (const chunk of termChunks) pending.push(termStore.put(chunk).then(wrote(chunk.rows.length)));
    const frequencyStore = tx.objectStore('frequencies');
    for (const chunk of frequencyChunks) pending.push(frequencyStore.put(chunk).then(wrote(chunk.rows.length)));
    // Every request is issued at once and all are awaited: one failing aborts the transaction.
    await Promise.all([...pending, tx.done]);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already aborted by the failed request
    }
    // The other requests fail with the abort: their rejections are this one failure.
    await Promise.allSettled([...pending, tx.done]);
    throw new DictionaryStoreError(`Nothing was changed: the dictionary could not be saved (${describeError(e)}).`);
  }
  return record;
}

/** Rows in chunks of at most CHUNK_ROWS rows and about CHUNK_CHARS characters of text, each with its distinct terms and readings. */
function chunksOf<Row extends { term: string; reading?: string }>(dictionaryId: string, rows: readonly Row[], chars: (row: Row) => number): Chunk<Row>[] {
  const chunks: Chunk<Row>[] = [];
  let current: Row[] = [];
  let size = 0;
  const close = () => {
    if (current.length === 0) return;
    const readings = current.flatMap((r) => (r.reading ? [r.reading] : []));
    chunks.push({ dictionaryId, chunk: chunks.length, terms: [...new Set(current.map((r) => r.term))], readings: [...new Set(readings)], rows: current });
    current = [];
    size = 0;
  };
  for (const row of rows) {
    current.push(row);
    size += chars(row);
    if (current.length >= CHUNK_ROWS || size >= CHUNK_CHARS) close();
  }
  close();
  return chunks;
}
