/**
 * At-least-once delivery of learner events from a page to the background.
 *
 * The MV3 service worker may be stopped at any moment, and a message sent while it restarts
 * can fail. Each event carries an id chosen here; the background stores events under that id,
 * so a retried event applies once. An event leaves the outbox only when the background has
 * acknowledged it, i.e. after it was written to IndexedDB, or refused it.
 *
 * Only a failure to deliver is retried (the worker restarting, no listener yet). A refusal
 * (the background answered that the event is invalid, too long, or cannot be stored) would be
 * refused again on every retry: it leaves the outbox at once and `push` rejects with it, so
 * that the learner is told instead of seeing "Saving…" forever.
 */

export interface OutboxOptions<E> {
  deliver(event: E): Promise<void>;
  /** First retry delay; doubles up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?(error: unknown, event: E): void;
  /** Whether a failure may pass if retried; others are final. Default: every failure is retried. */
  isTransient?(error: unknown): boolean;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export interface Outbox<E> {
  /** Resolves once the event is acknowledged; rejects with the refusal if it was refused. */
  push(event: E): Promise<void>;
  readonly pending: number;
}

export function createOutbox<E>(options: OutboxOptions<E>): Outbox<E> {
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const isTransient = options.isTransient ?? (() => true);
  let pending = 0;

  async function attempt(event: E, delay: number, done: () => void, refused: (error: unknown) => void): Promise<void> {
    try {
      await options.deliver(event);
      pending--;
      done();
    } catch (e) {
      if (!isTransient(e)) {
        pending--;
        refused(e);
        return;
      }
      options.onError?.(e, event);
      setTimer(() => void attempt(event, Math.min(delay * 2, max), done, refused), delay);
    }
  }

  return {
    push(event) {
      pending++;
      return new Promise<void>((resolve, reject) => void attempt(event, base, resolve, reject));
    },
    get pending() {
      return pending;
    },
  };
}
