/**
 * The encoder's home: runs the text encoder the learner chose and answers `encoder.*` and
 * `model.*` messages. Runs in a worker of the offscreen document on Chrome and in the
 * background page on Firefox.
 *
 * Two kinds of encoder:
 *   - the bundled USE-lite, loaded with onnxruntime-web from the extension's own files (never a
 *     CDN), WebGPU when the browser offers an adapter, WASM otherwise; always available;
 *   - a BERT-family model of the manifest (models/manifest.json), loaded with transformers.js
 *     (WASM, q8) from the model store, used only when every one of its files is on the device.
 * The choice (`settings.encoderId`) is read before each use, so a change in the options takes
 * effect with the next page scored; switching drops the loaded encoder (memory), and the
 * background sees the new encoderId in the reply (its embedding cache keys change with it).
 * When the chosen model cannot be used, USE-lite answers and `encoder.status`'s `error` says
 * why (with `ready: true`).
 *
 * A load failure is remembered with its reason and retried after a pause, so a transient
 * failure does not disable a model for the whole session.
 *
 * The network is used for models only in `model.download`, which the options page sends when
 * the learner presses Download.
 */
import type { Encoder } from '../lib/encoder';
import {
  findEncoder,
  isTransformersDtype,
  parseModelManifest,
  requiredFiles,
  expectedSha256From,
  type ManifestModel,
  type ModelManifest,
  type ModelVariant,
} from '../lib/model-manifest';
import type { RequestOf, ResponseOf } from '../lib/protocol';
import { BUNDLED_ENCODER_ID } from '../lib/settings';
import manifestJson from '../models/manifest.json';
import { openReaderDB } from './db';
import { openModelStore, type FetchLike, type ModelStore, type StoredModelFile } from './encoder/model-store';
import { createTransformersEncoder, type TransformersEncoder, type TransformersEncoderOptions } from './encoder/transformers';
import { loadUseLiteEncoder } from './encoder/use-lite';
import type { Handlers } from './messaging';
import { readSettingsTx } from './service/state';
import { serveWorkerCalls, type WorkerScopeLike } from './worker-channel';

export const MODEL_PATH = '/models/use-lite/model.int8.onnx';
export const TOKENIZER_PATH = '/models/use-lite/tokenizer.json';
export const ORT_PATH = '/ort/';
const RETRY_AFTER_MS = 60_000;

/** An encoder ready to embed, with the backend it runs on and how to free it. */
export interface LoadedEncoder {
  readonly encoder: Encoder;
  readonly backend: string;
  dispose?(): Promise<void>;
}

export interface EncoderHostOptions {
  assetUrl(path: string): string;
  /** Which backend USE-lite tries; default: WebGPU when an adapter exists. */
  preferWebGpu?: boolean;
  now?: () => number;
  /** The learner's choice (settings.encoderId); default: always the bundled encoder. */
  chosenEncoderId?: () => Promise<string>;
  /** Where downloaded and imported models live; without it only the bundled encoder is used. */
  modelStore?: () => Promise<ModelStore>;
  /** Default: models/manifest.json. */
  manifest?: ModelManifest;
  /** The network for `model.download`; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Loads the bundled encoder; default: USE-lite with onnxruntime-web (tests pass a fake). */
  loadBundled?: () => Promise<LoadedEncoder>;
  /** transformers.js device for downloaded models; default 'wasm' (Node tests pass 'cpu'). */
  transformersDevice?: 'wasm' | 'cpu';
  /** Default: `createTransformersEncoder`. */
  loadTransformers?: (options: TransformersEncoderOptions) => Promise<TransformersEncoder>;
  /** A monotonic clock in ms for the timings an embed reply carries; default `performance.now`. */
  stageClock?: () => number;
}

export type ModelDownload = NonNullable<ResponseOf<'model.list'>['download']>;

export interface EncoderHost {
  embed(request: RequestOf<'encoder.embed'>): Promise<ResponseOf<'encoder.embed'>>;
  status(): Promise<ResponseOf<'encoder.status'>>;
  download(request: RequestOf<'model.download'>): Promise<ResponseOf<'model.download'>>;
  list(): Promise<ResponseOf<'model.list'>>;
  remove(request: RequestOf<'model.remove'>): Promise<ResponseOf<'model.remove'>>;
}

/** What will answer: the bundled encoder (with the reason when it was not the choice) or a stored model. */
export type EncoderChoice =
  | { readonly kind: 'bundled'; readonly encoderId: string; readonly notice: string | null }
  | { readonly kind: 'transformers'; readonly encoderId: string; readonly model: ManifestModel; readonly variant: ModelVariant; readonly notice: null };

let shippedManifest: ModelManifest | undefined;
/** The manifest shipped with this version (parsed once). */
export function shippedModelManifest(): ModelManifest {
  shippedManifest ??= parseModelManifest(manifestJson);
  return shippedManifest;
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

/**
 * Whether the runtime this build ships carries the WebGPU provider: the build says so
 * (wxt.config.ts, ORT_BUILDS: Chrome's does, Firefox's does not); outside a build, yes.
 */
const RUNTIME_HAS_WEBGPU = import.meta.env.ORT_WEBGPU !== false;

/**
 * The WASM thread count, forced by the build for the benchmark only (`WXT_ENCODER_THREADS=1
 * npm run build:chrome`, see bench/first-highlight.ts `--compare`); absent in every release
 * build, where the runtime picks it (platform/encoder/use-lite.ts: 1, or up to 4 in a
 * cross-origin-isolated page).
 */
export function forcedThreads(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 16 ? n : undefined;
}
const BENCH_THREADS = forcedThreads(import.meta.env.WXT_ENCODER_THREADS);

async function loadBundledUseLite(options: EncoderHostOptions): Promise<LoadedEncoder> {
  const webgpu = RUNTIME_HAS_WEBGPU && (options.preferWebGpu ?? (await hasWebGpuAdapter()));
  // The one onnxruntime-web build this browser's package ships (the bundler maps every
  // onnxruntime-web entry to it): WebGPU where it has the provider and an adapter, else WASM.
  const ort = await import('onnxruntime-web/webgpu');
  // No proxy worker: the bundler rewrites import.meta.url, which the proxy needs. The WASM
  // runtime is loaded from the extension's own files (wxt.config.ts), never a CDN.
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = options.assetUrl(ORT_PATH);
  const encoder = await loadUseLiteEncoder(
    ort as never,
    { modelUrl: options.assetUrl(MODEL_PATH), tokenizerUrl: options.assetUrl(TOKENIZER_PATH), quantized: true },
    { executionProviders: webgpu ? ['webgpu', 'wasm'] : ['wasm'], ...(BENCH_THREADS ? { threads: BENCH_THREADS } : {}) },
  );
  const backend = webgpu ? 'webgpu' : `wasm (${ort.env.wasm.numThreads ?? 1} thread${ort.env.wasm.numThreads === 1 ? '' : 's'})`;
  return { encoder, backend };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** A duration for the protocol's timings: tenths of a ms, never negative (a clock step can make one slightly so). */
const timingMs = (ms: number): number => Math.max(0, Math.round(ms * 10) / 10);

/** One loaded (or loading) encoder, freed once it is replaced and no call uses it any more. */
interface Slot {
  readonly encoderId: string;
  readonly loading: Promise<LoadedEncoder>;
  users: number;
  retired: boolean;
}

export function createEncoderHost(options: EncoderHostOptions): EncoderHost {
  const now = options.now ?? Date.now;
  const manifest = options.manifest ?? shippedModelManifest();
  const loadBundled = options.loadBundled ?? (() => loadBundledUseLite(options));
  const loadTransformers = options.loadTransformers ?? createTransformersEncoder;
  const device = options.transformersDevice ?? 'wasm';
  const stageClock = options.stageClock ?? (() => globalThis.performance.now());
  let slot: Slot | null = null;
  let lastBackend = 'none';
  /** Load failures by encoderId: the reason, and when (retried after RETRY_AFTER_MS). */
  const failures = new Map<string, { reason: string; at: number }>();
  let download: ModelDownload | null = null;

  function recentFailure(encoderId: string): string | null {
    const failure = failures.get(encoderId);
    return failure && now() - failure.at < RETRY_AFTER_MS ? failure.reason : null;
  }

  async function choose(): Promise<EncoderChoice> {
    const bundled = (notice: string | null): EncoderChoice => ({ kind: 'bundled', encoderId: BUNDLED_ENCODER_ID, notice });
    let wanted: string;
    try {
      wanted = options.chosenEncoderId ? await options.chosenEncoderId() : BUNDLED_ENCODER_ID;
    } catch (e) {
      return bundled(`the settings could not be read (${message(e)}); using the bundled model`);
    }
    const resolved = findEncoder(manifest, wanted);
    if (!resolved) return bundled(`the chosen model "${wanted}" is not one this version knows; using the bundled model`);
    const { model, variant } = resolved;
    // Only the int8 USE-lite ships in the extension: any bundled choice means that one.
    if (model.delivery === 'bundled') return bundled(null);
    if (!options.modelStore || !isTransformersDtype(variant.precision)) return bundled(`${model.name} cannot run here; using the bundled model`);
    const failed = recentFailure(variant.encoderId);
    if (failed) return bundled(`${model.name} could not load (${failed}); using the bundled model`);
    try {
      const store = await options.modelStore();
      const missing = await store.missing(model.id, requiredFiles(model, variant).map((f) => f.file));
      if (missing.length > 0) {
        return bundled(`${model.name} is not on this device yet (missing ${missing.join(', ')}): download it or import its folder in the options; using the bundled model`);
      }
    } catch (e) {
      return bundled(`the model store could not be read (${message(e)}); using the bundled model`);
    }
    return { kind: 'transformers', encoderId: variant.encoderId, model, variant, notice: null };
  }

  function load(choice: EncoderChoice): Promise<LoadedEncoder> {
    if (choice.kind === 'bundled') return loadBundled();
    const { model, variant } = choice;
    return (async () => {
      const store = await options.modelStore!();
      const encoder = await loadTransformers({
        modelId: model.id,
        dtype: variant.precision as TransformersEncoderOptions['dtype'],
        store,
        allowDownload: false,
        // Only for the store's answers: with allowDownload false, the hub is never asked.
        ...(options.fetch ? { fetch: options.fetch } : {}),
        wasmPaths: options.assetUrl(ORT_PATH),
        device,
        dimensions: model.dimensions,
        maxTokens: model.maxTokens,
      });
      return { encoder, backend: `${device} (transformers.js)`, dispose: () => encoder.dispose() };
    })();
  }

  function retire(old: Slot): void {
    old.retired = true;
    if (old.users === 0) freeSlot(old);
  }

  function freeSlot(old: Slot): void {
    old.loading.then(
      (loaded) => loaded.dispose?.().catch((e: unknown) => console.warn('[attention-reader] could not free an encoder', e)),
      () => undefined,
    );
  }

  /**
   * The encoder for the current choice, with a use held on it (release with `done`). A
   * stored model that fails to load is remembered, and the bundled encoder answers instead.
   */
  async function acquire(): Promise<{ loaded: LoadedEncoder; notice: string | null; done(): void }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const choice = await choose();
      if (slot && slot.encoderId !== choice.encoderId) {
        retire(slot);
        slot = null;
      }
      if (choice.kind === 'bundled' && !slot) {
        const failed = recentFailure(choice.encoderId);
        if (failed) throw new Error(failed);
      }
      const current = (slot ??= { encoderId: choice.encoderId, loading: load(choice), users: 0, retired: false });
      current.users++;
      const done = () => {
        current.users--;
        if (current.retired && current.users === 0) freeSlot(current);
      };
      try {
        const loaded = await current.loading;
        failures.delete(choice.encoderId);
        if (slot === current) lastBackend = loaded.backend;
        return { loaded, notice: choice.notice, done };
      } catch (e) {
        done();
        if (slot === current) slot = null;
        const reason = choice.kind === 'bundled' ? `the language model could not load: ${message(e)}` : message(e);
        failures.set(choice.encoderId, { reason, at: now() });
        if (slot === null) lastBackend = 'none';
        // A stored model failed: the next choice is the bundled encoder, with the reason.
        if (choice.kind === 'bundled') throw new Error(reason);
        console.warn(`[attention-reader] ${choice.encoderId} could not load; using the bundled encoder`, e);
      }
    }
    throw new Error('no encoder could load');
  }

  async function storeOrFail(): Promise<ModelStore> {
    if (!options.modelStore) throw new Error('downloaded models are not available in this browser');
    return options.modelStore();
  }

  const fileOut = ({ file, size, sha256 }: StoredModelFile) => ({ file, size, sha256 });

  return {
    async embed({ texts }) {
      // The reply says how long this call waited for the model and how long the inference took
      // (the bench's stages; the background adds its queue's wait).
      const asked = stageClock();
      const { loaded, done } = await acquire();
      try {
        const ready = stageClock();
        const vectors = await loaded.encoder.embed(texts);
        const computed = stageClock();
        return {
          encoderId: loaded.encoder.id,
          backend: loaded.backend,
          dimensions: loaded.encoder.dimensions,
          vectors: vectors.map((v) => Array.from(v)),
          timings: { loadMs: timingMs(ready - asked), computeMs: timingMs(computed - ready) },
        };
      } finally {
        done();
      }
    },
    async status() {
      try {
        const { loaded, notice, done } = await acquire();
        done();
        return { ready: true, encoderId: loaded.encoder.id, backend: loaded.backend, error: notice };
      } catch (e) {
        return { ready: false, encoderId: null, backend: lastBackend, error: message(e) };
      }
    },
    async download({ encoderId }) {
      const resolved = findEncoder(manifest, encoderId);
      if (!resolved || resolved.model.delivery !== 'download' || !isTransformersDtype(resolved.variant.precision)) {
        throw new Error(`"${encoderId}" is not a model that can be downloaded`);
      }
      if (download) {
        throw new Error(download.encoderId === encoderId ? 'this model is already downloading' : `another model is downloading (${download.encoderId}); wait until it has finished`);
      }
      const { model, variant } = resolved;
      // The manifest's size stands in until transformers.js learns the weights' real size.
      const estimate = Math.round(variant.approxMB * 1_000_000);
      const progress: ModelDownload = { encoderId, loadedBytes: 0, totalBytes: estimate };
      download = progress;
      try {
        const store = await storeOrFail();
        const encoder = await loadTransformers({
          modelId: model.id,
          dtype: variant.precision,
          store,
          allowDownload: true,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          wasmPaths: options.assetUrl(ORT_PATH),
          device,
          dimensions: model.dimensions,
          maxTokens: model.maxTokens,
          onProgress: (p) => {
            download = { encoderId, loadedBytes: p.loadedBytes, totalBytes: Math.max(p.totalBytes, p.status === 'ready' ? 0 : estimate, p.loadedBytes) };
          },
        });
        // Loading once proved the files work; the encoder in use is chosen by the settings.
        await encoder.dispose();
        failures.delete(encoderId);
        const wanted = new Set(requiredFiles(model, variant).map((f) => f.file));
        return { encoderId, files: (await store.list(model.id)).filter((f) => wanted.has(f.file)).map(fileOut) };
      } finally {
        download = null;
      }
    },
    async list() {
      const files = options.modelStore ? await (await options.modelStore()).list() : [];
      const byModel = new Map<string, StoredModelFile[]>();
      for (const f of files) byModel.set(f.modelId, [...(byModel.get(f.modelId) ?? []), f]);
      const models = [...byModel].map(([modelId, stored]) => {
        const present = new Set(stored.map((f) => f.file));
        const model = manifest.models.find((m) => m.id === modelId);
        const complete = model !== undefined && model.delivery === 'download' && model.variants.some((variant) => requiredFiles(model, variant).every((f) => present.has(f.file)));
        return { modelId, files: stored.map(fileOut), complete };
      });
      return { models, download: download ? { ...download } : null, notice: (await choose()).notice };
    },
    async remove({ modelId }) {
      if (download && findEncoder(manifest, download.encoderId)?.model.id === modelId) throw new Error('this model is downloading; wait until it has finished');
      const store = await storeOrFail();
      // The loaded copy stays usable until the next call, which then chooses again.
      return { removed: await store.removeModel(modelId) };
    },
  };
}

/** The messages the encoder host answers, for `listen(runtime, 'offscreen', ...)`. */
export function encoderHostHandlers(host: EncoderHost): Handlers<'encoder.embed' | 'encoder.status' | 'model.download' | 'model.list' | 'model.remove'> {
  return {
    'encoder.embed': (req) => host.embed(req),
    'encoder.status': () => host.status(),
    'model.download': (req) => host.download(req),
    'model.list': () => host.list(),
    'model.remove': (req) => host.remove(req),
  };
}

/**
 * The learner's choice, read from the reading database (extension pages share it with the
 * background). Opened and closed per read, so this page never holds the database open
 * against a version upgrade.
 */
export async function readChosenEncoderId(): Promise<string> {
  const db = await openReaderDB();
  try {
    return (await readSettingsTx(db.transaction('kv', 'readonly'))).encoderId;
  } finally {
    db.close();
  }
}

/** The model store of this browser profile, opened on first use. */
export function lazyModelStore(indexedDB: IDBFactory, manifest: ModelManifest = shippedModelManifest()): () => Promise<ModelStore> {
  let store: Promise<ModelStore> | null = null;
  return () => {
    store ??= openModelStore({ indexedDB, expectedSha256: expectedSha256From(manifest) }).catch((e: unknown) => {
      store = null;
      throw e;
    });
    return store;
  };
}

/** The host as the extension runs it: the choice from the settings, models from IndexedDB. */
export function createExtensionEncoderHost(assetUrl: (path: string) => string): EncoderHost {
  return createEncoderHost({
    assetUrl,
    chosenEncoderId: readChosenEncoderId,
    ...(globalThis.indexedDB ? { modelStore: lazyModelStore(globalThis.indexedDB) } : {}),
  });
}

/**
 * The encoder's worker of the offscreen document (platform/encoder-relay.ts): loads the
 * encoder once and answers the document's calls. Extension APIs do not reach a worker; its
 * own URL is the extension's, so the runtime and model files resolve against it.
 */
export function startEncoderWorker(scope: WorkerScopeLike & { location: { href: string } }): void {
  const host = createExtensionEncoderHost((p) => new URL(p, scope.location.href).href);
  serveWorkerCalls(scope, encoderHostHandlers(host));
}
