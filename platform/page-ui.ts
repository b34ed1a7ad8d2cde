/**
 * Mounts the in-page controls (components/page/Toolbar) in a closed shadow root, through
 * WXT's shadow-root UI: page CSS cannot reach in, ours cannot leak out, and page scripts
 * cannot walk into it to read what the learner is doing.
 */
import { h, render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Toolbar, type ToolbarAction, type ToolbarState } from '../components/page/Toolbar';
import { UI_HOST_ATTRIBUTE } from '../lib/extraction';
import type { PageNoticeOut } from '../lib/protocol';
import type { PageUi } from './page-reader';

type NoticeAction = NonNullable<PageNoticeOut['action']>;

export const UI_HOST_NAME = 'attention-reader-ui';

export async function mountPageUi(
  ctx: ContentScriptContext,
  handlers: { onAction(action: ToolbarAction): void; onDismissNotice(): void; onNoticeAction?(action: NoticeAction): void },
): Promise<PageUi> {
  let container: HTMLElement | null = null;
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
      return uiContainer;
    },
    onRemove(mounted) {
      if (mounted) render(null, mounted);
    },
  });
  const host = ui.shadowHost;
  // Marks our host so that extraction and the page watcher leave it out.
  host.setAttribute(UI_HOST_ATTRIBUTE, '');
  ui.mount();
  return {
    render(state: ToolbarState, notice: PageNoticeOut | null) {
      if (container) render(h(Toolbar, { state, notice, onAction: handlers.onAction, onDismissNotice: handlers.onDismissNotice, onNoticeAction: handlers.onNoticeAction }), container);
    },
    contains(target) {
      return target instanceof Node && (target === host || host.contains(target));
    },
  };
}
