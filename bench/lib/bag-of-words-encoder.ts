/**
 * A deterministic bag-of-words stand-in for the text encoder, for benches that drive the
 * background's real handlers in Node and measure their own work, not the model's: texts that
 * share content words (over three letters) get similar vectors. It answers as the bundled
 * encoder does (its id), so stored embeddings are taken for that encoder's.
 */
export interface BagOfWordsEncoder {
  /** How many texts it has been asked to embed so far. */
  texts: number;
  embed(texts: string[]): Promise<{ encoderId: string; backend: string; dimensions: number; vectors: number[][] }>;
  status(): Promise<{ ready: boolean; encoderId: string; backend: string; error: null }>;
  ensure(): Promise<void>;
}

export function bagOfWordsEncoder(dimensions: number): BagOfWordsEncoder {
  const encoder: BagOfWordsEncoder = {
    texts: 0,
    async embed(texts) {
      encoder.texts += texts.length;
      const vectors = texts.map((t) => {
        const v = new Array<number>(dimensions).fill(0);
        for (const w of (t.toLowerCase().match(/\p{L}+/gu) ?? []).filter((x) => x.length > 3)) {
          let h = 7;
          for (const c of w) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
          v[h % dimensions]! += 1;
        }
        return v;
      });
      return { encoderId: 'use-lite-int8', backend: 'bag-of-words', dimensions, vectors };
    },
    async status() {
      return { ready: true, encoderId: 'use-lite-int8', backend: 'bag-of-words', error: null };
    },
    async ensure() {},
  };
  return encoder;
}
