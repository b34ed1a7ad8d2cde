import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  isFatalEncoderError,
  createMemoryEmbeddingCache,
  embeddingCacheKey,
  planLengthBatches,
  runInLengthBatches,
  withEmbeddingCache,
  type EmbeddingCache,
  type Encoder,
} from './encoder';
import { contentHash } from './text';

/** A fake encoder: a vector derived from the text, and a record of every call. */
function fakeEncoder(id = 'fake') {
  const calls: string[][] = [];
  const encoder: Encoder = {
    id,
    dimensions: 3,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((t) => new Float32Array([t.length, t.charCodeAt(0) || 0, 1]));
    },
  };
  return { encoder, calls };
}

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite vectors', () => {
    const a = new Float32Array([1, 2, 3]);
    expect(cosineSimilarity(a, new Float32Array([2, 4, 6]))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(new Float32Array([1, 0]), new Float32Array([0, 5]))).toBe(0);
    expect(cosineSimilarity(a, new Float32Array([-1, -2, -3]))).toBeCloseTo(-1, 6);
  });

  it('is 0 when a vector is all zeros', () => {
    expect(cosineSimilarity(new Float32Array(3), new Float32Array([1, 2, 3]))).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosineSimilarity(new Float32Array(2), new Float32Array(3))).toThrow(/lengths differ/);
  });
});

describe('planLengthBatches', () => {
  it('sorts by length, keeps input order on ties, and cuts at the batch size', () => {
    expect(planLengthBatches([5, 1, 3, 1, 9], { maxBatchSize: 2 })).toEqual([[1, 3], [2, 0], [4]]);
  });

  it('cuts where the padded size (rows x longest) would pass the token budget', () => {
    // [0, 1] pads to 2 x 3 = 6 tokens, within budget; one more 4-token row would need 3 x 4 = 12,
    // and the two 4-token rows together 2 x 4 = 8.
    expect(planLengthBatches([2, 3, 4, 4], { maxBatchSize: 10, maxBatchTokens: 6 })).toEqual([[0, 1], [2], [3]]);
  });

  it('puts an item longer than the token budget in a batch of its own rather than dropping it', () => {
    expect(planLengthBatches([50, 1], { maxBatchSize: 4, maxBatchTokens: 10 })).toEqual([[1], [0]]);
  });

  it('always uses every index exactly once, within both limits, in ascending length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 1000 }),
        (lengths, maxBatchSize, maxBatchTokens) => {
          const batches = planLengthBatches(lengths, { maxBatchSize, maxBatchTokens });
          const flat = batches.flat();
          expect([...flat].sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
          const flatLengths = flat.map((i) => lengths[i] as number);
          expect(flatLengths).toEqual([...flatLengths].sort((a, b) => a - b));
          for (const batch of batches) {
            expect(batch.length).toBeLessThanOrEqual(maxBatchSize);
            const longest = Math.max(...batch.map((i) => lengths[i] as number));
            if (batch.length > 1) expect(batch.length * longest).toBeLessThanOrEqual(maxBatchTokens);
          }
        },
      ),
    );
  });
});

describe('runInLengthBatches', () => {
  it('returns results in the original order whatever order the batches ran in', async () => {
    const lengths = [30, 10, 20, 10, 40];
    const seen: number[][] = [];
    const results = await runInLengthBatches(lengths, { maxBatchSize: 2 }, async (indices) => {
      seen.push([...indices]);
      return indices.map((i) => `item ${i} of length ${lengths[i]}`);
    });
    expect(seen).toEqual([[1, 3], [2, 0], [4]]);
    expect(results).toEqual(lengths.map((l, i) => `item ${i} of length ${l}`));
  });

  it('fails loudly when a batch returns the wrong number of results', async () => {
    await expect(runInLengthBatches([1, 2], { maxBatchSize: 2 }, async () => ['only one'])).rejects.toThrow(/returned 1/);
  });
});

describe('withEmbeddingCache', () => {
  it('keys entries by encoder id and content hash', () => {
    expect(embeddingCacheKey('use-lite', 'Hello')).toBe(`use-lite:${contentHash('Hello')}`);
  });

  it('answers a repeated paragraph from the cache without calling the encoder', async () => {
    const { encoder, calls } = fakeEncoder();
    const cached = withEmbeddingCache(encoder, createMemoryEmbeddingCache());
    const first = await cached.embed(['alpha', 'beta']);
    const second = await cached.embed(['beta', 'alpha']);
    expect(calls).toEqual([['alpha', 'beta']]);
    expect(second).toEqual([first[1], first[0]]);
    expect(cached.id).toBe('fake');
    expect(cached.dimensions).toBe(3);
  });

  it('sends only the misses, each distinct text once, and returns everything in order', async () => {
    const { encoder, calls } = fakeEncoder();
    const cached = withEmbeddingCache(encoder, createMemoryEmbeddingCache());
    await cached.embed(['seen']);
    const out = await cached.embed(['new', 'seen', 'new', 'other']);
    expect(calls).toEqual([['seen'], ['new', 'other']]);
    expect(out.map((v) => v[0])).toEqual([3, 4, 3, 5]);
  });

  it('does not share entries between encoders with different ids', async () => {
    const cache = createMemoryEmbeddingCache();
    const a = fakeEncoder('a');
    const b = fakeEncoder('b');
    await withEmbeddingCache(a.encoder, cache).embed(['text']);
    await withEmbeddingCache(b.encoder, cache).embed(['text']);
    expect(b.calls).toEqual([['text']]);
  });

  it('still embeds when the cache fails to read or write, and reports the failures', async () => {
    const { encoder, calls } = fakeEncoder();
    const broken: EmbeddingCache = {
      getMany: () => Promise.reject(new Error('read failed')),
      putMany: () => Promise.reject(new Error('quota')),
    };
    const errors: unknown[] = [];
    const out = await withEmbeddingCache(encoder, broken, { onCacheError: (e) => errors.push(e) }).embed(['x']);
    expect(out[0]?.[0]).toBe(1);
    expect(calls).toHaveLength(1);
    expect(errors.map((e) => (e as Error).message)).toEqual(['read failed', 'quota']);
  });

  it('rejects when the encoder returns fewer embeddings than texts', async () => {
    const short: Encoder = { id: 's', dimensions: 1, embed: async () => [] };
    await expect(withEmbeddingCache(short, createMemoryEmbeddingCache()).embed(['a'])).rejects.toThrow(/0 embeddings for 1/);
  });
});

describe('createMemoryEmbeddingCache', () => {
  it('evicts the least recently used entry beyond its capacity', async () => {
    const cache = createMemoryEmbeddingCache(2);
    const v = (x: number) => new Float32Array([x]);
    await cache.putMany([
      { key: 'a', embedding: v(1) },
      { key: 'b', embedding: v(2) },
    ]);
    await cache.getMany(['a']); // a is now more recent than b
    await cache.putMany([{ key: 'c', embedding: v(3) }]);
    const [a, b, c] = await cache.getMany(['a', 'b', 'c']);
    expect(cache.size).toBe(2);
    expect([a?.[0], b, c?.[0]]).toEqual([1, undefined, 3]);
  });
});

describe('isFatalEncoderError', () => {
  it('recognises a runtime left unusable by memory exhaustion or an abort', () => {
    for (const m of [
      'RangeError: WebAssembly.Memory(): could not allocate memory',
      'Error: failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc',
      'RuntimeError: memory access out of bounds',
      'Aborted(). Build with -sASSERTIONS for more info.',
      'RuntimeError: unreachable',
      'Out of memory',
    ])
      expect(isFatalEncoderError(m), m).toBe(true);
  });

  it('leaves ordinary failures to the normal fallback', () => {
    for (const m of ['model file is corrupt', 'The language model took longer than 20 s', 'no encoder could load', 'protobuf parsing failed'])
      expect(isFatalEncoderError(m), m).toBe(false);
  });
});
