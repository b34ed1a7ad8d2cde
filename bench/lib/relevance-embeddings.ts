/**
 * Embeddings for the relevance benchmark, cached on disk by encoder id, the model file's
 * fingerprint and text hash, so a rerun (another seed, another head setting) does not pay for
 * the encoder again, and new weights under the same id are embedded afresh. The cache lives
 * under test-output/ (git-ignored); delete it to re-embed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Encoder } from '../../lib/encoder';
import { contentHash } from '../../lib/text';

export interface CachedEmbedder {
  readonly encoderId: string;
  readonly dims: number;
  /** Embeds what is not cached yet (in one encoder pass), then answers from the cache. */
  embedAll(texts: readonly string[]): Promise<Float32Array[]>;
  /** Texts embedded by the encoder in this process (0 on a warm cache). */
  readonly misses: () => number;
}

function toBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function cachedEmbedder(encoder: Encoder, cacheDir: string, modelFingerprint: string): CachedEmbedder {
  const file = join(cacheDir, `${`${encoder.id}.${modelFingerprint}`.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  const cache = new Map<string, Float32Array>();
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(stored)) cache.set(k, fromBase64(v));
  }
  let misses = 0;
  return {
    encoderId: encoder.id,
    dims: encoder.dimensions,
    misses: () => misses,
    async embedAll(texts) {
      const keys = texts.map(contentHash);
      const todo = [...new Set(texts.filter((_, i) => !cache.has(keys[i]!)))];
      if (todo.length > 0) {
        const out = await encoder.embed(todo);
        todo.forEach((t, i) => cache.set(contentHash(t), out[i]!));
        misses += todo.length;
        mkdirSync(dirname(file), { recursive: true });
        const obj: Record<string, string> = {};
        for (const [k, v] of cache) obj[k] = toBase64(v);
        writeFileSync(file, JSON.stringify(obj));
      }
      return keys.map((k) => cache.get(k)!);
    },
  };
}
