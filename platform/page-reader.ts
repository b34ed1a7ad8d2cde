/**
 * The content script's controller: extracted paragraphs go to the background, chosen
 * highlights come back and are painted, the learner's actions and reading time go back as
 * events. It holds no judgement of its own: what to highlight and why is decided in the
 * background from lib/.
 */
import type { Block } from '../lib/extraction';
import type { FeedbackKind, HighlightOut, PageNoticeOut, ParagraphIn } from '../lib/protocol';
import { LIMITS } from '../lib/protocol';
import { newWordCount, withoutWord, type NewWord } from '../lib/new-words';
import { LATER_MESSAGE_PARAGRAPHS, firstOnOrBelowScreen, firstScreen, nearestFirst } from '../lib/reading-order';
import { words } from '../lib/text';
import type { ToolbarAction, ToolbarState } from '../components/page/Toolbar';
import { createDwellTracker } from './dwell';
import { createHighlighter, type Highlighter } from './highlighter';
import { isTransientFailure, send, type RuntimeLike } from './messaging';
import { createNewWordMarks, newWordRanges } from './new-word-marks';
import { createOutbox } from './outbox';
import type { PageTimings } from './page-timings';
import { blockRanges } from './ranges';

export interface PageUi {
  render(state: ToolbarState, notice: PageNoticeOut | null): void;
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
  /** How often the page's address is looked at (single-page apps change it without loading). */
  addressCheckMs?: number;
  /** Where the page's messages' stage timings are recorded (platform/page-timings.ts); none if absent. */
  timings?: PageTimings;
}

export interface PageReader {
  /** Blocks newly found on the page (first extraction, or content that appeared later). */
  addBlocks(blocks: readonly Block[]): void;
  handleAction(action: ToolbarAction): void;
  /** The next (1) or previous (-1) highlighted passage, toolbar open and focused; false if none. */
  step(direction: 1 | -1): boolean;
  dismissNotice(): void;
  /** The learner took the notice's offer: harder passages on this page, or another language studied. */
  noticeAction(action: NonNullable<PageNoticeOut['action']>): void;
  /** The background said highlighting is paused on this page (its last answer's notice). */
  paused(): boolean;
  /**
   * Whether this click opened a highlighted passage's toolbar: that click is the passage's,
   * and a word card does not open over its neighbours too; a click on a word of the passage
   * already open is a look-up.
   */
  openedToolbar(click: Event): boolean;
  /** The learner marked a word (known or ignored) elsewhere, e.g. on its word card: it is no longer underlined as new. */
  wordMarked(word: string): void;
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
/**
 * A single-page app's new address is taken as a new page once it has held for two looks in a
 * row (0.5-1 s): an app rewriting its address many times a second makes no page record per
 * rewrite. At most this many addresses are followed per document; after that, the page keeps
 * the last one.
 */
const ADDRESS_CHECK_MS = 500;
const MAX_ADDRESSES_PER_DOCUMENT = 50;
/** A selection's toolbar closes once the page has scrolled this many window heights away. */
const SELECTION_SCROLL_WINDOWS = 1;

type Target = { kind: 'highlight'; id: string } | { kind: 'selection'; text: string; blockId: string | null };

/** Which passage or selection a reply is for: it is shown only while the toolbar is still there. */
function targetKey(t: Target | null): string | null {
  if (!t) return null;
  return t.kind === 'highlight' ? `h:${t.id}` : `s:${t.blockId ?? ''}:${t.text}`;
}

export function startPageReader(env: PageReaderEnv): PageReader {
  const { win, doc, runtime, ui } = env;
  const fromLearner = env.isTrusted ?? ((e: Event) => e.isTrusted);
  const highlighter: Highlighter = createHighlighter(doc);
  const newWordMarks = createNewWordMarks(doc);
  /** Each shown passage's probably-new words, less those the learner has marked since. */
  let newWords = new Map<string, readonly NewWord[]>();
  const blocks = new Map<string, Block>();
  const sent = new Set<string>();
  let shown = new Map<string, HighlightOut>();
  let toolbar: ToolbarState = CLOSED;
  let notice: PageNoticeOut | null = null;
  /** The last answer's notice was "paused" (kept when the learner dismisses the notice). */
  let pausedHere = false;
  /** The click that last opened a passage's toolbar (not one on the passage already open). */
  let toolbarClick: Event | null = null;
  /** "Show harder passages too" was asked for on this page. */
  let harder = false;
  /** The whole page is to be chosen again (after the notice's offer was taken). */
  let rechoose = false;
  let target: Target | null = null;
  /** The page's address as the background knows it; see ADDRESS_CHECK_MS. */
  let pageUrl = (doc.location?.href ?? '').slice(0, LIMITS.url);
  let addressCandidate: string | null = null;
  let addressesFollowed = 0;
  /** Where the page was scrolled when a selection's toolbar opened. */
  let openedAtScrollY = 0;
  let scoring: Promise<void> | null = null;
  let rescore = false;
  /** Set by stop(): a reply still in flight must not paint again, nor start another turn. */
  let stopped = false;

  const outbox = createOutbox<Pending>({
    deliver: async (e) => {
      await send(runtime, e.type, e.payload as never);
    },
    // A refused event is refused again if resent: only a failure to deliver is retried.
    isTransient: isTransientFailure,
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

  /**
   * The next message's paragraphs. A page's first message carries only its first screen (a
   * few paragraphs: lib/reading-order.ts `firstScreen`); after it, a page longer than one
   * message (`LATER_MESSAGE_PARAGRAPHS`) is judged nearest the screen first, wherever the
   * learner has scrolled to. Blocks sort by their extraction's document order; one found by a later extraction may sit a little off
   * (by what was added above it since), near enough for an order of work. At the top of the
   * page that order is the document's.
   */
  function nextToSend(): Block[] {
    const pending = unsent();
    if (sent.size === 0) {
      // A page's first message: the paragraphs on its first screen, so that the first highlights
      // come while the learner starts reading; the rest follows at once, in the next messages.
      pending.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      const box = (i: number) => pending[i]!.element.getBoundingClientRect();
      return firstScreen(pending.length, box, win.innerHeight).map((i) => pending[i]!);
    }
    const perMessage = Math.min(LIMITS.paragraphsPerMessage, LATER_MESSAGE_PARAGRAPHS);
    if (pending.length <= perMessage) return pending;
    pending.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    const top = win.scrollY > 0 ? firstOnOrBelowScreen(pending.length, (i) => pending[i]!.element.getBoundingClientRect().bottom) : 0;
    return nearestFirst(pending, top, perMessage);
  }

  /**
   * Sends one message's worth of new paragraphs; true when it was answered. After the notice's
   * offer was taken, a message with no new paragraphs asks for the page's choice again (the
   * background has the page's paragraphs already).
   */
  async function scoreOnce(): Promise<boolean> {
    const fresh = nextToSend();
    const again = rechoose;
    if (fresh.length === 0 && !again) return false;
    rechoose = false;
    const request = {
      url: pageUrl,
      title: doc.title.slice(0, LIMITS.title),
      lang: doc.documentElement.lang || fresh[0]?.lang || 'und',
      paragraphs: fresh.map(paragraphPayload),
      shown: [...shown.keys()],
      ...(harder ? { harder: true } : {}),
    };
    let delay = 250;
    const timing = env.timings?.message() ?? null;
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const reply = await send(runtime, 'page.paragraphs', request);
        if (stopped) return false;
        timing?.replied(reply.timings);
        for (const b of fresh) {
          // Sent for an address the page has since left: still to be sent for the new one.
          if (request.url === pageUrl) sent.add(b.id);
          dwell.observe(b.id, b.element);
        }
        timing?.painting();
        // While more of the page is still to be sent, its line (why nothing, or fewer, were
        // highlighted) is about part of the page: the page's own comes with its last message.
        const partial = unsent().length > 0 && reply.notice?.code !== 'paused';
        applyHighlights(reply.highlights, partial ? notice : reply.notice);
        timing?.painted();
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
        if (rescore || rechoose || (answered && unsent().length > 0)) {
          rescore = false;
          scoreNew();
        }
      });
  }

  function applyHighlights(highlights: HighlightOut[], line: PageNoticeOut | null): void {
    shown = new Map(highlights.filter((h) => blocks.has(h.id)).map((h) => [h.id, h]));
    // Wrapping marks split the page's text nodes, and unwrapping joins them again: ranges
    // measured over the marks of the last answer would lose the passages they held, so a page
    // without the highlight API is unwrapped before its ranges are measured again.
    if (highlighter.mode === 'wrap') highlighter.clear();
    highlighter.show([...shown.values()].map((h) => ({ id: h.id, tier: h.tier, ranges: blockRanges(blocks.get(h.id)!) })));
    newWords = new Map([...shown.values()].map((h) => [h.id, h.newWords ?? []]));
    paintNewWords();
    notice = line;
    pausedHere = line?.code === 'paused';
    render();
  }

  /** Underlines the shown passages' new words, and keeps an open passage toolbar's count in step. */
  function paintNewWords(): void {
    const ranges: Range[] = [];
    for (const [id, list] of newWords) {
      const block = blocks.get(id);
      if (block && list.length) ranges.push(...newWordRanges(block, new Set(list.map((w) => w.form)), block.lang || 'en'));
    }
    newWordMarks.show(ranges);
    if (toolbar.open && target?.kind === 'highlight') toolbar = { ...toolbar, newWords: newWordCount(newWords.get(target.id) ?? []) };
  }

  /** A word marked known or ignored is not new any more, in any passage of the page. */
  function forgetNewWord(word: string): void {
    newWords = new Map([...newWords].map(([id, list]) => [id, withoutWord(list, word)]));
    paintNewWords();
    render();
  }

  // ---- learner actions -----------------------------------------------------------------

  /**
   * Shows a reply's status on the toolbar, if it is still open for the passage or selection the
   * action was for: the learner may have moved on to another passage meanwhile.
   */
  function statusFor(key: string | null, status: string) {
    if (toolbar.open && key !== null && targetKey(target) === key) setToolbar({ status });
  }

  function refusedText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
  }

  function openFor(next: typeof target, rect: DOMRect, focus: boolean) {
    target = next;
    openedAtScrollY = win.scrollY;
    toolbar = { open: true, kind: next?.kind ?? 'highlight', x: rect.left, top: rect.top, bottom: rect.bottom, focus, status: null, explanation: null };
    if (next?.kind === 'highlight') toolbar.newWords = newWordCount(newWords.get(next.id) ?? []);
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
      const already = toolbar.open && target?.kind === 'highlight' && target.id === block.id;
      highlighter.focus(ranges);
      openFor({ kind: 'highlight', id: block.id }, block.element.getBoundingClientRect(), false);
      if (!already) toolbarClick = e;
    } else if (toolbar.open && toolbar.kind === 'highlight') close();
  }

  function onSelectionEnd(e: Event) {
    if (!fromLearner(e) || ui.contains(e.target)) return;
    const selection = win.getSelection();
    const text = selection?.toString().trim() ?? '';
    if (!selection || selection.isCollapsed || text.length < 2 || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const block = blockContaining(range.commonAncestorContainer);
    // Kept whole (up to a paragraph's length): a selection too long for a snippet is refused
    // with its length when saved, never silently cut.
    openFor({ kind: 'selection', text: text.slice(0, LIMITS.paragraphText), blockId: block?.id ?? null }, range.getBoundingClientRect(), false);
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

  /** The live selection still is the one the toolbar was opened for. */
  function selectionStillThere(t: Extract<Target, { kind: 'selection' }>): boolean {
    const text = win.getSelection()?.toString().trim() ?? '';
    return text.length > 0 && text.slice(0, LIMITS.paragraphText) === t.text;
  }

  function saveTarget() {
    if (!target) return;
    const key = targetKey(target);
    if (target.kind === 'selection' && !selectionStillThere(target)) {
      // Never save a selection the learner has since let go of.
      setToolbar({ status: 'The selection is gone: select the text again to save it.' });
      return;
    }
    if (target.kind === 'selection' && target.text.length > LIMITS.snippetText) {
      setToolbar({ status: `Not saved: the selection is ${target.text.length} characters long; a snippet holds at most ${LIMITS.snippetText}. Select a shorter part.` });
      return;
    }
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
      // (In a paragraph too long for one snippet, the word itself is sent as the selection, so
      // that the passage kept is the part of the paragraph around it.)
      if (words(target.text, lang || 'en').length <= MAX_MARKED_WORDS) {
        markedWords = [target.text.slice(0, 100)];
        text = context.length <= LIMITS.snippetText ? context : target.text;
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
      .then(
        () => statusFor(key, markedWords.length ? `Saved “${markedWords[0]}” for review` : 'Saved for review'),
        (e: unknown) => statusFor(key, `Not saved: ${refusedText(e)}`),
      );
  }

  function markWord(state: 'known' | 'ignored') {
    if (target?.kind !== 'selection') return;
    const key = targetKey(target);
    const block = target.blockId ? blocks.get(target.blockId) : undefined;
    const word = target.text.slice(0, 100);
    setToolbar({ status: 'Noted…' });
    void outbox
      .push({ type: 'word.mark', payload: { eventId: env.newId(), word, lang: block?.lang || doc.documentElement.lang || 'und', state } })
      .then(
        () => {
          forgetNewWord(word);
          statusFor(key, state === 'known' ? `“${word}” marked as known` : `“${word}” will be ignored`);
        },
        (e: unknown) => statusFor(key, `Not noted: ${refusedText(e)}`),
      );
  }

  function giveFeedback(kind: FeedbackKind) {
    if (target?.kind !== 'highlight') return;
    const paragraphId = target.id;
    const key = targetKey(target);
    setToolbar({ status: 'Noted…' });
    void outbox
      .push({ type: 'feedback.give', payload: { eventId: env.newId(), paragraphId, kind, url: (doc.location?.href ?? '').slice(0, LIMITS.url) } })
      .then(
        () => statusFor(key, 'Thanks — noted. Highlights will adapt.'),
        (e: unknown) => statusFor(key, `Not noted: ${refusedText(e)}`),
      );
  }

  async function explain() {
    if (target?.kind !== 'highlight') return;
    const key = targetKey(target);
    try {
      const reply = await send(runtime, 'highlight.explain', { paragraphId: target.id });
      if (toolbar.open && targetKey(target) === key) setToolbar({ explanation: reply.lines });
    } catch (e) {
      statusFor(key, `No explanation available: ${refusedText(e)}`);
    }
  }

  function flushDwell() {
    const samples = dwell.take();
    if (samples.length === 0) return;
    void outbox.push({
      type: 'reading.dwell',
      payload: {
        url: (doc.location?.href ?? '').slice(0, LIMITS.url),
        events: samples.slice(0, LIMITS.dwellEventsPerMessage).map((s) => ({ eventId: env.newId(), paragraphId: s.paragraphId, visibleMs: s.visibleMs, highlighted: shown.has(s.paragraphId), ...(s.passedMs === undefined ? {} : { passedMs: s.passedMs }) })),
      },
    });
  }

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') flushDwell();
  };

  // ---- a selection's toolbar goes when the selection does ------------------------------

  function selectionToolbarStale(): boolean {
    if (!toolbar.open || target?.kind !== 'selection') return false;
    const selection = win.getSelection();
    return !selection || selection.isCollapsed || !selectionStillThere(target);
  }
  const onSelectionChange = () => {
    if (selectionToolbarStale()) close();
  };
  const onScroll = () => {
    if (toolbar.open && target?.kind === 'selection' && Math.abs(win.scrollY - openedAtScrollY) > win.innerHeight * SELECTION_SCROLL_WINDOWS) close();
  };

  // ---- single-page apps: a new address is a new page -----------------------------------

  /**
   * Called every ADDRESS_CHECK_MS. Once a new address has held for two looks, every paragraph
   * still in the document is judged again for that address (the background keeps one page
   * record per address), and paragraphs the app has removed are forgotten.
   */
  function checkAddress() {
    const href = (doc.location?.href ?? '').slice(0, LIMITS.url);
    if (href === pageUrl) {
      addressCandidate = null;
      return;
    }
    if (addressCandidate !== href) {
      addressCandidate = href;
      return;
    }
    if (addressesFollowed >= MAX_ADDRESSES_PER_DOCUMENT) return;
    addressesFollowed++;
    addressCandidate = null;
    pageUrl = href;
    for (const [id, b] of blocks) if (!b.element.isConnected) blocks.delete(id);
    sent.clear();
    scoreNew();
  }
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('mouseup', onSelectionEnd);
  const onKeyUp = (e: KeyboardEvent) => e.shiftKey && onSelectionEnd(e);
  doc.addEventListener('keyup', onKeyUp);
  doc.addEventListener('visibilitychange', onVisibility);
  doc.addEventListener('selectionchange', onSelectionChange);
  win.addEventListener('scroll', onScroll, { passive: true });
  win.addEventListener('pagehide', flushDwell);
  const dwellTimer = setInterval(flushDwell, DWELL_FLUSH_MS);
  const addressTimer = setInterval(checkAddress, env.addressCheckMs ?? ADDRESS_CHECK_MS);

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
    paused: () => pausedHere,
    openedToolbar: (e) => e === toolbarClick,
    wordMarked: (word) => {
      if (!stopped) forgetNewWord(word);
    },
    dismissNotice() {
      notice = null;
      render();
    },
    noticeAction(action) {
      if (stopped) return;
      notice = null;
      render();
      const again = () => {
        rechoose = true;
        scoreNew();
      };
      if (action.kind === 'show-harder') {
        harder = true;
        again();
      } else {
        send(runtime, 'language.study', { lang: action.lang }).then(again, (e: unknown) => console.warn('[attention-reader] could not add the language', e));
      }
    },
    stop() {
      stopped = true;
      flushDwell();
      clearInterval(dwellTimer);
      clearInterval(addressTimer);
      dwell.stop();
      highlighter.clear();
      newWordMarks.clear();
      doc.removeEventListener('click', onClick, true);
      doc.removeEventListener('mouseup', onSelectionEnd);
      doc.removeEventListener('keyup', onKeyUp);
      doc.removeEventListener('visibilitychange', onVisibility);
      doc.removeEventListener('selectionchange', onSelectionChange);
      win.removeEventListener('scroll', onScroll);
      win.removeEventListener('pagehide', flushDwell);
    },
  };
}
