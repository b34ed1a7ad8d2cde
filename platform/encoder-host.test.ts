/**
 * The encoder host's choice of encoder, with fake loaders and a real model store on a fake
 * IndexedDB: the learner's choice is used only when all its files are stored, otherwise the
 * bundled encoder answers and says why; switching frees the encoder it replaces; downloads run
 * one at a time, report progress through `list`, and happen only through `download`.
 */
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Encoder } from '../lib/encoder';
import { findEncoder, requiredFiles } from '../lib/model-manifest';
import { openModelStore, type ModelStore } from './encoder/model-store';
import type { TransformersEncoder, TransformersEncoderOptions } from './encoder/transformers';
import { parseReply } from '../lib/protocol';
import { createEncoderHost, shippedModelManifest, type EncoderHostOptions } from './encoder-host';

const MINI = 'Xenova/all-MiniLM-L6-v2:q8';
const MINI_ID = 'Xenova/all-MiniLM-L6-v2';
const MULTI = 'Xenova/paraphrase-multilingual-MiniLM-L12-v2:q8';
const manifest = shippedModelManifest();
const filesOf = (encoderId: string) => {
  const { model, variant } = findEncoder(manifest, encoderId)!;
  return requiredFiles(model, variant).map((f) => f.file);
};

function fakeEncoder(id: string, dimensions: number, value: number): Encoder {
  return { id, dimensions, embed: async (texts) => texts.map(() => new Float32Array(dimensions).fill(value)) };
}

interface Harness {
  chosen: string;
  clock: number;
  bundledLoads: number;
  bundledFails: string | null;
  transformersLoads: TransformersEncoderOptions[];
  transformersFails: string | null;
  disposed: string[];
  /** Resolves the embed of the transformers encoder when set (to hold a call in flight). */
  gate: Promise<void> | null;
}

let store: ModelStore;
let h: Harness;

beforeEach(async () => {
  store = await openModelStore({ indexedDB: new IDBFactory() });
  h = { chosen: 'use-lite-int8', clock: 0, bundledLoads: 0, bundledFails: null, transformersLoads: [], transformersFails: null, disposed: [], gate: null };
});

function host(extra: Partial<EncoderHostOptions> = {}) {
  return createEncoderHost({
    assetUrl: (p) => `chrome-extension://x${p}`,
    now: () => h.clock,
    chosenEncoderId: async () => h.chosen,
    modelStore: async () => store,
    loadBundled: async () => {
      h.bundledLoads++;
      if (h.bundledFails) throw new Error(h.bundledFails);
      return { encoder: fakeEncoder('use-lite-int8', 512, 0.5), backend: 'wasm (1 thread)', dispose: async () => void h.disposed.push('use-lite-int8') };
    },
    loadTransformers: async (options) => {
      h.transformersLoads.push(options);
      if (h.transformersFails) throw new Error(h.transformersFails);
      const id = `${options.modelId}:${options.dtype}`;
      const inner = fakeEncoder(id, 384, 0.25);
      return {
        ...inner,
        modelId: options.modelId,
        dtype: options.dtype,
        embed: async (texts: string[]) => {
          if (h.gate) await h.gate;
          return inner.embed(texts);
        },
        dispose: async () => void h.disposed.push(id),
      } satisfies TransformersEncoder;
    },
    ...extra,
  });
}

const storeAll = (encoderId: string, except: string[] = []) =>
  store.save(
    findEncoder(manifest, encoderId)!.model.id,
    filesOf(encoderId)
      .filter((f) => !except.includes(f))
      .map((file) => ({ file, bytes: new TextEncoder().encode(`bytes of ${file}`) })),
    'import',
  );

describe('encoder host: which encoder answers', () => {
  it('uses the bundled encoder by default, with no notice', async () => {
    const host_ = host();
    expect(await host_.status()).toEqual({ ready: true, encoderId: 'use-lite-int8', backend: 'wasm (1 thread)', error: null });
    const reply = await host_.embed({ texts: ['a', 'b'] });
    expect(reply).toMatchObject({ encoderId: 'use-lite-int8', dimensions: 512 });
    expect(reply.vectors).toHaveLength(2);
    expect(h.transformersLoads).toEqual([]);
  });

  it('loads the chosen model with transformers.js (wasm, q8, no download) once every file is stored', async () => {
    await storeAll(MINI);
    h.chosen = MINI;
    const host_ = host();
    const reply = await host_.embed({ texts: ['hello'] });
    expect(reply).toMatchObject({ encoderId: MINI, dimensions: 384, backend: 'wasm (transformers.js)' });
    expect(reply.vectors[0]![0]).toBe(0.25);
    expect(h.transformersLoads).toHaveLength(1);
    expect(h.transformersLoads[0]).toMatchObject({ modelId: MINI_ID, dtype: 'q8', allowDownload: false, device: 'wasm', dimensions: 384, maxTokens: 256, store, wasmPaths: 'chrome-extension://x/ort/' });
    expect(h.bundledLoads).toBe(0);
    expect(await host_.status()).toMatchObject({ ready: true, encoderId: MINI, error: null });
  });

  it('keeps the bundled encoder when a file of the chosen model is missing, and says which', async () => {
    await storeAll(MINI, ['onnx/model_quantized.onnx']);
    h.chosen = MINI;
    const host_ = host();
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    const status = await host_.status();
    expect(status).toMatchObject({ ready: true, encoderId: 'use-lite-int8' });
    expect(status.error).toMatch(/all-MiniLM-L6-v2 is not on this device yet \(missing onnx\/model_quantized\.onnx\)/);
    expect(h.transformersLoads).toEqual([]);
    expect((await host_.list()).notice).toBe(status.error);
  });

  it('keeps the bundled encoder for an id this version does not know, and says so', async () => {
    h.chosen = 'someone/else:q8';
    const status = await host().status();
    expect(status).toMatchObject({ ready: true, encoderId: 'use-lite-int8' });
    expect(status.error).toMatch(/"someone\/else:q8" is not one this version knows/);
  });

  it('without a model store, only the bundled encoder is used', async () => {
    h.chosen = MINI;
    const status = await host({ modelStore: undefined }).status();
    expect(status.encoderId).toBe('use-lite-int8');
    expect(status.error).toMatch(/cannot run here/);
  });

  it('switching model frees the encoder it replaces, in both directions', async () => {
    await storeAll(MINI);
    const host_ = host();
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    h.chosen = MINI;
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe(MINI);
    await Promise.resolve();
    expect(h.disposed).toEqual(['use-lite-int8']);
    h.chosen = 'use-lite-int8';
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    await new Promise((r) => setTimeout(r, 0));
    expect(h.disposed).toEqual(['use-lite-int8', MINI]);
    expect(h.bundledLoads).toBe(2);
  });

  it('does not free an encoder while a call still uses it', async () => {
    await storeAll(MINI);
    h.chosen = MINI;
    const host_ = host();
    await host_.status();
    let release!: () => void;
    h.gate = new Promise((r) => (release = r));
    const running = host_.embed({ texts: ['slow'] });
    await new Promise((r) => setTimeout(r, 0));
    h.chosen = 'use-lite-int8';
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    expect(h.disposed).toEqual([]);
    release();
    expect((await running).encoderId).toBe(MINI);
    await new Promise((r) => setTimeout(r, 0));
    expect(h.disposed).toEqual([MINI]);
  });

  it('falls back to the bundled encoder when the chosen model fails to load, and retries after a pause', async () => {
    await storeAll(MINI);
    h.chosen = MINI;
    h.transformersFails = 'protobuf parsing failed';
    // The fallback is logged with the load's error (expected here, kept out of the output).
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const host_ = host();
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    expect(warned.mock.calls.map((c) => String(c[1]))).toEqual(['Error: protobuf parsing failed']);
    warned.mockRestore();
    const status = await host_.status();
    expect(status.error).toMatch(/all-MiniLM-L6-v2 could not load \(protobuf parsing failed\)/);
    expect(h.transformersLoads).toHaveLength(1);
    h.transformersFails = null;
    h.clock += 30_000;
    await host_.embed({ texts: ['x'] });
    expect(h.transformersLoads).toHaveLength(1);
    h.clock += 31_000;
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe(MINI);
    expect(h.transformersLoads).toHaveLength(2);
  });

  it('reports a bundled encoder that cannot load as not ready, and retries it after a pause', async () => {
    h.bundledFails = 'no WebAssembly';
    const host_ = host();
    await expect(host_.embed({ texts: ['x'] })).rejects.toThrow(/the language model could not load: no WebAssembly/);
    expect(await host_.status()).toEqual({ ready: false, encoderId: null, backend: 'none', error: 'the language model could not load: no WebAssembly' });
    expect(h.bundledLoads).toBe(1);
    h.bundledFails = null;
    h.clock += 61_000;
    expect((await host_.status()).ready).toBe(true);
    expect(h.bundledLoads).toBe(2);
  });
});

describe('encoder host: models on the device', () => {
  it('lists stored models, complete or not, with sizes and hashes', async () => {
    await storeAll(MINI);
    await storeAll(MULTI, ['tokenizer.json']);
    const list = await host().list();
    expect(list.download).toBeNull();
    const byId = new Map(list.models.map((m) => [m.modelId, m]));
    expect(byId.get(MINI_ID)!.complete).toBe(true);
    expect(byId.get(MINI_ID)!.files.map((f) => f.file).sort()).toEqual([...filesOf(MINI)].sort());
    expect(byId.get(MINI_ID)!.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(byId.get('Xenova/paraphrase-multilingual-MiniLM-L12-v2')!.complete).toBe(false);
  });

  it('downloads only through download, reporting progress in list, one download at a time', async () => {
    let report!: (loaded: number, total: number) => void;
    let finish!: () => void;
    const host_ = host({
      loadTransformers: async (options) => {
        h.transformersLoads.push(options);
        if (options.allowDownload) {
          report = (loadedBytes, totalBytes) => options.onProgress?.({ modelId: options.modelId, status: 'progress', file: 'onnx/model_quantized.onnx', loadedBytes, totalBytes });
          await new Promise<void>((r) => (finish = r));
          await storeAll(MINI);
        }
        return { ...fakeEncoder(MINI, 384, 0), modelId: options.modelId, dtype: options.dtype, dispose: async () => void h.disposed.push('downloaded') };
      },
    });
    const running = host_.download({ encoderId: MINI });
    await new Promise((r) => setTimeout(r, 0));
    expect(h.transformersLoads[0]).toMatchObject({ modelId: MINI_ID, dtype: 'q8', allowDownload: true });
    // Before transformers.js knows the size, the manifest's estimate stands in.
    expect((await host_.list()).download).toEqual({ encoderId: MINI, loadedBytes: 0, totalBytes: 23_000_000 });
    report(5_000_000, 24_000_000);
    expect((await host_.list()).download).toEqual({ encoderId: MINI, loadedBytes: 5_000_000, totalBytes: 24_000_000 });
    await expect(host_.download({ encoderId: MULTI })).rejects.toThrow(/another model is downloading/);
    await expect(host_.download({ encoderId: MINI })).rejects.toThrow(/already downloading/);
    await expect(host_.remove({ modelId: MINI_ID })).rejects.toThrow(/downloading/);
    finish();
    const done = await running;
    expect(done.encoderId).toBe(MINI);
    expect(done.files.map((f) => f.file).sort()).toEqual([...filesOf(MINI)].sort());
    expect(h.disposed).toEqual(['downloaded']);
    expect((await host_.list()).download).toBeNull();
    // Scoring never downloads: the loads for embedding ask for none.
    h.chosen = MINI;
    await host_.embed({ texts: ['x'] });
    expect(h.transformersLoads.slice(1).map((o) => o.allowDownload)).toEqual([false]);
  });

  it('refuses to download what is not a downloadable model, and clears progress after a failure', async () => {
    const host_ = host();
    await expect(host_.download({ encoderId: 'use-lite-int8' })).rejects.toThrow(/not a model that can be downloaded/);
    await expect(host_.download({ encoderId: 'nobody/nothing:q8' })).rejects.toThrow(/not a model that can be downloaded/);
    h.transformersFails = 'HTTP 503';
    await expect(host_.download({ encoderId: MINI })).rejects.toThrow(/HTTP 503/);
    expect((await host_.list()).download).toBeNull();
  });

  it('removes a model, after which the bundled encoder answers again', async () => {
    await storeAll(MINI);
    h.chosen = MINI;
    const host_ = host();
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe(MINI);
    expect(await host_.remove({ modelId: MINI_ID })).toEqual({ removed: filesOf(MINI).length });
    expect((await host_.embed({ texts: ['x'] })).encoderId).toBe('use-lite-int8');
    await new Promise((r) => setTimeout(r, 0));
    expect(h.disposed).toEqual([MINI]);
    expect((await host_.list()).models).toEqual([]);
  });
});

describe('encoder host: timings', () => {
  it('says with each reply how long the call waited for the model and how long the inference took', async () => {
    let t = 0;
    const host_ = host({
      stageClock: () => t,
      loadBundled: async () => {
        t += 800;
        const encoder: Encoder = { id: 'use-lite-int8', dimensions: 512, embed: async (texts) => ((t += 90), texts.map(() => new Float32Array(512))) };
        return { encoder, backend: 'wasm (1 thread)' };
      },
    });
    const first = await host_.embed({ texts: ['a'] });
    expect(first.timings).toEqual({ loadMs: 800, computeMs: 90 });
    expect(parseReply('encoder.embed', { ok: true, value: first })).toEqual({ ok: true, value: first });
    // Loaded: the next call waits for nothing.
    expect((await host_.embed({ texts: ['b'] })).timings).toEqual({ loadMs: 0, computeMs: 90 });
  });
});
