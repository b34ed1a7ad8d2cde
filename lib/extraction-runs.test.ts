import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { NameMark } from './extraction-dom';
import { Run, makeFrame } from './extraction-runs';

const doc = new Window().document as unknown as Document;
const el = (tag: string) => doc.createElement(tag);

describe('makeFrame', () => {
  it('gives a frame the kind of its tag', () => {
    expect(makeFrame(el('h3'), null, NameMark.None, 0)).toMatchObject({ kind: 'heading', headingLevel: 3, depth: 0 });
    expect(makeFrame(el('li'), null, NameMark.None, 0).kind).toBe('list-item');
    expect(makeFrame(el('dd'), null, NameMark.None, 0).kind).toBe('list-item');
    expect(makeFrame(el('td'), null, NameMark.None, 0).kind).toBe('table-cell');
    expect(makeFrame(el('blockquote'), null, NameMark.None, 0).kind).toBe('quote');
    expect(makeFrame(el('p'), null, NameMark.None, 0).kind).toBe('paragraph');
  });

  it('lets paragraphs inside quotes and list items keep the outer kind, but not inside table cells', () => {
    const quote = makeFrame(el('blockquote'), null, NameMark.None, 0);
    const cell = makeFrame(el('td'), null, NameMark.None, 0);
    expect(makeFrame(el('p'), quote, NameMark.None, 1)).toMatchObject({ kind: 'quote', depth: 1, parent: quote });
    expect(makeFrame(el('p'), cell, NameMark.None, 1).kind).toBe('paragraph');
  });

  it('keeps the heading level for blocks nested in a heading', () => {
    const h2 = makeFrame(el('h2'), null, NameMark.None, 0);
    expect(makeFrame(el('div'), h2, NameMark.None, 1)).toMatchObject({ kind: 'heading', headingLevel: 2 });
  });
});

describe('Run', () => {
  it('normalises its text once, on first use, and takes kind and level from its frame', () => {
    const frame = makeFrame(el('h2'), null, NameMark.None, 0);
    const run = new Run(frame, [], '\n  Two   words\u00a0here \n', 13, 0, 'en', 0);
    expect(run.text).toBe('Two words here');
    expect(run.text).toBe(run.text);
    expect(run.kind).toBe('heading');
    expect(run.headingLevel).toBe(2);
  });
});
