// @vitest-environment happy-dom
/**
 * The content script's controller against a fake background: paragraphs go out in turns,
 * highlights come back and are painted (here with the wrapping fallback, since happy-dom has
 * no CSS Custom Highlight API, which also tests that fallback's undo), and saves are retried
 * until acknowledged.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractBlocks, type Block } from '../lib/extraction';
import { CHANNEL, LIMITS } from '../lib/protocol';
import { LATER_MESSAGE_PARAGRAPHS } from '../lib/reading-order';
import type { RuntimeLike, SenderLike } from './messaging';
import { startPageReader, type PageReader } from './page-reader';

class NoopObserver {
  observe() {}
  disconnect() {}
}

/** The background's answer "no" (a refusal), as opposed to a message that was not delivered. */
class Refusal {
  constructor(readonly error: string) {}
}

function fakeBackground(answer: (type: string, payload: any) => unknown) {
  const sent: Array<{ type: string; payload: any }> = [];
  const runtime: RuntimeLike = {
    id: 'ext',
    onMessage: { addListener() {}, removeListener() {} },
    async sendMessage(message: unknown) {
      const m = message as { channel: string; type: string; payload: unknown };
      expect(m.channel).toBe(CHANNEL);
      sent.push({ type: m.type, payload: m.payload });
      const value = await answer(m.type, m.payload);
      return value instanceof Refusal ? { ok: false, error: value.error } : { ok: true, value };
    },
  };
  return { runtime, sent };
}

const highlightFirst = (payload: any) => ({ highlights: [{ id: payload.paragraphs[0].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: null });
const highlightAll = (payload: any) => ({
  highlights: payload.paragraphs.map((p: any) => ({ id: p.id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' })),
  scorer: 'lexical',
  notice: null,
});

/** Selects the first `chars` characters of a block's text, and lets go of the mouse there. */
function selectInBlock(block: Block, chars: number) {
  const textNode = block.element.firstChild!;
  const range = document.createRange();
  range.setStart(textNode, 0);
  range.setEnd(textNode, chars);
  window.getSelection()!.removeAllRanges();
  window.getSelection()!.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
}

function setupPage(paragraphs: number): Block[] {
  document.body.innerHTML = `<article>${Array.from({ length: paragraphs }, (_, i) => `<p>Paragraph number ${i} tells a short story about the river and the town, with enough words to count as prose.</p>`).join('')}</article>`;
  return extractBlocks(document).filter((b) => b.kind !== 'heading');
}

/**
 * Lays the blocks out as `height` px paragraphs one under another, the page scrolled by
 * `scrolled` px on a `screen` px tall window (happy-dom lays nothing out). Returns the undo.
 */
function layOut(blocks: readonly Block[], height: number, scrolled: number, screen = 800): () => void {
  blocks.forEach((b, i) => {
    b.element.getBoundingClientRect = () => ({ top: i * height - scrolled, bottom: (i + 1) * height - scrolled, left: 0, right: 600, width: 600, height, x: 0, y: i * height - scrolled, toJSON() {} }) as DOMRect;
  });
  const saved = ['scrollY', 'innerHeight'].map((key) => [key, Object.getOwnPropertyDescriptor(window, key)] as const);
  Object.defineProperty(window, 'scrollY', { configurable: true, get: () => scrolled });
  Object.defineProperty(window, 'innerHeight', { configurable: true, get: () => screen });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(window, key, descriptor);
      else delete (window as unknown as Record<string, unknown>)[key];
    }
  };
}

let reader: PageReader | null = null;
afterEach(() => {
  reader?.stop();
  reader = null;
  document.body.innerHTML = '';
});

function start(runtime: RuntimeLike, trust: (e: Event) => boolean = () => true) {
  (window as any).IntersectionObserver = NoopObserver;
  const ui = { render: vi.fn(), contains: () => false };
  let n = 0;
  reader = startPageReader({ win: window as any, doc: document, runtime, ui, newId: () => `id-${n++}`, isTrusted: trust });
  return ui;
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('page reader', () => {
  it("times each message: the reply's background stages, then its paint around the highlights being drawn", async () => {
    const blocks = setupPage(2);
    const stages = { readMs: 1, embedMs: 90, headMs: 2, selectMs: 3, storeMs: 4, totalMs: 100 };
    const { runtime } = fakeBackground((type, payload) => (type === 'page.paragraphs' ? { ...highlightFirst(payload), timings: stages } : {}));
    (window as any).IntersectionObserver = NoopObserver;
    const log: unknown[][] = [];
    const painted = () => document.querySelectorAll('mark.attention-reader-fallback').length;
    const timings = {
      mark: () => {},
      extracted: () => {},
      message: () => ({ replied: (t: unknown) => log.push(['replied', t]), painting: () => log.push(['painting', painted()]), painted: () => log.push(['painted', painted()]) }),
    };
    reader = startPageReader({ win: window as any, doc: document, runtime, ui: { render: vi.fn(), contains: () => false }, newId: () => 'x', timings });
    reader.addBlocks(blocks);
    await until(() => log.length === 3);
    expect(log[0]).toEqual(['replied', stages]);
    expect(log[1]).toEqual(['painting', 0]);
    expect(log[2]![0]).toBe('painted');
    expect(log[2]![1]).toBeGreaterThan(0);
  });

  it('ignores input a page script forges (untrusted events) by default', async () => {
    const blocks = setupPage(2);
    const { runtime } = fakeBackground((type, payload) =>
      type === 'page.paragraphs' ? { highlights: [{ id: payload.paragraphs[0].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: null } : {},
    );
    (window as any).IntersectionObserver = NoopObserver;
    const ui = { render: vi.fn(), contains: () => false };
    reader = startPageReader({ win: window as any, doc: document, runtime, ui, newId: () => 'x' });
    reader.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    ui.render.mockClear();
    // A click a page script makes on the highlighted passage opens nothing (the shortcuts are
    // the browser's commands, which no page can send).
    document.querySelector('mark.attention-reader-fallback')!.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 1, clientY: 1 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(ui.render.mock.calls.some(([state]) => state.open)).toBe(false);
  });

  it('tells the click that opened a passage’s toolbar from a later click on the passage already open', async () => {
    const blocks = setupPage(2);
    const { runtime } = fakeBackground((type, payload) => (type === 'page.paragraphs' ? highlightFirst(payload) : {}));
    start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    const mark = document.querySelector('mark.attention-reader-fallback')!;
    const first = new MouseEvent('click', { bubbles: true, clientX: 1, clientY: 1 });
    mark.dispatchEvent(first);
    const second = new MouseEvent('click', { bubbles: true, clientX: 1, clientY: 1 });
    mark.dispatchEvent(second);
    expect(reader!.openedToolbar(first)).toBe(true);
    expect(reader!.openedToolbar(second)).toBe(false);
  });

  it('knows the page is paused from the background’s notice, even once the learner dismisses it', async () => {
    const blocks = setupPage(2);
    const { runtime } = fakeBackground((type) =>
      type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: { code: 'paused', text: 'Highlighting is paused on this site.', action: null } } : {},
    );
    start(runtime);
    expect(reader!.paused()).toBe(false);
    reader!.addBlocks(blocks);
    await until(() => reader!.paused());
    reader!.dismissNotice();
    expect(reader!.paused()).toBe(true);
  });

  it('shows the page’s line and, when the learner takes its offer of harder passages, asks for the page again with them', async () => {
    const blocks = setupPage(3);
    const line = { code: 'above-level', text: '2 passages on your interests are above your level.', action: { kind: 'show-harder' } };
    const { runtime, sent } = fakeBackground((type, payload) =>
      type === 'page.paragraphs'
        ? payload.harder
          ? { highlights: [{ id: blocks[1]!.id, tier: 3, gainBits: 1, fit: 0.05, loadMinutes: 2, reason: 'r' }], scorer: 'lexical', notice: null }
          : { highlights: [{ id: blocks[0]!.id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: line }
        : {},
    );
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    await until(() => ui.render.mock.calls.some(([, notice]) => notice?.code === 'above-level'));
    reader!.noticeAction({ kind: 'show-harder' });
    await until(() => sent.filter((s) => s.type === 'page.paragraphs').length === 2);
    const again = sent.filter((s) => s.type === 'page.paragraphs')[1]!.payload;
    expect(again.harder).toBe(true);
    expect(again.paragraphs).toEqual([]);
    expect(again.shown).toEqual([blocks[0]!.id]);
    await until(() => ui.render.mock.calls.at(-1)?.[1] === null);
  });

  it('adds the page’s language to those studied when the learner takes that offer, then asks for the page again', async () => {
    const blocks = setupPage(2);
    const { runtime, sent } = fakeBackground((type) =>
      type === 'page.paragraphs'
        ? { highlights: [], scorer: 'lexical', notice: { code: 'other-language', text: 'This page is in French.', action: { kind: 'add-language', lang: 'fr' } } }
        : type === 'language.study'
          ? { studiedLanguages: ['fr'] }
          : {},
    );
    start(runtime);
    reader!.addBlocks(blocks);
    await until(() => sent.length === 1);
    reader!.noticeAction({ kind: 'add-language', lang: 'fr' });
    await until(() => sent.filter((s) => s.type === 'page.paragraphs').length === 2);
    expect(sent.map((s) => s.type)).toEqual(['page.paragraphs', 'language.study', 'page.paragraphs']);
    expect(sent[1]!.payload).toEqual({ lang: 'fr' });
    expect(sent[2]!.payload.harder).toBeUndefined();
  });

  it('sends the first screen first, then the rest of the page at once in turns of at most one message each, and paints what comes back', async () => {
    const blocks = setupPage(8 + LATER_MESSAGE_PARAGRAPHS + 12);
    // 100 px paragraphs on an 800 px screen: 8 on it, 10 within its margin, 8 sent first.
    const undo = layOut(blocks, 100, 0);
    try {
      const { runtime, sent } = fakeBackground((type, payload) =>
        type === 'page.paragraphs' ? { highlights: [...payload.shown.map((id: string) => ({ id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' })), { id: payload.paragraphs[0].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: null } : {},
      );
      start(runtime);
      reader!.addBlocks(blocks);
      await until(() => sent.filter((s) => s.type === 'page.paragraphs').length === 3);
      const [first, second, third] = sent.filter((s) => s.type === 'page.paragraphs');
      expect(first!.payload.paragraphs.map((p: { id: string }) => p.id)).toEqual(blocks.slice(0, 8).map((b) => b.id));
      expect(second!.payload.paragraphs).toHaveLength(LATER_MESSAGE_PARAGRAPHS);
      expect(LATER_MESSAGE_PARAGRAPHS).toBeLessThanOrEqual(LIMITS.paragraphsPerMessage);
      expect(third!.payload.paragraphs).toHaveLength(12);
      // The later turns tell the background what is shown, so it can keep it.
      expect(second!.payload.shown).toEqual([blocks[0]!.id]);
      expect(third!.payload.shown).toEqual([blocks[0]!.id, blocks[8]!.id]);
      // Every paragraph is sent once over the turns.
      expect(new Set(sent.filter((s) => s.type === 'page.paragraphs').flatMap((s) => s.payload.paragraphs.map((p: { id: string }) => p.id))).size).toBe(blocks.length);
      await until(() => document.querySelectorAll('mark.attention-reader-fallback').length === 3);
    } finally {
      undo();
    }
  });

  it('sends a page that fits its first message whole', async () => {
    const blocks = setupPage(6);
    const { runtime, sent } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: null } : {}));
    start(runtime);
    reader!.addBlocks(blocks);
    await until(() => sent.some((s) => s.type === 'page.paragraphs'));
    await new Promise((r) => setTimeout(r, 20));
    const turns = sent.filter((s) => s.type === 'page.paragraphs');
    expect(turns).toHaveLength(1);
    expect(turns[0]!.payload.paragraphs).toHaveLength(6);
  });

  it('shows the page’s line once the whole page is judged, not the first screen’s', async () => {
    const blocks = setupPage(30);
    const undo = layOut(blocks, 200, 0);
    try {
      const partLine = { code: 'other-language', text: 'Nothing highlighted: the passages are in French.', action: null };
      const pageLine = { code: 'budget', text: 'Fewer highlights: today’s reading time is nearly spent.', action: null };
      let turn = 0;
      const { runtime, sent } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: turn++ === 0 ? partLine : pageLine } : {}));
      const ui = start(runtime);
      reader!.addBlocks(blocks);
      await until(() => sent.filter((s) => s.type === 'page.paragraphs').length === 2);
      await until(() => ui.render.mock.calls.at(-1)?.[1]?.code === 'budget');
      expect(sent.filter((s) => s.type === 'page.paragraphs')[0]!.payload.paragraphs).toHaveLength(5);
      expect(ui.render.mock.calls.some(([, notice]) => notice?.code === 'other-language')).toBe(false);
    } finally {
      undo();
    }
  });

  it('shows the pause at once, from the first screen’s answer', async () => {
    const blocks = setupPage(30);
    const undo = layOut(blocks, 200, 0);
    try {
      const { runtime } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: { code: 'paused', text: 'Highlighting is paused on this site.', action: null } } : {}));
      const ui = start(runtime);
      reader!.addBlocks(blocks);
      await until(() => ui.render.mock.calls.some(([, notice]) => notice?.code === 'paused'));
      expect(reader!.paused()).toBe(true);
    } finally {
      undo();
    }
  });

  it('on a page longer than one message, sends the paragraphs nearest the screen first, wherever it is scrolled to', async () => {
    const n = 1200;
    const blocks = setupPage(n);
    // Paragraphs 30 px tall, the page scrolled so that paragraph 600 is the first on screen.
    const undo = layOut(blocks, 30, 600 * 30 + 10);
    try {
      const { runtime, sent } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: null } : {}));
      start(runtime);
      reader!.addBlocks(blocks);
      await until(() => sent.filter((s) => s.type === 'page.paragraphs').length === 1 + Math.ceil((n - 8) / LATER_MESSAGE_PARAGRAPHS));
      const turns = sent.filter((s) => s.type === 'page.paragraphs').map((s) => (s.payload.paragraphs as Array<{ id: string }>).map((p) => p.id));
      const index = new Map(blocks.map((b, i) => [b.id, i]));
      // The first turn: the screen from paragraph 600 down, as many as the first message takes.
      expect(turns[0]!.map((id) => index.get(id)!)).toEqual([600, 601, 602, 603, 604, 605, 606, 607]);
      // The second: paragraph 608 first, then the nearest to it, below before above at equal
      // distance (for 100: 608-658 below, 599-551 above).
      const second = turns[1]!.map((id) => index.get(id)!);
      const half = LATER_MESSAGE_PARAGRAPHS / 2;
      expect(second[0]).toBe(608);
      expect(second).toHaveLength(LATER_MESSAGE_PARAGRAPHS);
      expect(Math.max(...second)).toBe(608 + half);
      expect(Math.min(...second)).toBe(600 - (half - 1));
      // Every paragraph is sent once over the turns.
      expect(new Set(turns.flat()).size).toBe(n);
    } finally {
      undo();
    }
  });

  it('unwraps the fallback highlights cleanly when stopped', async () => {
    const blocks = setupPage(3);
    const before = document.body.innerHTML;
    const { runtime } = fakeBackground((type, payload) =>
      type === 'page.paragraphs' ? { highlights: payload.paragraphs.map((p: any) => ({ id: p.id, tier: 2, gainBits: 0, fit: 1, loadMinutes: 0.2, reason: 'r' })), scorer: 'lexical', notice: null } : {},
    );
    start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length === 3);
    reader!.stop();
    reader = null;
    expect(document.body.innerHTML).toBe(before);
  });

  it('stopped while a reply is in flight, paints nothing and sends no further turn', async () => {
    const blocks = setupPage(LIMITS.paragraphsPerMessage + 20);
    const before = document.body.innerHTML;
    let answer!: () => void;
    const sent: string[] = [];
    const runtime: RuntimeLike = {
      id: 'ext',
      onMessage: { addListener() {}, removeListener() {} },
      async sendMessage(message: unknown) {
        const m = message as { type: string; payload: { paragraphs?: Array<{ id: string }> } };
        sent.push(m.type);
        if (m.type !== 'page.paragraphs') return { ok: true, value: {} };
        await new Promise<void>((r) => (answer = r));
        return { ok: true, value: { highlights: m.payload.paragraphs!.map((p) => ({ id: p.id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' })), scorer: 'lexical', notice: null } };
      },
    };
    start(runtime);
    reader!.addBlocks(blocks);
    await until(() => sent.includes('page.paragraphs'));
    reader!.stop();
    reader = null;
    answer();
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.filter((t) => t === 'page.paragraphs')).toHaveLength(1);
    expect(document.querySelectorAll('mark.attention-reader-fallback')).toHaveLength(0);
    expect(document.body.innerHTML).toBe(before);
  });

  it('steps through the highlighted passages on the shortcut, both ways and round, opening a focused toolbar', async () => {
    const blocks = setupPage(4);
    const { runtime } = fakeBackground((type, payload) =>
      type === 'page.paragraphs'
        ? { highlights: [0, 2].map((i) => ({ id: payload.paragraphs[i].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' })), scorer: 'lexical', notice: null }
        : {},
    );
    const ui = start(runtime);
    expect(reader!.step(1)).toBe(false); // nothing highlighted yet
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    // Which passage each step went to: the one scrolled into view.
    const visited: number[] = [];
    blocks.forEach((b, i) => (b.element.scrollIntoView = () => void visited.push(i)));
    const opened: boolean[] = [];
    ui.render.mockImplementation((state) => void opened.push(state.open && state.focus));
    expect(reader!.step(1)).toBe(true);
    expect(opened.at(-1)).toBe(true);
    reader!.step(1);
    reader!.step(1);
    reader!.step(-1);
    expect(visited).toEqual([0, 2, 0, 2]);
  });

  it('leaves the page’s own keys alone: Alt+Shift+N from the learner is the browser’s command, not the page reader’s', async () => {
    const blocks = setupPage(2);
    const { runtime } = fakeBackground((type, payload) =>
      type === 'page.paragraphs' ? { highlights: [{ id: payload.paragraphs[0].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: null } : {},
    );
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    ui.render.mockClear();
    const key = new KeyboardEvent('keydown', { altKey: true, shiftKey: true, code: 'KeyN', bubbles: true, cancelable: true });
    document.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(false);
    expect(ui.render.mock.calls.some(([state]) => state.open)).toBe(false);
  });

  it('retries a save until the background acknowledges it, with the same event id', async () => {
    // Each retry is logged at debug level (expected here, kept out of the output).
    const retried = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const blocks = setupPage(2);
    let failures = 2;
    const { runtime, sent } = fakeBackground((type, payload) => {
      if (type === 'page.paragraphs') return { highlights: [{ id: payload.paragraphs[0].id, tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r' }], scorer: 'lexical', notice: null };
      if (type === 'snippet.save' && failures-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { snippetId: 's1', cardsCreated: 1, duplicate: false };
    });
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    // Open the toolbar on the highlighted paragraph by the next-passage shortcut, then save.
    expect(reader!.step(1)).toBe(true);
    reader!.handleAction('save');
    await until(() => ui.render.mock.calls.some(([state]) => state.status === 'Saved for review'));
    const saves = sent.filter((s) => s.type === 'snippet.save');
    expect(saves).toHaveLength(3);
    expect(new Set(saves.map((s) => s.payload.eventId)).size).toBe(1);
    expect(saves[0]!.payload.paragraphId).toBe(blocks[0]!.id);
    expect(retried).toHaveBeenCalledTimes(2);
    retried.mockRestore();
  });

  it('offers to mark a selected word as known, and sends the mark', async () => {
    const blocks = setupPage(2);
    const { runtime, sent } = fakeBackground((type) =>
      type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: null } : { duplicate: false },
    );
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    const textNode = blocks[0]!.element.firstChild!;
    const range = document.createRange();
    range.setStart(textNode, 0);
    range.setEnd(textNode, 'Paragraph'.length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    await until(() => ui.render.mock.calls.some(([state]) => state.open && state.kind === 'word'));
    reader!.handleAction('know-word');
    await until(() => sent.some((s) => s.type === 'word.mark'));
    expect(sent.find((s) => s.type === 'word.mark')!.payload).toMatchObject({ word: 'Paragraph', state: 'known' });
  });

  it('shows a refused save as refused, and does not send it again', async () => {
    const blocks = setupPage(2);
    const { runtime, sent } = fakeBackground((type, payload) => {
      if (type === 'page.paragraphs') return highlightFirst(payload);
      if (type === 'snippet.save') return new Refusal('This passage is too long to keep.');
      return {};
    });
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length > 0);
    reader!.step(1);
    reader!.handleAction('save');
    await until(() => ui.render.mock.calls.some(([state]) => state.status === 'Not saved: This passage is too long to keep.'));
    await new Promise((r) => setTimeout(r, 1200));
    expect(sent.filter((m) => m.type === 'snippet.save')).toHaveLength(1);
    expect(ui.render.mock.calls.at(-1)![0].status).toBe('Not saved: This passage is too long to keep.');
  });

  it('shows a reply only on the passage it was for: saving A, then opening B, B never says saved', async () => {
    const blocks = setupPage(3);
    let release: () => void = () => {};
    const acknowledged = new Promise<void>((r) => (release = r));
    const { runtime, sent } = fakeBackground(async (type, payload) => {
      if (type === 'page.paragraphs') return highlightAll(payload);
      if (type === 'snippet.save') {
        await acknowledged;
        return { snippetId: 's1', cardsCreated: 1, duplicate: false };
      }
      return {};
    });
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    await until(() => document.querySelectorAll('mark.attention-reader-fallback').length >= 3);
    const next = () => reader!.step(1);
    next(); // passage A
    reader!.handleAction('save');
    await until(() => sent.some((m) => m.type === 'snippet.save'));
    next(); // passage B, before A's save is acknowledged
    const onB = ui.render.mock.calls.at(-1)![0];
    expect(onB.open).toBe(true);
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.find((m) => m.type === 'snippet.save')!.payload.paragraphId).toBe(blocks[0]!.id);
    const states = ui.render.mock.calls.map(([state]) => state);
    expect(states.slice(states.indexOf(onB)).some((state) => state.status === 'Saved for review')).toBe(false);
  });

  it('a single-page app’s new address is judged as a page of its own, once it has held, with every paragraph still shown', async () => {
    const blocks = setupPage(3);
    const { runtime, sent } = fakeBackground((type, payload) => (type === 'page.paragraphs' ? highlightAll(payload) : {}));
    (window as any).IntersectionObserver = NoopObserver;
    const ui = { render: vi.fn(), contains: () => false };
    reader = startPageReader({ win: window as any, doc: document, runtime, ui, newId: () => 'id', isTrusted: () => true, addressCheckMs: 10 });
    reader.addBlocks(blocks);
    await until(() => sent.filter((m) => m.type === 'page.paragraphs').length === 1);
    const first = sent[0]!.payload.url;
    // The app rewrites its address quickly, then settles on one.
    for (let i = 0; i < 20; i++) {
      history.pushState(null, '', `/app/view-${i}`);
      await new Promise((r) => setTimeout(r, 3));
    }
    history.pushState(null, '', '/app/settled');
    await until(() => sent.filter((m) => m.type === 'page.paragraphs').length === 2);
    await new Promise((r) => setTimeout(r, 100));
    const turns = sent.filter((m) => m.type === 'page.paragraphs');
    expect(turns).toHaveLength(2);
    expect(turns[1]!.payload.url).not.toBe(first);
    expect(turns[1]!.payload.url).toMatch(/\/app\/settled$/);
    expect(turns[1]!.payload.paragraphs.map((p: any) => p.id)).toEqual(blocks.map((b) => b.id));
    // What was shown stays shown: the new address's turn names it, so re-selection keeps it.
    expect([...turns[1]!.payload.shown].sort()).toEqual(blocks.map((b) => b.id).sort());
    history.replaceState(null, '', '/');
  });

  it('closes a selection’s toolbar once the selection is gone, and never saves a selection let go of', async () => {
    const blocks = setupPage(2);
    const { runtime, sent } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: null } : { snippetId: 's', cardsCreated: 0, duplicate: false }));
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    selectInBlock(blocks[0]!, 40);
    await until(() => ui.render.mock.calls.some(([state]) => state.open && state.kind === 'selection'));
    window.getSelection()!.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    expect(ui.render.mock.calls.at(-1)![0].open).toBe(false);
    // Opened again, and the selection then changed to other text without a selectionchange seen.
    selectInBlock(blocks[0]!, 40);
    const range = document.createRange();
    range.setStart(blocks[1]!.element.firstChild!, 0);
    range.setEnd(blocks[1]!.element.firstChild!, 30);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    reader!.handleAction('save');
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.filter((m) => m.type === 'snippet.save')).toEqual([]);
  });

  it('sends the word itself as the selection in a paragraph longer than a snippet holds', async () => {
    document.body.innerHTML = `<article><p>${'Rivers carry water to the sea. '.repeat(220)}Tributary ends it.</p></article>`;
    const blocks = extractBlocks(document).filter((b) => b.kind !== 'heading');
    const { runtime, sent } = fakeBackground((type) => (type === 'page.paragraphs' ? { highlights: [], scorer: 'lexical', notice: null } : { snippetId: 's', cardsCreated: 0, duplicate: false }));
    const ui = start(runtime);
    reader!.addBlocks(blocks);
    selectInBlock(blocks[0]!, 'Rivers'.length);
    await until(() => ui.render.mock.calls.some(([state]) => state.open && state.kind === 'word'));
    reader!.handleAction('save');
    await until(() => sent.some((m) => m.type === 'snippet.save'));
    const save = sent.find((m) => m.type === 'snippet.save')!.payload;
    expect(save.context.length).toBeGreaterThan(LIMITS.snippetText);
    expect(save.text).toBe('Rivers');
    expect(save.markedWords).toEqual(['Rivers']);
  });
});
