import { browser } from 'wxt/browser';
import { startContentScript } from '../../platform/content-script';
import '../../components/page/toolbar.css';
import '../../components/page/word-card.css';

// Extracts paragraphs, shows highlights and the in-page controls. Registered at run time for
// the sites the learner turned the extension on for (platform/site-access.ts), or injected
// into one tab on request; never on every page by the manifest.
export default defineContentScript({
  // The pages it can ever run on; wxt.config.ts keeps this out of the install-time grants.
  matches: ['*://*/*'],
  registration: 'runtime',
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    return startContentScript(ctx, browser);
  },
});
