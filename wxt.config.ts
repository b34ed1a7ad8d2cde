import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { ALL_SITES } from './lib/site-access';
import { EXTENSION_PAGES_CSP } from './lib/connect-policy';
import { MANIFEST_COMMANDS } from './lib/shortcuts';
import { PACKAGE_ICON_SIZES, iconFile, renderIcons } from './scripts/icons/render';

const root = import.meta.dirname;

/**
 * Files the extension loads at run time by URL rather than through the bundler: the encoder's
 * weights and tokenizer (made by `npm run models`), the English frequency list and dictionary; with the
 * WebAssembly runtime (ORT_BUILDS), shipping them is what lets the encoder work offline.
 */
const MODEL_ASSETS: ReadonlyArray<[src: string, dest: string]> = [
  ['models/generated/use-lite/model.int8.onnx', 'models/use-lite/model.int8.onnx'],
  ['models/generated/use-lite/tokenizer.json', 'models/use-lite/tokenizer.json'],
  ['models/generated/frequency-en.json', 'models/frequency-en.json'],
  // The offline English dictionary (WordNet 3.1) and the licence that must travel with it.
  ['models/generated/dictionary/wordnet-en.txt', 'dictionary/wordnet-en.txt'],
  ['models/generated/dictionary/wordnet-LICENSE.txt', 'dictionary/wordnet-LICENSE.txt'],
];

/**
 * One onnxruntime-web WebAssembly build per browser, serving both the WASM path and (where it
 * carries it) WebGPU, for the bundled encoder and for transformers.js alike:
 * - Chrome and Edge: the JSPI build (16.8 MB, 4.2 MB zipped). It carries the WebGPU provider
 *   and runs the WASM provider as the plain build does; JSPI (JavaScript Promise Integration,
 *   in Chrome since 137) is what lets its WebGPU calls wait without the asyncify build's
 *   rewritten binary (26.9 MB). Shipping it alone replaces the plain + asyncify pair (41 MB,
 *   10.4 MB zipped). `npm run bench:first-highlight` measures the WASM path and the package;
 *   the e2e encoder tests run both providers (WebGPU on SwiftShader).
 * - Firefox: the plain SIMD build (14.3 MB). Firefox has no JSPI by default, and the encoder
 *   there runs on WASM (platform/encoder-host.ts asks for WebGPU only where the build has it).
 * Both load from these extension URLs (never a CDN); their own URLs are what their worker
 * threads start from.
 */
const ORT_BUILDS = {
  chrome: { entry: 'onnxruntime-web/jspi', glue: 'ort-wasm-simd-threaded.jspi', webgpu: true },
  firefox: { entry: 'onnxruntime-web/wasm', glue: 'ort-wasm-simd-threaded', webgpu: false },
} as const;

function ortBuild(browser: string) {
  return browser === 'firefox' ? ORT_BUILDS.firefox : ORT_BUILDS.chrome;
}

function runtimeAssets(browser: string): ReadonlyArray<[src: string, dest: string]> {
  const { glue } = ortBuild(browser);
  return [
    ...MODEL_ASSETS,
    [`node_modules/onnxruntime-web/dist/${glue}.mjs`, `ort/${glue}.mjs`],
    [`node_modules/onnxruntime-web/dist/${glue}.wasm`, `ort/${glue}.wasm`],
  ];
}

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  // Manifest V3 for every browser (WXT would default Firefox to V2).
  manifestVersion: 3,
  // The sources zip (for addons.mozilla.org's review) holds what git holds: nothing git
  // ignores (the converted models, test screenshots, the demo's output, rendered icons).
  zip: { excludeSources: gitIgnoredGlobs() },
  vite: (env) => ({
    plugins: [preact()],
    define: {
      // Whether this build's runtime carries the WebGPU provider (see ORT_BUILDS).
      'import.meta.env.ORT_WEBGPU': JSON.stringify(ortBuild(env.browser).webgpu),
    },
    resolve: {
      // onnxruntime-web's builds that load their WebAssembly glue (.mjs) from `wasmPaths`
      // instead of embedding it: with the glue at an extension URL, its worker threads can
      // start from that URL, which an embedded copy inside a bundled chunk cannot.
      conditions: ['onnxruntime-web-use-extern-wasm', 'module', 'browser', 'production'],
      // Every import of onnxruntime-web (ours and transformers.js's) is the one build shipped.
      alias: [{ find: /^onnxruntime-web(\/(webgpu|wasm|jspi|all))?$/, replacement: ortBuild(env.browser).entry }],
    },
    // The encoder's worker (entrypoints/offscreen) loads onnxruntime-web as a separate chunk,
    // which only an ES module worker can (Vite's default worker format, iife, cannot split).
    worker: { format: 'es' },
    build: {
      // Never inline a WASM binary as a data: URL (14-27 MB of base64 in a script).
      assetsInlineLimit: 0,
    },
  }),
  hooks: {
    'build:publicAssets': async (wxt, assets) => {
      for (const [src, dest] of runtimeAssets(wxt.config.browser)) {
        const absoluteSrc = resolve(root, src);
        if (!existsSync(absoluteSrc)) throw new Error(`${src} is missing: run "npm run models" (it converts the bundled encoder and builds the word list and dictionary).`);
        assets.push({ absoluteSrc, relativeDest: dest });
      }
      // The icons, rendered from scripts/icons/icon.svg when it changed.
      await renderIcons();
      for (const size of PACKAGE_ICON_SIZES) assets.push({ absoluteSrc: iconFile(size), relativeDest: `icons/icon-${size}.png` });
    },
    'build:manifestGenerated': (_wxt, manifest) => {
      // WXT turns the matches of a run-time registered content script into install-time host
      // access; here that access is optional (requested per site or for all sites), so the
      // derived grant is removed. Nothing else may be granted at install.
      const derived = (manifest.host_permissions ?? []).filter((p: string) => p !== ALL_SITES);
      if (derived.length > 0) throw new Error(`Unexpected install-time host access: ${derived.join(', ')}`);
      delete manifest.host_permissions;
      if (manifest.content_scripts?.length === 0) delete manifest.content_scripts;
    },
  },
  manifest: ({ browser }) => ({
    name: 'Attention Reader',
    // Texts of the popup and options page come from public/_locales (platform/i18n.ts).
    default_locale: 'en',
    description: 'Highlights the passages worth your attention in the language you are learning, within today’s reading budget. Runs on your device.',
    ...manifestIconsAndShortcuts(),
    // activeTab: a toolbar click lets the popup see the tab's address and read that one page.
    // scripting: registers the reader for the sites the learner grants (platform/site-access.ts).
    permissions: [...(browser === 'firefox' ? [] : ['offscreen']), 'alarms', 'notifications', 'unlimitedStorage', 'activeTab', 'scripting'],
    // No host access at install. The learner grants it for one site or for all sites (popup,
    // welcome steps, settings), and AnkiConnect's local address when they first send to Anki.
    optional_host_permissions: [ALL_SITES],
    // Scripts: only our own, and WebAssembly for the encoder. Connections: lib/connect-policy.ts.
    content_security_policy: {
      extension_pages: EXTENSION_PAGES_CSP,
    },
    // Cross-origin isolation gives extension pages SharedArrayBuffer, so the WASM encoder can
    // use more than one thread.
    cross_origin_embedder_policy: { value: 'require-corp' },
    cross_origin_opener_policy: { value: 'same-origin' },
    // The JSPI runtime (ORT_BUILDS) needs Chrome 137 or later.
    ...(browser === 'firefox' ? {} : { minimum_chrome_version: '137' }),
    ...(browser === 'firefox' ? { browser_specific_settings: {
            gecko: {
              id: FIREFOX_ADDON_ID,
              strict_min_version: '128.0',
              // Nothing is collected or sent anywhere.
              data_collection_permissions: { required: ['none'] },
            },
          } } : {}),
  }),
});

/**
 * The add-on's id on Firefox (and addons.mozilla.org): fixed forever, since Firefox keys the
 * learner's installed copy and its data to it. A GUID, the form for add-ons without a domain.
 */
const FIREFOX_ADDON_ID = '{7d3e9a41-5c2b-4f86-b1d0-8e6a2f4c9b35}';

/** Icons (toolbar, extensions page, stores) and the keyboard shortcuts (lib/shortcuts.ts). */
function manifestIconsAndShortcuts() {
  const icons = Object.fromEntries(PACKAGE_ICON_SIZES.map((size) => [String(size), `icons/icon-${size}.png`]));
  const toolbar = Object.fromEntries([16, 24, 32].map((size) => [String(size), `icons/icon-${size}.png`]));
  return { icons, action: { default_icon: toolbar }, commands: MANIFEST_COMMANDS };
}

/** .gitignore's entries as the glob patterns WXT's zip excludes (folders and file patterns). */
function gitIgnoredGlobs(): string[] {
  const lines = readFileSync(resolve(root, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
  return lines.filter((l) => l && !l.startsWith('#') && !l.startsWith('!')).map((entry) => {
    // A slash before the end anchors an entry to the root; otherwise it matches at any depth.
    const bare = entry.replace(/^\//, '');
    const glob = entry.replace(/\/$/, '').includes('/') ? bare : `**/${bare}`;
    return glob.endsWith('/') ? `${glob}**` : glob;
  });
}
