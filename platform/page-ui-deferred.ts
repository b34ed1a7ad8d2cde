/**
 * The in-page controls while they are still being mounted. Mounting them (a shadow root whose
 * stylesheet is read from the extension's files) takes tens of milliseconds, and the page's
 * first highlights need none of it: the reader extracts, sends and paints meanwhile, and
 * whatever it asks the controls to show is shown the moment they are up. If they never come up
 * (the page got in the way), the reader carries on without them.
 */
import type { PageUi } from './page-reader';
import type { WordCardUi } from './word-lookup';

export type MountedUi = PageUi & { wordCard: WordCardUi };

export interface DeferredPageUi {
  /** Stands in for the controls from the start; forwards to them once they are attached. */
  readonly ui: MountedUi;
  /** The controls are up: shows them the last state the reader asked for. */
  attach(mounted: MountedUi): void;
  /** The controls will not come up: later calls do nothing and nothing is kept. */
  fail(): void;
  /** Whether the controls are up. */
  readonly attached: boolean;
}

export function deferredPageUi(): DeferredPageUi {
  let mounted: MountedUi | null = null;
  let failed = false;
  // Only the latest state matters: each render draws the whole toolbar (or card) anew.
  let toolbar: Parameters<PageUi['render']> | null = null;
  let card: Parameters<WordCardUi['render']> | null = null;
  const contains = (target: EventTarget | null) => mounted?.contains(target) ?? false;
  return {
    ui: {
      render(state, notice) {
        if (mounted) mounted.render(state, notice);
        else if (!failed) toolbar = [state, notice];
      },
      contains,
      wordCard: {
        render(state) {
          if (mounted) mounted.wordCard.render(state);
          else if (!failed) card = [state];
        },
        contains,
      },
    },
    attach(ui) {
      if (mounted || failed) return;
      mounted = ui;
      if (toolbar) ui.render(...toolbar);
      if (card) ui.wordCard.render(...card);
      toolbar = card = null;
    },
    fail() {
      if (mounted) return;
      failed = true;
      toolbar = card = null;
    },
    get attached() {
      return mounted !== null;
    },
  };
}
