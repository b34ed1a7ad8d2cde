/**
 * A deterministic bag-of-words stand-in for the offscreen encoder, for the background's
 * tests: each word longer than three letters adds one to a hashed dimension, so texts
 * sharing words get similar vectors (short words stand in for function words, which real
 * sentence encoders discount). `fail` makes every call throw, as a corrupt model file does.
 */
import type { RemoteEncoder } from '../../platform/offscreen-client';

export function fakeEncoder(options: { dims?: number; fail?: boolean } = {}): RemoteEncoder & { calls: number } {
  const dims = options.dims ?? 64;
  const encoder = {
    calls: 0,
    async embed(texts: string[]) {
      if (options.fail) throw new Error('model file is corrupt');
      encoder.calls++;
      const vectors = texts.map((t) => {
        const v = new Array<number>(dims).fill(0);
        for (const w of (t.toLowerCase().match(/\p{L}+/gu) ?? []).filter((x) => x.length > 3)) {
          let h = 0;
          for (const c of w) h = (h * 31 + c.charCodeAt(0)) % dims;
          v[h]! += 1;
        }
        return v;
      });
      return { encoderId: 'use-lite-int8', backend: 'fake', dimensions: dims, vectors };
    },
    async status() {
      return { ready: !options.fail, encoderId: 'use-lite-int8', backend: 'fake', error: null };
    },
    async ensure() {},
  };
  return encoder;
}
