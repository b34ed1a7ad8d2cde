import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox';

describe('outbox', () => {
  it('retries until the event is acknowledged, then resolves once', async () => {
    let failures = 3;
    const delivered: number[] = [];
    const box = createOutbox<number>({
      deliver: async (n) => {
        if (failures-- > 0) throw new Error('worker restarting');
        delivered.push(n);
      },
      baseDelayMs: 1,
    });
    await box.push(7);
    expect(delivered).toEqual([7]);
    expect(box.pending).toBe(0);
  });

  it('backs off exponentially up to the cap', async () => {
    const delays: number[] = [];
    let n = 0;
    const box = createOutbox<string>({
      deliver: async () => {
        if (n++ < 5) throw new Error('down');
      },
      baseDelayMs: 100,
      maxDelayMs: 400,
      setTimer: (fn, ms) => {
        delays.push(ms);
        queueMicrotask(fn);
      },
    });
    await box.push('e');
    expect(delays).toEqual([100, 200, 400, 400, 400]);
  });

  it('counts pending events while undelivered', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const box = createOutbox<string>({ deliver: () => gate });
    const done = box.push('a');
    expect(box.pending).toBe(1);
    release();
    await done;
    expect(box.pending).toBe(0);
  });
});

describe('outbox refusals', () => {
  it('does not retry a refusal: push rejects with it at once and nothing stays pending', async () => {
    let attempts = 0;
    const box = createOutbox<string>({
      deliver: async () => {
        attempts++;
        throw new Error('refused: too long');
      },
      isTransient: (e) => !(e instanceof Error && e.message.startsWith('refused')),
      baseDelayMs: 1,
    });
    await expect(box.push('e')).rejects.toThrow('refused: too long');
    await new Promise((r) => setTimeout(r, 30));
    expect(attempts).toBe(1);
    expect(box.pending).toBe(0);
  });
});
