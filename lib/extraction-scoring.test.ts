import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { markupLayoutProbe } from './extraction-probe';
import { DEFAULT_TUNING, selectContent } from './extraction-scoring';
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
  it('reads a furniture-named wrapper around the article as a wrapper when the rest of the prose is comments', () => {
    const article = [1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('');
    const comments = [4, 5, 6, 7, 8, 9].map((n) => `<div class="comment"><p>${para(n)}</p></div>`).join('');
    const w = walk(`<div class="post-meta"><h1>Title</h1><div class="post-body">${article}</div></div><div id="comments">${comments}</div>`);
    expect(texts(w)).toEqual([1, 2, 3].map(para));
  });

  it('takes the article under its linked title when no other card of that shape stands beside it', () => {
    const w = walk(
      `<div id="site"><header><p>${para(9)}</p></header>` +
        `<div class="story"><h1><a href="/story">The story's title</a></h1><p>${para(1)} ${para(2)} ${para(3)}</p></div></div>`,
    );
    expect(texts(w)).toEqual([`${para(1)} ${para(2)} ${para(3)}`]);
  });

  it('still reads cards side by side as teasers, not as the article', () => {
    const cards = Array.from({ length: DEFAULT_TUNING.minCards }, (_, i) => i + 5).map((n) => `<div class="card"><h3><a href="/${n}">Story ${n}</a></h3><p>${para(n)} ${para(n)}</p></div>`).join('');
    const w = walk(`<div id="site"><div class="story"><p>${para(1)}</p><p>${para(2)}</p></div><div class="more">${cards}</div></div>`);
    expect(texts(w)).toEqual([para(1), para(2)]);
  });

  it('joins a body split over sibling containers when a sibling scores close to the chosen one', () => {
    const part = (ns: number[]) => ns.map((n) => `<p>${para(n)}</p>`).join('');
    const links = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<li><a href="/${n}">A much longer link to another section of the site number ${n}</a></li>`).join('');
    const w = walk(`<div id="page"><div class="part">${part([1, 2, 3])}</div><ul class="inline">${links}</ul><div class="part">${part([4, 5])}</div></div>`);
    const split = selectContent(w.runs, w.frames, undefined, { siblingShare: 0.25 }).kept.map((r) => r.text);
    expect(split).toEqual([1, 2, 3, 4, 5].map(para));
    const alone = selectContent(w.runs, w.frames, undefined, { siblingShare: 0 }).kept.map((r) => r.text);
    expect(alone).toEqual([1, 2, 3].map(para));
  });

  it('joins a split body when the chosen container is wrapped alone in the part that has the sibling', () => {
    const part = (ns: number[]) => ns.map((n) => `<p>${para(n)}</p>`).join('');
    const links = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<li><a href="/${n}">A much longer link to another section of the site number ${n}</a></li>`).join('');
    const w = walk(`<div id="page"><div class="part"><div class="inner">${part([1, 2, 3])}</div></div><ul class="inline">${links}</ul><div class="part">${part([4, 5])}</div></div>`);
    const pick = (siblingClimb: number) => selectContent(w.runs, w.frames, undefined, { siblingShare: 0.25, siblingClimb }).kept.map((r) => r.text);
    expect(pick(1)).toEqual([1, 2, 3, 4, 5].map(para));
    expect(pick(0)).toEqual([1, 2, 3].map(para));
  });

  it('does not join a sibling that is furniture, however much prose it holds', () => {
    const part = (ns: number[]) => ns.map((n) => `<p>${para(n)}</p>`).join('');
    const links = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<li><a href="/${n}">A much longer link to another section of the site number ${n}</a></li>`).join('');
    const w = walk(`<div id="page"><div class="part">${part([1, 2, 3])}</div><ul class="inline">${links}</ul><div class="newsletter">${part([4, 5])}</div></div>`);
    expect(selectContent(w.runs, w.frames, undefined, { siblingShare: 0.25 }).kept.map((r) => r.text)).toEqual([1, 2, 3].map(para));
  });

  it('leaves out a group of teaser cards inside the article when it is a small part of it, and keeps a list article whole', () => {
    const card = (n: number) => `<div class="item"><h3><a href="/${n}">Story ${n}</a></h3><p>${para(n)}</p></div>`;
    const article = [1, 2, 3, 4, 5, 6].map((n) => `<p>${para(n)}</p>`).join('');
    const inside = walk(`<div class="story">${article}<div class="more">${[7, 8, 9].map(card).join('')}</div></div>`);
    const pick = (w: Walker, teaserShare: number) => selectContent(w.runs, w.frames, undefined, { teaserShare }).kept.map((r) => r.text);
    expect(pick(inside, 0.5)).toEqual([1, 2, 3, 4, 5, 6].map(para));
    expect(pick(inside, 0)).toEqual(expect.arrayContaining([para(7), para(8), para(9)]));
    const list = walk(`<div class="story"><p>${para(1)}</p><p>${para(2)}</p><div class="things">${[3, 4, 5, 6, 7].map(card).join('')}</div></div>`);
    expect(pick(list, 0.5)).toEqual(expect.arrayContaining([para(1), para(2), para(3), para(7)]));
  });

  it('lets a table of short cells outweigh a lone sentence elsewhere when short pieces count', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>${i + 1}</td><td>Team number ${i + 1}</td><td>${40 - i} points</td></tr>`).join('');
    const w = walk(`<div id="page"><div class="standings"><table>${rows}</table></div><div class="notice"><p>${para(1)}</p></div></div>`);
    const pick = (shortVote: number) => selectContent(w.runs, w.frames, undefined, { shortVote, weakProse: 0 }).kept.map((r) => r.text);
    expect(pick(0.2)).toEqual(expect.arrayContaining(['Team number 1', '21 points']));
    expect(pick(0)).toEqual([para(1)]);
  });

  it('reads a table of short cells as the article when the only prose on the page is a notice elsewhere', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>${i + 1}</td><td>Team number ${i + 1}</td><td>${40 - i} points</td></tr>`).join('');
    const notice = 'Comments are moderated and may take a day to appear below this page.';
    const links = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<li><a href="/${n}">A much longer link to another section of the site number ${n}</a></li>`).join('');
    const w = walk(`<div id="page"><div class="standings"><h1>Table</h1><table>${rows}</table></div><div class="side"><ul>${links}</ul><div class="comments"><p>${notice}</p></div></div></div>`);
    const pick = (weakProse: number) => selectContent(w.runs, w.frames, undefined, { weakProse }).kept.map((r) => r.text);
    expect(pick(200)).toEqual(expect.arrayContaining(['Team number 1', '21 points', 'Team number 20']));
    expect(pick(200)).not.toContain(notice);
    expect(pick(0)).toEqual([notice]);
  });

  it('reads a page of nothing but a table of short cells', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>${i + 1}</td><td>Team number ${i + 1}</td><td>${40 - i} points</td></tr>`).join('');
    const w = walk(`<div id="page"><h1>Table</h1><table>${rows}</table><ul>${[1, 2, 3].map((n) => `<li><a href="/${n}">Section ${n}</a></li>`).join('')}</ul></div>`);
    expect(selectContent(w.runs, w.frames, undefined, { weakProse: 200 }).kept.map((r) => r.text)).toEqual(expect.arrayContaining(['Team number 1', '21 points']));
    expect(selectContent(w.runs, w.frames, undefined, { weakProse: 0 }).kept).toEqual([]);
  });

  it('keeps choosing the prose when the page has enough of it, whatever tables stand beside it', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>${i + 1}</td><td>Team number ${i + 1}</td><td>${40 - i} points</td></tr>`).join('');
    const w = walk(`<div id="page"><div class="story">${[1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('')}</div><div class="standings"><table>${rows}</table></div></div>`);
    expect(selectContent(w.runs, w.frames, undefined, { weakProse: 200 }).kept.map((r) => r.text)).toEqual([1, 2, 3].map(para));
  });

  it('reads a furniture-named box around many paragraphs as the article wrapper even when much prose sits elsewhere', () => {
    const body = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<p>${para(n)}</p>`).join('');
    const long = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31].map(para).join(' ');
    const w = walk(`<div id="page"><div class="share-wrapper">${body}</div><div class="sidebar"><div class="text"><p>${long}</p></div></div></div>`);
    const pick = (wrapperParagraphs: number) => selectContent(w.runs, w.frames, undefined, { wrapperParagraphs }).kept.map((r) => r.text);
    expect(pick(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(para));
    expect(pick(0)).toContain(long);
  });

  it('reads a mixed furniture-and-content name around half the prose as a wrapper, a pure furniture name as furniture', () => {
    const page = (cls: string) =>
      walk(`<div class="${cls}">${[1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('')}</div><div class="column">${[4, 5, 6].map((n) => `<p>${para(n)}</p>`).join('')}</div>`);
    expect(texts(page('entry social'))).toEqual(expect.arrayContaining([para(1), para(2), para(3)]));
    expect(texts(page('social'))).toEqual([4, 5, 6].map(para));
  });
});
