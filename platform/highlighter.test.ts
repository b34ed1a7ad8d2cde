import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../lib/extraction';
import { createHighlighter, textParts } from './highlighter';
import { blockRanges } from './ranges';

function page(body: string): Document {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.write(`<html><body>${body}</body></html>`);
  return doc;
}

const filler = (n: number) => `<p>Paragraph ${n} of the fixture is long enough to be read as prose by the extractor, which is all it is for.</p>`;
const QUOTE = `<p>“We will keep the water in liquid form,” <a href="/q"><strong>he said</strong></a>, and the <em>hall</em> applauded for a long time.</p>`;

describe('highlighter without the Custom Highlight API', () => {
  it('wraps every part of a passage, links and inline elements included, and unwraps them again', () => {
    const doc = page(`<article>${filler(1)}${QUOTE}${filler(2)}</article>`);
    const before = doc.body.innerHTML;
    const block = extractBlocks(doc).find((b) => b.text.startsWith('“We will'))!;
    const highlighter = createHighlighter(doc);
    expect(highlighter.mode).toBe('wrap');
    highlighter.show([{ id: block.id, tier: 3, ranges: blockRanges(block) }]);
    const marked = [...doc.querySelectorAll('mark.attention-reader-fallback')].map((m) => m.textContent).join('');
    expect(marked).toBe('“We will keep the water in liquid form,” he said, and the hall applauded for a long time.');
    expect(doc.querySelector('a mark, mark a')).not.toBeNull();
    highlighter.clear();
    expect(doc.querySelectorAll('mark').length).toBe(0);
    expect(doc.body.innerHTML).toBe(before);
  });
});

describe('textParts', () => {
  it('splits a range across elements into one range per text node, in order', () => {
    const doc = page(`<p id="p">one <a href="/x">two <b>three</b></a> four</p>`);
    const p = doc.getElementById('p')!;
    const range = doc.createRange();
    range.setStart(p.firstChild!, 1);
    range.setEnd(p.lastChild!, 3);
    expect(textParts(doc, range).map((r) => r.toString())).toEqual(['ne ', 'two ', 'three', ' fo']);
  });
});
