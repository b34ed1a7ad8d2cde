/**
 * Holds the converted USE-lite ONNX model and our tokenizer against the reference: the
 * original TF.js graph (tfjs-converter on the CPU backend) fed by USE's own JS tokenizer.
 * Runs the converter first (it returns at once when its outputs are current).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { Tokenizer as UseTokenizer } from '@tensorflow-models/universal-sentence-encoder/dist/tokenizer';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cosineSimilarity, type Encoder } from '../../lib/encoder';
import { seededRandom } from '../../lib/random';
import { UnigramTokenizer } from '../../lib/tokenizer';
import { createUseLiteEncoder, useLiteEncoderId, useLiteFeeds } from '../../platform/encoder/use-lite';

// Each case runs real models (TF.js and onnxruntime on the CPU) or the converter itself: on a
// busy shared machine a case took over vitest's default 5 s. Correctness, not speed, is
// under test here (speed is bench:encode's).
vi.setConfig({ testTimeout: 60_000 });

const root = join(__dirname, '..', '..');
const sourceDir = join(root, 'node_modules', '@energetic-ai', 'model-embeddings-en', 'dist');
const outDir = join(root, 'models', 'generated', 'use-lite');
const converter = join(root, 'scripts', 'convert-use', 'convert.mjs');

const convert = (...args: string[]) => execFileSync(process.execPath, [converter, ...args], { encoding: 'utf8' });
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Meta {
  id: string;
  dimensions: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The original TF.js graph, loaded from the package files without fetch. */
async function loadReferenceModel(): Promise<GraphModel> {
  await tf.setBackend('cpu');
  const manifest = JSON.parse(readFileSync(join(sourceDir, 'model.json'), 'utf8'));
  const groups: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] = manifest.weightsManifest;
  const weights = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => readFileSync(join(sourceDir, p)))));
  return loadGraphModel({
    load: async () => ({
      modelTopology: manifest.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  });
}

/** USE's own embedding path: sparse (indices, values) from its tokenizer's ids. */
async function referenceEmbed(model: GraphModel, idLists: number[][]): Promise<Float32Array[]> {
  const indices: [number, number][] = [];
  const values: number[] = [];
  idLists.forEach((ids, row) => ids.forEach((id, col) => (indices.push([row, col]), values.push(id))));
  const out = (await model.executeAsync({
    indices: tf.tensor2d(indices, [indices.length, 2], 'int32'),
    values: tf.tensor1d(values, 'int32'),
  })) as tf.Tensor;
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return idLists.map((_, r) => data.slice(r * 512, (r + 1) * 512));
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

// Short, varied texts (one reference batch) and one long text alone: TF.js on the CPU pads
// every row to the longest, and a 128-token row costs it seconds.
const VARIED = [
  'Hello, world! How are you -- really?!',
  'Café, naïve résumé, déjà vu: façade of the Zürich Straße.',
  'Привет, как дела? Сегодня хорошая погода.',
  '日本語のテキストです。東京は大きい都市です。',
  'I love pizza 🍕 and parties 🎉 with friends 👩‍👩‍👧.',
  'مرحبا بالعالم، كيف حالك اليوم؟',
  'See https://example.com/path?query=1&b=two#frag or mail me@example.org',
  'const x = foo(1, 2); if (x > 3) { return [x, "y"]; }',
  ': a text that starts with a colon, and 12:30 or 09:00 in it',
  'Replacement \ufffd character, <s> and </s> tokens, ”5 quotes',
  'Mixed CASE and ALL CAPS WORDS with numbers 3.14159 and 1,000,000.',
];
const LONG = Array.from({ length: 60 }, (_, i) => `sentence ${i} says something rather different about topic ${i % 7}.`).join(' ');

describe('USE-lite conversion to ONNX', () => {
  let reference: GraphModel;
  let tokenizer: UnigramTokenizer;
  let useTokenizer: UseTokenizer;
  let fp32: Encoder;
  let int8: Encoder;
  let fp32Session: ort.InferenceSession;
  let referenceVaried: Float32Array[];
  let referenceLong: Float32Array;
  const scratch = mkdtempSync(join(tmpdir(), 'use-lite-'));

  beforeAll(async () => {
    convert('--quiet');
    tokenizer = UnigramTokenizer.fromTokenizerJson(JSON.parse(readFileSync(join(outDir, 'tokenizer.json'), 'utf8')));
    useTokenizer = new UseTokenizer(JSON.parse(readFileSync(join(sourceDir, 'vocab.json'), 'utf8')));
    const options = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' } as const;
    fp32Session = await ort.InferenceSession.create(join(outDir, 'model.onnx'), options);
    const int8Session = await ort.InferenceSession.create(join(outDir, 'model.int8.onnx'), options);
    fp32 = createUseLiteEncoder({ session: fp32Session, Tensor: ort.Tensor, tokenizer });
    int8 = createUseLiteEncoder({ session: int8Session, Tensor: ort.Tensor, tokenizer, id: useLiteEncoderId(true) });
    reference = await loadReferenceModel();
    referenceVaried = await referenceEmbed(reference, VARIED.map((t) => useTokenizer.encode(t)));
    [referenceLong] = (await referenceEmbed(reference, [useTokenizer.encode(LONG)])) as [Float32Array];
  }, 120_000);

  afterAll(() => {
    reference?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('describes its outputs in meta.json, with the sha256 of each file', () => {
    const meta: Meta = JSON.parse(readFileSync(join(outDir, 'meta.json'), 'utf8'));
    expect(meta.id).toBe('use-lite');
    expect(meta.dimensions).toBe(512);
    for (const name of ['model.onnx', 'model.int8.onnx', 'tokenizer.json']) {
      expect(meta.files[name]?.sha256, name).toBe(sha256(join(outDir, name)));
    }
    // The int8 model must actually be the small one.
    expect(meta.files['model.int8.onnx']!.bytes).toBeLessThan(meta.files['model.onnx']!.bytes / 3);
  });

  it('converts deterministically, skips when current and redoes stale outputs', () => {
    const meta: Meta = JSON.parse(readFileSync(join(outDir, 'meta.json'), 'utf8'));
    convert('--force', '--quiet', '--out', scratch);
    for (const name of ['model.onnx', 'model.int8.onnx', 'tokenizer.json']) {
      expect(sha256(join(scratch, name)), name).toBe(meta.files[name]?.sha256);
    }
    expect(convert('--out', scratch)).toMatch(/up to date/);
    utimesSync(join(scratch, 'model.int8.onnx'), new Date(0), new Date(0));
    expect(convert('--out', scratch)).toMatch(/wrote/);
  });

  it('feeds the model exactly the ids USE would', () => {
    for (const text of [...VARIED, LONG]) expect(tokenizer.encode(text), text).toEqual(useTokenizer.encode(text));
  });

  it('fp32: matches TF.js within 1e-4 on varied text, through the product encoder', async () => {
    const ours = await fp32.embed([...VARIED, LONG]);
    const expected = [...referenceVaried, referenceLong];
    const worst = Math.max(...ours.map((v, i) => maxAbsDiff(v, expected[i] as Float32Array)));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('fp32: the raw graph also ignores tokens past position 128, as TF.js does', async () => {
    const ids = useTokenizer.encode(LONG);
    expect(ids.length).toBeGreaterThan(200);
    const out = await fp32Session.run(useLiteFeeds(ort.Tensor, [ids]));
    expect(maxAbsDiff(out.embeddings!.data as Float32Array, referenceLong)).toBeLessThanOrEqual(1e-4);
  });

  it('int8: cosine similarity to TF.js of at least 0.99 on every text', async () => {
    const ours = await int8.embed([...VARIED, LONG]);
    const expected = [...referenceVaried, referenceLong];
    const worst = Math.min(...ours.map((v, i) => cosineSimilarity(v, expected[i] as Float32Array)));
    expect(worst).toBeGreaterThanOrEqual(0.99);
  });

  it('gives a text the same embedding alone, padded in a batch, or next to empty text', async () => {
    const text = VARIED[0] as string;
    const [alone] = await fp32.embed([text]);
    const [batched, , empty] = await fp32.embed([text, LONG, '']);
    expect(maxAbsDiff(alone!, batched!)).toBeLessThanOrEqual(1e-5);
    expect(empty!.every((x) => x === 0)).toBe(true);
  });

  it('places a paraphrase closer than an unrelated sentence (fp32 and int8)', async () => {
    for (const encoder of [fp32, int8]) {
      const [a, paraphrase, unrelated] = await encoder.embed([
        'The children were playing football in the park after school.',
        'After school, the kids played soccer in the park.',
        'The central bank raised interest rates to fight inflation.',
      ]);
      expect(cosineSimilarity(a!, paraphrase!)).toBeGreaterThan(cosineSimilarity(a!, unrelated!) + 0.2);
    }
  });
});

describe('USE-lite tokenizer agreement', () => {
  it("gives the same ids as USE's own tokenizer on 3,000 random mixed-script strings", () => {
    const tokenizer = UnigramTokenizer.fromTokenizerJson(JSON.parse(readFileSync(join(outDir, 'tokenizer.json'), 'utf8')));
    const useTokenizer = new UseTokenizer(JSON.parse(readFileSync(join(sourceDir, 'vocab.json'), 'utf8')));
    // Fragments chosen to hit every odd corner: the zero- and null-scored ":" pieces,
    // reserved-looking text, the duplicated "”5", astral characters, unknown runs.
    const fragments = [
      ...Array.from('abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?()[]\'"-—…'),
      ...Array.from('éèàüößçñåø ПриветмирЖЯ αβγΩ 日本語中文한국어 مرحبا שלום ไทย'),
      'the ',
      ' and ',
      '://',
      ':)',
      ':-)',
      ':30',
      ':00',
      '<s>',
      '</s>',
      '”5',
      '\ufffd',
      '😀',
      '🎉',
      '\u00a0',
      '  ',
      'ﬁ',
      'Ａ',
    ];
    const random = seededRandom(1234567);
    const mismatches: string[] = [];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = Math.floor(random() * 48);
      for (let i = 0; i < length; i++) text += fragments[Math.floor(random() * fragments.length)];
      if (JSON.stringify(tokenizer.encode(text)) !== JSON.stringify(useTokenizer.encode(text))) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });

  it('writes a tokenizer.json that transformers.js loads and agrees with on ordinary text', async () => {
    const { PreTrainedTokenizer } = await import('@huggingface/transformers');
    const json: unknown = JSON.parse(readFileSync(join(outDir, 'tokenizer.json'), 'utf8'));
    const ours = UnigramTokenizer.fromTokenizerJson(json);
    const theirs = new PreTrainedTokenizer(json as object, {});
    // Text that starts with ":" is left out: there USE's "a best score of 0 means unset" rule
    // (which lib/tokenizer.ts reproduces) has no equivalent in a standard Unigram model.
    for (const text of [...VARIED.filter((t) => !t.startsWith(':')), LONG]) {
      expect(theirs.encode(text, { add_special_tokens: false }), text).toEqual(ours.encode(text));
    }
  }, 30_000);
});
