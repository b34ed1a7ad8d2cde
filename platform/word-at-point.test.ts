// @vitest-environment happy-dom
/**
 * The word at a caret or selection in a live document: the paragraph's text read across
 * inline elements, the word cut by the paragraph's language, and the sentence around it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { wordAtNode, wordAtSelection } from './word-at-point';

afterEach(() => {
  document.body.innerHTML = '';
});

function paragraph(html: string, lang = 'en'): HTMLElement {
  document.body.innerHTML = `<article lang="${lang}"><p>${html}</p></article>`;
  return document.querySelector('p')!;
}

describe('wordAtNode', () => {
  it('finds the word and its sentence across inline elements', () => {
    const p = paragraph('We sat by the river. The <b>bank</b> lent us <i>money</i> at last.');
    const bold = p.querySelector('b')!.firstChild!;
    const found = wordAtNode(document, bold, 2)!;
    expect(found.word).toBe('bank');
    expect(found.sentence).toBe('The bank lent us money at last.');
    expect(found.paragraph).toBe('We sat by the river. The bank lent us money at last.');
    expect(found.lang).toBe('en');
    expect(found.range.toString()).toBe('bank');
  });

  it('reads a word split over two elements as one', () => {
    const p = paragraph('The <b>ba</b>nk closed.');
    const found = wordAtNode(document, p.querySelector('b')!.firstChild!, 1)!;
    expect(found.word).toBe('bank');
    expect(found.range.toString()).toBe('bank');
  });

  it('takes the language from the nearest lang attribute', () => {
    const p = paragraph('Die Bank ist geschlossen.', 'de-AT');
    expect(wordAtNode(document, p.firstChild!, 5)!.lang).toBe('de-AT');
  });

  it('names no word on spaces, punctuation or script text', () => {
    const p = paragraph('One, two.');
    expect(wordAtNode(document, p.firstChild!, 4)).toBeNull();
    document.body.innerHTML = '<p><script>var bank = 1;</script></p>';
    expect(wordAtNode(document, document.querySelector('script')!.firstChild!, 5)).toBeNull();
  });
});

describe('wordAtSelection', () => {
  it('takes the word at a collapsed caret', () => {
    const p = paragraph('We sat on the bank of the river.');
    getSelection()!.collapse(p.firstChild!, 16);
    expect(wordAtSelection(document, getSelection())!.word).toBe('bank');
  });

  it('takes the first word of a selection, past a leading space', () => {
    const p = paragraph('We sat on the bank of the river.');
    const range = document.createRange();
    range.setStart(p.firstChild!, 13);
    range.setEnd(p.firstChild!, 18);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    expect(wordAtSelection(document, getSelection())!.word).toBe('bank');
  });

  it('has nothing without a selection', () => {
    getSelection()!.removeAllRanges();
    expect(wordAtSelection(document, getSelection())).toBeNull();
  });
});
