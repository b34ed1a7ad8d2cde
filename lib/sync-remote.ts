/**
 * The sync folder on the learner's WebDAV server: which files it holds, and how a device
 * writes its own and reads the others'. Every file is JSON, deflated, then sealed
 * (lib/sync-crypto.ts) under its own path as label, so the server sees only ciphertext and
 * cannot swap one file for another.
 *
 *   account.arsy                         the account: its header holds the salt; opening it
 *                                        checks the passphrase before anything is merged
 *   segments/<device>/<seq, 8 digits>.arsy   a device's events, numbered 1, 2, 3, ...
 *   snapshots/<time, 15 digits>-<device>.arsy  a compacted state and the segments it covers
 *
 * A device only ever writes its own segment files and never rewrites one with other
 * content: the caller keeps an outgoing segment (and its number) until its upload is
 * confirmed, and retries exactly that segment. Uploads go to a temporary name and are then
 * moved into place (lib/webdav.ts putAtomic), so a reader never merges half a file; a
 * retried upload lands on the same name, so nothing is duplicated.
 *
 * Reading probes forward: for each device folder, the segments after the last one the state
 * covers, until the first that is not there. A segment that cannot be opened stops that
 * device's reading (it is reported, not skipped: skipping would lose its events for good),
 * and the other devices are read on.
 */
import { deflateSync, inflateSync } from 'fflate';
import * as v from 'valibot';
import { deriveSyncKey, newKdfParams, open, readKdfParams, seal, type SyncKey } from './sync-crypto';
import { SyncError, isSyncError } from './sync-error';
import { coveredThrough, makeSnapshot, parseSegment, stateFromSnapshot, type Segment, type SyncState } from './sync-log';
import type { WebDavClient } from './webdav';

export const ACCOUNT_FILE = 'account.arsy';
export const SEGMENTS_FOLDER = 'segments';
export const SNAPSHOTS_FOLDER = 'snapshots';
const FILE_SUFFIX = '.arsy';
/** Snapshots kept on the server: the newest, and one before it in case the newest is being replaced. */
export const SNAPSHOTS_KEPT = 2;
/** A device writes a snapshot once the state covers this many segments more than the newest snapshot. */
export const SNAPSHOT_EVERY_SEGMENTS = 60;
/** Segments requested at once when reading a device's folder. */
const PARALLEL_READS = 8;

const ACCOUNT_FORMAT = 'attention-reader-sync-account';
const AccountSchema = v.object({ format: v.literal(ACCOUNT_FORMAT), version: v.literal(1), createdAt: v.number() });

/** Device ids are chosen by the extension: short, and safe as a folder name. */
export const DEVICE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface SyncAccount {
  readonly client: WebDavClient;
  readonly key: SyncKey;
}

export function segmentPath(device: string, seq: number): string {
  return `${SEGMENTS_FOLDER}/${device}/${String(seq).padStart(8, '0')}${FILE_SUFFIX}`;
}

export function snapshotPath(device: string, at: number): string {
  return `${SNAPSHOTS_FOLDER}/${String(at).padStart(15, '0')}-${device}${FILE_SUFFIX}`;
}

function pack(value: unknown): Uint8Array {
  return deflateSync(new TextEncoder().encode(JSON.stringify(value)), { level: 6 });
}

/** Opens a sealed file into JSON; anything that is not ours, or damaged, is SyncError 'corrupt'. */
async function unpack(key: SyncKey, bytes: Uint8Array, path: string): Promise<unknown> {
  const plain = await open(key, bytes, path);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflateSync(plain)));
  } catch (e) {
    throw new SyncError('corrupt', `The sync file ${path} is damaged; it was not merged.`, { cause: e });
  }
}

function checked<T>(parse: () => T, path: string): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SyncError) throw e;
    throw new SyncError('corrupt', `The sync file ${path} is not in the expected form; it was not merged.`, { cause: e });
  }
}

/**
 * Opens the sync account in the folder, or sets it up when the folder holds none yet. The
 * passphrase is checked here: a wrong one throws SyncError 'wrong-passphrase' before any
 * segment is read.
 */
export async function openAccount(client: WebDavClient, passphrase: string, options: { now: number; iterations?: number }): Promise<SyncAccount> {
  let bytes = await client.get(ACCOUNT_FILE);
  if (!bytes) {
    const key = await deriveSyncKey(passphrase, newKdfParams(options.iterations));
    await client.makeFolders('');
    // Two devices setting up at the same moment: only the first file is kept, and decides the salt for both.
    await client.putAtomic(ACCOUNT_FILE, await seal(key, pack({ format: ACCOUNT_FORMAT, version: 1, createdAt: options.now }), ACCOUNT_FILE), { create: true });
    bytes = await client.get(ACCOUNT_FILE);
    if (!bytes) throw new SyncError('server', 'The sync server did not keep the account file.');
  }
  const key = await deriveSyncKey(passphrase, await readKdfParams(bytes));
  const account = await unpack(key, bytes, ACCOUNT_FILE);
  checked(() => v.parse(AccountSchema, account), ACCOUNT_FILE);
  return { client, key };
}

/** Uploads one of this device's segments; the sealed size in bytes. Safe to retry. */
export async function pushSegment(account: SyncAccount, segment: Segment, folders = new Set<string>()): Promise<number> {
  const path = segmentPath(segment.device, segment.seq);
  const sealed = await seal(account.key, pack(segment), path);
  const folder = `${SEGMENTS_FOLDER}/${segment.device}`;
  if (!folders.has(folder)) {
    await account.client.makeFolders(folder);
    folders.add(folder);
  }
  await account.client.putAtomic(path, sealed);
  return sealed.length;
}

async function readSegment(account: SyncAccount, device: string, seq: number): Promise<Segment | null> {
  const path = segmentPath(device, seq);
  const bytes = await account.client.get(path);
  if (!bytes) return null;
  const data = await unpack(account.key, bytes, path);
  const segment = checked(() => parseSegment(data), path);
  if (segment.device !== device || segment.seq !== seq) throw new SyncError('corrupt', `The sync file ${path} holds another segment; it was not merged.`);
  return segment;
}

export interface PullResult {
  /** New segments, each device's in order. */
  readonly segments: Segment[];
  /** Files that could not be merged, with why; the devices they belong to are read again next time. */
  readonly refused: { path: string; error: SyncError }[];
}

/**
 * The segments of every device that `state` does not cover yet. A wrong passphrase is
 * thrown (nothing from this sync is merged); server failures are thrown too.
 */
export async function pullSegments(account: SyncAccount, state: SyncState): Promise<PullResult> {
  const devices = (await account.client.list(SEGMENTS_FOLDER)).filter((e) => e.isFolder && DEVICE_ID.test(e.name)).map((e) => e.name);
  const segments: Segment[] = [];
  const refused: { path: string; error: SyncError }[] = [];
  for (const device of devices) {
    let next = coveredThrough(state, device) + 1;
    // Most syncs find a segment or two per device: ask for two first, then eight at a time.
    let width = 2;
    reading: for (;;) {
      const batch = Array.from({ length: width }, (_, i) => next + i);
      const results = await Promise.allSettled(batch.map((seq) => readSegment(account, device, seq)));
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if (r.status === 'rejected') {
          if (isSyncError(r.reason, 'corrupt')) {
            refused.push({ path: segmentPath(device, batch[i]!), error: r.reason });
            break reading;
          }
          throw r.reason;
        }
        if (r.value === null) break reading;
        segments.push(r.value);
      }
      next += width;
      width = PARALLEL_READS;
    }
  }
  return { segments, refused };
}

/** Total segments a state covers: how far it has come since a snapshot. */
export function segmentsCovered(state: SyncState): number {
  let n = 0;
  for (const seqs of state.covered.values()) n += seqs.size;
  return n;
}

/** Uploads a snapshot of `state` and removes older ones beyond SNAPSHOTS_KEPT; the sealed size. */
export async function pushSnapshot(account: SyncAccount, state: SyncState, device: string, at: number): Promise<number> {
  const path = snapshotPath(device, at);
  const sealed = await seal(account.key, pack(makeSnapshot(state, device, at)), path);
  await account.client.makeFolders(SNAPSHOTS_FOLDER);
  await account.client.putAtomic(path, sealed);
  const names = (await account.client.list(SNAPSHOTS_FOLDER)).filter((e) => !e.isFolder && e.name.endsWith(FILE_SUFFIX)).map((e) => e.name).sort();
  for (const old of names.slice(0, Math.max(0, names.length - SNAPSHOTS_KEPT))) await account.client.remove(`${SNAPSHOTS_FOLDER}/${old}`);
  return sealed.length;
}

/**
 * The newest snapshot that opens, as a state to start from, or null when there is none. A
 * damaged snapshot is passed over for the one before it (the segments still hold everything).
 */
export async function pullLatestSnapshot(account: SyncAccount): Promise<{ state: SyncState; path: string; refused: { path: string; error: SyncError }[] } | null> {
  const names = (await account.client.list(SNAPSHOTS_FOLDER)).filter((e) => !e.isFolder && e.name.endsWith(FILE_SUFFIX)).map((e) => e.name).sort().reverse();
  const refused: { path: string; error: SyncError }[] = [];
  for (const name of names) {
    const path = `${SNAPSHOTS_FOLDER}/${name}`;
    const bytes = await account.client.get(path);
    if (!bytes) continue;
    try {
      const data = await unpack(account.key, bytes, path);
      return { state: checked(() => stateFromSnapshot(data), path), path, refused };
    } catch (e) {
      if (!isSyncError(e, 'corrupt')) throw e;
      refused.push({ path, error: e });
    }
  }
  return null;
}
