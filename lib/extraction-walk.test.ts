import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { NameMark } from './extraction-dom';
import { markupLayoutProbe } from './extraction-probe';
import { Walker, type Run } from './extraction-walk';

function walk(body: string, htmlAttrs = ''): Walker {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.write(`<html ${htmlAttrs}><body>${body}</body></html>`);
  const walker = new Walker(doc, markupLayoutProbe);
  walker.step(Number.POSITIVE_INFINITY, () => 0);
  return walker;
}

const summary = (runs: Run[]) => runs.map((r) => [r.frame.el.localName, r.text]);

describe('Walker: runs', () => {
  it('joins inline text into one run and splits at every block boundary', () => {
    const w = walk('<div>Before <b>bold</b><i>italic</i> <p>inside</p> after <span>span</span></div>');
    expect(summary(w.runs)).toEqual([
      ['div', 'Before bolditalic'],
      ['p', 'inside'],
      ['div', 'after span'],
    ]);
  });

  it('counts the characters inside links', () => {
    const [run] = walk('<p>Read <a href="/x">the report</a> now</p>').runs;
    expect(run!.chars).toBe('Read'.length + 'the report'.length + 'now'.length);
    expect(run!.linkChars).toBe('the report'.length);
    expect(walk('<p><a name="anchor">Not a link</a></p>').runs[0]!.linkChars).toBe(0);
  });

  it('gives each run the kind of its block', () => {
    const w = walk(`<h2>Head <span>line</span></h2><ul><li>item<p>para in item</p></li></ul>
      <blockquote><p>quoted</p></blockquote><table><tr><td>cell</td><td><p>para in cell</p></td></tr></table><p>plain</p>`);
    expect(w.runs.map((r) => [r.text, r.kind, r.headingLevel])).toEqual([
      ['Head line', 'heading', 2],
      ['item', 'list-item', 0],
      ['para in item', 'list-item', 0],
      ['quoted', 'quote', 0],
      ['cell', 'table-cell', 0],
      ['para in cell', 'paragraph', 0],
      ['plain', 'paragraph', 0],
    ]);
  });

  it('records the closest lang, and lang="" as unknown', () => {
    const w = walk('<p>en</p><div lang="de"><p>de</p><p lang="">none</p><p><span lang="fr">fr</span></p></div>', 'lang="en"');
    expect(w.runs.map((r) => [r.text, r.lang])).toEqual([
      ['en', 'en'],
      ['de', 'de'],
      ['none', undefined],
      ['fr', 'fr'],
    ]);
  });

  it('skips landmark roles that are furniture and keeps main content roles', () => {
    const w = walk('<div role="navigation"><p>menu</p></div><div role="dialog"><p>cookie</p></div><div role="main"><p>text</p></div>');
    expect(w.runs.map((r) => r.text)).toEqual(['text']);
    expect(w.runs[0]!.frame.parent!.mark).toBe(NameMark.Content);
  });

  it('marks furniture by tag and by name, and content by itemprop', () => {
    const w = walk('<footer><p>f</p></footer><div class="related"><p>r</p></div><div itemprop="articleBody"><p>a</p></div><form><p>x</p></form>');
    const marks = w.runs.map((r) => r.frame.parent!.mark);
    expect(marks).toEqual([NameMark.Furniture, NameMark.Furniture, NameMark.Content, NameMark.WeakFurniture]);
  });

  it('lists frames parents first, with consecutive ids', () => {
    const w = walk('<div><section><p>a</p></section><p>b</p></div>');
    w.frames.forEach((f, i) => {
      expect(f.id).toBe(i);
      if (f.parent) expect(f.parent.id).toBeLessThan(f.id);
    });
  });

  it('numbers runs in document order', () => {
    const w = walk('<p>a</p><div>b<p>c</p>d</div>');
    expect(w.runs.map((r) => [r.index, r.text])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
  });

  it('stops at the deadline and resumes where it stopped', () => {
    const window = new Window();
    const doc = window.document as unknown as Document;
    doc.write(`<html><body>${Array.from({ length: 1000 }, (_, i) => `<p>p${i}</p>`).join('')}</body></html>`);
    const walker = new Walker(doc, markupLayoutProbe);
    let t = 0;
    walker.step(1, () => ++t);
    expect(walker.done).toBe(false);
    expect(walker.runs.length).toBeLessThan(1000);
    walker.step(Number.POSITIVE_INFINITY, () => 0);
    expect(walker.done).toBe(true);
    expect(walker.runs.map((r) => r.text)).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
  });
});
