/**
 * Runs inside an extension page (bundled by tests/e2e/lib/page-bundle.ts, its exports a global
 * of that page), so that the database it touches is the extension's own, in real Chromium
 * IndexedDB. Node imports its types only.
 *
 * It makes a version-2 database as the previous release did, by running the first two of the
 * product's append-only MIGRATIONS through the product's own `openReaderDB`, and fills it with
 * records built by the product's own lib/ functions (head, snippet, cards, FSRS answers), so
 * the data has the shapes version 2 wrote. It also reads the database back without upgrading
 * it, reads the head through `readHeadTx`, and attempts an upgrade whose step 3 fails half-way.
 *
 * Everything handed back to the test crosses the DevTools protocol as JSON, which would turn a
 * Float32Array into a plain object and Infinity into null; `encode` tags such values so that a
 * changed type or a lost special number shows up in the test's comparisons.
 */
import { openDB } from 'idb';
import { DB_NAME, MIGRATIONS, openReaderDB, type Migration, type ReaderDB } from '../../../platform/db';
import { readHeadTx } from '../../../platform/service/state';
import { createHead, update, type HeadState, type PrototypeInput } from '../../../lib/head';
import { createLearner, markWord } from '../../../lib/learner';
import { createBudget, dayKey, newDailyLoad, recordHighlighted, recordRead, recordReview } from '../../../lib/load';
import { seededRandom } from '../../../lib/random';
import { recordsOf } from '../../../lib/replay';
import { cardsFromSnippet, createScheduler } from '../../../lib/review';
import { createSnippet } from '../../../lib/snippet';
import { createTfidf } from '../../../lib/tfidf';

/** A value as it crossed to Node: typed arrays and non-JSON numbers tagged (see `encode`). */
export type Encoded = unknown;

export interface StoreSnapshot {
  version: number;
  stores: Record<string, Encoded[]>;
}

export interface SeededVersionTwo {
  /** The head as version 2 stored it in `kv`, replay examples inside. */
  head: Encoded;
  /** Ids of the seeded cards due at seeding time, and of those not yet due. */
  dueCardIds: string[];
  laterCardIds: string[];
  /** Today's key as the background computes it, and the paragraphs seeded as read today. */
  today: string;
  readToday: number;
  budgetMinutes: number;
}

export interface InterruptedUpgrade {
  /** The open's rejection. */
  name: string;
  message: string;
  /** What the failing step had written before it failed: replay records, and whether it rewrote the head. */
  movedRecords: number;
  rewroteHead: boolean;
}

const DIMS = 512;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function encode(value: unknown): Encoded {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { $number: '-0' };
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { $typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>, encode) };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) return { $class: value.constructor.name, value: String(value) };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function deleteDatabase(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Every connection the product opens closes itself on versionchange; one that did not
    // would leave this pending, so it is reported instead of waited on.
    request.onblocked = () => reject(new Error(`deleting ${DB_NAME} is blocked: a connection to it did not close`));
  });
}

/** The previous release's `openReaderDB`: the first two migrations, version 2. */
function openVersionTwo() {
  return openReaderDB({ version: 2, migrations: MIGRATIONS.slice(0, 2) });
}

function vectors(rand: () => number) {
  return () => Float32Array.from({ length: DIMS }, () => rand() * 2 - 1);
}

/** A head for the bundled encoder that has learnt from a few labels, as version 2 kept it. */
function learntHead(rand: () => number, labels: number): HeadState {
  const vector = vectors(rand);
  const interests: PrototypeInput[] = ['rivers and their bridges', 'city history'].map((text, i) => ({ id: `interest-${i}`, text, embedding: vector() }));
  const contrasts: PrototypeInput[] = ['sports', 'celebrity news', 'shopping'].map((text, i) => ({ id: `contrast-${i}`, text, embedding: vector() }));
  let head = createHead('use-lite-int8', DIMS, interests, { contrasts });
  for (let i = 0; i < labels; i++) {
    head = update(head, { id: `para-${i}`, embedding: vector(), label: i % 3 === 0 ? 1 : 0, weight: i % 4 === 0 ? 2 : 1 });
  }
  return head;
}

export async function seedVersionTwo(seed: number): Promise<SeededVersionTwo> {
  await deleteDatabase();
  const rand = seededRandom(seed);
  const now = Date.now();
  const tz = -new Date(now).getTimezoneOffset();
  const rolloverHour = 4;
  const budgetMinutes = 25;
  const today = dayKey(now, tz, rolloverHour);
  const yesterday = dayKey(now - DAY, tz, rolloverHour);
  const savedAt = now - 3 * DAY;

  // Settings as version 2 wrote them: without the fields added later with defaults.
  const settings = {
    version: 1, targetLang: 'en', nativeLang: 'de', interests: ['rivers and their bridges', 'city history'], budgetMinutes,
    rolloverHour, density: 'many', desiredRetention: 0.88, onboarded: true, reviewNudge: false,
  };
  let learner = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B2', now: savedAt });
  learner = markWord(learner, 'embankment', 'learning', savedAt);
  learner = markWord(learner, 'ferry', 'known', savedAt);
  const head = learntHead(rand, 7);

  const url = 'https://river.example/bridges';
  const passage = 'The old bridge crossed the river at its narrowest point. Ferries carried carts before the embankment was built in 1820.';
  const snippet = createSnippet({ passage, selection: 'embankment', marks: ['embankment', 'bridge'], url, title: 'Bridges of the river', lang: 'en', createdAt: savedAt, paragraphId: 'para-1' });
  const cards = cardsFromSnippet(snippet, savedAt, { tags: ['history'] });
  // One card answered "Easy" the day it was saved (due again well after today), the other never answered (due).
  const answered = createScheduler({ requestRetention: settings.desiredRetention }).rate(cards[0]!, 4, savedAt + HOUR, 9_000);
  const storedCards = [answered.card, ...cards.slice(1)];

  const paragraphs = ['para-1', 'para-2'].map((id, i) => ({
    id, text: i === 0 ? passage : 'Boats still moor below the bridge in summer.', lang: 'en', firstSeen: savedAt, lastSeen: now - HOUR,
    lastUrl: url, gainBits: 1.25 + i, fit: 0.8 - i / 10, loadMinutes: 0.5 + i, difficultyFactor: 1.1, scorer: 'encoder' as const,
  }));
  const embedding = vectors(rand);
  let todayLoad = recordHighlighted(newDailyLoad(today, budgetMinutes), ['para-1', 'para-2']);
  todayLoad = recordRead(todayLoad, 'para-1', 1.5, 0.9);
  todayLoad = recordRead(todayLoad, 'para-2', 2, 1.1);
  const yesterdayLoad = recordReview(recordRead(newDailyLoad(yesterday, budgetMinutes), 'para-1', 3), 0.15);

  const db = await openVersionTwo();
  try {
    const tx = db.transaction(['pages', 'paragraphs', 'embeddings', 'events', 'daily', 'kv', 'snippets', 'cards', 'reviewLogs'], 'readwrite');
    const kv = tx.objectStore('kv');
    await Promise.all([
      kv.put({ key: 'settings', value: settings }),
      kv.put({ key: 'learner', value: learner }),
      kv.put({ key: 'head', value: head }),
      kv.put({ key: 'budget', value: createBudget(budgetMinutes) }),
      kv.put({ key: 'tfidf', value: createTfidf(settings.interests, { lang: 'en' }) }),
      tx.objectStore('pages').put({ url, title: 'Bridges of the river', lang: 'en', lastVisited: now - HOUR, paragraphIds: ['para-1', 'para-2'] }),
      ...paragraphs.map((p) => tx.objectStore('paragraphs').put(p)),
      ...paragraphs.map((p) => tx.objectStore('embeddings').put({ key: `use-lite-int8:${p.id}`, vector: embedding(), at: now - HOUR })),
      tx.objectStore('events').put({ eventId: 'ev-feedback', kind: 'feedback', at: now - 2 * HOUR, day: today, paragraphId: 'para-2', data: { kind: 'relevant', url } }),
      tx.objectStore('events').put({ eventId: 'ev-save', kind: 'save', at: savedAt, day: dayKey(savedAt, tz, rolloverHour), paragraphId: 'para-1', data: { snippetId: snippet.id, url } }),
      tx.objectStore('events').put({ eventId: 'ev-review', kind: 'review', at: savedAt + HOUR, day: dayKey(savedAt + HOUR, tz, rolloverHour), paragraphId: null, data: { cardId: answered.card.id, logId: answered.log.id, nextDue: answered.card.due } }),
      tx.objectStore('daily').put(yesterdayLoad),
      tx.objectStore('daily').put(todayLoad),
      tx.objectStore('snippets').put(snippet as never),
      ...storedCards.map((c) => tx.objectStore('cards').put(c as never)),
      tx.objectStore('reviewLogs').put(answered.log as never),
    ]);
    await tx.done;
  } finally {
    db.close();
  }
  return {
    head: encode(head),
    dueCardIds: storedCards.filter((c) => c.due <= now).map((c) => c.id),
    laterCardIds: storedCards.filter((c) => c.due > now).map((c) => c.id),
    today,
    readToday: todayLoad.read.length,
    budgetMinutes,
  };
}

/** The database as it is (opened without a version, so never upgraded), every store read. */
export async function snapshot(): Promise<StoreSnapshot> {
  const db = await openDB<ReaderDB>(DB_NAME);
  try {
    const stores: Record<string, Encoded[]> = {};
    for (const name of [...db.objectStoreNames].sort()) stores[name] = (await db.getAll(name)).map(encode);
    return { version: db.version, stores };
  } finally {
    db.close();
  }
}

/** The head as the background reads it after the upgrade: core from `kv`, examples from `replay`. */
export async function readHead(): Promise<Encoded> {
  const db = await openDB<ReaderDB>(DB_NAME);
  try {
    return encode((await readHeadTx(db.transaction(['kv', 'replay']))) ?? null);
  } finally {
    db.close();
  }
}

/**
 * Opens with a step 3 that creates the replay store, moves half of the head's examples into
 * it, rewrites the head without them, and then fails, as a crash or full disk mid-upgrade would.
 */
export async function interruptedUpgrade(): Promise<InterruptedUpgrade> {
  let movedRecords = 0;
  let rewroteHead = false;
  const failingStep: Migration = async (db, tx) => {
    const store = db.createObjectStore('replay', { keyPath: 'key' });
    const kv = tx.objectStore('kv');
    const { replay, ...core } = (await kv.get('head'))!.value as HeadState;
    const records = recordsOf(replay);
    for (const record of records.slice(0, Math.ceil(records.length / 2))) {
      await store.put(record);
      movedRecords++;
    }
    await kv.put({ key: 'head', value: core });
    rewroteHead = true;
    throw new Error('disk detached');
  };
  try {
    const db = await openReaderDB({ migrations: [...MIGRATIONS.slice(0, 2), failingStep] });
    db.close();
  } catch (e) {
    const error = e as Error;
    return { name: error.name, message: error.message, movedRecords, rewroteHead };
  }
  throw new Error('the upgrade with a failing step 3 opened the database');
}
