import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import {
  DownloadNotAllowedError,
  ModelIntegrityError,
  importModelFolder,
  modelFetch,
  openModelStore,
  parseModelRequest,
  sha256Hex,
  transformersCache,
  type FetchLike,
  type ImportableFile,
  type ModelStoreOptions,
} from './model-store';

const MODEL = 'Owner/tiny';
const HUB = (file: string, model = MODEL) => `https://huggingface.co/${model}/resolve/main/${file}`;
const bytesOf = (text: string) => new TextEncoder().encode(text);
const hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
/** Deterministic non-text bytes, long enough to span several small chunks. */
const blob = (length: number, salt = 0) => Uint8Array.from({ length }, (_, i) => (i * 31 + salt * 7) % 251);

function open(options: Partial<ModelStoreOptions> = {}) {
  return openModelStore({ indexedDB: new IDBFactory(), chunkBytes: 64, now: () => 1000, ...options });
}

async function readAll(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

describe('model store', () => {
  it('round-trips files across chunk boundaries and reports their size and sha256', async () => {
    const store = await open();
    const weights = blob(64 * 3 + 5);
    const saved = await store.save(MODEL, [{ file: 'onnx/model.onnx', bytes: weights }, { file: 'config.json', bytes: bytesOf('{}') }], 'download');
    expect(saved.map((f) => [f.file, f.size, f.sha256])).toEqual([
      ['onnx/model.onnx', weights.byteLength, hex(weights)],
      ['config.json', 2, hex(bytesOf('{}'))],
    ]);
    expect(await store.read(MODEL, 'onnx/model.onnx')).toEqual(weights);
    const opened = await store.open(MODEL, 'onnx/model.onnx');
    expect(await readAll(new Response(opened!.body))).toEqual(weights);
    expect(await store.read(MODEL, 'missing.json')).toBeUndefined();
    expect(await store.open(MODEL, 'missing.json')).toBeUndefined();
  });

  it('replaces a file, dropping chunks of the longer old copy', async () => {
    const store = await open();
    await store.save(MODEL, [{ file: 'onnx/model.onnx', bytes: blob(64 * 4) }], 'download');
    const shorter = blob(70, 3);
    await store.save(MODEL, [{ file: 'onnx/model.onnx', bytes: shorter }], 'import');
    expect(await store.read(MODEL, 'onnx/model.onnx')).toEqual(shorter);
    expect((await store.info(MODEL, 'onnx/model.onnx'))?.source).toBe('import');
  });

  it('lists, finds missing files, removes one file or a whole model', async () => {
    const store = await open();
    await store.save(MODEL, [{ file: 'config.json', bytes: bytesOf('{}') }, { file: 'tokenizer.json', bytes: bytesOf('{}') }], 'download');
    await store.save('Other/model', [{ file: 'config.json', bytes: bytesOf('{}') }], 'download');
    expect((await store.list(MODEL)).map((f) => f.file).sort()).toEqual(['config.json', 'tokenizer.json']);
    expect(await store.list()).toHaveLength(3);
    expect(await store.missing(MODEL, ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx'])).toEqual(['onnx/model_quantized.onnx']);
    expect(await store.remove(MODEL, 'tokenizer.json')).toBe(true);
    expect(await store.remove(MODEL, 'tokenizer.json')).toBe(false);
    expect(await store.removeModel(MODEL)).toBe(1);
    expect(await store.list()).toEqual([expect.objectContaining({ modelId: 'Other/model' })]);
  });

  it('refuses names that could escape the model folder', async () => {
    const store = await open();
    await expect(store.save(MODEL, [{ file: '../evil.json', bytes: bytesOf('{}') }], 'import')).rejects.toThrow(/not a model file path/);
    await expect(store.save('../x', [{ file: 'config.json', bytes: bytesOf('{}') }], 'import')).rejects.toThrow(/not a model id/);
  });

  it('enforces pinned checksums: a mismatch stores nothing, deletes the old copy and says why', async () => {
    const good = blob(100);
    const store = await open({ expectedSha256: (id, file) => (id === MODEL && file === 'onnx/model.onnx' ? hex(good) : null) });
    await store.save(MODEL, [{ file: 'onnx/model.onnx', bytes: good }], 'download');
    const tampered = blob(100, 1);
    const failure = store.save(MODEL, [{ file: 'config.json', bytes: bytesOf('{}') }, { file: 'onnx/model.onnx', bytes: tampered }], 'import');
    await expect(failure).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(failure).rejects.toThrow(`sha256 ${hex(tampered)}, expected ${hex(good)}`);
    // All or nothing: the valid config.json of the same call was not written either.
    expect(await store.list(MODEL)).toEqual([]);
  });

  it('hashes like node:crypto', async () => {
    const data = blob(1000);
    expect(await sha256Hex(data)).toBe(hex(data));
  });
});

describe('parseModelRequest', () => {
  it('maps hub URLs and local paths onto the same key', () => {
    expect(parseModelRequest(HUB('onnx/model_quantized.onnx'))).toEqual({ key: 'Owner/tiny/onnx/model_quantized.onnx', modelId: MODEL, file: 'onnx/model_quantized.onnx', remote: true });
    expect(parseModelRequest('https://huggingface.co/tiny/resolve/main/config.json')).toMatchObject({ key: 'tiny/config.json', modelId: 'tiny', file: 'config.json' });
    expect(parseModelRequest('/transformers-models/Owner/tiny/onnx/model_quantized.onnx')).toEqual({ key: 'Owner/tiny/onnx/model_quantized.onnx', remote: false });
  });

  it('ignores other revisions, other hosts and escaping paths', () => {
    expect(parseModelRequest(`https://huggingface.co/${MODEL}/resolve/v2/config.json`)).toBeUndefined();
    expect(parseModelRequest(`https://example.org/${MODEL}/resolve/main/config.json`)).toBeUndefined();
    expect(parseModelRequest('/transformers-models/../secrets')).toBeUndefined();
    expect(parseModelRequest('/elsewhere/Owner/tiny/config.json')).toBeUndefined();
  });
});

describe('transformers.js cache over the store', () => {
  it('puts hub downloads with progress and matches them by URL and by local path', async () => {
    const store = await open();
    const cache = transformersCache(store);
    const weights = blob(300);
    const progress: number[] = [];
    const stream = new Response(weights).body!;
    await cache.put(HUB('onnx/model.onnx'), new Response(stream, { headers: { 'content-length': '300' } }), (p) => progress.push(p.loaded));
    expect(progress.at(-1)).toBe(300);
    expect(await store.read(MODEL, 'onnx/model.onnx')).toEqual(weights);
    const byUrl = await cache.match(HUB('onnx/model.onnx'));
    expect(byUrl?.headers.get('content-length')).toBe('300');
    expect(await readAll(byUrl!)).toEqual(weights);
    expect(await readAll((await cache.match('/transformers-models/Owner/tiny/onnx/model.onnx'))!)).toEqual(weights);
    expect(await cache.match(HUB('config.json'))).toBeUndefined();
    expect(await cache.delete(HUB('onnx/model.onnx'))).toBe(true);
    expect(await cache.match(HUB('onnx/model.onnx'))).toBeUndefined();
  });

  it('finds single-name model ids under the local path too', async () => {
    const store = await open();
    await store.save('tiny', [{ file: 'config.json', bytes: bytesOf('{"a":1}') }], 'import');
    const hit = await transformersCache(store).match('/transformers-models/tiny/config.json');
    expect(await hit?.text()).toBe('{"a":1}');
  });

  it('does not store what is not a hub download', async () => {
    const store = await open();
    await transformersCache(store).put('/transformers-models/Owner/tiny/config.json', new Response('{}'));
    expect(await store.list()).toEqual([]);
  });
});

describe('modelFetch', () => {
  const serving = (files: Record<string, Uint8Array>) => {
    const calls: string[] = [];
    const fetch: FetchLike = async (input) => {
      const url = String(input);
      calls.push(url);
      const bytes = Object.entries(files).find(([f]) => url === HUB(f))?.[1];
      return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } }) : new Response('missing', { status: 404 });
    };
    return { fetch, calls };
  };

  it('answers local paths with 404 without touching the network', async () => {
    const store = await open();
    const net = serving({});
    const response = await modelFetch({ store, fetch: net.fetch, allowDownload: true })('/transformers-models/Owner/tiny/config.json');
    expect(response.status).toBe(404);
    expect(net.calls).toEqual([]);
  });

  it('refuses hub URLs unless a download was asked for', async () => {
    const store = await open();
    const net = serving({ 'config.json': bytesOf('{}') });
    await expect(modelFetch({ store, fetch: net.fetch, allowDownload: false })(HUB('config.json'))).rejects.toBeInstanceOf(DownloadNotAllowedError);
    expect(net.calls).toEqual([]);
    expect((await modelFetch({ store, fetch: net.fetch, allowDownload: true })(HUB('config.json'))).status).toBe(200);
  });

  it('passes a download whose pinned sha256 matches, byte for byte', async () => {
    const weights = blob(500);
    const store = await open({ expectedSha256: () => hex(weights) });
    const net = serving({ 'onnx/model.onnx': weights });
    const response = await modelFetch({ store, fetch: net.fetch, allowDownload: true })(HUB('onnx/model.onnx'));
    expect(response.headers.get('content-length')).toBe('500');
    expect(await readAll(response)).toEqual(weights);
  });

  it('passes partial (206) answers unverified: a size probe is not the file', async () => {
    const store = await open({ expectedSha256: () => 'e'.repeat(64) });
    const probe: FetchLike = async () => new Response(new Uint8Array([7]), { status: 206, headers: { 'content-range': 'bytes 0-0/500' } });
    const response = await modelFetch({ store, fetch: probe, allowDownload: true })(HUB('onnx/model.onnx'), { headers: { Range: 'bytes=0-0' } });
    expect(response.status).toBe(206);
    expect(await readAll(response)).toEqual(new Uint8Array([7]));
  });

  it('fails a tampered download at the end of its stream and removes any stored copy', async () => {
    const weights = blob(500);
    const store = await open({ expectedSha256: () => hex(weights) });
    await store.save(MODEL, [{ file: 'onnx/model.onnx', bytes: weights }], 'download');
    const net = serving({ 'onnx/model.onnx': blob(500, 9) });
    const failures: ModelIntegrityError[] = [];
    const response = await modelFetch({ store, fetch: net.fetch, allowDownload: true, onIntegrityFailure: (e) => failures.push(e) })(HUB('onnx/model.onnx'));
    await expect(response.arrayBuffer()).rejects.toThrow(/failed its integrity check/);
    expect(await store.info(MODEL, 'onnx/model.onnx')).toBeUndefined();
    expect(failures.map((e) => [e.modelId, e.file, e.expected])).toEqual([[MODEL, 'onnx/model.onnx', hex(weights)]]);
  });
});

describe('importModelFolder', () => {
  const file = (path: string, content: Uint8Array | string): ImportableFile => {
    const bytes = typeof content === 'string' ? bytesOf(content) : content;
    return { name: path.split('/').at(-1)!, webkitRelativePath: path, arrayBuffer: async () => bytes.slice().buffer };
  };
  const folder = (prefix: string) => [
    file(`${prefix}config.json`, '{"model_type":"bert"}'),
    file(`${prefix}tokenizer.json`, '{}'),
    file(`${prefix}tokenizer_config.json`, '{}'),
    file(`${prefix}onnx/model_quantized.onnx`, blob(200)),
    file(`${prefix}onnx/model.onnx`, blob(400)),
    file(`${prefix}.git/HEAD`, 'ref'),
    file(`${prefix}README (copy).md`, 'odd name'),
  ];
  const WANTED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

  it('takes the wanted files of a picked model folder and ignores the rest', async () => {
    const store = await open();
    const result = await importModelFolder(store, MODEL, folder('all-MiniLM/'), { files: WANTED });
    expect(result.stored.map((f) => f.file).sort()).toEqual([...WANTED].sort());
    expect(result.stored.every((f) => f.source === 'import')).toBe(true);
    expect(result.ignored.sort()).toEqual(['all-MiniLM/.git/HEAD', 'all-MiniLM/README (copy).md', 'all-MiniLM/onnx/model.onnx']);
    expect(await store.read(MODEL, 'onnx/model_quantized.onnx')).toEqual(blob(200));
  });

  it('finds the model root when the parent folder was picked, and takes all plain files without a list', async () => {
    const store = await open();
    const files = [...folder('Xenova/all-MiniLM/'), file('Xenova/notes.txt', 'outside the model')];
    const result = await importModelFolder(store, MODEL, files);
    expect(result.stored.map((f) => f.file).sort()).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(result.ignored).toContain('Xenova/notes.txt');
  });

  it('says what is missing, and stores nothing', async () => {
    const store = await open();
    const partial = folder('m/').filter((f) => !f.webkitRelativePath!.endsWith('tokenizer.json'));
    await expect(importModelFolder(store, MODEL, partial, { files: WANTED })).rejects.toThrow(/lacks tokenizer.json/);
    await expect(importModelFolder(store, MODEL, [file('m/tokenizer.json', '{}')])).rejects.toThrow(/no config.json/);
    expect(await store.list()).toEqual([]);
  });

  it('checks imported files against the manifest too', async () => {
    const store = await open({ expectedSha256: (_id, f) => (f === 'onnx/model_quantized.onnx' ? 'f'.repeat(64) : null) });
    await expect(importModelFolder(store, MODEL, folder('m/'), { files: WANTED })).rejects.toBeInstanceOf(ModelIntegrityError);
    expect(await store.list()).toEqual([]);
  });
});
