import { describe, expect, it, vi } from 'vitest';
import { SENDERS, envelope } from '../lib/protocol';
import { isTransientFailure, listen, MessageRefused, send, senderContext, type RuntimeLike, type SenderLike } from './messaging';

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

describe('who may send what', () => {
  function runtimeAt(base: string) {
    const rt = fakeRuntime();
    return Object.assign(rt, { getURL: (path: string) => new URL(path, base).href });
  }

  it('tells the extension’s own pages from a content script by the sender’s URL', () => {
    const rt = runtimeAt('chrome-extension://ext-id/');
    expect(senderContext(rt, { id: 'ext-id', url: 'chrome-extension://ext-id/options.html', tab: { id: 1 } })).toBe('extension');
    expect(senderContext(rt, { id: 'ext-id', url: 'chrome-extension://ext-id/background.js' })).toBe('extension');
    expect(senderContext(rt, { id: 'ext-id', url: 'https://example.org/', tab: { id: 1 } })).toBe('page');
    expect(senderContext(rt, { id: 'ext-id', url: 'chrome-extension://ext-id.evil.example/', tab: { id: 1 } })).toBe('page');
    expect(senderContext(runtimeAt('moz-extension://3f2a-uuid/'), { id: 'ext-id', url: 'moz-extension://3f2a-uuid/popup.html' })).toBe('extension');
  });

  it('refuses privileged messages from a content script without calling their handlers, and answers its own', async () => {
    const rt = runtimeAt('chrome-extension://ext-id/');
    const called: string[] = [];
    const l = listen(rt, 'background', {
      'data.deleteAll': async () => (called.push('delete'), { ok: true as const }),
      'settings.get': async () => (called.push('settings'), {}) as never,
      'feedback.give': async () => (called.push('feedback'), { duplicate: false }),
    });
    const page = { id: 'ext-id', url: 'https://example.org/a', tab: { id: 7, url: 'https://example.org/a' } };
    expect(await rt.deliver(envelope('data.deleteAll', { confirm: 'delete everything' }), page)).toEqual({ ok: false, error: 'refused: data.deleteAll is not accepted from a web page' });
    expect(await rt.deliver(envelope('settings.get', {}), page)).toMatchObject({ ok: false });
    expect(await rt.deliver(envelope('feedback.give', { eventId: 'e', paragraphId: 'p', kind: 'relevant', url: 'u' }), page)).toEqual({ ok: true, value: { duplicate: false } });
    expect(called).toEqual(['feedback']);
    expect(l.refused.wrongContext).toBe(2);
    await rt.deliver(envelope('data.deleteAll', { confirm: 'delete everything' }), { id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    expect(called).toEqual(['feedback', 'delete']);
  });

  it('every message names who may send it, and what a web page may send is only what the reader reports, the learner takes from its notice or looks up', () => {
    const fromPage = (Object.keys(SENDERS) as Array<keyof typeof SENDERS>).filter((t) => (SENDERS[t] as readonly string[]).includes('page')).sort();
    expect(fromPage).toEqual(['feedback.give', 'highlight.explain', 'language.study', 'page.paragraphs', 'ping', 'reading.dwell', 'snippet.save', 'word.lookup', 'word.mark']);
  });

  it('tells a refusal (final) from a message not delivered (worth sending again)', async () => {
    // The receiver logs its handler's failure (expected here, kept out of the output).
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const rt = fakeRuntime();
    listen(rt, 'background', { ping: async () => Promise.reject(new Error('no')) });
    const refused = await send(rt, 'ping', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MessageRefused);
    expect(isTransientFailure(refused)).toBe(false);
    const down: RuntimeLike = { ...rt, sendMessage: async () => Promise.reject(new Error('Could not establish connection.')) };
    const undelivered = await send(down, 'ping', {}).catch((e: unknown) => e);
    expect(isTransientFailure(undelivered)).toBe(true);
    const silent: RuntimeLike = { ...rt, sendMessage: async () => undefined };
    expect(isTransientFailure(await send(silent, 'ping', {}).catch((e: unknown) => e))).toBe(true);
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual(['[attention-reader] ping failed']);
    logged.mockRestore();
  });
});
