/**
 * What the learner enters under Settings -> Sync, and what the settings page and the popup say
 * about it: the server address checked (http or https only; the origin is the one host the
 * extension asks access to), this device's stored link to the server, and the last sync's
 * time and result as one line, or what went wrong in words the learner can act on.
 *
 * The stored link holds the password (app token) and the passphrase: sync runs on an alarm,
 * with no one there to type them. It lives only in this device's database, never in a backup
 * (platform/sync/device-keys.ts), and travels only to the server it names.
 */
import * as v from 'valibot';
import { DEVICE_ID } from './sync-remote';
import type { SyncErrorCode } from './sync-error';

export const SYNC_LIMITS = { url: 2000, user: 500, password: 2000, passphrase: 2000, minPassphrase: 8 } as const;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

/** The server address, or why it cannot be one. */
export function parseSyncAddress(input: string): { ok: true; url: string; origin: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: 'The server address is not a web address: it starts with https://' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'The server address starts with https:// (or http:// on your own network).' };
  // lib/connect-policy.ts lets plain http reach this computer only: elsewhere the password would cross the network unencrypted.
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.includes(url.hostname)) return { ok: false, error: 'Use an https:// address: over plain http:// your password would cross the network unencrypted (http:// works only for a server on this computer).' };
  if (url.username || url.password) return { ok: false, error: 'Put the user name and password in their own fields, not in the address.' };
  url.hash = '';
  url.search = '';
  const href = url.href.endsWith('/') ? url.href : url.href + '/';
  return { ok: true, url: href, origin: url.origin };
}

/** How the last sync went. */
export const SyncOutcomeSchema = v.strictObject({
  at: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  ok: v.boolean(),
  line: v.string(),
});
export type SyncOutcome = v.InferOutput<typeof SyncOutcomeSchema>;

/** This device's link to the learner's server, as stored (`kv` "syncConfig"). */
export const SyncConfigSchema = v.strictObject({
  version: v.literal(1),
  url: v.pipe(v.string(), v.maxLength(SYNC_LIMITS.url)),
  user: v.pipe(v.string(), v.maxLength(SYNC_LIMITS.user)),
  password: v.pipe(v.string(), v.maxLength(SYNC_LIMITS.password)),
  passphrase: v.pipe(v.string(), v.maxLength(SYNC_LIMITS.passphrase)),
  /** This device's name in the account's files (a new one each time sync is turned on). */
  device: v.pipe(v.string(), v.regex(DEVICE_ID)),
  last: v.nullable(SyncOutcomeSchema),
});
export type SyncConfig = v.InferOutput<typeof SyncConfigSchema>;

export function readSyncConfig(value: unknown): SyncConfig | null {
  const parsed = v.safeParse(SyncConfigSchema, value);
  return parsed.success ? parsed.output : null;
}

/** What the settings page shows; never the password or the passphrase. */
export interface SyncStatus {
  configured: boolean;
  url: string | null;
  user: string | null;
  last: SyncOutcome | null;
}

export function syncStatusOf(config: SyncConfig | null): SyncStatus {
  if (!config) return { configured: false, url: null, user: null, last: null };
  return { configured: true, url: config.url, user: config.user, last: config.last };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The result line of a sync that completed. */
export function syncResultLine(report: { merged: number; uploaded: number | null; refused: readonly unknown[] }): string {
  const parts = [
    report.merged > 0 ? `${plural(report.merged, 'update', 'updates')} from your other devices merged` : 'nothing new from your other devices',
    report.uploaded !== null ? 'this device’s changes sent' : 'nothing new to send',
  ];
  if (report.refused.length > 0) parts.push(`${plural(report.refused.length, 'damaged file', 'damaged files')} on the server left out`);
  const line = parts.join('; ');
  return line.charAt(0).toUpperCase() + line.slice(1) + '.';
}

/** What the learner reads when a sync failed, by cause. A failure never rolls local data back (what was merged before it stays merged). */
export function syncFailureLine(code: SyncErrorCode | null, message: string): string {
  switch (code) {
    case 'wrong-passphrase':
      return 'Wrong sync passphrase: nothing was merged. Enter the passphrase you chose on your other devices.';
    case 'unauthorized':
      return 'The server refused the sign-in (401): check the user name and password (app token).';
    case 'forbidden':
      return 'The server does not let this account use the sync folder (403): check the user and password, and the folder’s sharing.';
    case 'insufficient-storage':
      return 'The server is full (507): free some space there, then sync again.';
    case 'unreachable':
      return 'The server could not be reached: check the address and your connection. Sync tries again later.';
    case 'corrupt':
      return 'A file on the server is damaged or is not this account’s: it was not merged. Your data here is unchanged.';
    case 'newer-version':
      return 'The server holds data from a newer version of the extension: update it on this device, then sync again.';
    case 'server':
      return `The server answered with an error: ${message}`;
    default:
      return `Sync failed: ${message}`;
  }
}

/**
 * How long ago `at` was, as a count of the largest unit that fits, for
 * Intl.RelativeTimeFormat ("5 minutes ago", "yesterday"). Under a minute is 0 seconds ("now").
 */
export function syncAge(at: number, now: number): { value: number; unit: 'second' | 'minute' | 'hour' | 'day' } {
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  // Zero seconds reads "now"; zero minutes would read "this minute".
  if (minutes === 0) return { value: 0, unit: 'second' };
  if (minutes < 60) return { value: minutes, unit: 'minute' };
  if (minutes < 24 * 60) return { value: Math.floor(minutes / 60), unit: 'hour' };
  return { value: Math.floor(minutes / (24 * 60)), unit: 'day' };
}
