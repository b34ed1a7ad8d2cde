import { describe, expect, it } from 'vitest';
import { contentHash, errorText, normaliseWhitespace, sentences, wordTokens, words } from './text';

describe('normaliseWhitespace', () => {
  it('collapses runs of any whitespace and trims', () => {
    expect(normaliseWhitespace('  a\n\t b\u00a0\u00a0c  ')).toBe('a b c');
  });
});

describe('contentHash', () => {
  it('is stable and 16 hex digits', () => {
    expect(contentHash('Hello world')).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('Hello world')).toBe(contentHash('Hello world'));
  });
  it('differs for texts that differ by one character', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(contentHash(`paragraph number ${i}`));
    expect(seen.size).toBe(5000);
    expect(contentHash('ab')).not.toBe(contentHash('ba'));
  });
});

describe('words and sentences', () => {
  it('drops punctuation and lower-cases', () => {
    expect(words('The cat, the HAT!')).toEqual(['the', 'cat', 'the', 'hat']);
  });
  it('segments Japanese without spaces into several words', () => {
    expect(words('私は猫が好きです', 'ja').length).toBeGreaterThan(2);
  });
  it('keeps word offsets for mapping back to the page', () => {
    const t = wordTokens('Hi, you.');
    expect(t.map((w) => w.index)).toEqual([0, 4]);
  });
  it('splits sentences', () => {
    expect(sentences('One here. Two there? Three!')).toEqual(['One here.', 'Two there?', 'Three!']);
  });
  it('tolerates an invalid language tag', () => {
    expect(words('plain text', 'not a tag!!')).toEqual(['plain', 'text']);
  });
});

describe('errorText', () => {
  it('gives an Error its message, subclasses included, without the class name', () => {
    expect(errorText(new Error('database closed'))).toBe('database closed');
    expect(errorText(new TypeError('not a function'))).toBe('not a function');
    expect(errorText(new Error(''))).toBe('');
  });
  it('turns anything else thrown into text', () => {
    expect(errorText('quota exceeded')).toBe('quota exceeded');
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
    expect(errorText(null)).toBe('null');
    // An error-shaped object that is not an Error is not trusted for its message.
    expect(errorText({ message: 'looks like one' })).toBe('[object Object]');
  });
});
