// @vitest-environment happy-dom
/**
 * The content script's look-up controller with a fake background: which clicks look a word
 * up (plain ones, on words) and which do not (links, fields, modifiers, drag selections, our
 * own UI, a paused page), one message per look-up, and what the card's buttons send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WordCardState } from '../components/page/WordCard';
import type { Envelope, ResponseOf } from '../lib/protocol';
import type { RuntimeLike } from './messaging';
import { startWordLookup, type WordLookup } from './word-lookup';

const REPLY: ResponseOf<'word.lookup'> = {
  senses: [{ id: 'bank.n.1', lemma: 'bank', pos: 'noun', gloss: 'sloping land beside a body of water', examples: [], synonyms: [], probability: 0.9 }],
  ranked: true,
  note: null,
  imported: [],
  duplicate: false,
};

let sent: Envelope[];
let states: WordCardState[];
let lookup: WordLookup;
let paused: boolean;
let toolbarClick: Event | null;

function runtime(): RuntimeLike {
  return {
    id: 'ext',
    async sendMessage(message) {
      const env = message as Envelope;
      sent.push(env);
      const value = env.type === 'word.lookup' ? REPLY : env.type === 'snippet.save' ? { snippetId: 's1', cardsCreated: 1, duplicate: false } : { duplicate: false };
      return { ok: true, value };
    },
    onMessage: { addListener() {}, removeListener() {} },
  };
}

const last = () => states[states.length - 1]!;
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A click at the word `word` of the first paragraph, the caret APIs answering for that spot. */
function clickOn(target: Element, word: string | number, init: MouseEventInit = {}) {
  const text = target.firstChild as Text;
  const offset = typeof word === 'number' ? word : text.data.indexOf(word) + 1;
  (document as unknown as { caretPositionFromPoint: unknown }).caretPositionFromPoint = () => ({ offsetNode: text, offset });
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: 50, clientY: 10, button: 0, ...init }));
}

beforeEach(() => {
  sent = [];
  states = [];
  paused = false;
  toolbarClick = null;
  document.title = 'River';
  document.body.innerHTML = '<p id="p" lang="en">We sat on the bank of the river. Then we left.</p><p><a id="link" href="/x">bank link</a></p><p id="edit" contenteditable="true">bank field</p>';
  // happy-dom lays nothing out: every word's box holds the click's point.
  vi.spyOn(Range.prototype, 'getClientRects').mockReturnValue([{ left: 0, right: 100, top: 0, bottom: 20 }] as unknown as DOMRectList);
  vi.spyOn(Range.prototype, 'getBoundingClientRect').mockReturnValue({ left: 40, right: 80, top: 0, bottom: 20 } as DOMRect);
  let n = 0;
  lookup = startWordLookup({
    win: window as unknown as Window & typeof globalThis,
    doc: document,
    runtime: runtime(),
    ui: { render: (s) => states.push(s), contains: () => false },
    newId: () => `id${++n}`,
    isOwnUi: (t) => t instanceof Element && t.id === 'own',
    paused: () => paused,
    openedToolbar: (e) => e === toolbarClick,
    isTrusted: () => true,
  });
});

afterEach(() => {
  lookup.stop();
  vi.restoreAllMocks();
});

describe('word look-up on click', () => {
  it('looks up the clicked word with its sentence and page, once, and shows the answer', async () => {
    clickOn(document.getElementById('p')!, 'bank');
    await flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'word.lookup', payload: { eventId: 'id1', word: 'bank', sentence: 'We sat on the bank of the river.', lang: 'en', title: 'River' } });
    expect(last()).toMatchObject({ open: true, word: 'bank', data: REPLY, anchor: { left: 40, top: 0, right: 80, bottom: 20 } });
  });

  it('does not look up clicks on links, in fields, with a modifier, off words, or on a paused page', async () => {
    clickOn(document.getElementById('link')!, 'bank');
    clickOn(document.getElementById('edit')!, 'bank');
    clickOn(document.getElementById('p')!, 'bank', { ctrlKey: true });
    clickOn(document.getElementById('p')!, 'bank', { button: 1 });
    paused = true;
    clickOn(document.getElementById('p')!, 'bank');
    await flush();
    expect(sent).toEqual([]);
  });

  it("leaves the click that opens a highlighted passage's toolbar to the passage", async () => {
    const p = document.getElementById('p')!;
    p.addEventListener('click', (e) => (toolbarClick = e), { once: true, capture: true });
    clickOn(p, 'bank');
    await flush();
    expect(sent).toEqual([]);
    clickOn(p, 'bank');
    await flush();
    expect(sent).toHaveLength(1);
  });

  it('does not look up the click that ends a drag selection', async () => {
    const p = document.getElementById('p')!;
    const range = document.createRange();
    range.setStart(p.firstChild!, 0);
    range.setEnd(p.firstChild!, 6);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    clickOn(p, 'bank');
    await flush();
    expect(sent).toEqual([]);
    getSelection()!.removeAllRanges();
  });

  it('does not look up a click the page handled itself', async () => {
    const p = document.getElementById('p')!;
    p.addEventListener('click', (e) => e.preventDefault(), { once: true });
    clickOn(p, 'bank');
    await flush();
    expect(sent).toEqual([]);
  });

  it('closes on Escape and on a click off any word', async () => {
    const p = document.getElementById('p')!;
    clickOn(p, 'bank');
    await flush();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(last().open).toBe(false);
    clickOn(p, 'bank');
    await flush();
    // The caret after "river." (a full stop before it, a space after): no word there.
    clickOn(p, 32);
    expect(p.textContent![32]).toBe(' ');
    expect(last().open).toBe(false);
  });

  it('marks the dictionary form of the word, and saves the sentence with the meaning shown', async () => {
    document.getElementById('p')!.textContent = 'They sat on the banks of the river.';
    clickOn(document.getElementById('p')!, 'banks');
    await flush();
    lookup.handleAction({ kind: 'mark', state: 'known' });
    lookup.handleAction({ kind: 'save', sense: REPLY.senses[0]! });
    await flush();
    expect(sent[1]).toMatchObject({ type: 'word.mark', payload: { word: 'bank', lang: 'en', state: 'known' } });
    expect(sent[2]).toMatchObject({
      type: 'snippet.save',
      payload: { text: 'They sat on the banks of the river.', context: 'They sat on the banks of the river.', markedWords: ['banks'], sense: { lemma: 'bank', pos: 'noun', gloss: 'sloping land beside a body of water' } },
    });
    expect(last().status).toBe('Saved as a review card');
  });
});

describe('word look-up from the keyboard', () => {
  it('opens the card for the word at the caret, taking the focus', async () => {
    const p = document.getElementById('p')!;
    getSelection()!.collapse(p.firstChild!, p.textContent!.indexOf('river') + 1);
    expect(lookup.lookupAtSelection()).toBe(true);
    await flush();
    expect(sent[0]).toMatchObject({ type: 'word.lookup', payload: { word: 'river' } });
    expect(last()).toMatchObject({ open: true, focus: true });
  });

  it('opens nothing without a caret on a word', () => {
    getSelection()!.removeAllRanges();
    expect(lookup.lookupAtSelection()).toBe(false);
  });
});
