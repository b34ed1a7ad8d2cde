import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { createExtractor, extractBlocks, type Block, type LayoutProbe } from './extraction';
import { contentHash } from './text';

function page(body: string, htmlAttrs = ''): Document {
  const window = new Window({ url: 'https://example.com/article' });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html ${htmlAttrs}><head><title>t</title></head><body>${body}</body></html>`);
  return doc;
}

/** Paragraph-length prose, each one different. */
const para = (n: number) =>
  `Paragraph ${n} of the story explains, in plain words, what happened in the town council meeting on day ${n}, and why the vote surprised everyone who attended it.`;

const article = (count = 5, start = 1) =>
  Array.from({ length: count }, (_, i) => `<p>${para(start + i)}</p>`).join('\n');

const texts = (blocks: Block[]) => blocks.map((b) => b.text);

describe('extractBlocks: main content', () => {
  it('keeps the article and drops navigation, header, footer, sidebar, comments, share bars, related lists, cookie banners and ads', () => {
    const doc = page(`
      <header class="site-header"><a href="/">Daily Planet</a><p>The best newspaper in Metropolis since 1938, every morning.</p></header>
      <nav><ul><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
      <div class="cookie-consent"><p>We use cookies to improve your experience on this site, and by continuing you agree to it.</p></div>
      <main>
        <article>
          <h1>Council vote surprises town</h1>
          <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
          ${article(6)}
          <div class="ad-slot"><p>Advertisement</p></div>
          <div class="related-stories"><h2>Related</h2><ul>
            <li><a href="/a">Another story about a council vote in a different town this week</a></li>
            <li><a href="/b">Yet another story about something that happened elsewhere today</a></li>
          </ul></div>
        </article>
        <section id="comments"><h2>Comments</h2>
          <p>I have lived in this town for thirty years and I have never seen a vote like this one, honestly.</p>
        </section>
      </main>
      <aside class="sidebar"><h3>Most read</h3><p>A long sidebar teaser paragraph that is written like prose, so that only its place gives it away.</p></aside>
      <footer><p>Copyright 2024 Daily Planet. All rights reserved. Contact us at the address below.</p></footer>`);
    const blocks = extractBlocks(doc);
    expect(texts(blocks)).toEqual(Array.from({ length: 6 }, (_, i) => para(i + 1)));
  });

  it('keeps the sub-headings of the article as heading blocks, but not its title', () => {
    const doc = page(`<article><h1>The title</h1>${article(2)}<h2>Background</h2>${article(2, 3)}</article>`);
    const blocks = extractBlocks(doc);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'heading', 'paragraph', 'paragraph']);
    expect(blocks[2]!.text).toBe('Background');
    expect(extractBlocks(doc, undefined, { includeHeadings: false }).every((b) => b.kind !== 'heading')).toBe(true);
  });

  it('gives every block the nearest heading above it as context, the title included', () => {
    const doc = page(`<article><h1>The title</h1>${article(2)}<h2>Background</h2>${article(1, 3)}</article>`);
    const blocks = extractBlocks(doc);
    expect(blocks.map((b) => b.heading)).toEqual(['The title', 'The title', 'The title', 'Background']);
  });

  it('returns list items, quotes and prose in table cells with their kinds', () => {
    const doc = page(`<article>${article(3)}
      <ul><li>First point of the list, which is a full sentence on its own.</li><li>Second point.</li></ul>
      <blockquote><p>A quoted passage from the mayor, who spoke for twenty minutes about the budget.</p></blockquote>
      <table><tr><td>The cell holds a sentence of prose about the budget of the town hall.</td><td>42</td></tr></table>
      ${article(2, 4)}</article>`);
    const kinds = new Map(extractBlocks(doc).map((b) => [b.text, b.kind]));
    expect(kinds.get('First point of the list, which is a full sentence on its own.')).toBe('list-item');
    expect(kinds.get('Second point.')).toBe('list-item');
    expect(kinds.get('A quoted passage from the mayor, who spoke for twenty minutes about the budget.')).toBe('quote');
    expect(kinds.get('The cell holds a sentence of prose about the budget of the town hall.')).toBe('table-cell');
    expect(kinds.get(para(1))).toBe('paragraph');
  });

  it('splits bare text at double line breaks and normalises whitespace', () => {
    const doc = page(`<div class="post-body">${para(1)}<br><br>\n   ${para(2)}<br>  still the   second.<br><br>${para(3)}</div>`);
    expect(texts(extractBlocks(doc))).toEqual([para(1), `${para(2)} still the second.`, para(3)]);
  });

  it('drops link lists inside the article', () => {
    const doc = page(`<article>${article(3)}<p><a href="/x">Read the full report on the council website</a></p>${article(2, 4)}</article>`);
    expect(texts(extractBlocks(doc))).not.toContain('Read the full report on the council website');
  });

  it('finds nothing on a page without prose', () => {
    const doc = page(`<nav><a href="/">Home</a></nav><div><a href="/a">Link</a> <a href="/b">Link</a></div>`);
    expect(extractBlocks(doc)).toEqual([]);
  });

  it('accepts an element as root and reads only inside it', () => {
    const doc = page(`<div id="a">${article(3)}</div><div id="b">${article(3, 10)}</div>`);
    const blocks = extractBlocks(doc.getElementById('b')!);
    expect(texts(blocks)).toEqual([para(10), para(11), para(12)]);
  });
});

describe('extractBlocks: what is not shown or not ours', () => {
  it('skips elements hidden by markup: hidden, aria-hidden, inline display:none and visibility:hidden', () => {
    const doc = page(`<article>${article(3)}
      <p hidden>Hidden by attribute, a sentence that should never be read by anyone at all.</p>
      <p aria-hidden="true">Hidden from assistive technology, so not part of what the page says.</p>
      <div style="display: none"><p>Hidden by inline style, a paragraph that nobody can see on the page.</p></div>
      <p style="color:red;visibility:hidden">Invisible but taking space, also not shown on the page at all.</p>
      </article>`);
    expect(texts(extractBlocks(doc))).toEqual([para(1), para(2), para(3)]);
  });

  it('asks the injected probe about elements a stylesheet could hide', () => {
    const doc = page(`<article>${article(3)}<p class="mobile-only">${para(9)}</p></article>`);
    const probe: LayoutProbe = { isHidden: (el) => el.classList.contains('mobile-only') };
    expect(texts(extractBlocks(doc, probe))).toEqual([para(1), para(2), para(3)]);
    expect(texts(extractBlocks(doc))).toContain(para(9));
  });

  it('asks about inline elements only when their class reads like hiding, or their attributes hide them', () => {
    const doc = page(`<article>${article(2)}<p>A link <a href="/x" class="ext">to the report<span class="sr-only"> (opens in a new window)</span></a> <span class="tag">and more</span> words to make it prose.</p></article>`);
    const asked: string[] = [];
    const probe: LayoutProbe = {
      isHidden: (el) => {
        asked.push(el.getAttribute('class') ?? '');
        return el.classList.contains('sr-only');
      },
    };
    const blocks = extractBlocks(doc, probe);
    expect(blocks[2]!.text).toBe('A link to the report and more words to make it prose.');
    expect(asked).toContain('sr-only');
    expect(asked).not.toContain('ext');
    expect(asked).not.toContain('tag');
  });

  it('skips editable regions, form controls and our own UI', () => {
    const doc = page(`<article>${article(3)}
      <div contenteditable="true"><p>A draft the reader is typing into the page, which is not content.</p></div>
      <textarea>Text typed in a text area is not content either, however long it gets.</textarea>
      <div data-attention-reader-ui><p>Our own panel, with a paragraph that explains the highlights.</p></div>
      </article>`);
    expect(texts(extractBlocks(doc))).toEqual([para(1), para(2), para(3)]);
  });

  it('does not take a hidden body for hidden text (pages hide it until their scripts run)', () => {
    const doc = page(`<article>${article(3)}</article>`);
    doc.body.setAttribute('style', 'visibility: hidden');
    expect(texts(extractBlocks(doc))).toEqual([para(1), para(2), para(3)]);
  });

  it('shows only the summary of a closed details element', () => {
    const doc = page(`<article>${article(3)}<details><summary>More about the vote</summary><p>${para(8)}</p></details></article>`);
    const found = texts(extractBlocks(doc));
    expect(found).not.toContain(para(8));
    doc.querySelector('details')!.setAttribute('open', '');
    expect(texts(extractBlocks(doc))).toContain(para(8));
  });
});

describe('extractBlocks: language', () => {
  it('takes the closest lang attribute', () => {
    const doc = page(`<article>${article(3)}<p lang="fr">Le conseil municipal a voté hier soir, et le résultat a surpris toute la ville.</p></article>`, 'lang="en"');
    const blocks = extractBlocks(doc);
    expect(blocks[0]!.lang).toBe('en');
    expect(blocks[3]!.lang).toBe('fr');
  });

  it('detects the language from the script when no lang is given, or when the given one cannot be right', () => {
    const ru = 'Городской совет проголосовал вчера вечером, и результат удивил весь город.';
    const doc = page(`<article>${article(3)}<p>${ru}</p></article>`, 'lang="en"');
    expect(extractBlocks(doc).find((b) => b.text === ru)!.lang).toBe('ru');
    // English prose with no lang attribute is told by its function words (lib/language.ts).
    const bare = page(`<article>${article(3)}</article>`);
    expect(extractBlocks(bare)[0]!.lang).toBe('en');
    expect(extractBlocks(bare, undefined, { defaultLang: 'en' })[0]!.lang).toBe('en');
  });

  it('extracts right-to-left text as written', () => {
    const ar = [
      'صوّت مجلس المدينة مساء أمس على الميزانية الجديدة، وفاجأت النتيجة جميع الحاضرين في القاعة.',
      'وقال رئيس البلدية إن القرار سيغيّر طريقة تمويل المدارس والطرق خلال السنوات الخمس المقبلة.',
    ];
    const doc = page(`<article dir="rtl">${ar.map((t) => `<p>${t}</p>`).join('')}</article>`, 'lang="ar" dir="rtl"');
    const blocks = extractBlocks(doc);
    expect(texts(blocks)).toEqual(ar);
    expect(blocks.every((b) => b.lang === 'ar')).toBe(true);
  });

  it('counts CJK text as prose although it is short in characters', () => {
    const zh = ['市议会昨晚就新预算进行了投票，结果令所有出席者感到意外。', '市长表示，这项决定将改变未来五年学校和道路的资金来源。'];
    const doc = page(`<nav><a href="/">首页</a><a href="/n">新闻</a></nav><article>${zh.map((t) => `<p>${t}</p>`).join('')}</article>`);
    const blocks = extractBlocks(doc);
    expect(texts(blocks)).toEqual(zh);
    expect(blocks[0]!.lang).toBe('zh');
  });
});

describe('extractBlocks: shadow roots and iframes', () => {
  it('reads open shadow roots, including slotted light-DOM content', () => {
    const doc = page(`<article id="host"><p>${para(3)}</p></article>`);
    const root = doc.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = `<p>${para(1)}</p><p>${para(2)}</p><slot></slot>`;
    expect(texts(extractBlocks(doc))).toEqual([para(1), para(2), para(3)]);
    expect(texts(extractBlocks(doc, undefined, { shadowRoots: false }))).toEqual([para(3)]);
  });

  it('cannot see into closed shadow roots', () => {
    const doc = page(`<article>${article(3)}<div id="host"></div></article>`);
    const root = doc.getElementById('host')!.attachShadow({ mode: 'closed' });
    root.innerHTML = `<p>${para(9)}</p>`;
    expect(texts(extractBlocks(doc))).not.toContain(para(9));
  });

  it('reads same-origin iframes and skips cross-origin ones without failing', () => {
    const doc = page(`<div>${article(1)}</div><iframe id="same"></iframe><iframe id="other"></iframe>`);
    const inner = page(`<article>${article(3, 2)}</article>`);
    Object.defineProperty(doc.getElementById('same')!, 'contentDocument', { get: () => inner });
    Object.defineProperty(doc.getElementById('other')!, 'contentDocument', {
      get: () => {
        throw new Error('SecurityError: cross-origin frame');
      },
    });
    const found = texts(extractBlocks(doc));
    expect(found).toEqual(expect.arrayContaining([para(2), para(3), para(4)]));
    expect(extractBlocks(doc, undefined, { iframes: false }).map((b) => b.text)).not.toContain(para(2));
  });
});

describe('extractBlocks: ids and elements', () => {
  it('names each block by the content hash of its text, the same on any page', () => {
    const a = extractBlocks(page(`<article>${article(3)}</article>`));
    const b = extractBlocks(page(`<main><div class="story">${article(3)}</div><footer>x</footer></main>`));
    expect(a.map((x) => x.id)).toEqual(b.map((x) => x.id));
    expect(a[0]!.id).toBe(contentHash(para(1)));
    expect(new Set(a.map((x) => x.id)).size).toBe(3);
  });

  it('points each block at its element and text nodes', () => {
    const doc = page(`<article>${article(2)}<p>Split <b>across</b> nodes, a sentence long enough to count as prose here.</p></article>`);
    const block = extractBlocks(doc)[2]!;
    expect(block.element.localName).toBe('p');
    expect(block.textNodes!.map((n) => n.data)).toEqual(['Split ', 'across', ' nodes, a sentence long enough to count as prose here.']);
    expect(block.element.contains(block.textNodes![1]!)).toBe(true);
  });
});

describe('createExtractor: incremental', () => {
  /** A clock that advances by `tick` ms every time it is read. */
  const ticking = (tick: number) => {
    let t = 0;
    return () => (t += tick);
  };

  it('returns the same blocks over many small steps as in one go', () => {
    const doc = page(`<nav><a href="/">Home</a></nav><article>${article(300)}</article><footer>Contact</footer>`);
    const all = extractBlocks(doc);
    const extractor = createExtractor(doc);
    const got: Block[] = [];
    let steps = 0;
    while (!extractor.done) {
      got.push(...extractor.step(1, ticking(0.5)));
      steps++;
    }
    expect(steps).toBeGreaterThan(3);
    expect(got.map((b) => b.id).sort()).toEqual(all.map((b) => b.id).sort());
    expect(extractor.step(10)).toEqual([]);
  });

  it('hands out the blocks in the viewport first', () => {
    const doc = page(`<article>${article(10)}</article>`);
    const visible = new Set([para(7), para(8)]);
    const probe: LayoutProbe = { isHidden: () => false, isInViewport: (el) => visible.has(el.textContent ?? '') };
    const extractor = createExtractor(doc, probe);
    const blocks: Block[] = [];
    while (!extractor.done) blocks.push(...extractor.step(1000));
    expect(texts(blocks).slice(0, 2)).toEqual([para(7), para(8)]);
    expect(texts(extractBlocks(doc, probe))[0]).toBe(para(1));
  });

  it('finds the visible blocks of a long page by binary search on compareToViewport', () => {
    const doc = page(`<article>${article(1000)}</article>`);
    // Paragraph n sits at n * 100 px; the viewport shows 50,000 to 50,800 px.
    const top = (el: Element) => Number(/Paragraph (\d+)/.exec(el.textContent ?? '')?.[1]) * 100 - 50_000;
    let reads = 0;
    const probe: LayoutProbe = {
      isHidden: () => false,
      compareToViewport: (el) => {
        reads++;
        const t = top(el);
        return t + 100 <= 0 ? -1 : t >= 800 ? 1 : 0;
      },
    };
    const extractor = createExtractor(doc, probe);
    const blocks: Block[] = [];
    while (!extractor.done) blocks.push(...extractor.step(1000));
    expect(texts(blocks).slice(0, 8)).toEqual([500, 501, 502, 503, 504, 505, 506, 507].map(para));
    expect(texts(blocks).slice(8, 10)).toEqual([para(1), para(2)]);
    expect(reads).toBeLessThan(40);
  });

  it('reads a 20,000-paragraph page in bounded slices', () => {
    const doc = page(`<article>${Array.from({ length: 20_000 }, (_, i) => `<p class="p">${para(i)}</p>`).join('')}</article>`);
    // Every paragraph has a class, so the probe sees each one: its calls count the work.
    let probed = 0;
    const probe: LayoutProbe = {
      isHidden: () => {
        probed++;
        return false;
      },
    };
    // A clock that advances 1 ms per reading: a 4 ms budget allows only a few readings.
    let t = 0;
    const now = () => ++t;
    const extractor = createExtractor(doc, probe);
    let count = 0;
    let steps = 0;
    let mostProbedInOneStep = 0;
    while (!extractor.done) {
      const before = probed;
      count += extractor.step(4, now).length;
      mostProbedInOneStep = Math.max(mostProbedInOneStep, probed - before);
      steps++;
    }
    expect(count).toBe(20_000);
    expect(probed).toBe(20_000);
    expect(steps).toBeGreaterThan(40);
    expect(mostProbedInOneStep).toBeLessThan(1_000);
  }, 60_000);
});

describe('extractBlocks: bodies that are not a run of paragraphs (shipped tuning)', () => {
  const links = (n: number) => Array.from({ length: n }, (_, i) => `<li><a href="/s${i}">Section number ${i} of this site, with its own long name</a></li>`).join('');

  it('reads a league table as the article, not the comment notice beside it', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>${i + 1}</td><td>Club number ${i + 1}</td><td>${38 - i}</td><td>${60 - 2 * i} pts</td></tr>`).join('');
    const notice = 'Comments are moderated and may take up to a day to appear under this page.';
    const doc = page(`<nav><ul>${links(6)}</ul></nav><main><h1>Standings</h1><p>Updated after round 30.</p><table>${rows}</table></main><div class="side"><ul>${links(8)}</ul><div class="comments"><p>${notice}</p></div></div>`);
    const got = texts(extractBlocks(doc));
    expect(got).toEqual(expect.arrayContaining(['Club number 1', '60 pts', 'Club number 20']));
    expect(got).not.toContain(notice);
    expect(extractBlocks(doc, undefined, { tuning: { weakProse: 0 } }).map((b) => b.text)).toEqual([notice]);
  });

  it('reads every part of a body split over sibling containers, the first wrapped alone', () => {
    const doc = page(`<div id="page"><div class="lead"><div class="inner">${article(3)}</div></div><ul>${links(8)}</ul><div class="rest">${article(2, 4)}</div></div>`);
    expect(texts(extractBlocks(doc))).toEqual([1, 2, 3, 4, 5].map(para));
    expect(texts(extractBlocks(doc, undefined, { tuning: { siblingClimb: 0 } }))).toEqual([1, 2, 3].map(para));
  });
});
