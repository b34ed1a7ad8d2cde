import { describe, expect, it, vi } from 'vitest';
import { envelope } from '../lib/protocol';
import { listen, send, type RuntimeLike, type SenderLike } from './messaging';

type Listener = (m: unknown, s: SenderLike) => Promise<unknown> | undefined;

/** A runtime that delivers messages to its listeners the way `runtime.onMessage` does. */
function fakeRuntime(id = 'ext-id') {
  const listeners: Listener[] = [];
  const runtime: RuntimeLike & { deliver(m: unknown, s: SenderLike): Promise<unknown> } = {
    id,
    onMessage: { addListener: (l) => void listeners.push(l), removeListener: (l) => void listeners.splice(listeners.indexOf(l), 1) },
    async sendMessage(m) {
      return runtime.deliver(m, { id });
    },
    async deliver(m, s) {
      for (const l of listeners) {
        const r = l(m, s);
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
  return runtime;
}

describe('listen', () => {
  it('answers a valid message from the extension itself', async () => {
    const rt = fakeRuntime();
    listen(rt, 'background', { ping: async () => ({ ok: true as const }) });
    await expect(send(rt, 'ping', {})).resolves.toEqual({ ok: true });
  });

  it('refuses and counts messages from other senders', async () => {
    const rt = fakeRuntime();
    let called = 0;
    const l = listen(rt, 'background', { ping: async () => (called++, { ok: true as const }) });
    const reply = await rt.deliver(envelope('ping', {}), { id: 'another-extension', url: 'https://evil.example' });
    expect(reply).toMatchObject({ ok: false });
    expect(called).toBe(0);
    expect(l.refused.foreignSender).toBe(1);
  });

  it('refuses and counts invalid payloads without calling the handler', async () => {
    const rt = fakeRuntime();
    let called = 0;
    const l = listen(rt, 'background', { 'feedback.give': async () => (called++, { duplicate: false }) });
    const reply = await rt.deliver({ ...envelope('feedback.give', { eventId: 'e', paragraphId: 'p', kind: 'relevant', url: 'u' }), payload: { kind: 'hack' } }, { id: 'ext-id' });
    expect(reply).toMatchObject({ ok: false });
    expect(called).toBe(0);
    expect(l.refused.invalid).toBe(1);
  });

  it('stays silent for messages addressed to another context and for foreign channels', async () => {
    const rt = fakeRuntime();
    listen(rt, 'background', { ping: async () => ({ ok: true as const }) });
    expect(await rt.deliver(envelope('encoder.status', {}), { id: 'ext-id' })).toBeUndefined();
    expect(await rt.deliver({ hello: 'world' }, { id: 'ext-id' })).toBeUndefined();
  });

  it('turns a handler failure into an error reply that send() throws with its message', async () => {
    const rt = fakeRuntime();
    // The failure is logged where it happened (the expected line, checked and kept out of the test output).
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    listen(rt, 'background', { ping: async () => Promise.reject(new Error('disk full')) });
    await expect(send(rt, 'ping', {})).rejects.toThrow(/disk full/);
    expect(logged).toHaveBeenCalledExactlyOnceWith('[attention-reader] ping failed', expect.objectContaining({ message: 'disk full' }));
    logged.mockRestore();
  });

  it('rejects a reply that does not match the response schema', async () => {
    const rt = fakeRuntime();
    listen(rt, 'background', { ping: async () => ({ ok: 'nope' }) as never });
    await expect(send(rt, 'ping', {})).rejects.toThrow(/invalid reply/);
  });
});
