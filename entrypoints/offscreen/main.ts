import { browser } from 'wxt/browser';
import { startEncoderHost } from '../../platform/encoder-host';

// The offscreen document: a page with no UI that runs the text encoder (WASM or WebGPU) off
// the service worker, answering `encoder.*` messages.
startEncoderHost(browser.runtime);
