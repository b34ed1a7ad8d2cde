import { browser } from 'wxt/browser';
import { startContentScript } from '../../platform/content-script';
import '../../components/page/toolbar.css';

// Runs on every http(s) page once it is idle: extracts paragraphs, shows highlights and the
// in-page controls.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    return startContentScript(ctx, browser);
  },
});
