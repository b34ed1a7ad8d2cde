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
  it('covers the text of the block as one range across links and inline elements, trimmed at its ends', () => {
    const doc = page(`<article>${filler(1)}<p>\n  The   mayor <em>said</em> the vote was <a href="/v">historic</a>, and the hall applauded for a long time.  </p>${filler(2)}</article>`);
    const block = blockWith(doc, 'The mayor');
    const ranges = blockRanges(block);
    // One continuous mark: the spaces beside "said" and the link's text are inside it.
    expect(ranges.map((r) => r.toString())).toEqual(['The   mayor said the vote was historic, and the hall applauded for a long time.']);
  });

  it('runs on through nested inline elements and a link that is the last word', () => {
    const doc = page(`<article>${filler(1)}<p>“We will keep the water in liquid form,” <a href="/q"><strong>he said</strong></a> <span> </span> on <a href="/t">Tuesday</a></p>${filler(2)}</article>`);
    const ranges = blockRanges(blockWith(doc, '“We will'));
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.toString()).toBe('“We will keep the water in liquid form,” he said   on Tuesday');
  });

  it('leaves out the text of nested blocks that are not part of the block', () => {
    const doc = page(`<article>${filler(1)}<div class="story">Bare text of the story that runs on for a good while before a nested paragraph.<p>Nested paragraph with text of its own that is long enough to count as prose.</p></div>${filler(2)}</article>`);
    const block = blockWith(doc, 'Bare text');
    expect(blockRanges(block).map((r) => r.toString()).join('')).toBe('Bare text of the story that runs on for a good while before a nested paragraph.');
  });
});
