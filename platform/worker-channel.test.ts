import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../lib/protocol';
import type { Handlers } from './messaging';
import { createWorkerClient, serveWorkerCalls, type WorkerLike, type WorkerScopeLike } from './worker-channel';

type Listener = (event: never) => void;

/** A worker and its scope in one process: messages are cloned and delivered on a later task, as a browser does. */
class FakeWorker implements WorkerLike {
  readonly listeners = new Map<string, Listener[]>();
  terminated = false;
  readonly scope: WorkerScopeLike = {
    onmessage: null,
    postMessage: (message) => this.deliver('message', { data: structuredClone(message) }),
  };

  postMessage(message: unknown): void {
    if (this.terminated) return;
    const data = structuredClone(message);
    setTimeout(() => this.scope.onmessage?.({ data }), 0);
  }

  terminate(): void {
    this.terminated = true;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** An event of the worker as the page sees it (also used to make it fail). */
  deliver(type: string, event: object): void {
    if (this.terminated) return;
    setTimeout(() => {
      for (const l of this.listeners.get(type) ?? []) l(event as never);
    }, 0);
  }
}

const vectors = (texts: string[]): ResponseOf<'encoder.embed'> => ({
  encoderId: 'fake',
  backend: 'test',
  dimensions: 1,
  vectors: texts.map((t) => [t.length]),
});

const working: Handlers<'encoder.embed' | 'encoder.status'> = {
  'encoder.embed': async ({ texts }) => vectors(texts),
  'encoder.status': async () => ({ ready: true, encoderId: 'fake', backend: 'test', error: null }),
};

/** A client whose workers are served by `handlers`; `workers` lists every worker it started. */
function setup(handlers: Handlers<'encoder.embed' | 'encoder.status'> = working) {
  const workers: FakeWorker[] = [];
  const client = createWorkerClient(() => {
    const w = new FakeWorker();
    serveWorkerCalls(w.scope, handlers);
    workers.push(w);
    return w;
  });
  return { client, workers };
}

describe('protocol calls to the encoder worker', () => {
  it('answers each call with its own reply, several in flight', async () => {
    const { client, workers } = setup();
    const [a, b, status] = await Promise.all([
      client.call('encoder.embed', { texts: ['ab'] }),
      client.call('encoder.embed', { texts: ['abcd', 'a'] }),
      client.call('encoder.status', {}),
    ]);
    expect(a.vectors).toEqual([[2]]);
    expect(b.vectors).toEqual([[4], [1]]);
    expect(status.ready).toBe(true);
    expect(workers).toHaveLength(1);
  });

  it('starts the worker once, ahead of the first call when asked to', async () => {
    const { client, workers } = setup();
    client.start();
    client.start();
    expect(workers).toHaveLength(1);
    await client.call('encoder.status', {});
    expect(workers).toHaveLength(1);
  });

  it('refuses a request its schema rejects, in the worker, without calling the handler', async () => {
    let called = 0;
    const { client } = setup({ ...working, 'encoder.embed': async ({ texts }) => (called++, vectors(texts)) });
    await expect(client.call('encoder.embed', { texts: 'not a list' } as never)).rejects.toThrow(/invalid encoder\.embed/);
    expect(called).toBe(0);
  });

  it('rejects a reply its schema rejects', async () => {
    const { client } = setup({ ...working, 'encoder.embed': async () => ({ vectors: 'nonsense' }) as never });
    await expect(client.call('encoder.embed', { texts: ['a'] })).rejects.toThrow(/invalid reply to encoder\.embed/);
  });

  it("passes a handler's failure on with its message (the background reads it, e.g. an out-of-memory abort)", async () => {
    const { client } = setup({
      ...working,
      'encoder.embed': async () => {
        throw new Error('RuntimeError: Aborted(OOM)');
      },
    });
    await expect(client.call('encoder.embed', { texts: ['a'] })).rejects.toThrow('RuntimeError: Aborted(OOM)');
  });

  it('refuses a message type the worker does not answer', async () => {
    const { client } = setup();
    await expect(client.call('model.list', {})).rejects.toThrow(/model\.list is not answered/);
  });
});

describe('a failing encoder worker', () => {
  it('fails the calls waiting on it at once, and the next call starts a new worker', async () => {
    const { client, workers } = setup({ ...working, 'encoder.embed': () => new Promise(() => {}) });
    const waiting = [client.call('encoder.embed', { texts: ['a'] }), client.call('encoder.embed', { texts: ['b'] })];
    await new Promise((r) => setTimeout(r, 5));
    workers[0]!.deliver('error', { message: 'Uncaught RangeError: out of memory' });
    for (const call of waiting) await expect(call).rejects.toThrow('the encoder worker failed: Uncaught RangeError: out of memory');
    expect(workers[0]!.terminated).toBe(true);

    expect((await client.call('encoder.status', {})).ready).toBe(true);
    expect(workers).toHaveLength(2);
  });

  it('fails waiting calls when an answer cannot be read, or is not an answer', async () => {
    const { client, workers } = setup({ ...working, 'encoder.embed': () => new Promise(() => {}) });
    const first = client.call('encoder.embed', { texts: ['a'] });
    await new Promise((r) => setTimeout(r, 5));
    workers[0]!.deliver('messageerror', {});
    await expect(first).rejects.toThrow(/could not be read/);

    const second = client.call('encoder.embed', { texts: ['a'] });
    await new Promise((r) => setTimeout(r, 5));
    workers[1]!.deliver('message', { data: 'garbage' });
    await expect(second).rejects.toThrow(/malformed answer/);
    expect(workers.map((w) => w.terminated)).toEqual([true, true]);
  });

  it('ignores the events of a worker it already replaced', async () => {
    const { client, workers } = setup();
    client.start();
    workers[0]!.deliver('error', { message: 'first' });
    await new Promise((r) => setTimeout(r, 5));
    // The replaced worker's late events must not end its successor or its calls.
    const old = workers[0]!;
    old.terminated = false;
    const call = client.call('encoder.status', {});
    old.deliver('error', { message: 'late' });
    expect((await call).ready).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.terminated).toBe(false);
  });

  it('reports a worker that cannot be created, and tries again on the next call', async () => {
    let attempts = 0;
    const client = createWorkerClient(() => {
      attempts++;
      if (attempts === 1) throw new Error('SecurityError: refused');
      const w = new FakeWorker();
      serveWorkerCalls(w.scope, working);
      return w;
    });
    client.start();
    await expect(client.call('encoder.status', {})).resolves.toMatchObject({ ready: true });
    expect(attempts).toBe(2);

    let failing = 0;
    const broken = createWorkerClient(() => {
      failing++;
      throw new Error('SecurityError: refused');
    });
    await expect(broken.call('encoder.status', {})).rejects.toThrow('the encoder worker could not start: SecurityError: refused');
    await expect(broken.call('encoder.status', {})).rejects.toThrow(/could not start/);
    expect(failing).toBe(2);
  });
});
