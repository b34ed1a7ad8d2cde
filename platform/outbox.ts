/**
 * At-least-once delivery of learner events from a page to the background.
 *
 * The MV3 service worker may be stopped at any moment, and a message sent while it restarts
 * can fail. Each event carries an id chosen here; the background stores events under that id,
 * so a retried event applies once. An event leaves the outbox only when the background has
 * acknowledged it, i.e. after it was written to IndexedDB.
 */

export interface OutboxOptions<E> {
  deliver(event: E): Promise<void>;
  /** First retry delay; doubles up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?(error: unknown, event: E): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export interface Outbox<E> {
  push(event: E): Promise<void>;
  readonly pending: number;
}

export function createOutbox<E>(options: OutboxOptions<E>): Outbox<E> {
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let pending = 0;

  async function attempt(event: E, delay: number, done: () => void): Promise<void> {
    try {
      await options.deliver(event);
      pending--;
      done();
    } catch (e) {
      options.onError?.(e, event);
      setTimer(() => void attempt(event, Math.min(delay * 2, max), done), delay);
    }
  }

  return {
    push(event) {
      pending++;
      return new Promise<void>((resolve) => void attempt(event, base, resolve));
    },
    get pending() {
      return pending;
    },
  };
}
