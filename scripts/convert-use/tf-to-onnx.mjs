// Translates the USE-lite TF graph node by node into ONNX opset 13.
//
// Two decisions carry the whole translation:
// - every integer tensor becomes int64. TF mixes int32 (shapes, Cast targets) with int64
//   (the sparse indices), and ONNX ops such as Reshape, Slice and ScatterND insist on int64,
//   so widening everything removes every mismatch without a single extra Cast.
// - the graph takes the dense tensors every ORT caller already has (input_ids and
//   attention_mask, [batch, seq], right padded) and derives USE's sparse (indices, values)
//   pair from them in the graph, so callers need no USE-specific code.
import { OnnxGraph, DT, attr } from './onnx-graph.mjs';
import { TF_DTYPE } from './tfjs-graph.mjs';

export const OPSET = 13;
const INT64_MAX = 9223372036854775807n;

/** `name:k` -> { node: name, index: k }; a bare name is output 0. */
function parseRef(ref) {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1], index: Number(m[2]) } : { node: ref, index: 0 };
}

/** The ONNX value name for TF output `index` of node `node`. */
function valueName(node, index) {
  return index === 0 ? node : `${node}:${index}`;
}

function attrInt(node, key, fallback = 0) {
  const a = node.attr?.[key];
  return a?.i !== undefined ? Number(a.i) : fallback;
}

function attrBool(node, key) {
  return Boolean(node.attr?.[key]?.b);
}

function attrInts(node, key) {
  return (node.attr?.[key]?.list?.i ?? []).map(Number);
}

function onnxType(tfTypeCode) {
  const t = TF_DTYPE[tfTypeCode];
  if (t === 'float32') return DT.FLOAT;
  if (t === 'int32' || t === 'int64') return DT.INT64;
  if (t === 'bool') return DT.BOOL;
  throw new Error(`unsupported TF dtype ${tfTypeCode}`);
}

/**
 * @param {{ nodes: object[], weights: Map<string, { dtype: string, shape: number[], data: ArrayBufferView }> }} tf
 * @param {{ outputNode: string }} options
 * @returns {OnnxGraph}
 */
export function convertUseGraph(tf, { outputNode }) {
  const g = new OnnxGraph();
  const byName = new Map(tf.nodes.map((n) => [n.name, n]));
  for (const n of tf.nodes) g.usedNames.add(n.name);

  // --- dense front end: (input_ids, attention_mask) -> USE's sparse (indices, values) -----
  g.inputs.push({ name: 'input_ids', elemType: DT.INT64, shape: ['batch', 'sequence'] });
  g.inputs.push({ name: 'attention_mask', elemType: DT.INT64, shape: ['batch', 'sequence'] });
  // NonZero lists coordinates in row-major order, exactly the order USE's sparse input has
  // (row by row, positions ascending), and right padding makes positions start at 0.
  const [nonZero] = g.add('NonZero', ['attention_mask'], 1, {}, 'dense_to_sparse/NonZero');
  g.add('Transpose', [nonZero], ['indices'], { perm: attr.ints([1, 0]) }, 'dense_to_sparse/indices');
  g.add('GatherND', ['input_ids', 'indices'], ['values'], {}, 'dense_to_sparse/values');

  /** Value of a TF Const at conversion time, for ops whose ONNX form takes it as an attribute. */
  const constValue = (ref) => {
    const { node } = parseRef(ref);
    const w = tf.weights.get(node);
    if (!w || byName.get(node)?.op !== 'Const') throw new Error(`${ref} must be a constant`);
    return { shape: w.shape, values: Array.from(w.data, Number) };
  };

  const emittedConsts = new Set();
  /** The ONNX value name for a TF input reference, emitting Const initializers on first use. */
  const input = (ref) => {
    const { node, index } = parseRef(ref);
    const tfNode = byName.get(node);
    if (!tfNode) throw new Error(`unknown TF input ${ref}`);
    if (tfNode.op === 'Const' && !emittedConsts.has(node)) {
      emittedConsts.add(node);
      const w = tf.weights.get(node);
      if (!w) throw new Error(`no weight for constant ${node}`);
      if (w.dtype === 'float32') g.initializer(node, DT.FLOAT, w.shape, w.data);
      else if (w.dtype === 'int32') g.initializer(node, DT.INT64, w.shape, BigInt64Array.from(w.data, (v) => BigInt(v)));
      else if (w.dtype === 'bool') g.initializer(node, DT.BOOL, w.shape, w.data);
      else throw new Error(`unsupported constant dtype ${w.dtype}`);
    }
    return valueName(node, index);
  };

  // Only what the embedding depends on is converted.
  const order = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const n = byName.get(name);
    if (!n) throw new Error(`unknown TF node ${name}`);
    for (const ref of n.input ?? []) if (!ref.startsWith('^')) visit(parseRef(ref).node);
    order.push(n);
  };
  visit(outputNode);

  for (const n of order) {
    const ins = (n.input ?? []).filter((r) => !r.startsWith('^'));
    const out = n.name;
    const emit = OPS[n.op];
    if (n.op === 'Const') continue; // emitted lazily by input()
    if (n.op === 'Placeholder') {
      if (n.name !== 'indices' && n.name !== 'values') throw new Error(`unexpected placeholder ${n.name}`);
      continue; // provided by the dense front end
    }
    if (!emit) throw new Error(`no ONNX mapping for TF op ${n.op} (${n.name})`);
    emit({ g, n, ins, out, input, constValue });
  }

  g.add('Identity', [outputNode], ['embeddings'], {}, 'embeddings');
  g.outputs.push({ name: 'embeddings', elemType: DT.FLOAT, shape: ['batch', 512] });
  g.prune();
  return g;
}

const same = (op) => ({ g, ins, out, input }) => g.add(op, ins.map(input), [out], {}, out);

/** ONNX's reductions of opset 13 take axes as an attribute, except ReduceSum (an input). */
const reduce = (op) => ({ g, n, ins, out, input, constValue }) => {
  const axes = constValue(ins[1]).values;
  const keepdims = attr.int(attrBool(n, 'keep_dims') ? 1 : 0);
  if (op === 'ReduceSum') g.add(op, [input(ins[0]), g.int64(axes)], [out], { keepdims }, out);
  else g.add(op, [input(ins[0])], [out], { axes: attr.ints(axes), keepdims }, out);
};

const OPS = {
  Add: same('Add'),
  BiasAdd: same('Add'), // NHWC: the bias runs along the last axis, which is plain broadcasting
  Sub: same('Sub'),
  Mul: same('Mul'),
  RealDiv: same('Div'),
  Maximum: same('Max'),
  Less: same('Less'),
  Greater: same('Greater'),
  LogicalNot: same('Not'),
  Shape: same('Shape'),
  Sin: same('Sin'),
  Cos: same('Cos'),
  Relu: same('Relu'),
  Tanh: same('Tanh'),
  Softmax: same('Softmax'), // opset 13 Softmax normalises along axis -1 only, as TF does
  Reshape: same('Reshape'),
  GatherNd: same('GatherND'),
  Range: same('Range'),
  Sum: reduce('ReduceSum'),
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Prod: reduce('ReduceProd'),

  Square: ({ g, ins, out, input }) => g.add('Mul', [input(ins[0]), input(ins[0])], [out], {}, out),

  Rsqrt: ({ g, ins, out, input }) => {
    const [root] = g.add('Sqrt', [input(ins[0])], 1, {}, `${out}/sqrt`);
    g.add('Reciprocal', [root], [out], {}, out);
  },

  Cast: ({ g, n, ins, out, input }) => {
    g.add('Cast', [input(ins[0])], [out], { to: attr.int(onnxType(n.attr.DstT.type)) }, out);
  },

  GatherV2: ({ g, n, ins, out, input, constValue }) => {
    if (attrInt(n, 'batch_dims') !== 0) throw new Error(`${n.name}: batch_dims unsupported`);
    const [axis] = constValue(ins[2]).values;
    g.add('Gather', [input(ins[0]), input(ins[1])], [out], { axis: attr.int(axis) }, out);
  },

  ConcatV2: ({ g, ins, out, input, constValue }) => {
    const values = ins.slice(0, -1).map(input);
    const [axis] = constValue(ins[ins.length - 1]).values;
    g.add('Concat', values, [out], { axis: attr.int(axis) }, out);
  },

  ExpandDims: ({ g, ins, out, input, constValue }) => {
    const [axis] = constValue(ins[1]).values;
    g.add('Unsqueeze', [input(ins[0]), g.int64([axis])], [out], {}, out);
  },

  Squeeze: ({ g, n, ins, out, input }) => {
    g.add('Squeeze', [input(ins[0]), g.int64(attrInts(n, 'squeeze_dims'))], [out], {}, out);
  },

  Transpose: ({ g, ins, out, input, constValue }) => {
    g.add('Transpose', [input(ins[0])], [out], { perm: attr.ints(constValue(ins[1]).values) }, out);
  },

  Pack: ({ g, n, ins, out, input }) => {
    const axis = attrInt(n, 'axis');
    const parts = ins.map((ref, i) => g.add('Unsqueeze', [input(ref), g.int64([axis])], 1, {}, `${out}/unsqueeze_${i}`)[0]);
    g.add('Concat', parts, [out], { axis: attr.int(axis) }, out);
  },

  SplitV: ({ g, n, ins, out, input, constValue }) => {
    const sizes = constValue(ins[1]).values;
    const [axis] = constValue(ins[2]).values;
    const outs = sizes.map((_, i) => valueName(out, i));
    if (sizes.length !== attrInt(n, 'num_split')) throw new Error(`${n.name}: split count mismatch`);
    g.add('Split', [input(ins[0]), g.int64(sizes)], outs, { axis: attr.int(axis) }, out);
  },

  // TF Slice(begin, size) -> ONNX Slice(starts, ends); size -1 means "to the end".
  Slice: ({ g, ins, out, input, constValue }) => {
    const begin = constValue(ins[1]).values;
    const size = constValue(ins[2]).values;
    const ends = begin.map((b, i) => (size[i] === -1 ? INT64_MAX : BigInt(b + size[i])));
    g.add('Slice', [input(ins[0]), g.int64(begin), g.int64(ends)], [out], {}, out);
  },

  StridedSlice: ({ g, n, ins, out, input, constValue }) => {
    if (attrInt(n, 'ellipsis_mask') || attrInt(n, 'new_axis_mask')) throw new Error(`${n.name}: ellipsis/new-axis masks unsupported`);
    const begin = constValue(ins[1]).values;
    const end = constValue(ins[2]).values;
    const strides = constValue(ins[3]).values;
    const beginMask = attrInt(n, 'begin_mask');
    const endMask = attrInt(n, 'end_mask');
    const shrinkMask = attrInt(n, 'shrink_axis_mask');
    const starts = [];
    const ends = [];
    const shrinkAxes = [];
    begin.forEach((b, axis) => {
      const bit = 1 << axis;
      if (strides[axis] !== 1) throw new Error(`${n.name}: only unit strides are supported`);
      if (shrinkMask & bit) {
        // A shrunk axis keeps one element; for begin -1 the end is "past the last", which
        // ONNX spells as a huge end, since end 0 would mean an empty slice.
        starts.push(BigInt(b));
        ends.push(b === -1 ? INT64_MAX : BigInt(b + 1));
        shrinkAxes.push(axis);
      } else {
        starts.push(beginMask & bit ? 0n : BigInt(b));
        ends.push(endMask & bit ? INT64_MAX : BigInt(end[axis]));
      }
    });
    const axes = begin.map((_, i) => i);
    const sliced = shrinkAxes.length ? `${out}/slice` : out;
    g.add('Slice', [input(ins[0]), g.int64(starts), g.int64(ends), g.int64(axes)], [sliced], {}, sliced);
    if (shrinkAxes.length) g.add('Squeeze', [sliced, g.int64(shrinkAxes)], [out], {}, out);
  },

  // Where with one input lists the coordinates of true elements as [count, rank];
  // ONNX NonZero gives [rank, count].
  Where: ({ g, n, ins, out, input }) => {
    if (ins.length !== 1) throw new Error(`${n.name}: only single-input Where is supported`);
    const [nz] = g.add('NonZero', [input(ins[0])], 1, {}, `${out}/nonzero`);
    g.add('Transpose', [nz], [out], { perm: attr.ints([1, 0]) }, out);
  },

  // SparseToDense(indices, shape, values, default) = fill a tensor of `shape` with the
  // default, then write the values at the indices.
  SparseToDense: ({ g, ins, out, input }) => {
    const [filled] = g.add('Expand', [input(ins[3]), input(ins[1])], 1, {}, `${out}/fill`);
    g.add('ScatterND', [filled, input(ins[0]), input(ins[2])], [out], {}, out);
  },

  // ScatterNd(indices, updates, shape) = ScatterND into zeros of `shape`.
  ScatterNd: ({ g, ins, out, input }) => {
    const [zeros] = g.add('ConstantOfShape', [input(ins[2])], 1, { value: attr.tensor(DT.FLOAT, [1], new Float32Array([0])) }, `${out}/zeros`);
    g.add('ScatterND', [zeros, input(ins[0]), input(ins[1])], [out], {}, out);
  },

  MatMul: ({ g, n, ins, out, input }) => {
    let a = input(ins[0]);
    let b = input(ins[1]);
    if (attrBool(n, 'transpose_a')) a = g.add('Transpose', [a], 1, { perm: attr.ints([1, 0]) }, `${out}/transpose_a`)[0];
    if (attrBool(n, 'transpose_b')) b = g.add('Transpose', [b], 1, { perm: attr.ints([1, 0]) }, `${out}/transpose_b`)[0];
    g.add('MatMul', [a, b], [out], {}, out);
  },

  BatchMatMul: ({ g, n, ins, out, input }) => {
    let a = input(ins[0]);
    let b = input(ins[1]);
    // adj_* on real tensors is a transpose of the last two axes (rank 4 here: batch, head, seq, depth).
    if (attrBool(n, 'adj_x')) a = g.add('Transpose', [a], 1, { perm: attr.ints([0, 1, 3, 2]) }, `${out}/adj_x`)[0];
    if (attrBool(n, 'adj_y')) b = g.add('Transpose', [b], 1, { perm: attr.ints([0, 1, 3, 2]) }, `${out}/adj_y`)[0];
    g.add('MatMul', [a, b], [out], {}, out);
  },

  // The four Conv2D are 1x1, stride 1, NHWC: a matrix product over the channel axis, which
  // MatMul broadcasts over the leading axes. The kernel [1, 1, in, out] becomes [in, out].
  Conv2D: ({ g, n, ins, out, input }) => {
    const kernelName = parseRef(ins[1]).node;
    const strides = attrInts(n, 'strides');
    const dilations = attrInts(n, 'dilations');
    const format = Buffer.from(n.attr.data_format?.s ?? []).toString() || 'NHWC';
    if (format !== 'NHWC' || strides.some((s) => s !== 1) || dilations.some((d) => d !== 1)) {
      throw new Error(`${n.name}: only 1x1 NHWC stride-1 convolutions are supported`);
    }
    const kernel = input(ins[1]);
    const init = g.initializers.get(kernel);
    if (!init || init.dims.length !== 4 || init.dims[0] !== 1 || init.dims[1] !== 1) {
      throw new Error(`${n.name}: kernel ${kernelName} must be a constant 1x1 kernel`);
    }
    init.dims = [init.dims[2], init.dims[3]];
    g.add('MatMul', [input(ins[0]), kernel], [out], {}, out);
  },
};
