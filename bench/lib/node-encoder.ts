/**
 * The bundled USE-lite encoder in Node, on onnxruntime-node, for benchmarks and tests:
 * the same tokenizer, batching and ONNX model as the extension, a different ORT build.
 *
 *   const encoder = await createNodeEncoder({ quantized: true, threads: 2 });
 *   const [a, b] = await encoder.embed(['first paragraph', 'second paragraph']);
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { Encoder, LengthBatchOptions } from '../../lib/encoder';
import { UnigramTokenizer } from '../../lib/tokenizer';
import { createUseLiteEncoder, useLiteEncoderId } from '../../platform/encoder/use-lite';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const USE_LITE_DIR = join(projectRoot, 'models', 'generated', 'use-lite');

export interface NodeEncoderOptions {
  /** The int8 model (default false: fp32). */
  readonly quantized?: boolean;
  /** ORT intra-op threads (default 1: the machine's cores are shared). */
  readonly threads?: number;
  readonly batching?: LengthBatchOptions;
}

let converted = false;

/** Runs the converter once per process; it returns at once when its outputs are current. */
export function ensureUseLiteModel(): string {
  if (!converted) {
    execFileSync(process.execPath, [join(projectRoot, 'scripts', 'convert-use', 'convert.mjs'), '--quiet'], { stdio: 'inherit' });
    converted = true;
  }
  return USE_LITE_DIR;
}

/**
 * The first 12 hex digits of the generated model file's sha256 (meta.json): embeddings cached
 * under an encoder id alone would outlive a change of the weights (a new quantisation keeps
 * the id), so caches carry this too.
 */
export function useLiteModelFingerprint(quantized: boolean): string {
  const meta = JSON.parse(readFileSync(join(ensureUseLiteModel(), 'meta.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
  return meta.files[quantized ? 'model.int8.onnx' : 'model.onnx']!.sha256.slice(0, 12);
}

/** A raw onnxruntime-node session over the generated model, for side-by-side measurements. */
export async function createNodeSession(options: { quantized?: boolean; threads?: number } = {}): Promise<ort.InferenceSession> {
  const dir = ensureUseLiteModel();
  return ort.InferenceSession.create(join(dir, options.quantized ? 'model.int8.onnx' : 'model.onnx'), {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

export function loadUseLiteTokenizer(): UnigramTokenizer {
  const json: unknown = JSON.parse(readFileSync(join(ensureUseLiteModel(), 'tokenizer.json'), 'utf8'));
  return UnigramTokenizer.fromTokenizerJson(json);
}

export async function createNodeEncoder(options: NodeEncoderOptions = {}): Promise<Encoder> {
  const quantized = options.quantized ?? false;
  const session = await createNodeSession({ quantized, threads: options.threads });
  return createUseLiteEncoder({
    session,
    Tensor: ort.Tensor,
    tokenizer: loadUseLiteTokenizer(),
    id: useLiteEncoderId(quantized),
    batching: options.batching,
  });
}
