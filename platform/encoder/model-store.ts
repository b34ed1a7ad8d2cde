/**
 * Where downloaded and imported transformers.js models live: IndexedDB, in a database of
 * their own (model weights are not learner data: no backup, no migrations of db.ts).
 *
 * transformers.js would cache downloads with the Cache API, which refuses `chrome-extension:`
 * requests (transformers.js issue #380), so the extension plugs this store in as
 * `env.customCache` (see `transformersCache`), and routes every request the library makes
 * through `modelFetch`, which
 *   - answers local-model paths itself (imported files are found in the cache before any
 *     fetch; anything else is a 404, never a request to the extension's own origin),
 *   - refuses to touch the network unless the learner asked for a download, and
 *   - checks the sha256 of every download the manifest pins, while the bytes stream through,
 *     so a corrupted or substituted file fails the load instead of reaching ONNX Runtime.
 *
 * Files are stored in chunks (8 MiB by default), so a 118 MB model never has to be one
 * IndexedDB value, and a cached file is read back as a stream, chunk by chunk.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import * as v from 'valibot';
import { ModelFilePathSchema, ModelIdSchema, type ExpectedSha256 } from '../../lib/model-manifest';

export const MODEL_DB_NAME = 'attention-reader-models';
const DB_VERSION = 1;
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export type ModelFileSource = 'download' | 'import';

/** What the store knows about one file, without its bytes. */
export interface StoredModelFile {
  readonly modelId: string;
  /** Path inside the model folder, e.g. "onnx/model_quantized.onnx". */
  readonly file: string;
  readonly size: number;
  /** Of the stored bytes; what a manifest entry can be pinned to after a first download. */
  readonly sha256: string;
  readonly source: ModelFileSource;
  readonly storedAt: number;
}

interface FileRecord extends StoredModelFile {
  /** `${modelId}/${file}`: the path transformers.js asks for below its model root. */
  readonly key: string;
  readonly chunks: number;
}

interface ChunkRecord {
  readonly key: string;
  readonly index: number;
  readonly data: ArrayBuffer;
}

interface ModelDB extends DBSchema {
  files: { key: string; value: FileRecord; indexes: { modelId: string } };
  chunks: { key: [string, number]; value: ChunkRecord };
}

/** A file whose bytes do not hash to what the manifest pins. */
export class ModelIntegrityError extends Error {
  constructor(
    readonly modelId: string,
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${modelId}/${file} failed its integrity check: sha256 ${actual}, expected ${expected}. ` +
        'The file was discarded; download it again, or import an unmodified copy.',
    );
    this.name = 'ModelIntegrityError';
  }
}

export interface NewModelFile {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export interface ModelStore {
  /** The checksums `save` enforces (from the manifest; null = not pinned, stored unchecked). */
  readonly expectedSha256: ExpectedSha256;
  info(modelId: string, file: string): Promise<StoredModelFile | undefined>;
  read(modelId: string, file: string): Promise<Uint8Array | undefined>;
  /** The file as a stream of its chunks, read from IndexedDB as the consumer pulls. */
  open(modelId: string, file: string): Promise<{ info: StoredModelFile; body: ReadableStream<Uint8Array> } | undefined>;
  /**
   * Verifies every file against its pinned sha256, then stores them all in one transaction
   * (all or none). A file that fails is also deleted from the store, and the call throws a
   * `ModelIntegrityError`.
   */
  save(modelId: string, files: readonly NewModelFile[], source: ModelFileSource): Promise<StoredModelFile[]>;
  remove(modelId: string, file: string): Promise<boolean>;
  /** Deletes every file of the model; returns how many there were. */
  removeModel(modelId: string): Promise<number>;
  list(modelId?: string): Promise<StoredModelFile[]>;
  /** Which of `files` the store lacks for `modelId` (empty: the model loads offline). */
  missing(modelId: string, files: readonly string[]): Promise<string[]>;
  close(): void;
}

export interface ModelStoreOptions {
  /** The IndexedDB to use: `globalThis.indexedDB` in the extension, fake-indexeddb in tests. */
  readonly indexedDB: IDBFactory;
  readonly name?: string;
  readonly expectedSha256?: ExpectedSha256;
  readonly chunkBytes?: number;
  readonly now?: () => number;
}

const fileKey = (modelId: string, file: string) => `${modelId}/${file}`;

function checkNames(modelId: string, file: string): void {
  if (!v.is(ModelIdSchema, modelId)) throw new Error(`not a model id: ${JSON.stringify(modelId)}`);
  if (!v.is(ModelFilePathSchema, file)) throw new Error(`not a model file path: ${JSON.stringify(file)}`);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function concatenate(parts: readonly Uint8Array[], length = parts.reduce((sum, p) => sum + p.byteLength, 0)): Uint8Array {
  if (parts.length === 1 && parts[0]!.byteLength === length) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

const publicInfo = ({ modelId, file, size, sha256, source, storedAt }: FileRecord): StoredModelFile => ({ modelId, file, size, sha256, source, storedAt });

const chunkRange = (key: string) => IDBKeyRange.bound([key, 0], [key, Infinity]);

export async function openModelStore(options: ModelStoreOptions): Promise<ModelStore> {
  const expectedSha256 = options.expectedSha256 ?? (() => null);
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  const now = options.now ?? Date.now;
  const request = options.indexedDB.open(options.name ?? MODEL_DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const raw = request.result;
    if (!raw.objectStoreNames.contains('files')) raw.createObjectStore('files', { keyPath: 'key' }).createIndex('modelId', 'modelId');
    if (!raw.objectStoreNames.contains('chunks')) raw.createObjectStore('chunks', { keyPath: ['key', 'index'] });
  };
  const db = (await wrap(request)) as unknown as IDBPDatabase<ModelDB>;
  // Another context upgrading the schema must not be blocked by this connection.
  db.addEventListener('versionchange', () => db.close());

  async function info(modelId: string, file: string): Promise<StoredModelFile | undefined> {
    const record = await db.get('files', fileKey(modelId, file));
    return record && publicInfo(record);
  }

  async function remove(modelId: string, file: string): Promise<boolean> {
    const key = fileKey(modelId, file);
    const tx = db.transaction(['files', 'chunks'], 'readwrite');
    const existed = (await tx.objectStore('files').getKey(key)) !== undefined;
    await Promise.all([tx.objectStore('files').delete(key), tx.objectStore('chunks').delete(chunkRange(key)), tx.done]);
    return existed;
  }

  return {
    expectedSha256,
    info,
    remove,

    async read(modelId, file) {
      const key = fileKey(modelId, file);
      const tx = db.transaction(['files', 'chunks'], 'readonly');
      const [record, chunks] = await Promise.all([tx.objectStore('files').get(key), tx.objectStore('chunks').getAll(chunkRange(key))]);
      await tx.done;
      if (!record) return undefined;
      if (chunks.length !== record.chunks) throw new Error(`${key}: ${chunks.length} of ${record.chunks} stored chunks found`);
      return concatenate(
        chunks.map((c) => new Uint8Array(c.data)),
        record.size,
      );
    },

    async open(modelId, file) {
      const key = fileKey(modelId, file);
      const record = await db.get('files', key);
      if (!record) return undefined;
      let index = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (index >= record.chunks) {
            controller.close();
            return;
          }
          const chunk = await db.get('chunks', [key, index]);
          if (!chunk) {
            controller.error(new Error(`${key}: chunk ${index} is missing (the file was removed while being read)`));
            return;
          }
          index++;
          controller.enqueue(new Uint8Array(chunk.data));
        },
      });
      return { info: publicInfo(record), body };
    },

    async save(modelId, files, source) {
      for (const { file } of files) checkNames(modelId, file);
      const hashed = await Promise.all(files.map(async (f) => ({ ...f, sha256: await sha256Hex(f.bytes) })));
      for (const f of hashed) {
        const expected = expectedSha256(modelId, f.file);
        if (expected && expected !== f.sha256) {
          // An older copy under the same name is no better trusted than this one.
          await remove(modelId, f.file);
          throw new ModelIntegrityError(modelId, f.file, expected, f.sha256);
        }
      }
      const storedAt = now();
      const records: FileRecord[] = hashed.map((f) => ({
        key: fileKey(modelId, f.file),
        modelId,
        file: f.file,
        size: f.bytes.byteLength,
        sha256: f.sha256,
        source,
        storedAt,
        chunks: Math.ceil(f.bytes.byteLength / chunkBytes),
      }));
      const tx = db.transaction(['files', 'chunks'], 'readwrite');
      const writes: Promise<unknown>[] = [];
      hashed.forEach((f, i) => {
        const record = records[i]!;
        writes.push(tx.objectStore('chunks').delete(chunkRange(record.key)));
        for (let c = 0; c < record.chunks; c++) {
          // slice() copies, so each chunk owns exactly its bytes (not the whole file's buffer).
          const data = f.bytes.slice(c * chunkBytes, (c + 1) * chunkBytes).buffer;
          writes.push(tx.objectStore('chunks').put({ key: record.key, index: c, data }));
        }
        writes.push(tx.objectStore('files').put(record));
      });
      await Promise.all([...writes, tx.done]);
      return records.map(publicInfo);
    },

    async removeModel(modelId) {
      const tx = db.transaction(['files', 'chunks'], 'readwrite');
      const keys = await tx.objectStore('files').index('modelId').getAllKeys(modelId);
      await Promise.all([...keys.flatMap((key) => [tx.objectStore('files').delete(key), tx.objectStore('chunks').delete(chunkRange(key))]), tx.done]);
      return keys.length;
    },

    async list(modelId) {
      const records = modelId === undefined ? await db.getAll('files') : await db.getAllFromIndex('files', 'modelId', modelId);
      return records.map(publicInfo);
    },

    async missing(modelId, wanted) {
      const present = new Set((await db.getAllFromIndex('files', 'modelId', modelId)).map((r) => r.file));
      return wanted.filter((f) => !present.has(f));
    },

    close() {
      db.close();
    },
  };
}

// ------------------------------------------------------------------ transformers.js side

/** Where transformers.js looks for model files; both are mapped onto the store. */
export interface ModelLocations {
  /** `env.remoteHost`; downloads are `${remoteHost}${modelId}/resolve/main/${file}`. */
  readonly remoteHost: string;
  /** `env.localModelPath`; a path no server answers: imported models are found in the cache. */
  readonly localModelPath: string;
}

export const DEFAULT_MODEL_LOCATIONS: ModelLocations = {
  remoteHost: 'https://huggingface.co/',
  localModelPath: '/transformers-models/',
};

export interface ModelRequest {
  /** `${modelId}/${file}`, the store's key. */
  readonly key: string;
  /** Known for hub URLs only (a local path does not say where the id ends). */
  readonly modelId?: string;
  readonly file?: string;
  readonly remote: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a transformers.js request string names, or undefined for anything else. */
export function parseModelRequest(request: string, locations: ModelLocations = DEFAULT_MODEL_LOCATIONS): ModelRequest | undefined {
  const hub = new RegExp(`^${escapeRegExp(locations.remoteHost.replace(/\/?$/, '/'))}([^/]+(?:/[^/]+)?)/resolve/([^/]+)/(.+)$`).exec(request);
  if (hub) {
    const [, modelId, revision, file] = hub as unknown as [string, string, string, string];
    // Only the main revision is ever stored; another revision is another set of bytes.
    if (revision !== 'main' || !v.is(ModelIdSchema, modelId) || !v.is(ModelFilePathSchema, file)) return undefined;
    return { key: fileKey(modelId, file), modelId, file, remote: true };
  }
  const local = locations.localModelPath.replace(/\/?$/, '/');
  if (request.startsWith(local)) {
    const key = request.slice(local.length);
    return key.length > 0 && !key.split('/').includes('..') ? { key, remote: false } : undefined;
  }
  return undefined;
}

/** transformers.js' progress hook for `put`, as it calls it. */
export type CachePutProgress = (data: { progress: number; loaded: number; total: number }) => void;

/** The part of the Web Cache API transformers.js uses for `env.customCache`. */
export interface TransformersCache {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response, progress?: CachePutProgress): Promise<void>;
  delete(request: string): Promise<boolean>;
}

async function readBody(response: Response, progress?: CachePutProgress): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const declared = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.byteLength;
    const total = Math.max(declared, loaded);
    progress?.({ progress: (loaded / total) * 100, loaded, total });
  }
  return concatenate(parts, loaded);
}

/** The store as transformers.js' custom cache. */
export function transformersCache(store: ModelStore, locations: ModelLocations = DEFAULT_MODEL_LOCATIONS): TransformersCache {
  // A local path does not say where the model id ends; the key is the same either way, and
  // the store only needs id and file apart when it writes.
  const splitKey = async (key: string) => {
    const parts = key.split('/');
    for (const idLength of [2, 1]) {
      const modelId = parts.slice(0, idLength).join('/');
      const file = parts.slice(idLength).join('/');
      if (file && (await store.info(modelId, file))) return { modelId, file };
    }
    return undefined;
  };
  const locate = async (request: string) => {
    const parsed = parseModelRequest(request, locations);
    if (!parsed) return undefined;
    return parsed.modelId !== undefined && parsed.file !== undefined ? { modelId: parsed.modelId, file: parsed.file } : splitKey(parsed.key);
  };

  return {
    async match(request) {
      const found = await locate(request);
      const opened = found && (await store.open(found.modelId, found.file));
      if (!opened) return undefined;
      return new Response(opened.body, { status: 200, headers: { 'content-length': String(opened.info.size) } });
    },
    async put(request, response, progress) {
      const parsed = parseModelRequest(request, locations);
      // Only hub downloads are written: a local path names a file the store already has.
      if (!parsed?.remote || parsed.modelId === undefined || parsed.file === undefined) return;
      const bytes = await readBody(response, progress);
      await store.save(parsed.modelId, [{ file: parsed.file, bytes }], 'download');
    },
    async delete(request) {
      const found = await locate(request);
      return found ? store.remove(found.modelId, found.file) : false;
    },
  };
}

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Thrown when transformers.js would download while the learner has not asked for it. */
export class DownloadNotAllowedError extends Error {
  constructor(readonly url: string) {
    super(`not downloading ${url}: model downloads happen only when the learner asks for one`);
    this.name = 'DownloadNotAllowedError';
  }
}

export interface ModelFetchOptions {
  readonly store: ModelStore;
  /** The network; `globalThis.fetch` in the extension, a stub serving files in tests. */
  readonly fetch: FetchLike;
  /** True only while a download the learner asked for is running. */
  readonly allowDownload: boolean;
  readonly locations?: ModelLocations;
  /**
   * Told of every failed integrity check. Some readers do not pass the stream's error on
   * (Chromium's Response.arrayBuffer() reports "Failed to fetch"), so the loader uses this to
   * say what really happened.
   */
  readonly onIntegrityFailure?: (error: ModelIntegrityError) => void;
}

/**
 * `env.fetch` for transformers.js: local model paths are answered here (404: had the store
 * had the file, the cache would have returned it), hub URLs go to the network only when
 * allowed, and a download whose sha256 the manifest pins is verified as it streams: the
 * stream errors at its end on a mismatch, after the file was removed from the store.
 */
export function modelFetch(options: ModelFetchOptions): FetchLike {
  const locations = options.locations ?? DEFAULT_MODEL_LOCATIONS;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    const isHttp = /^https?:\/\//i.test(url);
    if (!isHttp) return new Response(null, { status: 404, statusText: 'Not Found' });
    if (!options.allowDownload) throw new DownloadNotAllowedError(url);
    const response = await options.fetch(input, init);
    const parsed = parseModelRequest(url, locations);
    const expected = parsed?.modelId !== undefined && parsed.file !== undefined ? options.store.expectedSha256(parsed.modelId, parsed.file) : null;
    // Only a whole file can be hashed: transformers.js also asks for "bytes=0-0" to learn a
    // file's size, and the 206 answer to that is one byte.
    if (response.status !== 200 || !response.body || !expected || !parsed?.modelId || !parsed.file) return response;
    const { modelId, file } = parsed;
    const body = verifiedBody(response.body, expected, async (actual) => {
      await options.store.remove(modelId, file);
      const error = new ModelIntegrityError(modelId, file, expected, actual);
      options.onIntegrityFailure?.(error);
      return error;
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Passes `source` through chunk by chunk (so download progress stays live) and, at its end,
 * closes only if the bytes hash to `expected`; otherwise errors with `mismatch(actual)`.
 * WebCrypto has no incremental SHA-256, so the chunks are kept until the end.
 */
function verifiedBody(source: ReadableStream<Uint8Array>, expected: string, mismatch: (actual: string) => Promise<Error>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const parts: Uint8Array[] = [];
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (!done) {
        parts.push(value);
        controller.enqueue(value);
        return;
      }
      const actual = await sha256Hex(concatenate(parts));
      parts.length = 0;
      if (actual === expected) controller.close();
      else controller.error(await mismatch(actual));
    },
    cancel(reason) {
      parts.length = 0;
      return reader.cancel(reason);
    },
  });
}

// ------------------------------------------------------------------ import from disk

/** A file picked from disk (`<input type="file" webkitdirectory>` gives `File`s like this). */
export interface ImportableFile {
  readonly name: string;
  /** "chosen-folder/onnx/model_quantized.onnx" when picked as a folder; may be "". */
  readonly webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface ImportOptions {
  /**
   * The files to take (paths inside the model folder). All must be present; everything else
   * in the folder is ignored, so a full hub clone with every precision does not fill the disk.
   * Without it, every file of the folder with a plain name is taken.
   */
  readonly files?: readonly string[];
}

export interface ImportResult {
  readonly stored: StoredModelFile[];
  /** Paths in the folder that were not taken (other precisions, hidden files, odd names). */
  readonly ignored: string[];
}

/**
 * Stores a model folder picked from disk under `modelId`, so transformers.js then loads it with
 * no network. The model's root is the folder holding the shallowest config.json, so picking
 * the model folder or its parent both work. Verified and written all or nothing.
 */
export async function importModelFolder(store: ModelStore, modelId: string, files: readonly ImportableFile[], options: ImportOptions = {}): Promise<ImportResult> {
  if (!v.is(ModelIdSchema, modelId)) throw new Error(`not a model id: ${JSON.stringify(modelId)}`);
  const entries = files.map((f) => ({ path: (f.webkitRelativePath || f.name).replace(/\\/g, '/'), source: f }));
  const configs = entries.filter((e) => e.path === 'config.json' || e.path.endsWith('/config.json'));
  const depth = (path: string) => path.split('/').length;
  const root = configs.sort((a, b) => depth(a.path) - depth(b.path))[0]?.path.slice(0, -'config.json'.length);
  if (root === undefined) throw new Error('the chosen folder has no config.json: choose the folder of one model (with config.json, tokenizer.json and onnx/)');

  const inside = entries.flatMap((e) => (e.path.startsWith(root) ? [{ file: e.path.slice(root.length), source: e.source }] : []));
  const usable = (file: string) => v.is(ModelFilePathSchema, file) && !file.split('/').some((part) => part.startsWith('.'));
  const wanted = options.files ? new Set(options.files) : undefined;
  const taken = inside.filter((e) => usable(e.file) && (!wanted || wanted.has(e.file)));
  if (options.files) {
    const present = new Set(taken.map((e) => e.file));
    const lacking = options.files.filter((f) => !present.has(f));
    if (lacking.length > 0) throw new Error(`the chosen folder lacks ${lacking.join(', ')}`);
  }
  const takenFiles = new Set(taken.map((e) => e.file));
  const ignored = entries.map((e) => e.path).filter((path) => !(path.startsWith(root) && takenFiles.has(path.slice(root.length))));
  const loaded = await Promise.all(taken.map(async (e) => ({ file: e.file, bytes: new Uint8Array(await e.source.arrayBuffer()) })));
  return { stored: await store.save(modelId, loaded, 'import'), ignored };
}
