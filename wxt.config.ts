import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The manifest is derived from entrypoints/; only what cannot be inferred is stated here.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser }) => ({
    name: 'Attention Reader',
    description: 'Highlights the passages worth your attention in the language you are learning, within today’s reading budget. Runs on your device.',
    default_locale: undefined,
    permissions: browser === 'firefox' ? ['alarms', 'unlimitedStorage'] : ['offscreen', 'alarms', 'unlimitedStorage'],
    // WebAssembly (the text encoder) needs 'wasm-unsafe-eval'; nothing else is allowed.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // Cross-origin isolation gives extension pages SharedArrayBuffer, so the WASM encoder
    // can use more than one thread.
    cross_origin_embedder_policy: { value: 'require-corp' },
    cross_origin_opener_policy: { value: 'same-origin' },
    browser_specific_settings: browser === 'firefox' ? { gecko: { id: 'attention-reader@example.org' } } : undefined,
  }),
});
