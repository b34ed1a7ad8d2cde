/**
 * Mounts the word card (components/page/WordCard) in a closed shadow root of its own, on a
 * plain `<div>` host like the toolbar's (platform/page-ui.ts says why): page CSS cannot reach
 * in, and page scripts cannot read what the learner looks up.
 */
import { h, render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { WordCard, type WordCardAction, type WordCardState } from '../components/page/WordCard';
import { UI_HOST_NAME } from './page-ui';

export interface WordCardUi {
  render(state: WordCardState): void;
  /** True when an event target is inside the card. */
  contains(target: EventTarget | null): boolean;
}

export async function mountWordCardUi(ctx: ContentScriptContext, onAction: (action: WordCardAction) => void): Promise<WordCardUi> {
  let container: HTMLElement | null = null;
  const ui = await createShadowRootUi(ctx, {
    name: UI_HOST_NAME,
    position: 'inline',
    anchor: 'html',
    append: 'last',
    mode: 'closed',
    // Clicks and keys in the card are not the page's.
    isolateEvents: ['mousedown', 'mouseup', 'click', 'keydown', 'keyup'],
    onMount(uiContainer) {
      container = uiContainer;
      return uiContainer;
    },
    onRemove(mounted) {
      if (mounted) render(null, mounted);
    },
  });
  const host = ui.shadowHost;
  ui.mount();
  return {
    render(state) {
      if (container) render(h(WordCard, { state, onAction }), container);
    },
    contains(target) {
      return target instanceof Node && (target === host || host.contains(target));
    },
  };
}
