/**
 * Faults for the sync tests: the error code a promise is refused with, and a network whose
 * first upload breaks off half-way because the server goes away.
 */
import { expect } from 'vitest';
import { SyncError, type SyncErrorCode } from '../../lib/sync-error';
import type { TestWebDavServer } from './server';

/** The SyncError code `p` is refused with; fails the test when it resolves or throws anything else. */
export async function syncFailure(p: Promise<unknown>): Promise<SyncErrorCode> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SyncError);
    return (e as SyncError).code;
  }
  throw new Error('expected a SyncError');
}

/**
 * A fetch whose first PUT sends half its body and then stops `server` (the connection breaks
 * off mid-upload); every other request, and every later PUT, goes through untouched.
 */
export function cutFirstUpload(server: TestWebDavServer): typeof fetch {
  let cutting = true;
  return async (input, init) => {
    if (!cutting || init?.method !== 'PUT') return fetch(input, init);
    cutting = false;
    const all = init.body as Uint8Array;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(all.subarray(0, all.length >> 1));
      },
    });
    const pending = fetch(input, { ...init, body: stream, duplex: 'half' } as RequestInit);
    pending.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    await server.stop();
    return pending;
  };
}
