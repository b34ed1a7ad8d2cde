/**
 * What can go wrong when the learner's data is synced through their WebDAV server, as one
 * typed error whose `code` the sync loop and the settings page act on, and whose `message`
 * is written for the learner.
 *
 * The codes split into two families. Trouble with a file (`wrong-passphrase`, `corrupt`,
 * `newer-version`): the file is never merged, and the learner's local data is left as it
 * is. Trouble with the server (`unauthorized` ... `unreachable`): nothing was exchanged, or
 * an upload did not complete; retrying later is safe because every upload is idempotent.
 */
export type SyncErrorCode =
  /** The key check in a file does not match the key from this passphrase. */
  | 'wrong-passphrase'
  /** Not a sync file of ours, of another sync account, truncated, or altered. */
  | 'corrupt'
  /** Written by a newer version of the extension, in a format this one cannot read. */
  | 'newer-version'
  /** 401: user name or password (app token) refused. */
  | 'unauthorized'
  /** 403: the account may not read or write there. */
  | 'forbidden'
  /** 507: the server's storage is full. */
  | 'insufficient-storage'
  /** No answer: the server is down, the address wrong, or the device offline. */
  | 'unreachable'
  /** Any other unexpected answer from the server. */
  | 'server';

export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSyncError(e: unknown, code?: SyncErrorCode): e is SyncError {
  return e instanceof SyncError && (code === undefined || e.code === code);
}
