/**
 * Choosing a BERT-family model, end to end in Node on the tiny random BERT that
 * scripts/make-tiny-bert.mjs writes: the encoder host with real transformers.js, a real model
 * store (fake IndexedDB) and a stub hub. Before the model is on the device the bundled encoder
 * answers and says why; the learner's download goes through `model.download` with progress in
 * `model.list`; afterwards the chosen model answers with no request at all; a folder import
 * through the options page's model API works the same way. Only the network and the bundled
 * encoder are fakes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelApi } from '../../components/options/model-api';
import { expectedSha256From, parseModelManifest, type ModelManifest } from '../../lib/model-manifest';
import { openModelStore, type FetchLike, type ImportableFile } from '../../platform/encoder/model-store';
import { createEncoderHost, shippedModelManifest, type EncoderHost } from '../../platform/encoder-host';

const root = join(__dirname, '..', '..');
const MODEL = 'test/tiny-bert';
const ENCODER = `${MODEL}:q8`;
const Q8_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

let outDir: string;
let files: Map<string, Uint8Array>;
let manifest: ModelManifest;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split('\\').join('/'))
    .sort();
}

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'model-choice-'));
  execFileSync(process.execPath, [join(root, 'scripts', 'make-tiny-bert.mjs'), '--out', outDir, '--quiet']);
  files = new Map(listFiles(outDir).map((p) => [p, new Uint8Array(readFileSync(join(outDir, p)))]));
  const meta = JSON.parse(new TextDecoder().decode(files.get('meta.json'))) as { files: Record<string, { bytes: number; sha256: string }> };
  const shipped = shippedModelManifest();
  // The shipped manifest's bundled model, and the tiny BERT as a downloadable one, its
  // weights pinned as a real entry would be.
  manifest = parseModelManifest({
    version: 1,
    models: [
      shipped.models.find((m) => m.delivery === 'bundled'),
      {
        id: MODEL,
        name: 'tiny BERT',
        delivery: 'download',
        languages: ['en'],
        dimensions: 32,
        maxTokens: 128,
        pooling: 'mean',
        runtime: 'transformers.js',
        variants: [
          {
            precision: 'q8',
            encoderId: ENCODER,
            file: 'onnx/model_quantized.onnx',
            approxMB: 0.1,
            url: `https://huggingface.co/${MODEL}/resolve/main/onnx/model_quantized.onnx`,
            sha256: meta.files['onnx/model_quantized.onnx']!.sha256,
            default: true,
          },
        ],
        supportFiles: ['config.json', 'tokenizer.json', 'tokenizer_config.json'],
        licence: 'none',
        source: 'scripts/make-tiny-bert.mjs',
      },
    ],
  });
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** The hub, serving the generated files in 4 KiB pieces (so progress has steps), with Range. */
function stubHub() {
  const requests: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = String(input);
    requests.push(url);
    const prefix = `https://huggingface.co/${MODEL}/resolve/main/`;
    const whole = url.startsWith(prefix) ? files.get(url.slice(prefix.length)) : undefined;
    if (!whole) return new Response('Entry not found', { status: 404 });
    const range = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init?.headers).get('range') ?? '');
    if (range) {
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), whole.byteLength - 1)];
      return new Response(whole.slice(start, end + 1), {
        status: 206,
        headers: { 'content-length': String(end + 1 - start), 'content-range': `bytes ${start}-${end}/${whole.byteLength}` },
      });
    }
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= whole.byteLength) return controller.close();
        // A pause per piece, so that a poll can see the download half-way.
        await new Promise((r) => setTimeout(r, 1));
        controller.enqueue(whole.slice(offset, offset + 4096));
        offset += 4096;
      },
    });
    return new Response(body, { headers: { 'content-length': String(whole.byteLength) } });
  };
  return { fetch, requests };
}

function setup() {
  const indexedDB = new IDBFactory();
  let chosen = 'use-lite-int8';
  const hub = stubHub();
  const storeOpening = openModelStore({ indexedDB, expectedSha256: expectedSha256From(manifest) });
  const host: EncoderHost = createEncoderHost({
    assetUrl: (p) => p,
    manifest,
    chosenEncoderId: async () => chosen,
    modelStore: () => storeOpening,
    fetch: hub.fetch,
    transformersDevice: 'cpu',
    loadBundled: async () => ({
      encoder: { id: 'use-lite-int8', dimensions: 512, embed: async (texts) => texts.map(() => new Float32Array(512)) },
      backend: 'fake',
    }),
  });
  return { host, hub, indexedDB, choose: (id: string) => (chosen = id) };
}

const TEXTS = ['The cat sat on the mat.', 'Reading a page in the language you learn.'];
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('choosing a downloadable model', () => {
  it('is refused with a reason until downloaded; the download reports progress; then the model answers offline', async () => {
    const { host, hub, choose } = setup();
    choose(ENCODER);
    const before = await host.status();
    expect(before).toMatchObject({ ready: true, encoderId: 'use-lite-int8' });
    expect(before.error).toMatch(/tiny BERT is not on this device yet \(missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx\)/);
    expect((await host.embed({ texts: TEXTS })).encoderId).toBe('use-lite-int8');
    expect(hub.requests).toEqual([]);

    // The learner presses Download; the page polls the list meanwhile.
    const running = host.download({ encoderId: ENCODER });
    const seen: { loadedBytes: number; totalBytes: number }[] = [];
    let finished = false;
    void running.finally(() => (finished = true)).catch(() => undefined);
    while (!finished) {
      const { download } = await host.list();
      if (download) seen.push(download);
      await new Promise((r) => setTimeout(r, 5));
    }
    const result = await running;
    expect(result.encoderId).toBe(ENCODER);
    expect(result.files.map((f) => f.file).sort()).toEqual([...Q8_FILES].sort());
    const weights = files.get('onnx/model_quantized.onnx')!.byteLength;
    expect(result.files.find((f) => f.file === 'onnx/model_quantized.onnx')!.size).toBe(weights);
    // Progress rose through the weights, in bytes.
    expect(seen.some((p) => p.loadedBytes > 0 && p.loadedBytes < p.totalBytes)).toBe(true);
    expect(seen.map((p) => p.loadedBytes)).toEqual([...seen.map((p) => p.loadedBytes)].sort((a, b) => a - b));
    expect(Math.max(...seen.map((p) => p.totalBytes))).toBeGreaterThanOrEqual(weights);
    expect((await host.list()).download).toBeNull();

    const requestsAfterDownload = hub.requests.length;
    const reply = await host.embed({ texts: TEXTS });
    expect(reply).toMatchObject({ encoderId: ENCODER, dimensions: 32 });
    for (const v of reply.vectors) expect(norm(v)).toBeCloseTo(1, 5);
    expect(reply.vectors[0]).not.toEqual(reply.vectors[1]);
    expect(await host.status()).toMatchObject({ ready: true, encoderId: ENCODER, error: null });
    expect(hub.requests.length).toBe(requestsAfterDownload);
    expect((await host.list()).models).toEqual([expect.objectContaining({ modelId: MODEL, complete: true })]);

    // Back to the bundled model, and removing the download leaves the choice unusable again.
    choose('use-lite-int8');
    expect((await host.embed({ texts: TEXTS })).encoderId).toBe('use-lite-int8');
    choose(ENCODER);
    expect(await host.remove({ modelId: MODEL })).toEqual({ removed: Q8_FILES.length });
    expect((await host.embed({ texts: TEXTS })).encoderId).toBe('use-lite-int8');
  }, 60_000);

  it('uses a folder imported through the options page’s model API, with no network', async () => {
    const { host, hub, indexedDB, choose } = setup();
    const api = createModelApi({ send: () => Promise.reject(new Error('no messages in this test')), indexedDB, manifest });
    const picked: ImportableFile[] = listFiles(outDir).map((path) => {
      const file = new File([readFileSync(join(outDir, path))], path.split('/').at(-1)!);
      Object.defineProperty(file, 'webkitRelativePath', { value: `tiny-bert/${path}` });
      return file;
    });
    // A folder lacking the weights is refused in words, and stores nothing.
    await expect(api.importFolder(MODEL, picked.filter((f) => !f.webkitRelativePath?.endsWith('model_quantized.onnx')), Q8_FILES)).rejects.toThrow(/lacks onnx\/model_quantized\.onnx/);
    expect((await host.list()).models).toEqual([]);

    expect(await api.importFolder(MODEL, picked, Q8_FILES)).toEqual({ stored: Q8_FILES.length });
    choose(ENCODER);
    const reply = await host.embed({ texts: TEXTS });
    expect(reply.encoderId).toBe(ENCODER);
    expect(reply.vectors).toHaveLength(2);
    expect(hub.requests).toEqual([]);
  }, 60_000);
});
