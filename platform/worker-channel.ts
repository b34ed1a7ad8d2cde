/**
 * Protocol messages across a dedicated Web Worker's boundary: the offscreen document hands its
 * `encoder.*` and `model.*` messages to a worker that runs the encoder, so the seconds of
 * WebAssembly an embedding takes run on the worker's thread, not on the main thread every
 * extension page (popup, review page, options) shares with the offscreen document.
 *
 * Both sides validate what crosses, as `runtime` messaging does (platform/messaging.ts): the
 * worker checks each request against its protocol schema, the page checks each reply against
 * its response schema.
 *
 * A worker that fails (an uncaught error, a message that cannot be read, a script that does
 * not load) is ended: every call waiting on it fails with the reason at once instead of
 * hanging, and the next call starts a new worker.
 */
import { envelope, parseEnvelope, parseReply, type MessageType, type Reply, type RequestOf, type ResponseOf } from '../lib/protocol';
import type { Handlers } from './messaging';

/** The part of a `Worker` used here, so tests can pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  addEventListener(type: 'messageerror', listener: (event: unknown) => void): void;
}

/** The part of a dedicated worker's global scope used here. */
export interface WorkerScopeLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** A request to the worker: `id` pairs it with its answer. */
interface Call {
  readonly id: number;
  readonly message: unknown;
}

export interface WorkerClient {
  /** Starts the worker now, if none runs (a failure to start is reported by the next call). */
  start(): void;
  call<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>>;
  /** Ends the worker now (if any); calls waiting on it fail, the next call starts a new one. */
  stop(reason: string): void;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The page's side: sends calls to a worker started by `spawn` on first use, and again after it failed. */
export function createWorkerClient(spawn: () => WorkerLike): WorkerClient {
  let worker: WorkerLike | null = null;
  let nextId = 1;
  const pending = new Map<number, { type: MessageType; resolve(value: unknown): void; reject(error: Error): void }>();

  function stop(reason: string): void {
    const failed = worker;
    worker = null;
    failed?.terminate();
    const waiting = [...pending.values()];
    pending.clear();
    for (const call of waiting) call.reject(new Error(reason));
  }

  function receive(data: unknown): void {
    if (!isRecord(data) || typeof data.id !== 'number') return stop('the encoder worker sent a malformed answer');
    const call = pending.get(data.id);
    if (!call) return; // nobody waits for it any more (its worker was replaced): ignore
    pending.delete(data.id);
    const reply = parseReply(call.type, data.reply);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(new Error(reply.error));
  }

  function start(): WorkerLike {
    const started = spawn();
    // Events of a worker already replaced are ignored: they must not end its successor.
    started.addEventListener('message', (event) => {
      if (worker === started) receive(event.data);
    });
    started.addEventListener('error', (event) => {
      if (worker === started) stop(`the encoder worker failed: ${event.message || 'it could not start, or threw'}`);
    });
    started.addEventListener('messageerror', () => {
      if (worker === started) stop('the encoder worker sent an answer that could not be read');
    });
    return started;
  }

  return {
    start() {
      try {
        worker ??= start();
      } catch {
        // The next call tries again and reports why.
      }
    },
    call(type, payload) {
      return new Promise((resolve, reject) => {
        let target: WorkerLike;
        try {
          target = worker ??= start();
        } catch (e) {
          reject(new Error(`the encoder worker could not start: ${e instanceof Error ? e.message : String(e)}`));
          return;
        }
        const id = nextId++;
        pending.set(id, { type, resolve: resolve as (value: unknown) => void, reject });
        target.postMessage({ id, message: envelope(type, payload) } satisfies Call);
      });
    },
    stop,
  };
}

/** The worker's side: answers each call with `handlers`, refusing what does not validate. */
export function serveWorkerCalls<K extends MessageType>(scope: WorkerScopeLike, handlers: Handlers<K>): void {
  const byType = handlers as Record<string, ((payload: unknown, sender: object) => Promise<unknown>) | undefined>;
  scope.onmessage = (event) => {
    const data = event.data;
    if (!isRecord(data) || typeof data.id !== 'number') return; // not a call: nobody can be answered
    const id = data.id;
    void answer(data.message).then((reply) => scope.postMessage({ id, reply }));
  };

  async function answer(message: unknown): Promise<Reply> {
    const parsed = parseEnvelope(message);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const handler = byType[parsed.envelope.type];
    if (!handler) return { ok: false, error: `${parsed.envelope.type} is not answered by the encoder worker` };
    try {
      // Only the offscreen document talks to its worker: the sender is the extension itself.
      return { ok: true, value: (await handler(parsed.envelope.payload, {})) as ResponseOf<MessageType> };
    } catch (e) {
      console.error(`[attention-reader] ${parsed.envelope.type} failed in the encoder worker`, e);
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
}
