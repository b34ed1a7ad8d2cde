/**
 * The whole transformers.js path, offline, on the tiny random BERT that
 * scripts/make-tiny-bert.mjs writes: a "download" from a stub hub (fetch injected), the
 * sha256 check passing and failing, the IndexedDB cache (the second load makes no request),
 * an import from disk, and the embeddings themselves. Real transformers.js, real tokenizer,
 * real ONNX Runtime (onnxruntime-node); only the network is fake.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../lib/encoder';
import { importModelFolder, openModelStore, type FetchLike, type ImportableFile, type ModelStore } from '../../platform/encoder/model-store';
import { createTransformersEncoder, type ModelLoadProgress, type TransformersEncoder, type TransformersEncoderOptions } from '../../platform/encoder/transformers';

const root = join(__dirname, '..', '..');
const MODEL = 'test/tiny-bert';
const DIMENSIONS = 32;
/** What dtype 'q8' makes transformers.js read, in this order of need. */
const Q8_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

let outDir: string;
let files: Map<string, Uint8Array>;
let meta: { files: Record<string, { bytes: number; sha256: string }> };

function generate(dir: string): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'make-tiny-bert.mjs'), '--out', dir, '--quiet']);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split('\\').join('/'))
    .sort();
}

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'tiny-bert-'));
  generate(outDir);
  files = new Map(listFiles(outDir).map((p) => [p, new Uint8Array(readFileSync(join(outDir, p)))]));
  meta = JSON.parse(new TextDecoder().decode(files.get('meta.json')));
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/**
 * A stub of the hub serving the generated files in 4 KiB pieces, so progress has steps. Like
 * the hub it answers a "Range: bytes=a-b" request (transformers.js sends bytes=0-0 to learn a
 * size) with 206 and just those bytes.
 */
function stubHub() {
  const requests: string[] = [];
  const rangeRequests: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = String(input);
    const prefix = `https://huggingface.co/${MODEL}/resolve/main/`;
    const whole = url.startsWith(prefix) ? files.get(url.slice(prefix.length)) : undefined;
    const range = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init?.headers).get('range') ?? '');
    (range ? rangeRequests : requests).push(url);
    if (!whole) return new Response('Entry not found', { status: 404 });
    if (range) {
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), whole.byteLength - 1)];
      return new Response(whole.slice(start, end + 1), {
        status: 206,
        headers: { 'content-length': String(end + 1 - start), 'content-range': `bytes ${start}-${end}/${whole.byteLength}` },
      });
    }
    const bytes = whole;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 4096));
        offset += 4096;
      },
    });
    return new Response(body, { headers: { 'content-length': String(bytes.byteLength) } });
  };
  return { fetch, requests, rangeRequests };
}

/** A network that must not be used: every request is recorded, and fails. */
const attempted: string[] = [];
const offline: FetchLike = async (input) => {
  attempted.push(String(input));
  throw new Error(`unexpected request for ${String(input)}`);
};

beforeEach(() => {
  attempted.length = 0;
});

const pinned = (overrides: Record<string, string> = {}) => (modelId: string, file: string) =>
  modelId === MODEL ? (overrides[file] ?? meta.files[file]?.sha256 ?? null) : null;

const openStore = (expectedSha256 = pinned()) => openModelStore({ indexedDB: new IDBFactory(), expectedSha256, chunkBytes: 16 * 1024 });

const load = (store: ModelStore, options: Partial<TransformersEncoderOptions> = {}): Promise<TransformersEncoder> =>
  createTransformersEncoder({ modelId: MODEL, dtype: 'q8', store, dimensions: DIMENSIONS, maxTokens: 128, fetch: offline, ...options });

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

const TEXTS = ['The cat sat on the mat.', 'Reading a page in the language you learn.', 'Water, earth and air.', 'the cat sat on the mat'];

describe('make-tiny-bert', () => {
  it('writes a hub-shaped folder, identical bytes on every run', () => {
    expect([...files.keys()]).toEqual(['config.json', 'meta.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const again = mkdtempSync(join(tmpdir(), 'tiny-bert-again-'));
    try {
      generate(again);
      for (const [path, bytes] of files) expect(new Uint8Array(readFileSync(join(again, path))), path).toEqual(bytes);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: DIMENSIONS, num_hidden_layers: 2, num_attention_heads: 2 });
    expect(config.vocab_size).toBeGreaterThan(200);
  });
});

describe('transformers.js path (offline)', () => {
  it('downloads on request with progress, verifies, stores, and then loads with no request at all', async () => {
    const store = await openStore();
    const hub = stubHub();
    const progress: ModelLoadProgress[] = [];
    const first = await load(store, { allowDownload: true, fetch: hub.fetch, onProgress: (p) => progress.push(p) });

    // Each file downloaded whole exactly once (size probes aside).
    expect([...hub.requests].sort()).toEqual(Q8_FILES.map((f) => `https://huggingface.co/${MODEL}/resolve/main/${f}`).sort());
    const stored = await store.list(MODEL);
    expect(stored.map((f) => f.file).sort()).toEqual([...Q8_FILES].sort());
    for (const f of stored) expect(f.sha256, f.file).toBe(meta.files[f.file]?.sha256);

    // Progress: byte steps for every file (the weights come in several pieces), totals adding
    // up to the files' sizes, and a final "ready".
    const stepsOf = (file: string) => progress.filter((p) => p.status === 'progress' && p.file === file).length;
    for (const file of Q8_FILES) expect(stepsOf(file), file).toBeGreaterThan(0);
    expect(stepsOf('onnx/model_quantized.onnx')).toBeGreaterThanOrEqual(Math.ceil(meta.files['onnx/model_quantized.onnx']!.bytes / 4096));
    const totalBytes = Q8_FILES.reduce((s, f) => s + meta.files[f]!.bytes, 0);
    expect(progress.at(-1)).toEqual({ modelId: MODEL, status: 'ready', file: null, loadedBytes: totalBytes, totalBytes });

    // Second load: everything from IndexedDB, and a network that throws if touched.
    const second = await load(store);
    expect(await second.embed(TEXTS)).toEqual(await first.embed(TEXTS));
    expect(attempted).toEqual([]);
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('does not download unless asked: a model that is not stored fails without a request', async () => {
    const store = await openStore();
    const hub = stubHub();
    await expect(load(store, { fetch: hub.fetch })).rejects.toThrow(/test\/tiny-bert is not on this device: download it, or import its folder/);
    expect(hub.requests).toEqual([]);
    expect(hub.rangeRequests).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('fails a download whose weights do not match the pinned sha256, keeping nothing of that file', async () => {
    const store = await openStore(pinned({ 'onnx/model_quantized.onnx': '0'.repeat(64) }));
    await expect(load(store, { allowDownload: true, fetch: stubHub().fetch })).rejects.toThrow(
      /test\/tiny-bert\/onnx\/model_quantized\.onnx failed its integrity check: sha256 [0-9a-f]{64}, expected 0{64}/,
    );
    expect(await store.info(MODEL, 'onnx/model_quantized.onnx')).toBeUndefined();
  });

  it('fails a tampered JSON file the same way (the path where transformers.js reads the body itself)', async () => {
    const store = await openStore(pinned({ 'tokenizer.json': 'f'.repeat(64) }));
    await expect(load(store, { allowDownload: true, fetch: stubHub().fetch })).rejects.toThrow(/tokenizer\.json failed its integrity check/);
    expect(await store.info(MODEL, 'tokenizer.json')).toBeUndefined();
  });

  it('loads a model folder imported from disk, with no network', async () => {
    const store = await openStore();
    const picked: ImportableFile[] = listFiles(outDir).map((path) => {
      const file = new File([readFileSync(join(outDir, path))], path.split('/').at(-1)!);
      // What <input webkitdirectory> sets: the picked folder's name first.
      Object.defineProperty(file, 'webkitRelativePath', { value: `tiny-bert/${relative(outDir, join(outDir, path))}` });
      return file;
    });
    const result = await importModelFolder(store, MODEL, picked, { files: Q8_FILES });
    expect(result.ignored.sort()).toEqual(['tiny-bert/meta.json', 'tiny-bert/onnx/model.onnx']);
    const imported = await load(store);
    expect(attempted).toEqual([]);
    const downloadedStore = await openStore();
    const downloaded = await load(downloadedStore, { allowDownload: true, fetch: stubHub().fetch });
    expect(await imported.embed(TEXTS)).toEqual(await downloaded.embed(TEXTS));
    await Promise.all([imported.dispose(), downloaded.dispose()]);
  });

  it('embeds: unit vectors of the model width, same text same vector, batch order kept, blank text zero', async () => {
    const store = await openStore();
    const encoder = await load(store, { allowDownload: true, fetch: stubHub().fetch });
    expect(encoder.id).toBe(`${MODEL}:q8`);
    expect(encoder.dimensions).toBe(DIMENSIONS);

    const texts = [...TEXTS, TEXTS[0]!, '   ', 'a much longer paragraph about reading, about words and about learning a language well'];
    const vectors = await encoder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((v, i) => {
      expect(v).toHaveLength(DIMENSIONS);
      if (texts[i]!.trim() !== '') expect(norm(v)).toBeCloseTo(1, 5);
    });
    expect(vectors[4]).toEqual(vectors[0]);
    expect(norm(vectors[5]!)).toBe(0);
    // Different tokens, different vectors: even one token (the final period) apart.
    expect(vectors[3]).not.toEqual(vectors[0]);
    expect(cosineSimilarity(vectors[0]!, vectors[1]!)).toBeLessThan(0.99);

    // Each text alone gives what it gave inside the batch, so no row was swapped. Not to the
    // last bit: q8 quantises activations with one scale per call (as the real MiniLM q8
    // exports do), and that scale depends on the other rows of the batch.
    for (const [i, text] of texts.entries()) {
      if (text.trim() === '') continue;
      const [alone] = await encoder.embed([text]);
      const own = cosineSimilarity(alone!, vectors[i]!);
      expect(own, text).toBeGreaterThan(0.999);
      for (const [j, other] of texts.entries()) if (other !== text && other.trim() !== '') expect(cosineSimilarity(alone!, vectors[j]!)).toBeLessThan(own);
    }
    await encoder.dispose();
  });

  it('cuts texts at maxTokens, keeps q8 and fp32 apart by id, and refuses a model of the wrong width', async () => {
    const store = await openStore();
    const hub = stubHub();
    const short = await load(store, { allowDownload: true, fetch: hub.fetch, maxTokens: 6 });
    const [head, longer] = await short.embed(['the cat sat on the mat', 'the cat sat on the mat and then the dog came']);
    // [CLS] + 4 tokens + [SEP]: both texts are the same six tokens once cut.
    expect(longer).toEqual(head);

    const fp32 = await load(store, { allowDownload: true, fetch: hub.fetch, dtype: 'fp32' });
    expect(fp32.id).toBe(`${MODEL}:fp32`);
    expect(await store.info(MODEL, 'onnx/model.onnx')).toBeDefined();
    const q8 = await load(store);
    const [a] = await fp32.embed([TEXTS[1]!]);
    const [b] = await q8.embed([TEXTS[1]!]);
    // Same weights, int8-rounded: close, not equal.
    expect(a).not.toEqual(b);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(0.9);

    await expect(load(store, { dimensions: 384 })).rejects.toThrow(/32 dimensions, the manifest says 384/);
    await Promise.all([short.dispose(), fp32.dispose(), q8.dispose()]);
  });
});
