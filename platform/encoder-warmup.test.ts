import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmEncoder, type WarmupDeps } from './encoder-warmup';

function deps(origins: string[], paused = false, ready = true): WarmupDeps & { calls: number } {
  const d = {
    calls: 0,
    grantedOrigins: async () => origins,
    pausedEverywhere: async () => paused,
    encoder: {
      status: async () => {
        d.calls++;
        return ready
          ? { ready: true, encoderId: 'use-lite-int8', backend: 'wasm (2 threads)', error: null }
          : { ready: false, encoderId: null, backend: 'none', error: 'the model file is corrupt' };
      },
    },
  };
  return d;
}

afterEach(() => vi.restoreAllMocks());

describe('warmEncoder', () => {
  it('loads the encoder when the learner reads on some site', async () => {
    const d = deps(['https://news.example/*']);
    expect(await warmEncoder(d)).toBe(true);
    expect(d.calls).toBe(1);
    const everywhere = deps(['*://*/*']);
    expect(await warmEncoder(everywhere)).toBe(true);
    expect(everywhere.calls).toBe(1);
  });

  it('loads nothing with no site turned on (AnkiConnect is not a site read), or with highlighting paused everywhere', async () => {
    const none = deps([]);
    const ankiOnly = deps(['http://127.0.0.1:8765/*']);
    const paused = deps(['*://*/*'], true);
    for (const d of [none, ankiOnly, paused]) expect(await warmEncoder(d)).toBe(false);
    expect([none.calls, ankiOnly.calls, paused.calls]).toEqual([0, 0, 0]);
  });

  it('never throws: a failed load or a failed read is logged and left to the first page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failing = deps(['*://*/*'], false, false);
    expect(await warmEncoder(failing)).toBe(true);
    const broken: WarmupDeps = { ...deps(['*://*/*']), pausedEverywhere: () => Promise.reject(new Error('database closed')) };
    expect(await warmEncoder(broken)).toBe(false);
    expect(warn.mock.calls.map((c) => String(c[1]))).toEqual(['the model file is corrupt', 'Error: database closed']);
  });
});
