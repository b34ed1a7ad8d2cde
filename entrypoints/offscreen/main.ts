import { browser } from 'wxt/browser';
import { startEncoderRelay } from '../../platform/encoder-relay';

// The offscreen document: a page with no UI that answers `encoder.*` messages for the service
// worker, relaying them to a worker that runs the text encoder (WASM or WebGPU) off the main
// thread the extension's pages share.
startEncoderRelay(browser.runtime, () => new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'encoder' }));
