import { describe, expect, it } from 'vitest';
import { normaliseForUse, UnigramTokenizer, WORD_BOUNDARY as B } from './tokenizer';

// A tiny vocabulary whose scores make each behaviour visible; ids are the indices.
const pieces: [string, number][] = [
  ['<unk>', 0], // 0
  [B, -1], // 1
  [`${B}a`, -1], // 2
  ['b', -3], // 3
  [`${B}ab`, -2.5], // 4
  ['a', -4], // 5
  [`${B}x`, -1], // 6
  ['y', -1], // 7
  ['xy', -1], // 8
  [`${B}:`, 0], // 9: a zero score, as USE's vocabulary has for a few ":" pieces
  [':', -2], // 10
  ['<s> ', 0], // 11: reserved pieces carry a space, which normalised text never has
  ['dup', -5], // 12
  ['dup', -6], // 13: listed twice; the last id wins, as in USE
  ['d', -9], // 14
  ['😀', -2], // 15: a piece beyond the BMP, matched by code point
];
const tokenizer = new UnigramTokenizer(pieces, 0);

describe('normaliseForUse', () => {
  it('applies NFKC, turns spaces into word boundaries and marks the start', () => {
    expect(normaliseForUse('ﬁne Ａ b')).toBe(`${B}fine${B}A${B}b`);
  });

  it('turns a no-break space into a boundary too (NFKC makes it a space)', () => {
    expect(normaliseForUse('a\u00a0b')).toBe(`${B}a${B}b`);
  });

  it('leaves empty text empty', () => {
    expect(normaliseForUse('')).toBe('');
  });
});

describe('UnigramTokenizer', () => {
  it('chooses the segmentation with the best total score', () => {
    // ▁ab (-2.5) beats ▁a + b (-4).
    expect(tokenizer.encode('ab')).toEqual([4]);
    // ▁a + ▁a (-2) beats ▁ + a + ▁a (-6).
    expect(tokenizer.encode('a a')).toEqual([2, 2]);
  });

  it('gives empty text no tokens', () => {
    expect(tokenizer.encode('')).toEqual([]);
  });

  it('collapses a run of unknown characters into one unknown token', () => {
    expect(tokenizer.encode('a€€ab')).toEqual([2, 0, 5, 3]);
  });

  it('breaks ties in favour of the piece that starts last, as USE does', () => {
    // "▁xy" = ▁x + y = ▁ + xy = -2; USE keeps the later-starting final piece "y".
    expect(tokenizer.encode('xy')).toEqual([6, 7]);
  });

  it('treats a best score of exactly 0 as "none yet" at the start of the text (USE quirk)', () => {
    // "▁:" scores 0 but is overridden by ▁ + : (-3) because 0 means unset to USE...
    expect(tokenizer.encode(':')).toEqual([1, 10]);
    // ...while after other tokens the zero-score piece wins normally.
    expect(tokenizer.encode('a :')).toEqual([2, 9]);
  });

  it('never matches pieces that contain a space', () => {
    expect(tokenizer.encode('<s>')).not.toContain(11);
  });

  it('maps a piece listed twice to its last id', () => {
    expect(tokenizer.encode('a dup')).toEqual([2, 1, 13]);
  });

  it('counts characters beyond the BMP as one position', () => {
    expect(tokenizer.encode('a😀')).toEqual([2, 15]);
    expect(tokenizer.encode('a🎉')).toEqual([2, 0]);
  });

  it('reads the vocabulary from a tokenizer.json Unigram model', () => {
    const fromJson = UnigramTokenizer.fromTokenizerJson({ model: { type: 'Unigram', unk_id: 0, vocab: pieces } });
    expect(fromJson.encode('ab a')).toEqual(tokenizer.encode('ab a'));
  });

  it('rejects a tokenizer.json without a Unigram model or with malformed entries', () => {
    expect(() => UnigramTokenizer.fromTokenizerJson({ model: { type: 'BPE', vocab: {} } })).toThrow(/Unigram/);
    expect(() => UnigramTokenizer.fromTokenizerJson({ model: { type: 'Unigram', unk_id: 0, vocab: [['a', 'x']] } })).toThrow(/entry 0/);
    expect(() => UnigramTokenizer.fromTokenizerJson(null)).toThrow(/Unigram/);
  });
});
