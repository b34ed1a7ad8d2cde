/**
 * The settings this module gives transformers.js, and its progress totals. The real library
 * on a real (tiny) model is exercised in tests/unit/transformers-path.test.ts.
 */
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DownloadNotAllowedError, ModelIntegrityError, openModelStore, transformersCache, type FetchLike } from './model-store';
import { configureTransformersEnv, createProgressTracker, createTransformersEncoder, type ModelLoadProgress, type TransformersEnvLike } from './transformers';

function plainEnv(): TransformersEnvLike {
  return {
    allowRemoteModels: true,
    allowLocalModels: false,
    localModelPath: '/models/',
    remoteHost: 'https://example.org/',
    remotePathTemplate: '{model}/x/',
    useFS: true,
    useFSCache: true,
    useBrowserCache: true,
    useWasmCache: true,
    useCustomCache: false,
    customCache: null,
    fetch: null,
    backends: { onnx: { wasm: { wasmPaths: { mjs: 'https://cdn.example/ort.mjs' }, proxy: true } } },
  };
}

const noFetch: FetchLike = async () => new Response(null, { status: 599 });

describe('configureTransformersEnv', () => {
  it('sets the extension-safe settings: custom cache, no FS, no browser or WASM cache, local ORT files, no proxy', async () => {
    const env = plainEnv();
    const store = await openModelStore({ indexedDB: new IDBFactory() });
    const cache = transformersCache(store);
    configureTransformersEnv(env, { cache, fetch: noFetch, allowDownload: false, wasmPaths: 'chrome-extension://abc/ort/', threads: 2 });
    expect(env).toMatchObject({
      allowRemoteModels: false,
      allowLocalModels: true,
      localModelPath: '/transformers-models/',
      remoteHost: 'https://huggingface.co/',
      remotePathTemplate: '{model}/resolve/{revision}/',
      useFS: false,
      useFSCache: false,
      useBrowserCache: false,
      useWasmCache: false,
      useCustomCache: true,
      backends: { onnx: { wasm: { wasmPaths: 'chrome-extension://abc/ort/', proxy: false, numThreads: 2 } } },
    });
    expect(env.customCache).toBe(cache);
    expect(env.fetch).toBe(noFetch);
  });

  it('allows remote models only for a download the learner asked for', async () => {
    const env = plainEnv();
    const cache = transformersCache(await openModelStore({ indexedDB: new IDBFactory() }));
    configureTransformersEnv(env, { cache, fetch: noFetch, allowDownload: true });
    expect(env.allowRemoteModels).toBe(true);
    // Without wasmPaths, whatever was there stays (Node has no use for it).
    expect(env.backends.onnx.wasm?.wasmPaths).toEqual({ mjs: 'https://cdn.example/ort.mjs' });
  });
});

describe('createTransformersEncoder around the library', () => {
  /** A stand-in for transformers.js that records what env said while the pipeline loaded. */
  function fakeLibrary(hiddenSize = 4) {
    const env = plainEnv();
    const seen: { allowRemoteModels: boolean; fetch: unknown }[] = [];
    const pipeline = async () => {
      seen.push({ allowRemoteModels: env.allowRemoteModels, fetch: env.fetch });
      return { tokenizer: Object.assign(() => ({}), { encode: () => [1], model_max_length: 512 }), model: { config: { hidden_size: hiddenSize } }, dispose: async () => {} };
    };
    return { library: { env, pipeline, mean_pooling: () => undefined } as never, env, seen };
  }

  it('closes the network again once a download finished', async () => {
    const store = await openModelStore({ indexedDB: new IDBFactory() });
    const { library, env, seen } = fakeLibrary();
    const encoder = await createTransformersEncoder({ modelId: 'Owner/tiny', dtype: 'q8', store, allowDownload: true, fetch: noFetch, library });
    expect(encoder.id).toBe('Owner/tiny:q8');
    expect(seen[0]?.allowRemoteModels).toBe(true);
    expect(env.allowRemoteModels).toBe(false);
    await expect((env.fetch as FetchLike)('https://huggingface.co/Owner/tiny/resolve/main/config.json')).rejects.toBeInstanceOf(DownloadNotAllowedError);
  });

  it('reports a failed integrity check as such, even when the reader masks the stream error', async () => {
    const store = await openModelStore({ indexedDB: new IDBFactory(), expectedSha256: () => '0'.repeat(64) });
    const { library, env } = fakeLibrary();
    // Chromium's Response.arrayBuffer() turns any stream error into "Failed to fetch".
    (library as { pipeline: unknown }).pipeline = async () => {
      const response = await (env.fetch as FetchLike)('https://huggingface.co/Owner/tiny/resolve/main/onnx/model_quantized.onnx');
      await response.arrayBuffer().catch(() => {
        throw new TypeError('Failed to fetch');
      });
    };
    const network: FetchLike = async () => new Response(new Uint8Array([1, 2, 3]));
    await expect(createTransformersEncoder({ modelId: 'Owner/tiny', dtype: 'q8', store, allowDownload: true, fetch: network, library })).rejects.toBeInstanceOf(ModelIntegrityError);
  });

  it('refuses a model whose width differs from the manifest', async () => {
    const store = await openModelStore({ indexedDB: new IDBFactory() });
    const { library } = fakeLibrary(8);
    await expect(createTransformersEncoder({ modelId: 'Owner/tiny', dtype: 'q8', store, dimensions: 4, library })).rejects.toThrow(/8 dimensions, the manifest says 4/);
  });
});

describe('createProgressTracker', () => {
  it('sums bytes over files, completes a file on "done", and ends with "ready"', () => {
    const reports: ModelLoadProgress[] = [];
    const track = createProgressTracker('Owner/tiny', (p) => reports.push(p));
    track({ status: 'initiate', file: 'config.json' });
    track({ status: 'progress', file: 'config.json', loaded: 50, total: 100 });
    track({ status: 'progress', file: 'onnx/model.onnx', loaded: 10, total: 1000 });
    track({ status: 'progress_total', loaded: 60, total: 1100 });
    track({ status: 'done', file: 'config.json' });
    track({ status: 'progress', file: 'onnx/model.onnx', loaded: 1000, total: 1000 });
    track({ status: 'ready' });
    expect(reports.map((r) => [r.status, r.file, r.loadedBytes, r.totalBytes])).toEqual([
      ['initiate', 'config.json', 0, 0],
      ['progress', 'config.json', 50, 100],
      ['progress', 'onnx/model.onnx', 60, 1100],
      ['done', 'config.json', 110, 1100],
      ['progress', 'onnx/model.onnx', 1100, 1100],
      ['ready', null, 1100, 1100],
    ]);
  });
});
