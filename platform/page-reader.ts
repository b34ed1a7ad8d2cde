/**
 * The content script's controller: extracted paragraphs go to the background, chosen
 * highlights come back and are painted, the learner's actions and reading time go back as
 * events. It holds no judgement of its own: what to highlight and why is decided in the
 * background from lib/.
 */
import type { Block } from '../lib/extraction';
import type { FeedbackKind, HighlightOut, ParagraphIn } from '../lib/protocol';
import { LIMITS } from '../lib/protocol';
import { words } from '../lib/text';
import type { ToolbarAction, ToolbarState } from '../components/page/Toolbar';
import { createDwellTracker } from './dwell';
import { createHighlighter, type Highlighter } from './highlighter';
import { send, type RuntimeLike } from './messaging';
import { createOutbox } from './outbox';
import { blockRanges } from './ranges';

export interface PageUi {
  render(state: ToolbarState, notice: string | null): void;
  /** True when an event target is inside our own UI (its clicks are not page clicks). */
  contains(target: EventTarget | null): boolean;
}

export interface PageReaderEnv {
  win: Window & typeof globalThis;
  doc: Document;
  runtime: RuntimeLike;
  ui: PageUi;
  /** Ids for events; `crypto.randomUUID` in the browser. */
  newId(): string;
  /**
   * Whether an input event is the learner's rather than a page script's (scripts can dispatch
   * synthetic clicks, keys and mouseups): `event.isTrusted` unless given (unit tests, whose
   * events are all synthetic, pass one that trusts them).
   */
  isTrusted?(event: Event): boolean;
}

export interface PageReader {
  /** Blocks newly found on the page (first extraction, or content that appeared later). */
  addBlocks(blocks: readonly Block[]): void;
  handleAction(action: ToolbarAction): void;
  /** The next (1) or previous (-1) highlighted passage, toolbar open and focused; false if none. */
  step(direction: 1 | -1): boolean;
  dismissNotice(): void;
  stop(): void;
}

type Pending =
  | { type: 'snippet.save'; payload: Parameters<typeof send<'snippet.save'>>[2] }
  | { type: 'word.mark'; payload: Parameters<typeof send<'word.mark'>>[2] }
  | { type: 'feedback.give'; payload: Parameters<typeof send<'feedback.give'>>[2] }
  | { type: 'reading.dwell'; payload: Parameters<typeof send<'reading.dwell'>>[2] };

const CLOSED: ToolbarState = { open: false, kind: 'highlight', x: 0, top: 0, bottom: 0, focus: false, status: null, explanation: null };
const DWELL_FLUSH_MS = 15_000;
/** A selection this short is a word or phrase the learner wants to learn. */
const MAX_MARKED_WORDS = 3;

export function startPageReader(env: PageReaderEnv): PageReader {
  const { win, doc, runtime, ui } = env;
  const fromLearner = env.isTrusted ?? ((e: Event) => e.isTrusted);
  const highlighter: Highlighter = createHighlighter(doc);
  const blocks = new Map<string, Block>();
  const sent = new Set<string>();
  let shown = new Map<string, HighlightOut>();
  let toolbar: ToolbarState = CLOSED;
  let notice: string | null = null;
  let target: { kind: 'highlight'; id: string } | { kind: 'selection'; text: string; blockId: string | null } | null = null;
  let scoring: Promise<void> | null = null;
  let rescore = false;
  /** Set by stop(): a reply still in flight must not paint again, nor start another turn. */
  let stopped = false;

  const outbox = createOutbox<Pending>({
    deliver: async (e) => {
      await send(runtime, e.type, e.payload as never);
    },
    onError: (error) => console.debug('[attention-reader] will retry', error),
  });
  const dwell = createDwellTracker({ doc, now: () => win.performance.now(), IntersectionObserver: win.IntersectionObserver });

  const render = () => ui.render(toolbar, notice);
  const setToolbar = (patch: Partial<ToolbarState>) => {
    toolbar = { ...toolbar, ...patch };
    render();
  };

  // ---- scoring -------------------------------------------------------------------------

  function paragraphPayload(b: Block): ParagraphIn {
    return { id: b.id, text: b.text.slice(0, LIMITS.paragraphText), lang: b.lang || 'und' };
  }

  const unsent = () => [...blocks.values()].filter((b) => b.kind !== 'heading' && !sent.has(b.id));

  /** Sends one message's worth of new paragraphs; true when it was answered. */
  async function scoreOnce(): Promise<boolean> {
    const fresh = unsent().slice(0, LIMITS.paragraphsPerMessage);
    if (fresh.length === 0) return false;
    const request = {
      url: doc.location?.href.slice(0, LIMITS.url) ?? '',
      title: doc.title.slice(0, LIMITS.title),
      lang: doc.documentElement.lang || fresh[0]?.lang || 'und',
      paragraphs: fresh.map(paragraphPayload),
      shown: [...shown.keys()],
    };
    let delay = 250;
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const reply = await send(runtime, 'page.paragraphs', request);
        if (stopped) return false;
        for (const b of fresh) {
          sent.add(b.id);
          dwell.observe(b.id, b.element);
        }
        applyHighlights(reply.highlights, reply.notice);
        return true;
      } catch (e) {
        // The service worker may be starting up; a few retries cover that. After that the
        // page stays as it is rather than retrying forever.
        if (attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
    return false;
  }

  function scoreNew(): void {
    if (stopped) return;
    if (scoring) {
      rescore = true;
      return;
    }
    scoring = scoreOnce()
      .catch((e: unknown) => {
        console.warn('[attention-reader] could not score this page', e);
        return false;
      })
      .then((answered) => {
        scoring = null;
        // More than one message's worth of paragraphs (a huge page) goes in turns; after a
        // failure only new content starts another attempt.
        if (rescore || (answered && unsent().length > 0)) {
          rescore = false;
          scoreNew();
        }
      });
  }

  function applyHighlights(highlights: HighlightOut[], line: string | null): void {
    shown = new Map(highlights.filter((h) => blocks.has(h.id)).map((h) => [h.id, h]));
    highlighter.show([...shown.values()].map((h) => ({ id: h.id, tier: h.tier, ranges: blockRanges(blocks.get(h.id)!) })));
    notice = line;
    render();
  }

  // ---- learner actions -----------------------------------------------------------------

  function openFor(next: typeof target, rect: DOMRect, focus: boolean) {
    target = next;
    toolbar = { open: true, kind: next?.kind ?? 'highlight', x: rect.left, top: rect.top, bottom: rect.bottom, focus, status: null, explanation: null };
    render();
  }

  function close() {
    target = null;
    highlighter.focus(null);
    setToolbar({ open: false, focus: false });
  }

  function blockContaining(node: Node | null): Block | null {
    for (const b of blocks.values()) if (node && b.element.contains(node)) return b;
    return null;
  }

  function onClick(e: MouseEvent) {
    if (!fromLearner(e) || ui.contains(e.target)) return;
    const caret = doc.caretRangeFromPoint?.(e.clientX, e.clientY);
    const block = blockContaining(caret?.startContainer ?? (e.target as Node));
    if (block && shown.has(block.id) && win.getSelection()?.isCollapsed !== false) {
      const ranges = blockRanges(block);
      highlighter.focus(ranges);
      openFor({ kind: 'highlight', id: block.id }, block.element.getBoundingClientRect(), false);
    } else if (toolbar.open && toolbar.kind === 'highlight') close();
  }

  function onSelectionEnd(e: Event) {
    if (!fromLearner(e) || ui.contains(e.target)) return;
    const selection = win.getSelection();
    const text = selection?.toString().trim() ?? '';
    if (!selection || selection.isCollapsed || text.length < 2 || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const block = blockContaining(range.commonAncestorContainer);
    openFor({ kind: 'selection', text: text.slice(0, LIMITS.snippetText), blockId: block?.id ?? null }, range.getBoundingClientRect(), false);
    // A word or short phrase can also be marked as known or ignored.
    if (words(text, block?.lang || 'en').length <= MAX_MARKED_WORDS) setToolbar({ kind: 'word' });
  }

  /**
   * Moves to the next (1) or previous (-1) highlighted passage, focuses it and opens its
   * toolbar with the keyboard focus in it. Called for the browser's passage shortcuts
   * (manifest `commands`, relayed by the background): the browser delivers only the
   * learner's own key presses, so no page script can trigger it. False when nothing is
   * highlighted.
   */
  function step(direction: 1 | -1): boolean {
    if (stopped) return false;
    const ordered = [...blocks.values()].filter((b) => shown.has(b.id));
    if (ordered.length === 0) return false;
    const focused = target?.kind === 'highlight' ? target.id : null;
    const current = ordered.findIndex((b) => b.id === focused);
    const block = ordered[(current + direction + ordered.length) % ordered.length]!;
    block.element.scrollIntoView({ block: 'center', behavior: win.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    highlighter.focus(blockRanges(block));
    openFor({ kind: 'highlight', id: block.id }, block.element.getBoundingClientRect(), true);
    return true;
  }

  function saveTarget() {
    if (!target) return;
    let text: string;
    let context: string;
    let paragraphId: string | null;
    let markedWords: string[] = [];
    if (target.kind === 'highlight') {
      const block = blocks.get(target.id);
      if (!block) return;
      text = block.text.slice(0, LIMITS.snippetText);
      context = block.text;
      paragraphId = block.id;
    } else {
      const block = target.blockId ? blocks.get(target.blockId) : undefined;
      context = block?.text ?? target.text;
      paragraphId = block?.id ?? null;
      const lang = block?.lang ?? doc.documentElement.lang ?? 'en';
      // A word or short phrase is something to learn: keep it marked, with its paragraph as the passage.
      if (words(target.text, lang || 'en').length <= MAX_MARKED_WORDS) {
        markedWords = [target.text.slice(0, 100)];
        text = context.slice(0, LIMITS.snippetText);
      } else text = target.text;
    }
    const block = paragraphId ? blocks.get(paragraphId) : undefined;
    setToolbar({ status: 'Saving…' });
    void outbox
      .push({
        type: 'snippet.save',
        payload: {
          eventId: env.newId(),
          url: (doc.location?.href ?? '').slice(0, LIMITS.url),
          title: doc.title.slice(0, LIMITS.title),
          lang: block?.lang || doc.documentElement.lang || 'und',
          text,
          context: context.slice(0, LIMITS.paragraphText),
          paragraphId,
          markedWords,
        },
      })
      .then(() => setToolbar({ status: markedWords.length ? `Saved “${markedWords[0]}” for review` : 'Saved for review' }));
  }

  function markWord(state: 'known' | 'ignored') {
    if (target?.kind !== 'selection') return;
    const block = target.blockId ? blocks.get(target.blockId) : undefined;
    const word = target.text.slice(0, 100);
    setToolbar({ status: 'Noted…' });
    void outbox
      .push({ type: 'word.mark', payload: { eventId: env.newId(), word, lang: block?.lang || doc.documentElement.lang || 'und', state } })
      .then(() => setToolbar({ status: state === 'known' ? `“${word}” marked as known` : `“${word}” will be ignored` }));
  }

  function giveFeedback(kind: FeedbackKind) {
    if (target?.kind !== 'highlight') return;
    const paragraphId = target.id;
    setToolbar({ status: 'Noted…' });
    void outbox
      .push({ type: 'feedback.give', payload: { eventId: env.newId(), paragraphId, kind, url: (doc.location?.href ?? '').slice(0, LIMITS.url) } })
      .then(() => setToolbar({ status: 'Thanks — noted. Highlights will adapt.' }));
  }

  async function explain() {
    if (target?.kind !== 'highlight') return;
    try {
      const reply = await send(runtime, 'highlight.explain', { paragraphId: target.id });
      setToolbar({ explanation: reply.lines });
    } catch (e) {
      setToolbar({ status: `No explanation available: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  function flushDwell() {
    const samples = dwell.take();
    if (samples.length === 0) return;
    void outbox.push({
      type: 'reading.dwell',
      payload: {
        url: (doc.location?.href ?? '').slice(0, LIMITS.url),
        events: samples.slice(0, LIMITS.dwellEventsPerMessage).map((s) => ({ eventId: env.newId(), paragraphId: s.paragraphId, visibleMs: s.visibleMs, highlighted: shown.has(s.paragraphId) })),
      },
    });
  }

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') flushDwell();
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('mouseup', onSelectionEnd);
  const onKeyUp = (e: KeyboardEvent) => e.shiftKey && onSelectionEnd(e);
  doc.addEventListener('keyup', onKeyUp);
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('pagehide', flushDwell);
  const dwellTimer = setInterval(flushDwell, DWELL_FLUSH_MS);

  return {
    addBlocks(found) {
      let added = false;
      for (const b of found) {
        if (!blocks.has(b.id)) {
          blocks.set(b.id, b);
          added = true;
        }
      }
      if (added) scoreNew();
    },
    handleAction(action) {
      switch (action) {
        case 'save':
          return saveTarget();
        case 'explain':
          return void explain();
        case 'close':
          return close();
        case 'know-word':
          return markWord('known');
        case 'ignore-word':
          return markWord('ignored');
        default:
          return giveFeedback(action);
      }
    },
    step,
    dismissNotice() {
      notice = null;
      render();
    },
    stop() {
      stopped = true;
      flushDwell();
      clearInterval(dwellTimer);
      dwell.stop();
      highlighter.clear();
      doc.removeEventListener('click', onClick, true);
      doc.removeEventListener('mouseup', onSelectionEnd);
      doc.removeEventListener('keyup', onKeyUp);
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pagehide', flushDwell);
    },
  };
}
