// Reads a TF.js graph model (model.json + binary weight shards) into plain JS objects, so the
// converter works on the model exactly as TF.js would load it, without running TF.js itself.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 };

/** TF DataType enum values that appear in node attributes (tensorflow/core/framework/types.proto). */
export const TF_DTYPE = { 1: 'float32', 3: 'int32', 9: 'int64', 10: 'bool' };

/**
 * Loads `modelJsonPath` and its shards.
 * @returns {Promise<{ nodes: object[], weights: Map<string, { dtype: string, shape: number[], data: Float32Array|Int32Array|Uint8Array }>, files: string[] }>}
 */
export async function loadTfjsGraph(modelJsonPath) {
  const model = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  const dir = dirname(modelJsonPath);
  const weights = new Map();
  const files = [modelJsonPath];
  for (const group of model.weightsManifest) {
    const shardPaths = group.paths.map((p) => join(dir, p));
    files.push(...shardPaths);
    const shards = await Promise.all(shardPaths.map((p) => readFile(p)));
    // Weights are laid out back to back across the concatenated shards of a group.
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.quantization) throw new Error(`quantised TF.js weights are not supported (${spec.name})`);
      const bytesPer = DTYPE_BYTES[spec.dtype];
      if (!bytesPer) throw new Error(`unsupported weight dtype ${spec.dtype} (${spec.name})`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bytes = buffer.subarray(offset, offset + count * bytesPer);
      // Copy into a fresh, aligned buffer: shard offsets are not guaranteed to be 4-byte aligned.
      const copy = new Uint8Array(bytes).buffer;
      const data =
        spec.dtype === 'float32' ? new Float32Array(copy) : spec.dtype === 'int32' ? new Int32Array(copy) : new Uint8Array(copy);
      weights.set(spec.name, { dtype: spec.dtype, shape: spec.shape.slice(), data });
      offset += count * bytesPer;
    }
    if (offset !== buffer.length) throw new Error(`weight shards hold ${buffer.length} bytes, manifest describes ${offset}`);
  }
  return { nodes: model.modelTopology.node, weights, files };
}
