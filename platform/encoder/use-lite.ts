/**
 * The bundled Universal Sentence Encoder lite as an `Encoder`, over any ONNX Runtime session:
 * onnxruntime-web in the offscreen document, onnxruntime-node in tests and benches. The
 * ONNX model comes from scripts/convert-use (inputs input_ids/attention_mask, output
 * embeddings [batch, 512], already L2-normalised).
 */
import type * as OrtWeb from 'onnxruntime-web';
import { runInLengthBatches, type Encoder, type LengthBatchOptions } from '../../lib/encoder';
import { normaliseWhitespace } from '../../lib/text';
import { UnigramTokenizer } from '../../lib/tokenizer';

export const USE_LITE_DIMENSIONS = 512;
/** The graph ignores every token from position 128 on, so they are not even sent. */
export const USE_LITE_MAX_TOKENS = 128;

/** The part of an ORT tensor this code touches; both onnxruntime-web and -node fit it. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The `Tensor` class of the ORT build in use (sessions only accept their own build's tensors). */
export type OrtTensorConstructor<T extends OrtTensorLike = OrtTensorLike> = new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => T;

export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
}

/** Anything that turns text into USE token ids. */
export interface TokenIdEncoder {
  encode(text: string): number[];
}

/**
 * The ids the model sees for `text`: whitespace collapsed first (USE's training-time
 * SentencePiece normaliser did the same, while its JS tokenizer would turn each line break
 * into an unknown token), then cut to the 128 positions the model reads.
 */
export function useLiteTokenIds(tokenizer: TokenIdEncoder, text: string): number[] {
  return tokenizer.encode(normaliseWhitespace(text)).slice(0, USE_LITE_MAX_TOKENS);
}

// A BigInt literal (1n) needs an ES2020 target, which the shared tsconfig does not pin.
const ONE = BigInt(1);

/**
 * The model inputs for non-empty id sequences, right padded to the longest one. An empty
 * sequence would be an all-padding row, which the graph silently drops when it is last.
 */
export function useLiteFeeds<T extends OrtTensorLike>(Tensor: OrtTensorConstructor<T>, sequences: readonly (readonly number[])[]): Record<string, T> {
  const width = Math.max(0, ...sequences.map((s) => s.length));
  const ids = new BigInt64Array(sequences.length * width);
  const mask = new BigInt64Array(sequences.length * width);
  sequences.forEach((sequence, row) => {
    if (sequence.length === 0) throw new Error('useLiteFeeds: empty sequence');
    sequence.forEach((id, col) => {
      ids[row * width + col] = BigInt(id);
      mask[row * width + col] = ONE;
    });
  });
  const dims = [sequences.length, width];
  return { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', mask, dims) };
}

/** Splits the [rows, 512] output into one independent vector per row. */
export function splitEmbeddings(output: OrtTensorLike | undefined, rows: number): Float32Array[] {
  if (!output || !(output.data instanceof Float32Array)) throw new Error('use-lite: model returned no float embeddings');
  const [outRows, dims] = output.dims;
  if (outRows !== rows || dims !== USE_LITE_DIMENSIONS) {
    throw new Error(`use-lite: expected [${rows}, ${USE_LITE_DIMENSIONS}] embeddings, got [${output.dims.join(', ')}]`);
  }
  const data = output.data;
  // Copies, so each vector owns its buffer (cache entries must not pin the whole batch).
  return Array.from({ length: rows }, (_, r) => new Float32Array(data.subarray(r * USE_LITE_DIMENSIONS, (r + 1) * USE_LITE_DIMENSIONS)));
}

export interface UseLiteEncoderOptions {
  readonly session: OrtSessionLike;
  readonly Tensor: OrtTensorConstructor;
  readonly tokenizer: TokenIdEncoder;
  /** Defaults to "use-lite"; give quantised weights their own id (see `useLiteEncoderId`). */
  readonly id?: string;
  readonly batching?: LengthBatchOptions;
}

/** Distinct ids keep fp32 and int8 embeddings apart in caches. */
export function useLiteEncoderId(quantized: boolean): string {
  return quantized ? 'use-lite-int8' : 'use-lite';
}

/**
 * Batches of up to 32 paragraphs, and at most 2,048 padded tokens per call: on 1-2 CPU
 * threads larger batches only add latency before the first result.
 */
export const USE_LITE_DEFAULT_BATCHING: LengthBatchOptions = { maxBatchSize: 32, maxBatchTokens: 2048 };

export function createUseLiteEncoder(options: UseLiteEncoderOptions): Encoder {
  const { session, Tensor, tokenizer } = options;
  const batching = options.batching ?? USE_LITE_DEFAULT_BATCHING;
  // ORT sessions must not run concurrently (onnxruntime-web rejects it), so calls queue.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    id: options.id ?? useLiteEncoderId(false),
    dimensions: USE_LITE_DIMENSIONS,
    embed(texts) {
      return exclusive(async () => {
        const sequences = texts.map((t) => useLiteTokenIds(tokenizer, t));
        // Text without any token (empty or whitespace only) gets the zero vector, which is
        // "similar to nothing" (cosineSimilarity returns 0), and never reaches the model.
        const results: Float32Array[] = texts.map(() => new Float32Array(USE_LITE_DIMENSIONS));
        const nonEmpty = sequences.flatMap((s, i) => (s.length > 0 ? [i] : []));
        const embedded = await runInLengthBatches(
          nonEmpty.map((i) => (sequences[i] as number[]).length),
          batching,
          async (batch) => {
            const batchSequences = batch.map((k) => sequences[nonEmpty[k] as number] as number[]);
            const output = await session.run(useLiteFeeds(Tensor, batchSequences));
            return splitEmbeddings(output.embeddings, batch.length);
          },
        );
        nonEmpty.forEach((textIndex, k) => {
          results[textIndex] = embedded[k] as Float32Array;
        });
        return results;
      });
    },
  };
}

export interface UseLiteSessionOptions {
  /** Where the ort-wasm-*.wasm files are served, e.g. the extension's own URL for them. */
  readonly wasmPaths?: string;
  /** WASM threads; more than 1 needs a cross-origin-isolated page. Default: 1, or up to 4 when isolated. */
  readonly threads?: number;
  /** Default ['wasm']; put 'webgpu' first to try the GPU (ops it lacks run on the CPU). */
  readonly executionProviders?: readonly ('webgpu' | 'wasm')[];
}

/** Creates the onnxruntime-web session for the model at `modelUrl` (fp32 or int8 file). */
export async function createUseLiteSession(
  ort: typeof OrtWeb,
  modelUrl: string,
  options: UseLiteSessionOptions = {},
): Promise<OrtWeb.InferenceSession> {
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  ort.env.wasm.numThreads = options.threads ?? (isolated ? Math.max(1, Math.min(4, cores)) : 1);
  return ort.InferenceSession.create(modelUrl, {
    executionProviders: [...(options.executionProviders ?? ['wasm'])],
    graphOptimizationLevel: 'all',
  });
}

export interface UseLiteFiles {
  readonly modelUrl: string;
  readonly tokenizerUrl: string;
  readonly quantized: boolean;
}

/** Everything in one call for the offscreen document: session, tokenizer, encoder. */
export async function loadUseLiteEncoder(
  ort: typeof OrtWeb,
  files: UseLiteFiles,
  options: UseLiteSessionOptions & { readonly batching?: LengthBatchOptions } = {},
): Promise<Encoder> {
  const [session, tokenizerJson] = await Promise.all([
    createUseLiteSession(ort, files.modelUrl, options),
    fetch(files.tokenizerUrl).then((r) => {
      if (!r.ok) throw new Error(`use-lite: ${files.tokenizerUrl} answered ${r.status}`);
      return r.json() as Promise<unknown>;
    }),
  ]);
  return createUseLiteEncoder({
    session,
    Tensor: ort.Tensor,
    tokenizer: UnigramTokenizer.fromTokenizerJson(tokenizerJson),
    id: useLiteEncoderId(files.quantized),
    batching: options.batching,
  });
}
