// The naive reference's "content script", run in the benchmark page itself (bench/lib/naive-pipeline-server.ts
// serves it): at DOMContentLoaded it takes the article's paragraphs in document order, as a
// simple extension would, sends them to the shared encoder worker (its stand-in for an
// offscreen document that outlives the page) and records, on the page's clock, when the first
// paragraph's vector came back (what it could paint first) and when the last did.
const result = { dcl: null, first: null, all: null, paragraphs: 0, received: 0, info: null, error: null };
globalThis.__naivePipeline = result;
document.addEventListener('DOMContentLoaded', () => {
  result.dcl = performance.now();
  const texts = [...document.querySelectorAll('article p')].map((p) => p.textContent ?? '');
  result.paragraphs = texts.length;
  const worker = new SharedWorker('/naive/worker.js', { type: 'module', name: 'naive-encoder' });
  worker.port.onmessage = ({ data }) => {
    if (data.error) {
      result.error = data.error;
    } else if (data.done) {
      result.all = performance.now();
      result.info = data.info;
    } else {
      if (result.first === null) result.first = performance.now();
      result.received++;
    }
  };
  worker.port.postMessage({ texts });
});
