/**
 * The relevance head's replay buffer as stored records: one record per remembered example,
 * so that learning from one label writes one new record (and deletes the one it evicted)
 * instead of rewriting a thousand embeddings.
 *
 * A record is the example itself with its embedding as a Float32Array (4 bytes a number in
 * a structured clone instead of 8-9) and a key that names the example for as long as the
 * head keeps it: [at, id, label, occurrence]. `at` (the update count at arrival) leads, so
 * IndexedDB's key order is the head's arrival order; `occurrence` counts earlier examples
 * of the same head with the same (at, id, label), so two identical-looking examples never
 * share a key whatever lib/head.ts does with `at`.
 *
 * Fields other than the embedding are copied through untouched: a field the head adds to
 * its examples later is stored and read back without a change here.
 */
import type { ReplayExample } from './head';

export type ReplayKey = [at: number, id: string, label: number, occurrence: number];

export type ReplayRecord = Omit<ReplayExample, 'embedding'> & {
  readonly key: ReplayKey;
  readonly embedding: Float32Array;
};

/** What to write to turn the stored buffer `previous` into `next`. */
export interface ReplayDiff {
  put: ReplayRecord[];
  remove: ReplayKey[];
}

/** Keys of the examples of one buffer, in its order. */
export function replayKeys(replay: readonly ReplayExample[]): ReplayKey[] {
  const seen = new Map<string, number>();
  return replay.map((r) => {
    const triple = JSON.stringify([r.at, r.id, r.label]);
    const occurrence = seen.get(triple) ?? 0;
    seen.set(triple, occurrence + 1);
    return [r.at, r.id, r.label, occurrence];
  });
}

export function recordsOf(replay: readonly ReplayExample[]): ReplayRecord[] {
  const keys = replayKeys(replay);
  return replay.map((r, i) => toRecord(r, keys[i]!));
}

function toRecord(example: ReplayExample, key: ReplayKey): ReplayRecord {
  return { ...example, key, embedding: Float32Array.from(example.embedding) };
}

export function exampleOf(record: ReplayRecord): ReplayExample {
  const { key: _key, ...rest } = record;
  return { ...rest, embedding: Array.from(rest.embedding) };
}

/**
 * The head's buffer from its records, in arrival order. Records come back from IndexedDB in
 * key order already; sorting again keeps the order right for records from anywhere else.
 */
export function replayFromRecords(records: readonly ReplayRecord[]): ReplayExample[] {
  return [...records].sort((a, b) => compareKeys(a.key, b.key)).map(exampleOf);
}

function compareKeys(a: ReplayKey, b: ReplayKey): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2] || a[3] - b[3];
}

/**
 * The records to put and the keys to delete so that a store holding `previous` holds `next`.
 * An example kept under the same key is written again only if it changed (compared field by
 * field, the embedding element by element: a float32 round trip of the same value is equal).
 */
export function replayDiff(previous: readonly ReplayExample[], next: readonly ReplayExample[]): ReplayDiff {
  if (previous === next) return { put: [], remove: [] };
  const before = new Map<string, ReplayExample>();
  replayKeys(previous).forEach((key, i) => before.set(JSON.stringify(key), previous[i]!));
  const after = new Set<string>();
  const put: ReplayRecord[] = [];
  replayKeys(next).forEach((key, i) => {
    const id = JSON.stringify(key);
    after.add(id);
    const old = before.get(id);
    const example = next[i]!;
    if (!old || !sameExample(old, example)) put.push(toRecord(example, key));
  });
  const remove = [...before.keys()].filter((id) => !after.has(id)).map((id) => JSON.parse(id) as ReplayKey);
  return { put, remove };
}

function sameExample(a: ReplayExample, b: ReplayExample): boolean {
  if (a === b) return true;
  const fieldsA = Object.keys(a);
  if (fieldsA.length !== Object.keys(b).length) return false;
  return fieldsA.every((f) => {
    const x = (a as unknown as Record<string, unknown>)[f];
    const y = (b as unknown as Record<string, unknown>)[f];
    return f === 'embedding' ? sameVector(a.embedding, b.embedding) : Object.is(x, y) || (Array.isArray(x) && Array.isArray(y) && sameVector(x, y));
  });
}

function sameVector(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    // Compared as float32: the store keeps embeddings as float32, so an example read back
    // from it equals the one the head holds in memory.
    if (!Object.is(x, y) && !(typeof x === 'number' && typeof y === 'number' && Math.fround(x) === Math.fround(y))) return false;
  }
  return true;
}
