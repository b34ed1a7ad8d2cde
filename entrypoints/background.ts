import { browser } from 'wxt/browser';
import { startBackground } from '../platform/background';

// The service worker: answers the protocol, keeps learner state in IndexedDB, and starts the
// offscreen document that runs the encoder.
export default defineBackground({
  type: 'module',
  main() {
    startBackground(browser);
    // First run: the welcome steps (languages, level, interests, budget) in a tab.
    browser.runtime.onInstalled.addListener(({ reason }) => {
      if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/options.html#welcome' as '/options.html') });
    });
  },
});
