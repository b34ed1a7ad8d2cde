/**
 * BERT-family sentence encoders (all-MiniLM-L6-v2, paraphrase-multilingual-MiniLM-L12-v2, ...)
 * as an `Encoder`, through transformers.js: its tokenizers and its ONNX Runtime sessions
 * (onnxruntime-web in the extension, onnxruntime-node in tests and benches).
 *
 * transformers.js keeps its settings in one global `env`. In the extension it is set so that
 *   - model files come from the model store (IndexedDB) through `env.customCache`, since the
 *     Cache API refuses chrome-extension: requests;
 *   - the network is used only while a download the learner asked for runs
 *     (`allowRemoteModels`, and `modelFetch` refusing hub URLs otherwise);
 *   - local models (imported from disk) are looked up under `localModelPath`, which the store
 *     answers; no file system, no browser cache, no WASM cache;
 *   - onnxruntime-web loads its WebAssembly from the extension's own /ort/ files, no proxy
 *     worker (the bundler rewrites the import.meta.url the proxy needs).
 * Loads run one at a time, because that global state must hold for the whole load.
 */
import { runInLengthBatches, type Encoder, type LengthBatchOptions } from '../../lib/encoder';
import { transformersEncoderId, type TransformersDtype } from '../../lib/model-manifest';
import { normaliseWhitespace } from '../../lib/text';
import { DEFAULT_MODEL_LOCATIONS, modelFetch, transformersCache, type FetchLike, type ModelIntegrityError, type ModelLocations, type ModelStore, type TransformersCache } from './model-store';

type TransformersLibrary = typeof import('@huggingface/transformers');

/** The parts of transformers.js' `env` this module sets (typed loosely: tests pass a plain object). */
export interface TransformersEnvLike {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  localModelPath: string;
  remoteHost: string;
  remotePathTemplate: string;
  useFS: boolean;
  useFSCache: boolean;
  useBrowserCache: boolean;
  useWasmCache: boolean;
  useCustomCache: boolean;
  customCache: unknown;
  fetch: unknown;
  backends: { onnx: { wasm?: { wasmPaths?: unknown; proxy?: boolean; numThreads?: number } } };
}

export interface TransformersEnvOptions {
  readonly cache: TransformersCache;
  readonly fetch: FetchLike;
  readonly allowDownload: boolean;
  readonly locations?: ModelLocations;
  /** URL prefix of onnxruntime-web's .mjs/.wasm files, e.g. `runtime.getURL('/ort/')`. */
  readonly wasmPaths?: string;
  /** WASM threads; more than one needs a cross-origin-isolated page. ORT's default otherwise. */
  readonly threads?: number;
}

export function configureTransformersEnv(env: TransformersEnvLike, options: TransformersEnvOptions): void {
  const locations = options.locations ?? DEFAULT_MODEL_LOCATIONS;
  env.allowRemoteModels = options.allowDownload;
  // Also needed with downloads off: transformers.js refuses to load when both are off.
  env.allowLocalModels = true;
  env.localModelPath = locations.localModelPath;
  env.remoteHost = locations.remoteHost;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.useFS = false;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useCustomCache = true;
  env.customCache = options.cache;
  env.fetch = options.fetch;
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.proxy = false;
    if (options.wasmPaths) wasm.wasmPaths = options.wasmPaths;
    if (options.threads !== undefined) wasm.numThreads = options.threads;
  }
}

/** Loading progress, summed over the files seen so far (sizes become known as files start). */
export interface ModelLoadProgress {
  readonly modelId: string;
  readonly status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
  /** The file the event is about; null for "ready". */
  readonly file: string | null;
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

interface RawProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** Turns transformers.js' per-file progress events into running totals. */
export function createProgressTracker(modelId: string, report: (progress: ModelLoadProgress) => void): (info: RawProgress) => void {
  const files = new Map<string, { loaded: number; total: number }>();
  return (info) => {
    // progress_total repeats what the per-file events already said.
    if (info.status !== 'initiate' && info.status !== 'download' && info.status !== 'progress' && info.status !== 'done' && info.status !== 'ready') return;
    const file = info.file ?? null;
    if (file !== null) {
      const entry = files.get(file) ?? { loaded: 0, total: 0 };
      if (info.status === 'progress') {
        entry.loaded = info.loaded ?? entry.loaded;
        entry.total = Math.max(info.total ?? 0, entry.loaded);
      } else if (info.status === 'done') {
        entry.loaded = entry.total;
      }
      files.set(file, entry);
    }
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const entry of files.values()) {
      loadedBytes += entry.loaded;
      totalBytes += entry.total;
    }
    report({ modelId, status: info.status, file: info.status === 'ready' ? null : file, loadedBytes, totalBytes });
  };
}

export interface TransformersEncoderOptions {
  /** Hub id, e.g. "Xenova/all-MiniLM-L6-v2"; also the id an imported folder was stored under. */
  readonly modelId: string;
  readonly dtype: TransformersDtype;
  readonly store: ModelStore;
  /** True only when the learner asked for this download; otherwise every file must be stored. */
  readonly allowDownload?: boolean;
  /** The network, for downloads; default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  readonly onProgress?: (progress: ModelLoadProgress) => void;
  readonly wasmPaths?: string;
  readonly threads?: number;
  /** transformers.js device; default: its own (wasm in browsers, cpu in Node). */
  readonly device?: 'wasm' | 'webgpu' | 'cpu';
  /** From the manifest: a model of another width fails the load instead of mixing vectors. */
  readonly dimensions?: number;
  /** From the manifest: the tokens the model was trained on; longer texts are cut there. */
  readonly maxTokens?: number;
  readonly batching?: LengthBatchOptions;
  readonly locations?: ModelLocations;
  /** The transformers.js module; default: imported on first use (it is large). */
  readonly library?: TransformersLibrary;
}

export interface TransformersEncoder extends Encoder {
  readonly modelId: string;
  readonly dtype: TransformersDtype;
  /** Frees the ONNX Runtime session. */
  dispose(): Promise<void>;
}

/** Same reasoning as USE-lite's: small batches keep the first results quick on 1-2 threads. */
export const TRANSFORMERS_DEFAULT_BATCHING: LengthBatchOptions = { maxBatchSize: 32, maxBatchTokens: 4096 };

interface TensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
  normalize(p: number, dim: number): TensorLike;
}

interface TokenizerLike {
  (texts: string[], options: { padding: boolean; truncation: boolean; max_length?: number }): Record<string, TensorLike> & { attention_mask: TensorLike };
  encode(text: string): number[];
  readonly model_max_length: number;
}

interface ModelLike {
  (inputs: Record<string, TensorLike>): Promise<Record<string, TensorLike | undefined>>;
  readonly config: { readonly hidden_size?: unknown };
}

interface ExtractorLike {
  readonly tokenizer: TokenizerLike;
  readonly model: ModelLike;
  dispose(): Promise<void>;
}

// transformers.js' env is global: one load at a time, each with its own settings.
let loadQueue: Promise<unknown> = Promise.resolve();
function exclusiveLoad<T>(task: () => Promise<T>): Promise<T> {
  const next = loadQueue.then(task, task);
  loadQueue = next.catch(() => undefined);
  return next;
}

/** The model (or one of its files) is neither downloaded nor imported on this device. */
export class ModelNotStoredError extends Error {
  constructor(
    readonly modelId: string,
    cause: Error,
  ) {
    super(`${modelId} is not on this device: download it, or import its folder (${cause.message})`, { cause });
    this.name = 'ModelNotStoredError';
  }
}

export function createTransformersEncoder(options: TransformersEncoderOptions): Promise<TransformersEncoder> {
  return exclusiveLoad(() => load(options));
}

async function load(options: TransformersEncoderOptions): Promise<TransformersEncoder> {
  const library = options.library ?? (await import('@huggingface/transformers'));
  const { modelId, dtype, store } = options;
  const allowDownload = options.allowDownload ?? false;
  const locations = options.locations ?? DEFAULT_MODEL_LOCATIONS;
  const network = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const env = library.env as unknown as TransformersEnvLike;
  const integrityFailures: ModelIntegrityError[] = [];
  configureTransformersEnv(env, {
    cache: transformersCache(store, locations),
    fetch: modelFetch({ store, fetch: network, allowDownload, locations, onIntegrityFailure: (e) => integrityFailures.push(e) }),
    allowDownload,
    locations,
    wasmPaths: options.wasmPaths,
    threads: options.threads,
  });

  let extractor: ExtractorLike;
  try {
    const progress = options.onProgress ? createProgressTracker(modelId, options.onProgress) : undefined;
    extractor = (await library.pipeline('feature-extraction', modelId, {
      dtype,
      ...(options.device ? { device: options.device } : {}),
      ...(progress ? { progress_callback: progress as never } : {}),
    })) as unknown as ExtractorLike;
  } catch (error) {
    // The integrity failure is the cause, whatever the library made of the failed stream.
    if (integrityFailures[0]) throw integrityFailures[0];
    if (!allowDownload && error instanceof Error && error.name === 'ModelFileNotFoundError') throw new ModelNotStoredError(modelId, error);
    throw error;
  } finally {
    // A download is a one-off the learner asked for: nothing loaded later may reach the network.
    env.allowRemoteModels = false;
    env.fetch = modelFetch({ store, fetch: network, allowDownload: false, locations });
  }

  const hidden = extractor.model.config.hidden_size;
  const dimensions = typeof hidden === 'number' ? hidden : options.dimensions;
  if (dimensions === undefined || (options.dimensions !== undefined && dimensions !== options.dimensions)) {
    await extractor.dispose();
    throw new Error(`${modelId}: the model has ${String(hidden)} dimensions, the manifest says ${String(options.dimensions)}`);
  }
  const maxTokens = Math.min(options.maxTokens ?? Infinity, extractor.tokenizer.model_max_length ?? Infinity);
  return wrapExtractor(extractor, { modelId, dtype, dimensions, maxTokens, batching: options.batching ?? TRANSFORMERS_DEFAULT_BATCHING, library });
}

interface WrapOptions {
  readonly modelId: string;
  readonly dtype: TransformersDtype;
  readonly dimensions: number;
  readonly maxTokens: number;
  readonly batching: LengthBatchOptions;
  readonly library: Pick<TransformersLibrary, 'mean_pooling'>;
}

function wrapExtractor(extractor: ExtractorLike, options: WrapOptions): TransformersEncoder {
  const { tokenizer, model } = extractor;
  const { dimensions, maxTokens } = options;
  const meanPooling = options.library.mean_pooling as unknown as (hidden: TensorLike, mask: TensorLike) => TensorLike;
  // Sessions must not run concurrently (onnxruntime-web rejects it), so calls queue.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  // This is the feature-extraction pipeline's own sequence (tokenize with padding, run, mean
  // over the attention mask, L2-normalise), called directly so that texts are cut at the
  // manifest's maxTokens rather than at the tokenizer's 512, and batches group similar lengths.
  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts, { padding: true, truncation: true, ...(Number.isFinite(maxTokens) ? { max_length: maxTokens } : {}) });
    const outputs = await model(inputs);
    const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
    if (!hidden) throw new Error(`${options.modelId}: the model returned no last_hidden_state`);
    const pooled = meanPooling(hidden, inputs.attention_mask).normalize(2, -1);
    const data = pooled.data;
    if (!(data instanceof Float32Array) || pooled.dims[0] !== texts.length || pooled.dims[1] !== dimensions) {
      throw new Error(`${options.modelId}: expected [${texts.length}, ${dimensions}] float embeddings, got [${pooled.dims.join(', ')}]`);
    }
    // Copies, so each vector owns its buffer (cache entries must not pin the whole batch).
    return texts.map((_, r) => data.slice(r * dimensions, (r + 1) * dimensions));
  }

  return {
    id: transformersEncoderId(options.modelId, options.dtype),
    modelId: options.modelId,
    dtype: options.dtype,
    dimensions,
    embed(texts) {
      return exclusive(async () => {
        // Blank text gets the zero vector ("similar to nothing", as with USE-lite) rather than
        // the embedding of [CLS] [SEP], which would look similar to every other blank.
        const results: Float32Array[] = texts.map(() => new Float32Array(dimensions));
        const nonEmpty = texts.flatMap((t, i) => (normaliseWhitespace(t) === '' ? [] : [i]));
        const lengths = nonEmpty.map((i) => Math.min(tokenizer.encode(texts[i] as string).length, maxTokens));
        const embedded = await runInLengthBatches(lengths, options.batching, (batch) => embedBatch(batch.map((k) => texts[nonEmpty[k] as number] as string)));
        nonEmpty.forEach((textIndex, k) => {
          results[textIndex] = embedded[k] as Float32Array;
        });
        return results;
      });
    },
    dispose: () => extractor.dispose(),
  };
}
