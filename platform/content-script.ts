/**
 * Wires the content script: the in-page UI, the page reader, extraction of the live DOM, and
 * the watcher that finds content appearing later (single-page apps, infinite scroll).
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { liveLayoutProbe } from '../lib/extraction';
import { stillReadable } from '../lib/site-access';
import { listen, type RuntimeLike } from './messaging';
import { mountPageUi } from './page-ui';
import { deferredPageUi } from './page-ui-deferred';
import { startPageReader, type PageReader } from './page-reader';
import { createPageTimings } from './page-timings';
import { watchPage } from './page-watcher';
import { READER_RUNNING_FLAG } from './site-access';
import { startWordLookup, type WordLookup } from './word-lookup';

export async function startContentScript(ctx: ContentScriptContext, browser: { runtime: RuntimeLike }): Promise<void> {
  // Only top-level documents of ordinary pages; frames are reached from their parent.
  if (window.top !== window || !document.body) return;
  // Stage timings in the page's performance timeline, read by the first-highlight benchmark.
  const timings = createPageTimings(window.performance);
  timings.mark('start');
  // The background asks before starting the reader on an open tab (a new grant, "read this
  // page"), so the registered script and an injected one never both run.
  (globalThis as Record<string, unknown>)[READER_RUNNING_FLAG] = true;
  let reader: PageReader | null = null;
  /** The word the card shows (its last render), for the page's new-word underline. */
  let cardWord = '';
  // The controls mount while the page is read: the first highlights need none of them, and
  // whatever the reader asks them to show appears once they are up. Whatever the page did to
  // stop them from mounting, its passages are still read and highlighted.
  const pageUi = deferredPageUi();
  const ui = pageUi.ui;
  reader = startPageReader({ win: window, doc: document, runtime: browser.runtime, ui, newId: () => crypto.randomUUID(), timings });
  // A click on a word opens its card (its meaning in this sentence), drawn beside the toolbar;
  // there is no card without the controls, so look-ups start once they are up.
  let lookup: WordLookup | null = null;
  let stopped = false;
  void mountPageUi(ctx, {
    onAction: (action) => reader?.handleAction(action),
    onDismissNotice: () => reader?.dismissNotice(),
    onNoticeAction: (action) => reader?.noticeAction(action),
    onWordCardAction: (action) => {
      lookup?.handleAction(action);
      // A word marked known or ignored on its card is no longer underlined as new.
      if (action.kind === 'mark' && action.state !== 'learning') reader?.wordMarked(cardWord);
    },
  }, pageUi.attach).then(
    () => {
      if (stopped || !pageUi.attached) return;
      lookup = startWordLookup({
        win: window,
        doc: document,
        runtime: browser.runtime,
        ui: {
          ...ui.wordCard,
          render: (state) => {
            cardWord = state.word;
            ui.wordCard.render(state);
          },
        },
        newId: () => crypto.randomUUID(),
        isOwnUi: (target) => ui.contains(target),
        paused: () => reader?.paused() ?? false,
        openedToolbar: (click) => reader?.openedToolbar(click) ?? false,
      });
    },
    (e: unknown) => {
      pageUi.fail();
      console.warn('[attention-reader] the in-page controls could not be shown on this page', e);
    },
  );
  // The watcher extracts at once (in time slices, visible paragraphs first) and again
  // whenever the page changes; it reports each paragraph once.
  timings.mark('watch');
  const watcher = watchPage(document, {
    probe: liveLayoutProbe(window),
    isOwnUi: (node) => ui.contains(node),
    onBlocks: (blocks) => {
      timings.extracted();
      reader?.addBlocks(blocks);
    },
    onError: (e) => console.warn('[attention-reader] extraction failed on this page', e),
  });
  // Access to this site taken back: stop, and take the highlights and controls away with us
  // (the context's invalidation runs every cleanup below, WXT's removal of the UI included).
  const control = listen(browser.runtime, 'page', {
    'reader.stop': async ({ removed, granted }) => {
      if (stillReadable(location.href, removed, granted)) return { stopped: false };
      ctx.abort('host access to this site was taken back');
      return { stopped: true };
    },
    // The browser's next/previous passage shortcut, relayed by the background.
    'reader.step': async ({ step }) => ({ moved: reader?.step(step) ?? false }),
    // The browser's look-up shortcut, relayed by the background: the word at the selection.
    'reader.lookup': async () => ({ opened: lookup?.lookupAtSelection() ?? false }),
  });
  ctx.onInvalidated(() => {
    control.stop();
    delete (globalThis as Record<string, unknown>)[READER_RUNNING_FLAG];
    watcher.stop();
    stopped = true;
    lookup?.stop();
    reader?.stop();
  });
}
