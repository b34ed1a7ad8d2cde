// A small in-memory ONNX graph (nodes, initializers, graph inputs/outputs) that the TF
// converter writes and the quantiser rewrites, serialised to protobuf only at the end with
// `onnx-proto`. Keeping the graph as plain objects makes both passes easy to read and test.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType codes used by this converter. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9 };

/** Attribute value constructors: ONNX needs the attribute type spelled out. */
export const attr = {
  int: (v) => ({ type: 'INT', value: v }),
  ints: (v) => ({ type: 'INTS', value: v }),
  float: (v) => ({ type: 'FLOAT', value: v }),
  tensor: (dataType, dims, data) => ({ type: 'TENSOR', value: { dataType, dims, data } }),
};

export class OnnxGraph {
  constructor() {
    /** @type {{ op: string, name: string, inputs: string[], outputs: string[], attrs: Record<string, {type: string, value: any}>, domain?: string }[]} */
    this.nodes = [];
    /** @type {Map<string, { dataType: number, dims: number[], data: ArrayBufferView }>} */
    this.initializers = new Map();
    /** @type {{ name: string, elemType: number, shape: (number|string)[] }[]} */
    this.inputs = [];
    /** @type {{ name: string, elemType: number, shape: (number|string)[] }[]} */
    this.outputs = [];
    this.usedNames = new Set();
    this.nodeNames = new Set();
    this.counter = 0;
  }

  /** A value or node name not used before, derived from `base`. */
  unique(base) {
    let name = base;
    while (this.usedNames.has(name)) name = `${base}__${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  /**
   * Appends a node. `outputs` is either explicit value names or a count of fresh names.
   * @returns {string[]} the node's output names
   */
  add(op, inputs, outputs = 1, attrs = {}, name = undefined) {
    let nodeName = name ?? op;
    while (this.nodeNames.has(nodeName)) nodeName = `${name ?? op}__${++this.counter}`;
    this.nodeNames.add(nodeName);
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => this.unique(`${nodeName}:${i}`)) : outputs;
    for (const o of outs) this.usedNames.add(o);
    this.nodes.push({ op, name: nodeName, inputs, outputs: outs, attrs });
    return outs;
  }

  /** Adds (or replaces) an initializer and returns its name. */
  initializer(name, dataType, dims, data) {
    this.usedNames.add(name);
    this.initializers.set(name, { dataType, dims, data });
    return name;
  }

  /** A fresh int64 constant, e.g. for Slice bounds or Unsqueeze axes. */
  int64(values, dims = [values.length], base = 'const_i64') {
    return this.initializer(this.unique(base), DT.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  float32(values, dims = [values.length], base = 'const_f32') {
    return this.initializer(this.unique(base), DT.FLOAT, dims, Float32Array.from(values));
  }

  /** Drops initializers and nodes that nothing reaches from the graph outputs. */
  prune() {
    const producer = new Map();
    for (const n of this.nodes) for (const o of n.outputs) producer.set(o, n);
    const needed = new Set(this.outputs.map((o) => o.name));
    const keep = new Set();
    const stack = [...needed];
    while (stack.length) {
      const value = stack.pop();
      const node = producer.get(value);
      if (!node || keep.has(node)) continue;
      keep.add(node);
      for (const i of node.inputs) {
        if (i && !needed.has(i)) {
          needed.add(i);
          stack.push(i);
        }
      }
    }
    this.nodes = this.nodes.filter((n) => keep.has(n));
    for (const name of [...this.initializers.keys()]) if (!needed.has(name)) this.initializers.delete(name);
  }
}

function tensorProto(name, { dataType, dims, data }) {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // raw_data is little-endian by the ONNX spec, which is what typed arrays hold on every
  // platform this runs on (x86, ARM).
  return onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
}

function attributeProto(name, { type, value }) {
  const T = onnx.AttributeProto.AttributeType;
  switch (type) {
    case 'INT':
      return onnx.AttributeProto.create({ name, type: T.INT, i: value });
    case 'INTS':
      return onnx.AttributeProto.create({ name, type: T.INTS, ints: value });
    case 'FLOAT':
      return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
    case 'TENSOR':
      return onnx.AttributeProto.create({ name, type: T.TENSOR, t: tensorProto('', value) });
    default:
      throw new Error(`unknown attribute type ${type}`);
  }
}

function valueInfo({ name, elemType, shape }) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

/**
 * Serialises `graph` to ONNX protobuf bytes.
 * @param {OnnxGraph} graph
 * @param {{ graphName: string, opset: number, producer: string, docString?: string, metadata?: Record<string, string> }} options
 */
export function serialiseModel(graph, { graphName, opset, producer, docString = '', metadata = {} }) {
  const model = onnx.ModelProto.create({
    irVersion: 7, // the IR that goes with opset 13; accepted by every ORT release in use
    producerName: producer,
    docString,
    opsetImport: [{ domain: '', version: opset }],
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: onnx.GraphProto.create({
      name: graphName,
      node: graph.nodes.map((n) =>
        onnx.NodeProto.create({
          name: n.name,
          opType: n.op,
          domain: n.domain ?? '',
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attrs).map(([k, v]) => attributeProto(k, v)),
        }),
      ),
      initializer: [...graph.initializers].map(([name, t]) => tensorProto(name, t)),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}
