/**
 * Where the extension's own pages (popup, options, review, the offscreen encoder, the
 * background) may open connections: the `connect-src` of their Content Security Policy, so
 * that "no network request" rests on the browser as well as on the code.
 *
 * - `'self'`: the extension's own files (the shipped encoder, word list, WebAssembly runtime).
 * - The model hub, for a model download the learner asked for in Settings (models/manifest.json
 *   and platform/encoder/model-store.ts): huggingface.co answers file requests by redirecting
 *   large files to its storage hosts under hf.co (cas-bridge.xethub.hf.co, cdn-lfs*.hf.co) and
 *   huggingface.co (cdn-lfs.huggingface.co), and a CSP is checked again at every redirect.
 * - AnkiConnect on this machine (lib/anki.ts), when the learner sends cards to Anki.
 */
import { ANKI_CONNECT_URL } from './anki';

export const MODEL_HUB_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'] as const;

export const CONNECT_SOURCES: readonly string[] = ["'self'", ...MODEL_HUB_SOURCES, ANKI_CONNECT_URL];

/** WebAssembly (the text encoder) needs 'wasm-unsafe-eval'; nothing else is allowed. */
export const EXTENSION_PAGES_CSP = `script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src ${CONNECT_SOURCES.join(' ')}`;
