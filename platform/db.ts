/**
 * Where the learner's data is kept: one IndexedDB database, opened through `idb`, with a
 * versioned schema and an ordered list of migrations.
 *
 * Every context of the extension (background, offscreen document, popup, review page) shares
 * this database because they share the extension's origin; the background is the only writer
 * of learner state, so that concurrent writers cannot lose each other's updates.
 *
 * Migrations are append-only: migration N turns a version N-1 database into version N. A
 * learner's database of any earlier version opens after an upgrade (tested by building the
 * database with the first k migrations only, filling it, and upgrading).
 */
import type { DailyLoad } from '../lib/load';
import type { LeftOutReason } from '../lib/page-notice';
import type { HighlightOut, PageNoticeOut } from '../lib/protocol';
import type { LookupRecord } from '../lib/lookup';
import { recordsOf, type ReplayKey, type ReplayRecord } from '../lib/replay';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

export const DB_NAME = 'attention-reader';

/** A record of which paragraphs a page had when it was last read. */
export interface PageRecord {
  url: string;
  title: string;
  lang: string;
  lastVisited: number;
  paragraphIds: string[];
  /** The last choice of highlights on this page, with the reasons given. */
  highlights?: Array<HighlightOut & { text: string }>;
  /** The page's line: structured since reasons were kept; a plain string in records from before. */
  notice?: PageNoticeOut | string | null;
  /** Passages not highlighted and why (absent in records from before reasons were kept). */
  leftOut?: Array<{ id: string; reason: LeftOutReason; line: string }>;
}

/** One paragraph as last judged; keyed by content hash, so it is shared across URLs. */
export interface ParagraphRecord {
  id: string;
  text: string;
  lang: string;
  firstSeen: number;
  lastSeen: number;
  lastUrl: string;
  gainBits: number;
  fit: number;
  loadMinutes: number;
  difficultyFactor: number;
  scorer: 'encoder' | 'lexical';
}

export interface EmbeddingRecord {
  /** `${encoderId}:${contentHash}` */
  key: string;
  vector: Float32Array;
  at: number;
}

/**
 * An acknowledged learner event. The event id is chosen by the sender; storing it under
 * that id is what makes a retried message apply once.
 */
export interface EventRecord {
  eventId: string;
  kind: 'feedback' | 'dwell' | 'save' | 'review' | 'word';
  at: number;
  day: string;
  paragraphId: string | null;
  data: Record<string, unknown>;
}

/** Today's load, budget and reading record: lib/load.ts's DailyLoad, keyed by day. */
export type DailyRecord = DailyLoad;

/** Singletons: learner profile, settings, the relevance head, counters. */
export interface KeyValueRecord {
  key: string;
  value: unknown;
}

export interface SnippetRecord {
  id: string;
  [field: string]: unknown;
}

export interface CardRecord {
  id: string;
  snippetId: string;
  due: number;
  suspended: boolean;
  [field: string]: unknown;
}

export interface ReviewLogRecord {
  id: string;
  cardId: string;
  at: number;
  [field: string]: unknown;
}

export interface ReaderDB extends DBSchema {
  pages: { key: string; value: PageRecord; indexes: { 'by-visited': number } };
  paragraphs: { key: string; value: ParagraphRecord };
  embeddings: { key: string; value: EmbeddingRecord };
  events: { key: string; value: EventRecord; indexes: { 'by-day': string; 'by-paragraph': string } };
  daily: { key: string; value: DailyRecord };
  kv: { key: string; value: KeyValueRecord };
  snippets: { key: string; value: SnippetRecord };
  cards: { key: string; value: CardRecord; indexes: { 'by-due': number; 'by-snippet': string } };
  reviewLogs: { key: string; value: ReviewLogRecord; indexes: { 'by-card': string; 'by-time': number } };
  /** The relevance head's replay examples (lib/replay.ts); the rest of the head is `kv`'s "head". */
  replay: { key: ReplayKey; value: ReplayRecord };
  /** The learner's dictionary look-ups (lib/lookup.ts), one record per look-up. */
  lookups: { key: string; value: LookupRecord; indexes: { 'by-time': number } };
}

export type ReaderDatabase = IDBPDatabase<ReaderDB>;
export type StoreName = StoreNames<ReaderDB>;
type UpgradeTx = IDBPTransaction<ReaderDB, StoreName[], 'versionchange'>;

/**
 * Migration i (0-based) upgrades a database of version i to version i + 1. A step may be
 * asynchronous (read records, then write them elsewhere); every step runs inside the one
 * versionchange transaction, so a step that fails undoes all of them.
 */
export type Migration = (db: ReaderDatabase, tx: UpgradeTx) => void | Promise<void>;

export const MIGRATIONS: ReadonlyArray<Migration> = [
  // 1: reading: pages, paragraphs, the embedding cache, learner events, daily load, singletons.
  (db) => {
    db.createObjectStore('pages', { keyPath: 'url' }).createIndex('by-visited', 'lastVisited');
    db.createObjectStore('paragraphs', { keyPath: 'id' });
    db.createObjectStore('embeddings', { keyPath: 'key' });
    const events = db.createObjectStore('events', { keyPath: 'eventId' });
    events.createIndex('by-day', 'day');
    db.createObjectStore('daily', { keyPath: 'day' });
    db.createObjectStore('kv', { keyPath: 'key' });
  },
  // 2: remembering: snippets, cards and their review logs; events get a per-paragraph index
  // so that "why was this highlighted?" can find the learner's feedback on a passage.
  (db, tx) => {
    db.createObjectStore('snippets', { keyPath: 'id' });
    const cards = db.createObjectStore('cards', { keyPath: 'id' });
    cards.createIndex('by-due', 'due');
    cards.createIndex('by-snippet', 'snippetId');
    const logs = db.createObjectStore('reviewLogs', { keyPath: 'id' });
    logs.createIndex('by-card', 'cardId');
    logs.createIndex('by-time', 'at');
    tx.objectStore('events').createIndex('by-paragraph', 'paragraphId');
  },
  // 3: the relevance head's replay buffer gets a store of its own, one record per example.
  // In `kv` it made every page read and every feedback rewrite up to 1,000 embeddings (4.7 MB
  // of structured clone at 512 dimensions); now a page read rewrites the head's core alone
  // (about 140 KB with 22 prototypes) and a label adds a 2 KB record, deleting the evicted one.
  async (db, tx) => {
    db.createObjectStore('replay', { keyPath: 'key' });
    const kv = tx.objectStore('kv');
    // The key as version 2 wrote it (a migration describes the data of its own time).
    const stored = await kv.get('head');
    const head = stored?.value as { replay?: unknown } | undefined;
    if (!head || !Array.isArray(head.replay)) return;
    const { replay, ...core } = head;
    const replayStore = tx.objectStore('replay');
    await Promise.all([...recordsOf(replay).map((r) => replayStore.put(r)), kv.put({ key: 'head', value: core })]);
  },
  // 4: the learner's dictionary look-ups, newest first by time; nothing else changes.
  (db) => {
    db.createObjectStore('lookups', { keyPath: 'id' }).createIndex('by-time', 'at');
  },
];

export const DB_VERSION = MIGRATIONS.length;

export const ALL_STORES: readonly StoreName[] = [
  'pages', 'paragraphs', 'embeddings', 'events', 'daily', 'kv', 'snippets', 'cards', 'reviewLogs', 'replay', 'lookups',
];

export class StorageError extends Error {
  override name = 'StorageError';
}

export interface OpenOptions {
  /** Tests give each case its own database. */
  name?: string;
  /** Open at an older version (tests of migrations only). */
  version?: number;
  /** Another list of migrations (tests of failing upgrades only). */
  migrations?: ReadonlyArray<Migration>;
  /**
   * Called when this connection closes itself (a newer version wants to upgrade, the data is
   * being deleted) or the browser closes it (storage cleared): a holder of the connection
   * opens a new one next time instead of failing on a closed one.
   */
  onClosed?: () => void;
}

/** Why an upgrade failed, kept by the upgrade callback for the open's rejection to report. */
interface UpgradeFailure {
  step: number;
  from: number;
  to: number;
  error: unknown;
}

/**
 * Opens (creating or upgrading) the database. Rejects with a StorageError that says what to
 * do when another page holds an older version open, instead of hanging; and, when an upgrade
 * fails, which step failed and that the database was left as it was.
 */
export function openReaderDB(options: OpenOptions = {}): Promise<ReaderDatabase> {
  const migrations = options.migrations ?? MIGRATIONS;
  const version = options.version ?? migrations.length;
  if (!globalThis.indexedDB) return Promise.reject(new StorageError('IndexedDB is not available in this context'));
  return new Promise<ReaderDatabase>((resolve, reject) => {
    let failure: UpgradeFailure | undefined;
    let blocked = false;
    openDB<ReaderDB>(options.name ?? DB_NAME, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        // All steps run inside one versionchange transaction: aborting it on any failure
        // (a throw here, a rejected step, a failed request) rolls every step back and the
        // database stays at its old version with its old records.
        const to = newVersion ?? version;
        // An aborted upgrade is reported by the open's rejection below, not as an unhandled one.
        tx.done.catch(() => undefined);
        const fail = (step: number, error: unknown) => {
          failure = { step, from: oldVersion, to, error };
          try {
            tx.abort();
          } catch {
            // already aborted by the failed request
          }
        };
        // Synchronous steps run at once and asynchronous ones in order after each other.
        // No step may wait on anything but this transaction's own requests: the transaction
        // commits as soon as it has nothing left to do.
        const run = (v: number): void => {
          for (; v < to; v++) {
            let pending: void | Promise<void>;
            try {
              pending = migrations[v]!(db, tx);
            } catch (error) {
              return fail(v + 1, error);
            }
            if (pending instanceof Promise) {
              const step = v;
              pending.then(() => run(step + 1), (error: unknown) => fail(step + 1, error));
              return;
            }
          }
        };
        run(oldVersion);
      },
      blocked() {
        blocked = true;
        reject(new StorageError('The reading database is held open at an older version by another extension page; close other extension tabs and retry.'));
      },
      blocking(_current, _next, event) {
        // A newer version of the extension wants to upgrade: let it, instead of blocking it.
        (event.target as IDBDatabase).close();
        options.onClosed?.();
      },
      terminated() {
        options.onClosed?.();
      },
    }).then(
      (db) => {
        // Opened after all, once the other page let go; the caller was already told to retry,
        // so this connection is not handed out, and closed so that it blocks nobody.
        if (blocked) db.close();
        else resolve(db);
      },
      (e: unknown) => reject(new StorageError(failure ? upgradeMessage(failure) : `Could not open the reading database: ${describe(e)}`)),
    );
  });
}

function upgradeMessage(f: UpgradeFailure): string {
  return (
    `Upgrading the reading database from version ${f.from} to ${f.to} failed at step ${f.step} (${describe(f.error)}). ` +
    `Nothing was changed: the database is still at version ${f.from} with all its data.`
  );
}

export function isQuotaExceeded(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
}

export function describe(e: unknown): string {
  if (isQuotaExceeded(e)) {
    return 'the browser has no more storage space for this extension (free disk space, or export and delete old data)';
  }
  return e instanceof Error ? e.message : String(e);
}
