/**
 * The content script's word look-up: a plain click on a word of the page (or the look-up
 * shortcut on the word at the selection or caret) opens the word card beside it. The card's
 * meanings come from the background (`word.lookup`: the bundled dictionary ranked by the
 * encoder, and the learner's imported dictionaries); its buttons mark the word, save the
 * sentence as a cloze card with the chosen meaning, speak with a local voice, and translate
 * where the browser does so on the device.
 *
 * Not a look-up: a click with a modifier or another button, on a link or a control, in an
 * editable field, in our own UI, one the page handled itself (default prevented), one that
 * ends a drag selection (the selection toolbar's), or the click that opens a highlighted
 * passage's toolbar (a second click, on a word of the passage now open, looks it up).
 */
import type { WordCardAction, WordCardState } from '../components/page/WordCard';
import type { Rect } from '../lib/card-placement';
import { LIMITS } from '../lib/protocol';
import { chooseVoice } from '../lib/voice';
import { send, type RuntimeLike } from './messaging';
import { wordAtPoint, wordAtSelection, type WordInPage } from './word-at-point';

/** Where the card is drawn (platform/page-ui.ts: beside the toolbar, in its shadow root). */
export interface WordCardUi {
  render(state: WordCardState): void;
  /** True when an event target is inside our UI. */
  contains(target: EventTarget | null): boolean;
}

export interface WordLookupEnv {
  win: Window & typeof globalThis;
  doc: Document;
  runtime: RuntimeLike;
  ui: WordCardUi;
  newId(): string;
  /** Our other UI (the toolbar): its clicks are not page clicks. */
  isOwnUi(target: EventTarget | null): boolean;
  /** Highlighting is paused on this page: no look-ups either. */
  paused(): boolean;
  /** This click opened a highlighted passage's toolbar (platform/page-reader.ts): it is not a look-up. */
  openedToolbar?(click: Event): boolean;
  isTrusted?(event: Event): boolean;
}

export interface WordLookup {
  /** Opens the card for the word at the selection or caret (the shortcut); false when there is none. */
  lookupAtSelection(): boolean;
  /** Handles a card button. */
  handleAction(action: WordCardAction): void;
  stop(): void;
}

/** Elements whose clicks are theirs: links, controls, editable fields. */
const INTERACTIVE = 'a[href], button, input, textarea, select, option, label, summary, video, audio, [contenteditable=""], [contenteditable="true"], [role="button"], [role="link"], [role="textbox"], [role="menuitem"], [role="tab"]';
/** The card closes once the page has scrolled this many window heights from where it opened. */
const CLOSE_AFTER_SCROLL_WINDOWS = 1;

const CLOSED: WordCardState = {
  open: false,
  lookupId: '',
  word: '',
  sentence: '',
  lang: 'und',
  anchor: { left: 0, top: 0, right: 0, bottom: 0 },
  focus: false,
  data: null,
  error: null,
  status: null,
  voices: { word: false, sentence: false },
  canTranslate: false,
  translation: null,
};

interface TranslatorApi {
  availability(options: { sourceLanguage: string; targetLanguage: string }): Promise<string>;
  create(options: { sourceLanguage: string; targetLanguage: string }): Promise<{ translate(text: string): Promise<string> }>;
}

const base = (tag: string) => tag.split('-')[0]!.toLowerCase();

function rectOf(range: Range): Rect {
  const r = range.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

export function startWordLookup(env: WordLookupEnv): WordLookup {
  const { win, doc, runtime, ui } = env;
  const fromLearner = env.isTrusted ?? ((e: Event) => e.isTrusted);
  let state: WordCardState = CLOSED;
  let current: WordInPage | null = null;
  let openedAtScrollY = 0;
  /** Where focus was before a keyboard look-up moved it into the card. */
  let returnFocus: HTMLElement | null = null;
  let stopped = false;

  const render = () => ui.render(state);
  const set = (patch: Partial<WordCardState>) => {
    state = { ...state, ...patch };
    render();
  };
  /** Applies a patch only while the card still shows the look-up `id`. */
  const setFor = (id: string, patch: Partial<WordCardState>) => {
    if (state.open && state.lookupId === id) set(patch);
  };

  function close() {
    if (!state.open) return;
    const focusBack = state.focus ? returnFocus : null;
    current = null;
    returnFocus = null;
    set({ ...CLOSED });
    win.speechSynthesis?.cancel();
    focusBack?.focus?.({ preventScroll: true });
  }

  function voices(lang: string): WordCardState['voices'] {
    const synth = win.speechSynthesis;
    if (!synth) return { word: false, sentence: false };
    const has = chooseVoice(synth.getVoices(), lang) !== null;
    return { word: has, sentence: has };
  }

  function translator(): TranslatorApi | null {
    const t = (win as unknown as { Translator?: TranslatorApi }).Translator;
    return t && typeof t.availability === 'function' ? t : null;
  }

  /** Translation is offered only when the language pair is already on the device (no download). */
  async function checkTranslation(id: string, lang: string) {
    const api = translator();
    const target = base(win.navigator.language || 'en');
    if (!api || base(lang) === 'und' || base(lang) === target) return;
    try {
      const availability = await api.availability({ sourceLanguage: base(lang), targetLanguage: target });
      if (availability === 'available') setFor(id, { canTranslate: true });
    } catch {
      // No translation offered.
    }
  }

  function open(found: WordInPage, focus: boolean) {
    if (stopped || env.paused()) return;
    const id = env.newId();
    current = found;
    openedAtScrollY = win.scrollY;
    if (focus) returnFocus = doc.activeElement instanceof HTMLElement ? doc.activeElement : null;
    state = { ...CLOSED, open: true, lookupId: id, word: found.word, sentence: found.sentence, lang: found.lang, anchor: rectOf(found.range), focus, voices: voices(found.lang) };
    render();
    void checkTranslation(id, found.lang);
    send(runtime, 'word.lookup', {
      eventId: id,
      word: found.word,
      sentence: found.sentence,
      lang: found.lang,
      url: (doc.location?.href ?? '').slice(0, LIMITS.url),
      title: doc.title.slice(0, LIMITS.title),
    }).then(
      (data) => setFor(id, { data }),
      (e: unknown) => setFor(id, { error: `No meaning available: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }

  function onClick(e: MouseEvent) {
    if (!fromLearner(e) || e.button !== 0 || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    // The page acted on this click itself (a control of its own made of plain elements).
    if (e.defaultPrevented) return;
    if (ui.contains(e.target) || env.isOwnUi(e.target)) return;
    if (env.openedToolbar?.(e)) return close();
    const target = e.target instanceof Element ? e.target : null;
    const selection = win.getSelection();
    const interactive = !target || target.closest(INTERACTIVE) !== null || (target as HTMLElement).isContentEditable;
    // A click that ends a drag selects text: the selection toolbar's, not a look-up.
    const selecting = selection !== null && !selection.isCollapsed && selection.toString().trim().length > 0;
    const found = interactive || selecting ? null : wordAtPoint(doc, e.clientX, e.clientY);
    if (found) open(found, false);
    else close();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (state.open && e.key === 'Escape' && fromLearner(e)) close();
  }

  function onScroll() {
    if (!state.open || !current) return;
    if (Math.abs(win.scrollY - openedAtScrollY) > win.innerHeight * CLOSE_AFTER_SCROLL_WINDOWS) return close();
    set({ anchor: rectOf(current.range) });
  }

  function speak(what: 'word' | 'sentence') {
    const synth = win.speechSynthesis;
    if (!synth || !current) return;
    const voice = chooseVoice(synth.getVoices(), current.lang);
    if (!voice) return;
    const utterance = new win.SpeechSynthesisUtterance(what === 'word' ? current.word : current.sentence);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    synth.cancel();
    synth.speak(utterance);
  }

  async function translate() {
    const api = translator();
    if (!api || !current) return;
    const id = state.lookupId;
    const target = base(win.navigator.language || 'en');
    set({ status: 'Translating…' });
    try {
      const t = await api.create({ sourceLanguage: base(current.lang), targetLanguage: target });
      const text = await t.translate(current.sentence);
      setFor(id, { status: null, translation: { text, source: 'translated on this device by the browser' } });
    } catch (e) {
      setFor(id, { status: `Not translated: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  function markWord(markState: 'known' | 'learning' | 'ignored') {
    if (!current) return;
    const id = state.lookupId;
    const best = state.data?.senses[0];
    const word = best && !/\s/u.test(best.lemma) ? best.lemma : current.word;
    set({ status: 'Noted…' });
    send(runtime, 'word.mark', { eventId: env.newId(), word: word.slice(0, 100), lang: current.lang, state: markState }).then(
      () => setFor(id, { status: markState === 'known' ? `“${word}” marked as known` : markState === 'learning' ? `“${word}” marked as learning` : `“${word}” will be ignored` }),
      (e: unknown) => setFor(id, { status: `Not noted: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }

  function save(sense: Extract<WordCardAction, { kind: 'save' }>['sense']) {
    if (!current) return;
    const id = state.lookupId;
    const sentence = current.sentence.slice(0, LIMITS.snippetText);
    set({ status: 'Saving…' });
    send(runtime, 'snippet.save', {
      eventId: env.newId(),
      url: (doc.location?.href ?? '').slice(0, LIMITS.url),
      title: doc.title.slice(0, LIMITS.title),
      lang: current.lang,
      // The sentence alone is the passage, so that the hidden word is this one.
      text: sentence,
      context: sentence,
      paragraphId: null,
      markedWords: [current.word],
      ...(sense ? { sense: { lemma: sense.lemma, pos: sense.pos, gloss: sense.gloss } } : {}),
    }).then(
      (r) => setFor(id, { status: r.cardsCreated > 0 ? 'Saved as a review card' : 'Already saved' }),
      (e: unknown) => setFor(id, { status: `Not saved: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }

  doc.addEventListener('click', onClick);
  doc.addEventListener('keydown', onKeyDown);
  win.addEventListener('scroll', onScroll, { passive: true });

  return {
    lookupAtSelection() {
      const found = wordAtSelection(doc, win.getSelection());
      if (!found || env.paused()) return false;
      open(found, true);
      return true;
    },
    handleAction(action) {
      switch (action.kind) {
        case 'close':
          return close();
        case 'mark':
          return markWord(action.state);
        case 'save':
          return save(action.sense);
        case 'speak':
          return speak(action.what);
        case 'translate':
          return void translate();
      }
    },
    stop() {
      stopped = true;
      close();
      doc.removeEventListener('click', onClick);
      doc.removeEventListener('keydown', onKeyDown);
      win.removeEventListener('scroll', onScroll);
    },
  };
}
