/**
 * Mounts the in-page controls (components/page/Toolbar) in a closed shadow root, through
 * WXT's shadow-root UI: page CSS cannot reach in, ours cannot leak out, and page scripts
 * cannot walk into it to read what the learner is doing.
 *
 * The host is a plain `<div>` with no attribute of ours. A custom element name would let the
 * page define that element first: its constructor runs for our host, where
 * `attachInternals()` hands the page the closed shadow root (and with it the toolbar's
 * buttons and explanations), or its own `attachShadow` makes ours throw. A built-in `<div>`
 * runs no page code when created, cannot have internals, and is given its shadow root before
 * it is in the document, so the page never sees it without one. (Patching
 * `Element.prototype.attachShadow` in the page changes nothing for us: a content script has
 * its own copies of the DOM's prototypes.)
 */
import { h, render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Toolbar, type ToolbarAction, type ToolbarState } from '../components/page/Toolbar';
import { WordCard, type WordCardAction, type WordCardState } from '../components/page/WordCard';
import type { PageNoticeOut } from '../lib/protocol';
import type { PageUi } from './page-reader';
import type { WordCardUi } from './word-lookup';

type NoticeAction = NonNullable<PageNoticeOut['action']>;

/** The host's element name: built in, so that no page can define it (see above). */
export const UI_HOST_NAME = 'div';

/**
 * The toolbar and, beside it in the same shadow root (one host for all our UI), the word card
 * (components/page/WordCard), each rendered into its own container.
 */
export async function mountPageUi(
  ctx: ContentScriptContext,
  handlers: { onAction(action: ToolbarAction): void; onDismissNotice(): void; onNoticeAction?(action: NoticeAction): void; onWordCardAction(action: WordCardAction): void },
  /**
   * Called with the controls the moment their host is in the page, before this returns: the
   * page watcher then knows the host as ours when it hears of its insertion.
   */
  onMounted?: (ui: PageUi & { wordCard: WordCardUi }) => void,
): Promise<PageUi & { wordCard: WordCardUi }> {
  let container: HTMLElement | null = null;
  let cardContainer: HTMLElement | null = null;
  const ui = await createShadowRootUi(ctx, {
    name: UI_HOST_NAME,
    position: 'inline',
    anchor: 'html',
    append: 'last',
    mode: 'closed',
    // Clicks in our toolbar are not clicks on the page. Keys the toolbar handles stop there
    // (components/page/Toolbar.tsx); others bubble, so our own next/previous shortcut works
    // while the toolbar has focus.
    isolateEvents: ['mousedown', 'mouseup', 'click'],
    onMount(uiContainer) {
      container = uiContainer;
      cardContainer = uiContainer.ownerDocument.createElement('div');
      uiContainer.after(cardContainer);
      return uiContainer;
    },
    onRemove(mounted) {
      if (mounted) render(null, mounted);
      if (cardContainer) render(null, cardContainer);
    },
  });
  const host = ui.shadowHost;
  ui.mount();
  const contains = (target: EventTarget | null) => target instanceof Node && (target === host || host.contains(target));
  const mounted = {
    render(state: ToolbarState, notice: PageNoticeOut | null) {
      if (container) render(h(Toolbar, { state, notice, onAction: handlers.onAction, onDismissNotice: handlers.onDismissNotice, onNoticeAction: handlers.onNoticeAction }), container);
    },
    contains,
    wordCard: {
      render(state: WordCardState) {
        if (cardContainer) render(h(WordCard, { state, onAction: handlers.onWordCardAction }), cardContainer);
      },
      contains,
    },
  };
  onMounted?.(mounted);
  return mounted;
}
