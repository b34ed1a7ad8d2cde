import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../lib/extraction';
import { blockRanges } from './ranges';

function page(body: string): Document {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.write(`<html><body>${body}</body></html>`);
  return doc;
}

const filler = (n: number) =>
  `<p>Paragraph ${n} of the fixture is long enough to be read as prose by the extractor, which is all it is for.</p>`;

function blockWith(doc: Document, start: string) {
  const block = extractBlocks(doc).find((b) => b.text.startsWith(start));
  if (!block) throw new Error(`no block starting with ${start}`);
  return block;
}

describe('blockRanges', () => {
  it('covers exactly the text of the block, one range per text node, trimmed', () => {
    const doc = page(`<article>${filler(1)}<p>\n  The   mayor <em>said</em> the vote was <a href="/v">historic</a>, and the hall applauded for a long time.  </p>${filler(2)}</article>`);
    const block = blockWith(doc, 'The mayor');
    const ranges = blockRanges(block);
    expect(ranges.map((r) => r.toString())).toEqual(['The   mayor', 'said', 'the vote was', 'historic', ', and the hall applauded for a long time.']);
  });

  it('leaves out the text of nested blocks that are not part of the block', () => {
    const doc = page(`<article>${filler(1)}<div class="story">Bare text of the story that runs on for a good while before a nested paragraph.<p>Nested paragraph with text of its own that is long enough to count as prose.</p></div>${filler(2)}</article>`);
    const block = blockWith(doc, 'Bare text');
    expect(blockRanges(block).map((r) => r.toString()).join('')).toBe('Bare text of the story that runs on for a good while before a nested paragraph.');
  });
});
