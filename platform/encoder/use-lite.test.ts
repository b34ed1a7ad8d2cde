import { describe, expect, it } from 'vitest';
import {
  createUseLiteEncoder,
  useLiteEncoderId,
  useLiteFeeds,
  useLiteTokenIds,
  USE_LITE_DIMENSIONS,
  USE_LITE_MAX_TOKENS,
  type OrtSessionLike,
  type OrtTensorLike,
} from './use-lite';

class FakeTensor implements OrtTensorLike {
  constructor(
    readonly type: string,
    readonly data: unknown,
    readonly dims: readonly number[],
  ) {}
}

/** Token ids = word lengths, so every test can predict them. */
const wordLengthTokenizer = { encode: (text: string) => text.split(' ').filter(Boolean).map((w) => w.length) };

/**
 * A fake model: row r's embedding starts with the sum of its unmasked ids and its token
 * count, so the test can tell which text each output row came from.
 */
function fakeSession(options: { delayMs?: number; dropLastRow?: boolean } = {}) {
  const calls: { ids: number[][]; mask: number[][] }[] = [];
  let running = 0;
  let maxConcurrent = 0;
  const session: OrtSessionLike = {
    async run(feeds) {
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      const idsT = feeds.input_ids as FakeTensor;
      const maskT = feeds.attention_mask as FakeTensor;
      expect(idsT.type).toBe('int64');
      const [rows = 0, width = 0] = idsT.dims;
      const toRows = (data: BigInt64Array) => Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * width, (r + 1) * width), Number));
      const ids = toRows(idsT.data as BigInt64Array);
      const mask = toRows(maskT.data as BigInt64Array);
      calls.push({ ids, mask });
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const outRows = options.dropLastRow ? rows - 1 : rows;
      const out = new Float32Array(outRows * USE_LITE_DIMENSIONS);
      for (let r = 0; r < outRows; r++) {
        out[r * USE_LITE_DIMENSIONS] = (ids[r] as number[]).reduce((a, b) => a + b, 0);
        out[r * USE_LITE_DIMENSIONS + 1] = (mask[r] as number[]).reduce((a, b) => a + b, 0);
      }
      running--;
      return { embeddings: new FakeTensor('float32', out, [outRows, USE_LITE_DIMENSIONS]) };
    },
  };
  return { session, calls, maxConcurrent: () => maxConcurrent };
}

describe('useLiteFeeds', () => {
  it('right-pads ids with a matching attention mask', () => {
    const feeds = useLiteFeeds(FakeTensor, [[7, 8, 9], [5]]);
    const ids = feeds.input_ids as FakeTensor;
    const mask = feeds.attention_mask as FakeTensor;
    expect(ids.dims).toEqual([2, 3]);
    expect(Array.from(ids.data as BigInt64Array, Number)).toEqual([7, 8, 9, 5, 0, 0]);
    expect(Array.from(mask.data as BigInt64Array, Number)).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it('refuses an empty row, which the model would silently drop', () => {
    expect(() => useLiteFeeds(FakeTensor, [[1], []])).toThrow(/empty/);
  });
});

describe('useLiteTokenIds', () => {
  it('collapses whitespace before tokenising and keeps at most 128 tokens', () => {
    const seen: string[] = [];
    const tokenizer = { encode: (t: string) => (seen.push(t), Array.from({ length: 300 }, (_, i) => i)) };
    expect(useLiteTokenIds(tokenizer, '  a\n\n b\t')).toHaveLength(USE_LITE_MAX_TOKENS);
    expect(seen).toEqual(['a b']);
  });
});

describe('createUseLiteEncoder', () => {
  it('returns one 512-d embedding per text, in input order, across length batches', async () => {
    const { session, calls } = fakeSession();
    const encoder = createUseLiteEncoder({
      session,
      Tensor: FakeTensor,
      tokenizer: wordLengthTokenizer,
      batching: { maxBatchSize: 2 },
    });
    const texts = ['aaa bb c', 'dddd', 'ee f', 'g h i j k'];
    const out = await encoder.embed(texts);
    expect(out.map((v) => v.length)).toEqual([512, 512, 512, 512]);
    // [sum of ids, token count] identifies the text each row belongs to.
    expect(out.map((v) => [v[0], v[1]])).toEqual([[6, 3], [4, 1], [3, 2], [5, 5]]);
    // Shortest first: (dddd, ee f) then (aaa bb c, g h i j k).
    expect(calls.map((c) => c.mask.map((m) => m.reduce((a, b) => a + b, 0)))).toEqual([[1, 2], [3, 5]]);
    expect(encoder.id).toBe('use-lite');
    expect(encoder.dimensions).toBe(512);
  });

  it('gives text without tokens the zero vector and never sends it to the model', async () => {
    const { session, calls } = fakeSession();
    const encoder = createUseLiteEncoder({ session, Tensor: FakeTensor, tokenizer: wordLengthTokenizer });
    const out = await encoder.embed(['ab', '', '   ', 'abc']);
    expect(out[1]?.every((x) => x === 0)).toBe(true);
    expect(out[2]?.every((x) => x === 0)).toBe(true);
    expect([out[0]?.[0], out[3]?.[0]]).toEqual([2, 3]);
    expect(calls.flatMap((c) => c.mask).every((row) => row.some((m) => m === 1))).toBe(true);

    const emptyOnly = await encoder.embed(['', ' ']);
    expect(emptyOnly).toHaveLength(2);
    expect(calls).toHaveLength(1);
  });

  it('never runs the session twice at once, even when embed is called concurrently', async () => {
    const fake = fakeSession({ delayMs: 5 });
    const encoder = createUseLiteEncoder({ session: fake.session, Tensor: FakeTensor, tokenizer: wordLengthTokenizer });
    const results = await Promise.all([encoder.embed(['a b']), encoder.embed(['abc']), encoder.embed(['a'])]);
    expect(results.map((r) => r[0]?.[0])).toEqual([2, 3, 1]);
    expect(fake.maxConcurrent()).toBe(1);
  });

  it('rejects output whose row count does not match the batch', async () => {
    const { session } = fakeSession({ dropLastRow: true });
    const encoder = createUseLiteEncoder({ session, Tensor: FakeTensor, tokenizer: wordLengthTokenizer });
    await expect(encoder.embed(['a', 'b'])).rejects.toThrow(/expected \[2, 512\]/);
  });

  it('names fp32 and int8 weights apart so their embeddings never share a cache', () => {
    expect(useLiteEncoderId(false)).not.toBe(useLiteEncoderId(true));
  });
});
