/**
 * This device's link to the learner's sync server, over the database: turning sync on
 * (storing the address, user, password or app token and passphrase, `kv` "syncConfig"), one
 * sync with the stored link (platform/sync/sync-now.ts) and its outcome kept for the
 * settings page, and stopping (the link, its credentials and the sync state are forgotten;
 * the learner's data stays as it is).
 *
 * Syncs of one device never overlap: a sync asked for while one runs (the alarm and the
 * learner's "Sync now" at once) waits for it and then runs, so what changed meanwhile is sent.
 */
import { isSyncError } from '../../lib/sync-error';
import { parseSyncAddress, readSyncConfig, syncFailureLine, syncResultLine, syncStatusOf, type SyncConfig, type SyncStatus } from '../../lib/sync-settings';
import { createWebDavClient } from '../../lib/webdav';
import type { ReaderDatabase } from '../db';
import { SYNC_CONFIG_KEY, SYNC_OUTBOX_KEY, SYNC_STATE_KEY } from './device-keys';
import { syncNow } from './sync-now';

export interface SyncLinkDeps {
  db(): Promise<ReaderDatabase>;
  now(): number;
  /** Random ids (device names, event ids). */
  randomId(): string;
  fetch?: typeof fetch;
  /** PBKDF2 iterations when a sync sets an account up; tests use fewer. */
  iterations?: number;
}

export interface SyncSettingsInput {
  url: string;
  user: string;
  password: string;
  passphrase: string;
}

export class SyncRefused extends Error {
  override name = 'SyncRefused';
}

async function readConfig(db: ReaderDatabase): Promise<SyncConfig | null> {
  return readSyncConfig((await db.get('kv', SYNC_CONFIG_KEY))?.value);
}

export async function syncStatus(deps: SyncLinkDeps): Promise<SyncStatus> {
  return syncStatusOf(await readConfig(await deps.db()));
}

/** Stores the link (a new device name, a fresh sync state); the first sync is `runSync`'s. */
export async function configureSync(deps: SyncLinkDeps, input: SyncSettingsInput): Promise<SyncStatus> {
  const address = parseSyncAddress(input.url);
  if (!address.ok) throw new SyncRefused(address.error);
  if (input.passphrase.length < 8) throw new SyncRefused('The sync passphrase needs at least 8 characters.');
  const config: SyncConfig = {
    version: 1,
    url: address.url,
    user: input.user,
    password: input.password,
    passphrase: input.passphrase,
    device: `d-${deps.randomId().toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24)}`,
    last: null,
  };
  const db = await deps.db();
  const tx = db.transaction('kv', 'readwrite');
  // The state of another account (or of this one under an old device name) must not be merged here.
  await tx.objectStore('kv').delete(SYNC_STATE_KEY);
  await tx.objectStore('kv').delete(SYNC_OUTBOX_KEY);
  await tx.objectStore('kv').put({ key: SYNC_CONFIG_KEY, value: config });
  await tx.done;
  return syncStatusOf(config);
}

export async function stopSync(deps: SyncLinkDeps): Promise<SyncStatus> {
  const db = await deps.db();
  const tx = db.transaction('kv', 'readwrite');
  for (const key of [SYNC_CONFIG_KEY, SYNC_STATE_KEY, SYNC_OUTBOX_KEY]) await tx.objectStore('kv').delete(key);
  await tx.done;
  return syncStatusOf(null);
}

async function syncOnce(deps: SyncLinkDeps): Promise<SyncStatus> {
  const db = await deps.db();
  const config = await readConfig(db);
  if (!config) throw new SyncRefused('Sync is not turned on: enter your server under Settings → Sync.');
  const now = deps.now();
  let last;
  try {
    const client = createWebDavClient({ baseUrl: config.url, user: config.user, password: config.password, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    const report = await syncNow({ db, client, passphrase: config.passphrase, device: config.device, now, newId: deps.randomId, ...(deps.iterations ? { iterations: deps.iterations } : {}) });
    last = { at: now, ok: true, line: syncResultLine(report) };
  } catch (e) {
    const code = isSyncError(e) ? e.code : null;
    last = { at: now, ok: false, line: syncFailureLine(code, e instanceof Error ? e.message : String(e)) };
  }
  // Stopped or set up again while this sync ran: that link's outcome is not this one's.
  const tx = db.transaction('kv', 'readwrite');
  const current = readSyncConfig((await tx.objectStore('kv').get(SYNC_CONFIG_KEY))?.value);
  const next = current && current.device === config.device ? { ...current, last } : current;
  if (next && next !== current) await tx.objectStore('kv').put({ key: SYNC_CONFIG_KEY, value: next });
  await tx.done;
  return { ...syncStatusOf(next ?? config), last };
}

let running: Promise<unknown> = Promise.resolve();

/** One sync with the stored link; failures are not thrown but kept and answered as the status's line. */
export function runSync(deps: SyncLinkDeps): Promise<SyncStatus> {
  const result = running.then(() => syncOnce(deps));
  running = result.catch(() => undefined);
  return result;
}
