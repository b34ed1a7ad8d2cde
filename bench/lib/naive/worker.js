// The naive reference's encoder: transformers.js' feature-extraction pipeline over the model
// files the extension ships, loaded the first time a page asks (as the examples of
// transformers.js in an extension do) and kept while any page of the site is open, called once
// per paragraph in document order, each vector posted back as soon as it is made.
//
// The bundled encoder's graph pools and normalises inside and names its output `embeddings`,
// where the pipeline's own call looks for token vectors (last_hidden_state) to pool: so each
// paragraph goes through the pipeline's tokenizer and model exactly as its call does
// (padding, truncation to the model's 128 tokens), and the pooled vector is read from that
// output. That is the pipeline's work less its pooling, which here costs nothing.
let extractor = null;
let loading = null;

async function load() {
  const { pipeline, env } = await import('/naive/lib/transformers.js');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = '/naive/models/';
  env.useBrowserCache = false;
  env.useWasmCache = false;
  // The runtime's glue and WebAssembly from the extension's package (no CDN).
  env.backends.onnx.wasm.wasmPaths = '/naive/ort/';
  const pipe = await pipeline('feature-extraction', 'use-lite', { dtype: 'q8', device: 'wasm' });
  return { pipe, env };
}

async function embedEach(port, texts) {
  try {
    loading ??= load();
    extractor ??= await loading;
    const { pipe, env } = extractor;
    let norms = 0;
    for (const [i, text] of texts.entries()) {
      const inputs = pipe.tokenizer(text, { padding: true, truncation: true });
      const output = await pipe.model(inputs);
      const vector = output.embeddings.data;
      let sq = 0;
      for (const x of vector) sq += x * x;
      norms += Math.sqrt(sq);
      port.postMessage({ i, dimensions: vector.length });
    }
    const wasm = env.backends.onnx.wasm;
    port.postMessage({
      done: true,
      info: { threads: wasm.numThreads ?? null, isolated: self.crossOriginIsolated === true, meanNorm: texts.length > 0 ? norms / texts.length : 0 },
    });
  } catch (e) {
    loading = null;
    port.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
}

self.onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = ({ data }) => void embedEach(port, data.texts);
};
