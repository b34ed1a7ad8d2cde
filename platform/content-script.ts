/**
 * Wires the content script: the in-page UI, the page reader, extraction of the live DOM, and
 * the watcher that finds content appearing later (single-page apps, infinite scroll).
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { liveLayoutProbe } from '../lib/extraction';
import type { RuntimeLike } from './messaging';
import { mountPageUi } from './page-ui';
import { startPageReader, type PageReader } from './page-reader';
import { watchPage } from './page-watcher';

export async function startContentScript(ctx: ContentScriptContext, browser: { runtime: RuntimeLike }): Promise<void> {
  // Only top-level documents of ordinary pages; frames are reached from their parent.
  if (window.top !== window || !document.body) return;
  let reader: PageReader | null = null;
  const ui = await mountPageUi(ctx, {
    onAction: (action) => reader?.handleAction(action),
    onDismissNotice: () => reader?.dismissNotice(),
  });
  reader = startPageReader({ win: window, doc: document, runtime: browser.runtime, ui, newId: () => crypto.randomUUID() });
  // The watcher extracts at once (in time slices, visible paragraphs first) and again
  // whenever the page changes; it reports each paragraph once.
  const watcher = watchPage(document, {
    probe: liveLayoutProbe(window),
    onBlocks: (blocks) => reader?.addBlocks(blocks),
    onError: (e) => console.warn('[attention-reader] extraction failed on this page', e),
  });
  ctx.onInvalidated(() => {
    watcher.stop();
    reader?.stop();
  });
}
