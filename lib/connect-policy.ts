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
 * - The learner's own sync server (Settings -> Sync, platform/sync/), which can be any host:
 *   any https address, or plain http on this computer only (lib/sync-settings.ts refuses a
 *   plain-http address elsewhere: the password would cross the network unencrypted). Nothing
 *   connects there until the learner turns sync on; the privacy e2e checks that with sync
 *   off no request leaves the extension.
 */
import { ANKI_CONNECT_URL } from './anki';

export const MODEL_HUB_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'] as const;

export const SYNC_SERVER_SOURCES = ['https:', 'http://127.0.0.1:*', 'http://localhost:*'] as const;

export const CONNECT_SOURCES: readonly string[] = ["'self'", ...MODEL_HUB_SOURCES, ANKI_CONNECT_URL, ...SYNC_SERVER_SOURCES];

/** WebAssembly (the text encoder) needs 'wasm-unsafe-eval'; nothing else is allowed. */
export const EXTENSION_PAGES_CSP = `script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src ${CONNECT_SOURCES.join(' ')}`;
