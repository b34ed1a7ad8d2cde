/**
 * Keeps the extracted blocks of a live page up to date: pages keep changing after load
 * (infinite scroll, "read more" buttons, single-page navigation), so a MutationObserver
 * triggers a fresh extraction once the page has been quiet for a moment, run in time slices
 * so that it never freezes the tab. Only blocks whose id has not been reported before are
 * reported; our own UI (anything under an element with `data-attention-reader-ui`) is
 * neither extracted nor a reason to re-extract.
 */
import { UI_HOST_ATTRIBUTE, createExtractor, type Block, type ExtractOptions, type LayoutProbe } from '../lib/extraction';

export interface WatcherTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface PageWatcherOptions {
  /** Called with the blocks not reported before, as soon as a slice finds them. */
  readonly onBlocks: (blocks: Block[]) => void;
  readonly probe?: LayoutProbe;
  readonly extract?: ExtractOptions;
  /** Quiet time after the last mutation before re-extracting (default 400 ms). */
  readonly debounceMs?: number;
  /** Longest a stream of mutations can put re-extraction off (default 2000 ms). */
  readonly maxWaitMs?: number;
  /** Work per slice before yielding to the page (default 8 ms). */
  readonly sliceMs?: number;
  /**
   * Whether a node is (inside) our own in-page UI, whose insertion or changes are no page
   * change. Our host carries no marker a page could see, so the content script says which it is.
   */
  readonly isOwnUi?: (node: Node) => boolean;
  /** Called when an extraction throws; it is abandoned and the watcher keeps watching. */
  readonly onError?: (error: unknown) => void;
  /** Clock and timers; the root's window by default (tests pass fakes). */
  readonly timers?: WatcherTimers;
}

export interface PageWatcher {
  /** Ids reported so far. */
  readonly reported: ReadonlySet<string>;
  /** Whether an extraction is under way. */
  readonly busy: boolean;
  /** Re-extracts now instead of after the debounce. */
  refresh(): void;
  /** Stops observing and abandons any extraction under way. */
  stop(): void;
}

type Observer = { observe(target: Node, options: MutationObserverInit): void; disconnect(): void };
type ObserverCtor = new (callback: (records: MutationRecord[]) => void) => Observer;

/** Attribute changes that can show or hide text. */
const VISIBILITY_ATTRIBUTES = ['class', 'style', 'hidden', 'aria-hidden', 'open'];

export function watchPage(root: Document | Element, options: PageWatcherOptions): PageWatcher {
  const doc = root.nodeType === 9 ? (root as Document) : (root.ownerDocument as Document);
  const view = doc.defaultView as (Window & { MutationObserver?: ObserverCtor }) | null;
  const timers = options.timers ?? windowTimers(view);
  const debounceMs = options.debounceMs ?? 400;
  const maxWaitMs = options.maxWaitMs ?? 2000;
  const sliceMs = options.sliceMs ?? 8;
  const reported = new Set<string>();

  let stopped = false;
  let pendingTimer: unknown = null;
  let firstPendingAt = -1;
  let sliceTimer: unknown = null;
  let run = 0; // bumped to abandon an extraction under way

  function extract(): void {
    cancelPending();
    if (sliceTimer !== null) timers.clearTimeout(sliceTimer);
    sliceTimer = null;
    const id = ++run;
    const extractor = createExtractor(root, options.probe, options.extract);
    const slice = () => {
      sliceTimer = null;
      if (stopped || id !== run) return;
      try {
        const found = extractor.step(sliceMs, () => timers.now());
        const fresh = found.filter((b) => !reported.has(b.id));
        for (const b of fresh) reported.add(b.id);
        if (fresh.length > 0) options.onBlocks(fresh);
      } catch (error) {
        options.onError?.(error);
        return;
      }
      if (!extractor.done) sliceTimer = timers.setTimeout(slice, 0);
    };
    slice();
  }

  function cancelPending(): void {
    if (pendingTimer !== null) timers.clearTimeout(pendingTimer);
    pendingTimer = null;
    firstPendingAt = -1;
  }

  function schedule(): void {
    const now = timers.now();
    if (firstPendingAt < 0) firstPendingAt = now;
    if (pendingTimer !== null) timers.clearTimeout(pendingTimer);
    // Trailing debounce, but never later than maxWait after the first mutation of the burst.
    const wait = Math.max(0, Math.min(debounceMs, firstPendingAt + maxWaitMs - now));
    pendingTimer = timers.setTimeout(() => {
      pendingTimer = null;
      firstPendingAt = -1;
      if (!stopped) extract();
    }, wait);
  }

  const Ctor = view?.MutationObserver;
  const observer = Ctor
    ? new Ctor((records) => {
        if (!stopped && records.some((r) => isPageChange(r, options.isOwnUi ?? (() => false)))) schedule();
      })
    : null;
  observer?.observe(root, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: VISIBILITY_ATTRIBUTES,
  });
  extract();

  return {
    reported,
    get busy() {
      return sliceTimer !== null;
    },
    refresh: () => {
      if (!stopped) extract();
    },
    stop: () => {
      stopped = true;
      observer?.disconnect();
      cancelPending();
      if (sliceTimer !== null) timers.clearTimeout(sliceTimer);
      sliceTimer = null;
      run++;
    },
  };
}

/** Whether a mutation can change what the page says (rather than only our own UI). */
function isPageChange(record: MutationRecord, isOwnUi: (node: Node) => boolean): boolean {
  if (insideUi(record.target) || isOwnUi(record.target)) return false;
  if (record.type !== 'childList') return true;
  const nodes = [...Array.from(record.addedNodes), ...Array.from(record.removedNodes)];
  // Inserting or removing our UI host is not a page change; anything else among the nodes is.
  return nodes.length === 0 || nodes.some((n) => !isUiHost(n) && !isOwnUi(n));
}

function isUiHost(node: Node): boolean {
  return node.nodeType === 1 && (node as Element).hasAttribute(UI_HOST_ATTRIBUTE);
}

function insideUi(node: Node): boolean {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return el?.closest(`[${UI_HOST_ATTRIBUTE}]`) != null;
}

function windowTimers(view: Window | null): WatcherTimers {
  if (!view) throw new Error('watchPage: the root is not in a window; pass `timers`');
  return {
    setTimeout: (fn, ms) => view.setTimeout(fn, ms),
    clearTimeout: (handle) => view.clearTimeout(handle as number),
    now: () => view.performance.now(),
  };
}
