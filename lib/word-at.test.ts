import { describe, expect, it } from 'vitest';
import { sentenceAt, sentenceWindow, wordAt } from './word-at';

const PARAGRAPH = 'We sat on the bank of the river. The bank lent us money, at 5%!';

describe('wordAt', () => {
  it('finds the word under an offset inside it', () => {
    const at = PARAGRAPH.indexOf('bank') + 2;
    expect(wordAt(PARAGRAPH, at)).toEqual({ value: 'bank', start: 14, end: 18 });
  });

  it('takes the word just before when the caret sits right after its last letter', () => {
    expect(wordAt(PARAGRAPH, 18)?.value).toBe('bank');
  });

  it('gives nothing on punctuation or space between words', () => {
    const comma = PARAGRAPH.indexOf(',');
    expect(wordAt(PARAGRAPH, comma + 1)).toBeNull();
    expect(wordAt('a  b', 2)).toBeNull();
  });

  it('keeps an apostrophe inside its word and splits at a hyphen', () => {
    expect(wordAt("don't-stop", 1, 'en')?.value).toBe("don't");
    expect(wordAt("don't-stop", 7, 'en')?.value).toBe('stop');
  });

  it('cuts Japanese into words without spaces', () => {
    const text = '私は銀行に行きました';
    const w = wordAt(text, text.indexOf('銀行') + 1, 'ja');
    expect(w?.value).toBe('銀行');
  });

  it('refuses offsets outside the text', () => {
    expect(wordAt('bank', -1)).toBeNull();
    expect(wordAt('bank', 5)).toBeNull();
  });
});

describe('sentenceAt', () => {
  it('gives the sentence holding the offset, trimmed', () => {
    const at = PARAGRAPH.lastIndexOf('bank');
    const s = sentenceAt(PARAGRAPH, at);
    expect(s.value).toBe('The bank lent us money, at 5%!');
    expect(PARAGRAPH.slice(s.start, s.end)).toBe(s.value);
  });

  it('gives the first sentence for an offset in it', () => {
    expect(sentenceAt(PARAGRAPH, 3).value).toBe('We sat on the bank of the river.');
  });

  it('gives the last sentence for the offset at the very end', () => {
    expect(sentenceAt(PARAGRAPH, PARAGRAPH.length).value).toBe('The bank lent us money, at 5%!');
  });
});

describe('sentenceWindow', () => {
  it('keeps a short sentence whole', () => {
    const s = sentenceAt(PARAGRAPH, 0);
    expect(sentenceWindow(s, wordAt(PARAGRAPH, 15)!, 100)).toBe(s.value);
  });

  it('cuts a long sentence around the word and keeps the word', () => {
    const text = `${'x '.repeat(300)}bank${' y'.repeat(300)}`;
    const s = sentenceAt(text, 0);
    const w = wordAt(text, text.indexOf('bank'))!;
    const cut = sentenceWindow(s, w, 50);
    expect(cut.length).toBe(50);
    expect(cut).toContain('bank');
  });
});
