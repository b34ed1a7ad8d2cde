/**
 * Paragraph embeddings in synced relevance examples, one signed byte per dimension: a
 * 512-dimension embedding travels as 512 bytes instead of 2 KB of floats, which keeps a
 * day's sync small. The scale is the largest magnitude / 127, so the rounding error of a
 * component is at most half a step (under 0.4 % of the largest component); cosine
 * similarities between unit embeddings move by about 1e-3, far below what the relevance
 * head distinguishes.
 */

export interface PackedEmbedding {
  /** Base64 of the signed bytes. */
  embedding: string;
  scale: number;
}

export function packEmbedding(vector: Float32Array | readonly number[]): PackedEmbedding {
  let max = 0;
  for (const x of vector) if (Number.isFinite(x)) max = Math.max(max, Math.abs(x));
  const scale = max / 127;
  const bytes = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    bytes[i] = scale > 0 && Number.isFinite(x) ? Math.round(x / scale) : 0;
  }
  let binary = '';
  for (const b of new Uint8Array(bytes.buffer)) binary += String.fromCharCode(b);
  return { embedding: btoa(binary), scale };
}

export function unpackEmbedding(packed: PackedEmbedding): Float32Array {
  const binary = atob(packed.embedding);
  const bytes = new Int8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = (binary.charCodeAt(i) << 24) >> 24;
  return Float32Array.from(bytes, (b) => b * packed.scale);
}
