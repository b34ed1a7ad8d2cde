import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../lib/extraction';
import { blockRanges, rangeForOffsets, rangesForOffsets } from './ranges';

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

describe('rangeForOffsets', () => {
  const doc = page(`<article>${filler(1)}<p>Multi<b>node</b> words and   spaces\n in <i>one</i> block of prose that is long enough to keep.</p>${filler(2)}</article>`);
  const block = blockWith(doc, 'Multinode');

  it('maps a word inside one text node', () => {
    const start = block.text.indexOf('words');
    expect(rangeForOffsets(block, start, start + 'words'.length)!.toString()).toBe('words');
  });

  it('maps a word that spans text nodes', () => {
    expect(rangeForOffsets(block, 0, 'Multinode'.length)!.toString()).toBe('Multinode');
  });

  it('maps across collapsed whitespace and trims the ends', () => {
    const start = block.text.indexOf('spaces in');
    const r = rangeForOffsets(block, start - 1, start + 'spaces in one'.length + 1)!;
    expect(r.toString()).toBe('spaces\n in one');
  });

  it('returns null for empty, blank and out-of-bounds stretches', () => {
    const space = block.text.indexOf(' ');
    expect(rangeForOffsets(block, 3, 3)).toBeNull();
    expect(rangeForOffsets(block, space, space + 1)).toBeNull();
    expect(rangeForOffsets(block, -1, 4)).toBeNull();
    expect(rangeForOffsets(block, 0, block.text.length + 1)).toBeNull();
  });

  it('maps many stretches in one pass', () => {
    const words = ['words', 'block', 'prose'];
    const spans = words.map((w) => [block.text.indexOf(w), block.text.indexOf(w) + w.length] as const);
    expect(rangesForOffsets(block, spans).map((r) => r?.toString())).toEqual(words);
  });

  it('returns null once the page text no longer matches the block', () => {
    const fresh = page(`<article>${filler(1)}<p>Words that will change after the block was extracted from the page, sadly.</p></article>`);
    const b = blockWith(fresh, 'Words that');
    b.textNodes![0]!.data = 'Different words now.';
    expect(rangeForOffsets(b, 0, 5)).toBeNull();
  });
});
