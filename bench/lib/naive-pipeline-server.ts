/**
 * The web server of the naive reference (bench/lib/naive-pipeline-run.ts): the benchmark's
 * article pages with the naive reader added (bench/lib/naive/page.js), its encoder worker
 * (bench/lib/naive/worker.js), transformers.js as published (its web build, the same version
 * the extension bundles), and the runtime and model files taken from the built extension's
 * package itself:
 *
 *   /naive/<topic>.html                          the bench page + <script src="/naive/page.js">
 *   /naive/page.js, /naive/worker.js             bench/lib/naive/
 *   /naive/lib/transformers.js                   @huggingface/transformers' web build, its two
 *                                                bare imports pointed at the files below
 *   /naive/lib/ort.mjs                           onnxruntime-web's JSPI build, the one the
 *                                                Chrome package bundles (wxt.config.ts, ORT_BUILDS)
 *   /naive/lib/common/*                          onnxruntime-common (transformers.js imports it)
 *   /naive/ort/*                                 <package>/ort/: the WebAssembly runtime the extension ships
 *   /naive/models/use-lite/onnx/model_quantized.onnx   <package>/models/use-lite/model.int8.onnx
 *   /naive/models/use-lite/tokenizer.json        <package>/models/use-lite/tokenizer.json
 *   /naive/models/use-lite/config.json,          what transformers.js needs to know to load them:
 *     tokenizer_config.json                      an encoder-only model, 128 tokens at most
 *
 * Every answer carries the headers that make the pages cross-origin isolated, as the
 * extension's own pages are (its manifest), so the runtime may use threads on the same terms.
 * Nothing is fetched from anywhere else; a path not listed is a 404.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchPage } from './first-highlight-pages';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = dirname(fileURLToPath(import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

/** transformers.js' config for the bundled encoder: an encoder-only graph (inputs input_ids, attention_mask). */
export const NAIVE_MODEL_CONFIG = { model_type: 'bert', architectures: ['BertModel'], hidden_size: 512 };
/** The bundled encoder reads 128 tokens at most (platform/encoder/use-lite.ts); the pipeline truncates there too. */
export const NAIVE_TOKENIZER_CONFIG = { model_max_length: 128, clean_up_tokenization_spaces: false };

/** transformers.js' web build with its bare module names pointed at files this server serves (a browser resolves no bare names). */
export function linkTransformers(source: string): string {
  const linked = source.replace(/from\s*"onnxruntime-web\/webgpu"/g, 'from"/naive/lib/ort.mjs"').replace(/from\s*"onnxruntime-common"/g, 'from"/naive/lib/common/index.js"');
  if (/from\s*"onnxruntime-/.test(linked) || linked === source) throw new Error('transformers.js: its imports of onnxruntime are not the ones expected');
  return linked;
}

/** The bench page with the naive reader in it. */
export function naivePageHtml(page: BenchPage): string {
  if (!page.html.includes('</head>')) throw new Error(`${page.path}: no </head>`);
  return page.html.replace('</head>', '<script type="module" src="/naive/page.js"></script>\n</head>');
}

/** Where each served path comes from: a file, or text made here. */
export function naiveRoutes(extensionDir: string, pages: readonly BenchPage[]): Map<string, { file: string } | { text: string; type: string }> {
  const modules = join(root, 'node_modules');
  const routes = new Map<string, { file: string } | { text: string; type: string }>();
  for (const page of pages) routes.set(`/naive${page.path}`, { text: naivePageHtml(page), type: TYPES['.html']! });
  routes.set('/naive/page.js', { file: join(here, 'naive/page.js') });
  routes.set('/naive/worker.js', { file: join(here, 'naive/worker.js') });
  routes.set('/naive/lib/transformers.js', {
    text: linkTransformers(readFileSync(join(modules, '@huggingface/transformers/dist/transformers.web.min.js'), 'utf8')),
    type: TYPES['.js']!,
  });
  routes.set('/naive/lib/ort.mjs', { file: join(modules, 'onnxruntime-web/dist/ort.jspi.min.mjs') });
  const ortDir = join(extensionDir, 'ort');
  if (!existsSync(ortDir)) throw new Error(`${ortDir}: no runtime in the package (build it first)`);
  const model = join(extensionDir, 'models/use-lite');
  routes.set('/naive/models/use-lite/onnx/model_quantized.onnx', { file: join(model, 'model.int8.onnx') });
  routes.set('/naive/models/use-lite/tokenizer.json', { file: join(model, 'tokenizer.json') });
  routes.set('/naive/models/use-lite/config.json', { text: JSON.stringify(NAIVE_MODEL_CONFIG), type: TYPES['.json']! });
  routes.set('/naive/models/use-lite/tokenizer_config.json', { text: JSON.stringify(NAIVE_TOKENIZER_CONFIG), type: TYPES['.json']! });
  for (const f of [join(model, 'model.int8.onnx'), join(model, 'tokenizer.json')]) if (!existsSync(f)) throw new Error(`${f}: not in the package`);
  return routes;
}

/** Files under a folder, by prefix (onnxruntime-common's modules, the package's runtime). */
function folderFile(path: string, prefix: string, dir: string): string | null {
  if (!path.startsWith(prefix)) return null;
  const file = normalize(join(dir, path.slice(prefix.length)));
  return file.startsWith(dir) && existsSync(file) && statSync(file).isFile() ? file : null;
}

export async function serveNaive(extensionDir: string, pages: readonly BenchPage[]): Promise<{ origin: string; close(): Promise<void> }> {
  const routes = naiveRoutes(extensionDir, pages);
  const commonDir = join(root, 'node_modules/onnxruntime-common/dist/esm');
  const ortDir = join(extensionDir, 'ort');
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    };
    const route = routes.get(path);
    if (route && 'text' in route) {
      res.writeHead(200, { ...headers, 'content-type': route.type });
      res.end(route.text);
      return;
    }
    const file = route?.file ?? folderFile(path, '/naive/lib/common/', commonDir) ?? folderFile(path, '/naive/ort/', ortDir);
    if (!file || !existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
