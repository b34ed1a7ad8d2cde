import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { markupLayoutProbe } from './extraction-probe';
import { selectContent } from './extraction-scoring';
import { Walker } from './extraction-walk';

function walk(body: string): Walker {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.write(`<html><body>${body}</body></html>`);
  const walker = new Walker(doc, markupLayoutProbe);
  walker.step(Number.POSITIVE_INFINITY, () => 0);
  return walker;
}

const para = (n: number) =>
  `Paragraph ${n} tells what the committee decided on the morning of day ${n}, and what the decision means for the people of the valley.`;

describe('selectContent', () => {
  const texts = (w: Walker) => selectContent(w.runs, w.frames).kept.map((r) => r.text);

  it('picks the element holding the article over teasers that each stand alone', () => {
    const article = [1, 2, 3, 4].map((n) => `<p>${para(n)}</p>`).join('');
    const teasers = [5, 6, 7, 8, 9, 10]
      .map((n) => `<li><div class="card"><h3><a href="/${n}">Story ${n}</a></h3><div class="excerpt">${para(n)}</div><a href="/${n}">Read more</a></div></li>`)
      .join('');
    const w = walk(`<div id="page"><div class="body">${article}</div><div class="more"><ul>${teasers}</ul></div></div>`);
    const sel = selectContent(w.runs, w.frames);
    expect(sel.container?.className).toBe('body');
    expect(sel.kept.map((r) => r.text)).toEqual([1, 2, 3, 4].map(para));
  });

  it('lets teasers count on a page that has nothing else (an index of excerpts)', () => {
    const teasers = [1, 2, 3]
      .map((n) => `<li><div class="card"><h3><a href="/${n}">Story ${n}</a></h3><div class="excerpt">${para(n)}</div></div></li>`)
      .join('');
    const w = walk(`<ul>${teasers}</ul>`);
    expect(texts(w)).toEqual(expect.arrayContaining([para(1), para(2), para(3)]));
  });

  it('leaves out furniture inside the article container', () => {
    const w = walk(`<article>${[1, 2].map((n) => `<p>${para(n)}</p>`).join('')}<div class="author-bio"><p>${para(3)}</p></div><p>${para(4)}</p></article>`);
    expect(texts(w)).toEqual([para(1), para(2), para(4)]);
  });

  it('ignores a furniture name on a wrapper around most of the prose', () => {
    const w = walk(`<div class="layout-with-sidebar">${[1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('')}</div><div class="sidebar"><p>${para(9)}</p></div>`);
    expect(texts(w)).toEqual([para(1), para(2), para(3)]);
  });

  it('falls back to the text alone when every paragraph sits under strong furniture names', () => {
    const w = walk(`<div class="share">${[1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('')}</div><div class="comments"><p>${para(4)}</p></div>`);
    expect(texts(w).length).toBeGreaterThanOrEqual(3);
  });

  it('drops headings that no text follows and the headings before the first paragraph', () => {
    const w = walk(`<article><h1>Title</h1><p>${para(1)}</p><h2>Section</h2><p>${para(2)}</p><h2>Related</h2></article>`);
    expect(texts(w)).toEqual([para(1), 'Section', para(2)]);
  });

  it('finds no container on a page of links', () => {
    const w = walk('<ul><li><a href="/a">A link</a></li><li><a href="/b">Another link</a></li></ul>');
    const sel = selectContent(w.runs, w.frames);
    expect(sel.container).toBeNull();
    expect(sel.kept).toEqual([]);
  });
});
