#!/usr/bin/env node
// Writes a tiny, randomly initialised BERT laid out like a Hugging Face hub repo, so that the
// whole transformers.js path (download, cache, tokenizer, ONNX session, pooling) can be tested
// offline in a few seconds. The weights mean nothing; the shapes, names and file layout are
// those of the real Xenova/*MiniLM* exports:
//
//   config.json, tokenizer.json (WordPiece, BertTokenizer), tokenizer_config.json
//   onnx/model.onnx            fp32, opset 13
//   onnx/model_quantized.onnx  the same weights, dynamically quantised (what dtype 'q8' loads)
//   meta.json                  sizes and sha256 of every file above
//
// Inputs input_ids / attention_mask / token_type_ids [batch, sequence] int64, output
// last_hidden_state [batch, sequence, 32] float. A fixed seed and arithmetic that uses only
// + and * on doubles make every run write identical bytes.
//
// Usage: node scripts/make-tiny-bert.mjs [--out <dir>] [--quiet]
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DT, OnnxGraph, attr, serialiseModel } from './convert-use/onnx-graph.mjs';
import { quantiseDynamicInt8 } from './convert-use/quantize.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

export const TINY_BERT = Object.freeze({
  hidden: 32,
  layers: 2,
  heads: 2,
  intermediate: 64,
  maxPositions: 128,
  typeVocab: 2,
  layerNormEps: 1e-12,
  seed: 20240611,
});

const OPSET = 13;

// ---------------------------------------------------------------- vocabulary

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PUNCTUATION = [...'.,!?;:\'"()-'];
const CHARACTERS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
// Common English words, so ordinary sentences become mostly whole-word tokens and different
// sentences get visibly different token sequences.
const WORDS = (
  'the of and to a in is it you that he was for on are with as i his they be at one have this from ' +
  'or had by not word but what some we can out other were all there when up use your how said an ' +
  'each she which do their time if will way about many then them write would like so these her long ' +
  'make thing see him two has look more day could go come did number sound no most people my over ' +
  'know water than call first who may down side been now find any new work part take get place made ' +
  'live where after back little only round man year came show every good me give our under name very ' +
  'through just form sentence great think say help low line differ turn cause much mean before move ' +
  'right boy old too same tell does set three want air well also play small end put home read hand ' +
  'port large spell add even land here must big high such follow act why ask men change went light ' +
  'kind off need house picture try us again animal point mother world near build self earth father ' +
  'cat dog sat mat language learn reading page text model'
).split(' ');
const SUFFIXES = ['##s', '##ed', '##ing', '##ly', '##er', '##est', '##tion', '##ness', '##ment'];

/** Token strings in id order; specials take ids 0-4 like BERT's [PAD]=0 convention. */
export function tinyBertVocabulary() {
  const tokens = [...SPECIAL_TOKENS, ...PUNCTUATION, ...CHARACTERS, ...CHARACTERS.map((c) => `##${c}`), ...WORDS, ...SUFFIXES];
  const seen = new Set();
  return tokens.filter((t) => (seen.has(t) ? false : (seen.add(t), true)));
}

function tokenizerJson(vocabulary) {
  const id = (token) => vocabulary.indexOf(token);
  const special = (token) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((t, i) => [t, i])),
    },
  };
}

function tokenizerConfigJson() {
  return {
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: '[MASK]',
    model_max_length: TINY_BERT.maxPositions,
    never_split: null,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: '[UNK]',
  };
}

function configJson(vocabSize) {
  return {
    _name_or_path: 'attention-reader/tiny-bert-random',
    architectures: ['BertModel'],
    attention_probs_dropout_prob: 0,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0,
    hidden_size: TINY_BERT.hidden,
    initializer_range: 0.02,
    intermediate_size: TINY_BERT.intermediate,
    layer_norm_eps: TINY_BERT.layerNormEps,
    max_position_embeddings: TINY_BERT.maxPositions,
    model_type: 'bert',
    num_attention_heads: TINY_BERT.heads,
    num_hidden_layers: TINY_BERT.layers,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    type_vocab_size: TINY_BERT.typeVocab,
    vocab_size: vocabSize,
  };
}

// ---------------------------------------------------------------- weights

/** mulberry32: a tiny 32-bit PRNG, integer arithmetic only, so identical on every platform. */
function createRandom(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Irwin-Hall (sum of 12 uniforms): close enough to a normal and, unlike Box-Muller, free of
  // log/cos, whose last bits may differ between JS engines.
  const normal = () => {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += uniform();
    return sum - 6;
  };
  return { normal };
}

// ---------------------------------------------------------------- graph

function buildGraph(vocabSize) {
  const { hidden, layers, heads, intermediate, maxPositions, typeVocab, layerNormEps, seed } = TINY_BERT;
  const headSize = hidden / heads;
  const random = createRandom(seed);
  const g = new OnnxGraph();
  const randomMatrix = (name, rows, cols, std) => {
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = random.normal() * std;
    return g.initializer(name, DT.FLOAT, [rows, cols], data);
  };
  const filled = (name, length, value) => g.initializer(name, DT.FLOAT, [length], new Float32Array(length).fill(value));
  const randomBias = (name, length) => {
    const data = new Float32Array(length);
    for (let i = 0; i < length; i++) data[i] = random.normal() * 0.02;
    return g.initializer(name, DT.FLOAT, [length], data);
  };

  for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
    g.inputs.push({ name, elemType: DT.INT64, shape: ['batch_size', 'sequence_length'] });
  }
  g.outputs.push({ name: 'last_hidden_state', elemType: DT.FLOAT, shape: ['batch_size', 'sequence_length', hidden] });

  const last = [-1];
  const layerNorm = (x, prefix, outputName) => {
    const gamma = filled(`${prefix}.weight`, hidden, 1);
    const beta = filled(`${prefix}.bias`, hidden, 0);
    const [mean] = g.add('ReduceMean', [x], 1, { axes: attr.ints(last), keepdims: attr.int(1) }, `${prefix}/mean`);
    const [centred] = g.add('Sub', [x, mean], 1, {}, `${prefix}/centre`);
    const [squared] = g.add('Mul', [centred, centred], 1, {}, `${prefix}/square`);
    const [variance] = g.add('ReduceMean', [squared], 1, { axes: attr.ints(last), keepdims: attr.int(1) }, `${prefix}/variance`);
    const [shifted] = g.add('Add', [variance, g.float32([layerNormEps], [], `${prefix}/eps`)], 1, {}, `${prefix}/add_eps`);
    const [deviation] = g.add('Sqrt', [shifted], 1, {}, `${prefix}/sqrt`);
    const [normalised] = g.add('Div', [centred, deviation], 1, {}, `${prefix}/normalise`);
    const [scaled] = g.add('Mul', [normalised, gamma], 1, {}, `${prefix}/scale`);
    return g.add('Add', [scaled, beta], outputName ? [outputName] : 1, {}, `${prefix}/shift`)[0];
  };
  const dense = (x, prefix, inSize, outSize) => {
    const weight = randomMatrix(`${prefix}.weight`, inSize, outSize, 0.2);
    const [product] = g.add('MatMul', [x, weight], 1, {}, `${prefix}/matmul`);
    return g.add('Add', [product, randomBias(`${prefix}.bias`, outSize)], 1, {}, `${prefix}/bias`)[0];
  };

  // Embeddings: word + position + token type, then layer norm.
  const wordTable = randomMatrix('embeddings.word_embeddings.weight', vocabSize, hidden, 1);
  const positionTable = randomMatrix('embeddings.position_embeddings.weight', maxPositions, hidden, 0.1);
  const typeTable = randomMatrix('embeddings.token_type_embeddings.weight', typeVocab, hidden, 0.1);
  const [words] = g.add('Gather', [wordTable, 'input_ids'], 1, { axis: attr.int(0) }, 'embeddings/words');
  const [shape] = g.add('Shape', ['input_ids'], 1, {}, 'embeddings/shape');
  const [length] = g.add('Gather', [shape, g.int64([1], [], 'embeddings/seq_axis')], 1, { axis: attr.int(0) }, 'embeddings/length');
  const [positionIds] = g.add('Range', [g.int64([0], [], 'embeddings/zero'), length, g.int64([1], [], 'embeddings/one')], 1, {}, 'embeddings/position_ids');
  const [positions] = g.add('Gather', [positionTable, positionIds], 1, { axis: attr.int(0) }, 'embeddings/positions');
  const [types] = g.add('Gather', [typeTable, 'token_type_ids'], 1, { axis: attr.int(0) }, 'embeddings/types');
  const [withPositions] = g.add('Add', [words, positions], 1, {}, 'embeddings/add_positions');
  const [embedded] = g.add('Add', [withPositions, types], 1, {}, 'embeddings/add_types');
  let x = layerNorm(embedded, 'embeddings.LayerNorm');

  // Padding positions get -10000 added to their attention scores, i.e. ~zero weight.
  const [maskFloat] = g.add('Cast', ['attention_mask'], 1, { to: attr.int(DT.FLOAT) }, 'mask/cast');
  const [inverted] = g.add('Sub', [g.float32([1], [], 'mask/one'), maskFloat], 1, {}, 'mask/invert');
  const [bias2d] = g.add('Mul', [inverted, g.float32([-10000], [], 'mask/minus_inf')], 1, {}, 'mask/scale');
  const [maskBias] = g.add('Unsqueeze', [bias2d, g.int64([1, 2], [2], 'mask/axes')], 1, {}, 'mask/unsqueeze');

  const splitHeads = g.int64([0, 0, heads, headSize], [4], 'attention/split_shape');
  const mergeHeads = g.int64([0, 0, hidden], [3], 'attention/merge_shape');
  const scale = g.float32([1 / Math.sqrt(headSize)], [], 'attention/scale');
  for (let l = 0; l < layers; l++) {
    const p = `encoder.layer.${l}`;
    const heads4d = (value, name, perm) => {
      const [split] = g.add('Reshape', [value, splitHeads], 1, {}, `${p}/${name}/split`);
      return g.add('Transpose', [split], 1, { perm: attr.ints(perm) }, `${p}/${name}/transpose`)[0];
    };
    const q = heads4d(dense(x, `${p}.attention.self.query`, hidden, hidden), 'query', [0, 2, 1, 3]);
    const k = heads4d(dense(x, `${p}.attention.self.key`, hidden, hidden), 'key', [0, 2, 3, 1]);
    const v = heads4d(dense(x, `${p}.attention.self.value`, hidden, hidden), 'value', [0, 2, 1, 3]);
    const [scores] = g.add('MatMul', [q, k], 1, {}, `${p}/scores`);
    const [scaled] = g.add('Mul', [scores, scale], 1, {}, `${p}/scale`);
    const [masked] = g.add('Add', [scaled, maskBias], 1, {}, `${p}/mask`);
    const [probs] = g.add('Softmax', [masked], 1, { axis: attr.int(-1) }, `${p}/softmax`);
    const [context] = g.add('MatMul', [probs, v], 1, {}, `${p}/context`);
    const [contextT] = g.add('Transpose', [context], 1, { perm: attr.ints([0, 2, 1, 3]) }, `${p}/context/transpose`);
    const [merged] = g.add('Reshape', [contextT, mergeHeads], 1, {}, `${p}/context/merge`);
    const attended = dense(merged, `${p}.attention.output.dense`, hidden, hidden);
    const [residual1] = g.add('Add', [attended, x], 1, {}, `${p}/attention/residual`);
    const afterAttention = layerNorm(residual1, `${p}.attention.output.LayerNorm`);

    // GELU, exact form: 0.5 * h * (1 + erf(h / sqrt 2)).
    const h = dense(afterAttention, `${p}.intermediate.dense`, hidden, intermediate);
    const [hScaled] = g.add('Mul', [h, g.float32([Math.SQRT1_2], [], `${p}/gelu/inv_sqrt2`)], 1, {}, `${p}/gelu/scale`);
    const [erf] = g.add('Erf', [hScaled], 1, {}, `${p}/gelu/erf`);
    const [onePlus] = g.add('Add', [erf, g.float32([1], [], `${p}/gelu/one`)], 1, {}, `${p}/gelu/one_plus`);
    const [gated] = g.add('Mul', [h, onePlus], 1, {}, `${p}/gelu/gate`);
    const [gelu] = g.add('Mul', [gated, g.float32([0.5], [], `${p}/gelu/half`)], 1, {}, `${p}/gelu/half`);
    const out = dense(gelu, `${p}.output.dense`, intermediate, hidden);
    const [residual2] = g.add('Add', [out, afterAttention], 1, {}, `${p}/output/residual`);
    x = layerNorm(residual2, `${p}.output.LayerNorm`, l === layers - 1 ? 'last_hidden_state' : undefined);
  }
  return g;
}

// ---------------------------------------------------------------- files

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const jsonBytes = (value) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Every output file as (path relative to the model folder → bytes), in a fixed order. */
export function buildTinyBertFiles() {
  const vocabulary = tinyBertVocabulary();
  const serialise = (graph, docString) =>
    serialiseModel(graph, { graphName: 'tiny_bert', opset: OPSET, producer: 'attention-reader make-tiny-bert', docString });
  const fp32 = serialise(buildGraph(vocabulary.length), 'Tiny random BERT for offline tests (fp32).');
  const quantisedGraph = buildGraph(vocabulary.length);
  // The matrices here are small, so the usual "big enough to be worth it" threshold is lowered
  // to make every dense layer and the embedding tables go through the int8 path.
  quantiseDynamicInt8(quantisedGraph, { minElements: 1024 });
  const q8 = serialise(quantisedGraph, 'Tiny random BERT for offline tests (dynamic int8).');

  const files = new Map([
    ['config.json', jsonBytes(configJson(vocabulary.length))],
    ['tokenizer.json', jsonBytes(tokenizerJson(vocabulary))],
    ['tokenizer_config.json', jsonBytes(tokenizerConfigJson())],
    ['onnx/model.onnx', fp32],
    ['onnx/model_quantized.onnx', q8],
  ]);
  const meta = {
    id: 'tiny-bert',
    note: 'Random weights, for tests only. Generated by scripts/make-tiny-bert.mjs.',
    dimensions: TINY_BERT.hidden,
    vocabulary: vocabulary.length,
    files: Object.fromEntries([...files].map(([path, data]) => [path, { bytes: data.byteLength, sha256: sha256(data) }])),
  };
  files.set('meta.json', jsonBytes(meta));
  return files;
}

async function writeAtomically(path, data) {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export async function writeTinyBert(outDir) {
  const files = buildTinyBertFiles();
  for (const [path, data] of files) await writeAtomically(join(outDir, path), data);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]) : join(root, 'models', 'generated', 'tiny-bert');
  const files = await writeTinyBert(outDir);
  if (!args.includes('--quiet')) {
    const total = [...files.values()].reduce((sum, data) => sum + data.byteLength, 0);
    const shown = relative(root, outDir);
    console.log(`tiny-bert: ${files.size} files, ${(total / 1024).toFixed(1)} KiB in ${shown && !shown.startsWith('..') ? shown : outDir}`);
  }
}
