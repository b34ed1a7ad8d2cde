import { browser } from 'wxt/browser';
import { startBackground } from '../platform/background';

// The service worker: answers the protocol, keeps learner state in IndexedDB, and starts the
// offscreen document that runs the encoder.
export default defineBackground({
  type: 'module',
  main() {
    startBackground(browser);
  },
});
