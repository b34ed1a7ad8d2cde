/**
 * The text encoder as the rest of the product sees it: texts in, one vector per text out,
 * in the same order. Which model runs behind it (bundled USE-lite, a downloaded MiniLM) and
 * where (onnxruntime-web in the offscreen document, onnxruntime-node in benches) is the
 * platform's business; everything here is pure and runs anywhere.
 */
import { contentHash } from './text';

export interface Encoder {
  /** Names the model and its weights; embeddings from different ids are not comparable. */
  readonly id: string;
  readonly dimensions: number;
  /** One embedding per text, in the order given. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Cosine similarity; 0 when either vector is all zeros (e.g. the embedding of empty text). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosineSimilarity: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

export interface LengthBatchOptions {
  /** Most sequences in one model call. */
  readonly maxBatchSize: number;
  /** Most padded tokens (batch size x longest sequence) in one model call; unlimited if absent. */
  readonly maxBatchTokens?: number;
}

/**
 * Groups item indices into model calls so that sequences of similar length run together:
 * padding every row to the longest one in the batch is then cheap. Indices are sorted by
 * length (ties keep input order) and cut greedily.
 */
export function planLengthBatches(lengths: readonly number[], options: LengthBatchOptions): number[][] {
  const maxBatchSize = Math.max(1, Math.floor(options.maxBatchSize));
  const maxTokens = options.maxBatchTokens ?? Infinity;
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Sorted ascending, so this item is the longest in the batch once added.
    const padded = (current.length + 1) * (lengths[index] as number);
    if (current.length > 0 && (current.length >= maxBatchSize || padded > maxTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Runs `run` once per planned batch (one call at a time: the model already uses every core
 * it is given) and returns the results in the original item order.
 */
export async function runInLengthBatches<T>(
  lengths: readonly number[],
  options: LengthBatchOptions,
  run: (indices: readonly number[]) => Promise<readonly T[]>,
): Promise<T[]> {
  const results = new Array<T>(lengths.length);
  for (const batch of planLengthBatches(lengths, options)) {
    const out = await run(batch);
    if (out.length !== batch.length) throw new Error(`batch of ${batch.length} returned ${out.length} results`);
    batch.forEach((index, k) => {
      results[index] = out[k] as T;
    });
  }
  return results;
}

export interface EmbeddingCacheEntry {
  readonly key: string;
  readonly embedding: Float32Array;
}

/** Where embeddings persist between calls (IndexedDB in the extension, a Map in tests). */
export interface EmbeddingCache {
  getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]>;
  putMany(entries: readonly EmbeddingCacheEntry[]): Promise<void>;
}

/** The cache key of `text` under an encoder: the same paragraph on any page maps to it. */
export function embeddingCacheKey(encoderId: string, text: string): string {
  return `${encoderId}:${contentHash(text)}`;
}

export interface EmbeddingCacheOptions {
  /** Told about a failed cache read or write; the embedding call itself still succeeds. */
  readonly onCacheError?: (error: unknown) => void;
}

/**
 * `encoder` behind `cache`: texts embedded before (by this encoder id) cost no encoder call,
 * and a text repeated within one call is encoded once. The cache only speeds things up, so a
 * failing cache degrades to encoding everything rather than failing the call.
 */
export function withEmbeddingCache(encoder: Encoder, cache: EmbeddingCache, options: EmbeddingCacheOptions = {}): Encoder {
  const report = options.onCacheError ?? (() => {});
  return {
    id: encoder.id,
    dimensions: encoder.dimensions,
    async embed(texts) {
      const keys = texts.map((t) => embeddingCacheKey(encoder.id, t));
      let cached: (Float32Array | undefined)[];
      try {
        cached = await cache.getMany(keys);
      } catch (error) {
        report(error);
        cached = [];
      }
      const result: (Float32Array | undefined)[] = texts.map((_, i) => cached[i]);
      // Each distinct missing key once, at its first position.
      const missing = new Map<string, number>();
      keys.forEach((key, i) => {
        if (!result[i] && !missing.has(key)) missing.set(key, i);
      });
      if (missing.size > 0) {
        const firstIndices = Array.from(missing.values());
        const fresh = await encoder.embed(firstIndices.map((i) => texts[i] as string));
        const byKey = new Map<string, Float32Array>();
        const entries: EmbeddingCacheEntry[] = [];
        firstIndices.forEach((i, k) => {
          const embedding = fresh[k];
          if (!embedding) throw new Error(`${encoder.id}: returned ${fresh.length} embeddings for ${firstIndices.length} texts`);
          byKey.set(keys[i] as string, embedding);
          entries.push({ key: keys[i] as string, embedding });
        });
        keys.forEach((key, i) => {
          result[i] ??= byKey.get(key);
        });
        try {
          await cache.putMany(entries);
        } catch (error) {
          report(error);
        }
      }
      return result as Float32Array[];
    },
  };
}

/** An in-memory cache holding the `capacity` most recently used embeddings. */
export function createMemoryEmbeddingCache(capacity = 10_000): EmbeddingCache & { readonly size: number } {
  const entries = new Map<string, Float32Array>();
  return {
    get size() {
      return entries.size;
    },
    async getMany(keys) {
      return keys.map((key) => {
        const hit = entries.get(key);
        if (hit) {
          // Re-insert so that Map order is least recently used first.
          entries.delete(key);
          entries.set(key, hit);
        }
        return hit;
      });
    },
    async putMany(newEntries) {
      for (const { key, embedding } of newEntries) {
        entries.delete(key);
        entries.set(key, embedding);
      }
      while (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
  };
}

/**
 * Whether an encoder failure leaves the WebAssembly runtime unusable: out of memory, or an
 * abort inside the module. onnxruntime-web's module is one per document, so a new session in
 * the same document would fail the same way; the document has to be replaced.
 */
export function isFatalEncoderError(message: string): boolean {
  return /out of memory|could not allocate|memory access out of bounds|Aborted\(|RuntimeError: unreachable|bad_alloc/i.test(message);
}
