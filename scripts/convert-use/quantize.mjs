// Dynamic int8 quantisation of the converted graph, done here in JS because the build has
// no Python (and so no onnxruntime.quantization).
//
// - Every MatMul whose right operand is a constant matrix becomes the pattern ORT fuses into
//   one MatMulIntegerToFloat kernel: the activation is quantised per call
//   (DynamicQuantizeLinear, uint8), the weight ahead of time (int8 held to 7 bits, symmetric, one scale per
//   output column, so a column of small weights keeps its precision), and the int32 product
//   is scaled back to float.
// - The embedding table is quantised per row (one scale per token) and dequantised after
//   the Gather, so only the looked-up rows are ever turned back into floats.
// Everything else (layer norms, softmax, attention products of activations) stays float.
import { DT } from './onnx-graph.mjs';

/**
 * Largest weight magnitude of a quantised MatMul: 7 bits, not 8. On x86 CPUs without VNNI
 * (AVX2 alone: many laptops, and some of the machines the benches and tests run on)
 * onnxruntime's uint8 x int8 kernel adds pairs of products in 16 bits, and 255 x 127 x 2
 * overflows them: the embeddings came out at cosine 0.88 to the reference there, against
 * 0.99+ on VNNI machines. 255 x 63 x 2 = 32,130 fits (onnxruntime's own quantiser calls this
 * reduce_range). The embedding table is looked up, never multiplied, and keeps 8 bits.
 */
export const MATMUL_WEIGHT_LIMIT = 63;
export const TABLE_LIMIT = 127;

/**
 * Symmetric int8 quantisation of `values` ([rows, cols]) with one scale per column or per row,
 * onto -limit..limit.
 */
export function quantiseSymmetric(values, rows, cols, per, limit = TABLE_LIMIT) {
  const q = new Int8Array(rows * cols);
  const groups = per === 'column' ? cols : rows;
  const scales = new Float32Array(groups);
  const index = per === 'column' ? (g, k) => k * cols + g : (g, k) => g * cols + k;
  const length = per === 'column' ? rows : cols;
  for (let g = 0; g < groups; g++) {
    let maxAbs = 0;
    for (let k = 0; k < length; k++) maxAbs = Math.max(maxAbs, Math.abs(values[index(g, k)]));
    // An all-zero group still needs a non-zero scale to stay finite when dequantised.
    const scale = maxAbs > 0 ? maxAbs / limit : 1;
    scales[g] = scale;
    for (let k = 0; k < length; k++) {
      const i = index(g, k);
      q[i] = Math.max(-limit, Math.min(limit, Math.round(values[i] / scale)));
    }
  }
  return { q, scales };
}

/**
 * Rewrites `graph` in place. Only constant float matrices of at least `minElements` values
 * are quantised: small ones save nothing and cost accuracy.
 * @param {import('./onnx-graph.mjs').OnnxGraph} graph
 * @returns {{ matmuls: number, gathers: number }}
 */
export function quantiseDynamicInt8(graph, { minElements = 4096 } = {}) {
  const isBigFloatMatrix = (name) => {
    const t = graph.initializers.get(name);
    return t && t.dataType === DT.FLOAT && t.dims.length === 2 && t.dims[0] * t.dims[1] >= minElements;
  };
  const rewritten = [];
  let matmuls = 0;
  let gathers = 0;
  for (const node of graph.nodes) {
    if (node.op === 'MatMul' && isBigFloatMatrix(node.inputs[1])) {
      rewritten.push(...quantiseMatMul(graph, node));
      matmuls++;
    } else if (node.op === 'Gather' && isBigFloatMatrix(node.inputs[0]) && Number(node.attrs.axis?.value ?? 0) === 0) {
      rewritten.push(...quantiseGather(graph, node));
      gathers++;
    } else {
      rewritten.push(node);
    }
  }
  graph.nodes = rewritten;
  graph.prune();
  return { matmuls, gathers };
}

function makeNode(graph, op, inputs, outputs, attrs, name) {
  for (const o of outputs) graph.usedNames.add(o);
  return { op, name, inputs, outputs, attrs };
}

function quantiseMatMul(graph, node) {
  const [a, w] = node.inputs;
  const [out] = node.outputs;
  const weight = graph.initializers.get(w);
  const [rows, cols] = weight.dims;
  const { q, scales } = quantiseSymmetric(weight.data, rows, cols, 'column', MATMUL_WEIGHT_LIMIT);
  const qName = graph.initializer(graph.unique(`${w}/int8`), DT.INT8, [rows, cols], q);
  const scaleName = graph.initializer(graph.unique(`${w}/scale`), DT.FLOAT, [cols], scales);
  const base = node.name;
  const aq = graph.unique(`${base}/a_quant`);
  const aScale = graph.unique(`${base}/a_scale`);
  const aZero = graph.unique(`${base}/a_zero_point`);
  const product = graph.unique(`${base}/int32`);
  const productF = graph.unique(`${base}/int32_float`);
  const scale = graph.unique(`${base}/scale`);
  return [
    makeNode(graph, 'DynamicQuantizeLinear', [a], [aq, aScale, aZero], {}, `${base}/quantise_input`),
    // No weight zero point: the weights are symmetric, and an absent zero point is 0.
    makeNode(graph, 'MatMulInteger', [aq, qName, aZero], [product], {}, `${base}/matmul_integer`),
    makeNode(graph, 'Cast', [product], [productF], { to: { type: 'INT', value: DT.FLOAT } }, `${base}/to_float`),
    makeNode(graph, 'Mul', [aScale, scaleName], [scale], {}, `${base}/combined_scale`),
    makeNode(graph, 'Mul', [productF, scale], [out], {}, `${base}/rescale`),
  ];
}

function quantiseGather(graph, node) {
  const [table, ids] = node.inputs;
  const [out] = node.outputs;
  const weight = graph.initializers.get(table);
  const [rows, cols] = weight.dims;
  const { q, scales } = quantiseSymmetric(weight.data, rows, cols, 'row');
  const qName = graph.initializer(graph.unique(`${table}/int8`), DT.INT8, [rows, cols], q);
  const scaleName = graph.initializer(graph.unique(`${table}/row_scale`), DT.FLOAT, [rows], scales);
  const base = node.name;
  const rowsQ = graph.unique(`${base}/rows_int8`);
  const rowsF = graph.unique(`${base}/rows_float`);
  const rowScale = graph.unique(`${base}/row_scale`);
  const rowScaleCol = graph.unique(`${base}/row_scale_column`);
  const lastAxis = graph.int64([-1], [1], `${base}/last_axis`);
  return [
    makeNode(graph, 'Gather', [qName, ids], [rowsQ], { axis: { type: 'INT', value: 0 } }, `${base}/gather_int8`),
    makeNode(graph, 'Cast', [rowsQ], [rowsF], { to: { type: 'INT', value: DT.FLOAT } }, `${base}/to_float`),
    makeNode(graph, 'Gather', [scaleName, ids], [rowScale], { axis: { type: 'INT', value: 0 } }, `${base}/gather_scale`),
    makeNode(graph, 'Unsqueeze', [rowScale, lastAxis], [rowScaleCol], {}, `${base}/scale_column`),
    makeNode(graph, 'Mul', [rowsF, rowScaleCol], [out], {}, `${base}/dequantise`),
  ];
}
