// @vitest-environment happy-dom
/**
 * The page's side of the new-word underline: ranges over the words the background named, found
 * in the passage's live text nodes; and the page reader's count of them on the passage toolbar,
 * which drops when the learner marks one known.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractBlocks } from '../lib/extraction';
import { CHANNEL } from '../lib/protocol';
import type { ToolbarState } from '../components/page/Toolbar';
import type { RuntimeLike } from './messaging';
import { MAX_SEARCHED_CHARS, newWordRanges } from './new-word-marks';
import { startPageReader, type PageReader } from './page-reader';

let reader: PageReader | null = null;
afterEach(() => {
  reader?.stop();
  reader = null;
  document.body.innerHTML = '';
});

describe('newWordRanges', () => {
  it('covers every occurrence of the forms, whole words only, also a word split across inline elements', () => {
    document.body.innerHTML = '<p id="p">A <b>lugu</b>brious day, a lugubrious  night; not lugubriousness. <a href="#">Quagmire</a>!</p>';
    const p = document.getElementById('p')!;
    const ranges = newWordRanges({ text: p.textContent!, element: p }, new Set(['lugubrious', 'Quagmire']), 'en');
    expect(ranges.map((r) => r.toString())).toEqual(['lugubrious', 'lugubrious', 'Quagmire']);
    // The first starts inside <b> and ends in the text after it.
    expect(ranges[0]!.startContainer.parentElement!.tagName).toBe('B');
    expect(ranges[0]!.endContainer.parentElement!.tagName).toBe('P');
  });

  it('gives nothing for no forms, or forms not in the text', () => {
    document.body.innerHTML = '<p id="p">Plain words only.</p>';
    const p = document.getElementById('p')!;
    expect(newWordRanges({ text: p.textContent!, element: p }, new Set(), 'en')).toEqual([]);
    expect(newWordRanges({ text: p.textContent!, element: p }, new Set(['absent']), 'en')).toEqual([]);
  });
});

describe('newWordRanges on a huge block', () => {
  it('searches only the start of the text that was judged, however long the block is', () => {
    const filler = 'plain '.repeat(Math.ceil(MAX_SEARCHED_CHARS / 6));
    document.body.innerHTML = `<p id="p">An early quagmire. ${filler} A late quagmire.</p>`;
    const p = document.getElementById('p')!;
    const ranges = newWordRanges({ text: p.textContent!, element: p }, new Set(['quagmire']), 'en');
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.startOffset).toBe('An early '.length);
  });
});

describe('the passage toolbar counts new words', () => {
  it('shows the count for the open passage and lowers it when the learner marks one of them known', async () => {
    document.body.innerHTML =
      '<article><p>The meeting was long and a little lugubrious, and a man said the plan was a quagmire of broken promises and costs.</p><p>Another paragraph with plain words that tells a short story about the town and its river.</p></article>';
    const blocks = extractBlocks(document).filter((b) => b.kind !== 'heading');
    const sent: Array<{ type: string; payload: any }> = [];
    const runtime: RuntimeLike = {
      id: 'ext',
      onMessage: { addListener() {}, removeListener() {} },
      async sendMessage(message: unknown) {
        const m = message as { channel: string; type: string; payload: any };
        expect(m.channel).toBe(CHANNEL);
        sent.push(m);
        if (m.type !== 'page.paragraphs') return { ok: true, value: { duplicate: false } };
        const newWords = [{ form: 'lugubrious', key: 'lugubrious' }, { form: 'quagmire', key: 'quagmire' }];
        return { ok: true, value: { highlights: [{ id: m.payload.paragraphs[0].id, tier: 2, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'r', newWords }], scorer: 'lexical', notice: null } };
      },
    };
    (window as any).IntersectionObserver = class {
      observe() {}
      disconnect() {}
    };
    const states: ToolbarState[] = [];
    const ui = { render: vi.fn((s: ToolbarState) => void states.push(s)), contains: () => false };
    reader = startPageReader({ win: window as any, doc: document, runtime, ui, newId: () => crypto.randomUUID(), isTrusted: () => true });
    blocks[0]!.element.scrollIntoView = () => {};
    reader.addBlocks(blocks);
    for (let i = 0; i < 200 && !sent.length; i++) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 200 && !reader.step(1); i++) await new Promise((r) => setTimeout(r, 5));
    expect(states.at(-1)).toMatchObject({ open: true, kind: 'highlight', newWords: 2 });

    // Marked known from its word card: the passage toolbar, still open, counts one fewer.
    reader.wordMarked('Quagmire');
    expect(states.at(-1)).toMatchObject({ open: true, kind: 'highlight', newWords: 1 });
    // A word that is not among them changes nothing.
    reader.wordMarked('river');
    expect(states.at(-1)!.newWords).toBe(1);
  });
});
