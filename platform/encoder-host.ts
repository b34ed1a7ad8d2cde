/**
 * The encoder's home: loads the bundled USE-lite model with onnxruntime-web from the
 * extension's own files (never a CDN), WebGPU when the browser offers an adapter, WASM
 * otherwise, and answers `encoder.*` messages. Runs in the offscreen document on Chrome and in
 * the background page on Firefox.
 *
 * A load failure is remembered with its reason (shown to the learner as "word matching
 * fallback") and retried after a pause, so a transient failure does not disable the model for
 * the whole session.
 */
import type { Encoder } from '../lib/encoder';
import type { RequestOf, ResponseOf } from '../lib/protocol';
import { listen, type Listening, type RuntimeLike } from './messaging';
import { loadUseLiteEncoder } from './encoder/use-lite';

export const MODEL_PATH = '/models/use-lite/model.int8.onnx';
export const TOKENIZER_PATH = '/models/use-lite/tokenizer.json';
const RETRY_AFTER_MS = 60_000;

export interface EncoderHostOptions {
  assetUrl(path: string): string;
  /** Which backend to try; default: WebGPU when an adapter exists. */
  preferWebGpu?: boolean;
  now?: () => number;
}

export interface EncoderHost {
  embed(request: RequestOf<'encoder.embed'>): Promise<ResponseOf<'encoder.embed'>>;
  status(): Promise<ResponseOf<'encoder.status'>>;
}

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

export function createEncoderHost(options: EncoderHostOptions): EncoderHost {
  const now = options.now ?? Date.now;
  let loading: Promise<Encoder> | null = null;
  let backend = 'none';
  let lastError: string | null = null;
  let failedAt = 0;

  async function load(): Promise<Encoder> {
    const webgpu = options.preferWebGpu ?? (await hasWebGpuAdapter());
    // Two onnxruntime-web builds: the WebGPU one needs a larger WASM binary, so the plain
    // SIMD build serves machines without an adapter.
    const ort = webgpu ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
    // No proxy worker: the bundler rewrites import.meta.url, which the proxy needs. The WASM
    // runtime is loaded from the extension's own files (wxt.config.ts), never a CDN.
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = options.assetUrl('/ort/');
    const encoder = await loadUseLiteEncoder(
      ort as never,
      { modelUrl: options.assetUrl(MODEL_PATH), tokenizerUrl: options.assetUrl(TOKENIZER_PATH), quantized: true },
      { executionProviders: webgpu ? ['webgpu', 'wasm'] : ['wasm'] },
    );
    backend = webgpu ? 'webgpu' : `wasm (${ort.env.wasm.numThreads ?? 1} thread${ort.env.wasm.numThreads === 1 ? '' : 's'})`;
    console.info(`[attention-reader] encoder ${encoder.id} ready on ${backend}`);
    return encoder;
  }

  function encoder(): Promise<Encoder> {
    if (!loading && lastError && now() - failedAt < RETRY_AFTER_MS) return Promise.reject(new Error(lastError));
    loading ??= load().then(
      (e) => {
        lastError = null;
        return e;
      },
      (e: unknown) => {
        lastError = `the language model could not load: ${e instanceof Error ? e.message : String(e)}`;
        failedAt = now();
        loading = null;
        backend = 'none';
        throw new Error(lastError);
      },
    );
    return loading;
  }

  return {
    async embed({ texts }) {
      const enc = await encoder();
      const vectors = await enc.embed(texts);
      return { encoderId: enc.id, backend, dimensions: enc.dimensions, vectors: vectors.map((v) => Array.from(v)) };
    },
    async status() {
      try {
        const enc = await encoder();
        return { ready: true, encoderId: enc.id, backend, error: null };
      } catch (e) {
        return { ready: false, encoderId: null, backend, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** The offscreen document's side: answers `encoder.*` messages from the background. */
export function startEncoderHost(runtime: RuntimeLike & { getURL(path: string): string }): Listening {
  const host = createEncoderHost({ assetUrl: (p) => runtime.getURL(p) });
  void (globalThis.navigator as { storage?: { persist?(): Promise<boolean> } }).storage?.persist?.();
  return listen(runtime, 'offscreen', {
    'encoder.embed': (req) => host.embed(req),
    'encoder.status': () => host.status(),
  });
}
