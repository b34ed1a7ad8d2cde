/**
 * What the Sync section needs from the extension: the `sync.*` messages, and the browser's
 * prompt for host access to the learner's server (asked for that one origin, on the click
 * that turns sync on: browsers show the prompt only during a user gesture).
 */
import type { RequestOf, ResponseOf } from '../../lib/protocol';

export type SyncStatusOut = ResponseOf<'sync.status'>;

export interface SyncApi {
  status(): Promise<SyncStatusOut>;
  /** Asks access to `origin` (e.g. https://cloud.example.org); true when granted. Call it first in a click handler. */
  requestAccess(origin: string): Promise<boolean>;
  configure(input: RequestOf<'sync.configure'>): Promise<SyncStatusOut>;
  syncNow(): Promise<SyncStatusOut>;
  stop(): Promise<SyncStatusOut>;
}

/** The match pattern for the server's host: its scheme and host name (match patterns cover every port). */
export function accessPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

type Send = <T extends 'sync.configure' | 'sync.now' | 'sync.status' | 'sync.stop'>(type: T, payload: RequestOf<T>) => Promise<ResponseOf<T>>;

export function createSyncApi(send: Send, permissions: { request(p: { origins: string[] }): Promise<boolean> }): SyncApi {
  return {
    status: () => send('sync.status', {}),
    requestAccess: (origin) => permissions.request({ origins: [accessPattern(origin)] }),
    configure: (input) => send('sync.configure', input),
    syncNow: () => send('sync.now', {}),
    stop: () => send('sync.stop', {}),
  };
}
