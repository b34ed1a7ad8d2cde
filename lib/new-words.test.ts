import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { estimateDifficulty, learnerKnowledge, newWordsOf } from './difficulty';
import { createLearner, markWord, paragraphWords, type ParagraphWord } from './learner';
import {
  MAX_NEW_WORD_CHARS,
  MAX_NEW_WORDS,
  NEW_WORD_BELOW,
  newWordCount,
  newWordSpans,
  probablyNewWords,
  withoutWord,
} from './new-words';
import { HighlightOut } from './protocol';
import { createLexicon, type FrequencyList } from './vocabulary';

/** A ranked list with chosen words at chosen ranks and filler elsewhere. */
function listWith(placed: Record<string, number>): FrequencyList {
  const byRank = new Map(Object.entries(placed).map(([w, r]) => [r, w]));
  const words: string[] = [];
  for (let r = 1; r <= 40000; r++) words.push(byRank.get(r) ?? `zz${r.toString(36)}`);
  return { lang: 'en', words };
}
const lexicon = createLexicon(
  listWith({
    the: 1, a: 2, an: 9, near: 40, and: 3, on: 5, in: 6, it: 7, was: 8, cat: 50, dog: 60, sat: 70, mat: 900, big: 100,
    ubiquitous: 25000, perspicacious: 38000, ephemeral: 22000,
  }),
);
const ctx = { lexicon };
const b1 = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1' });
const HARD = 'Ubiquitous dogs sat. The ubiquitous, perspicacious cat sat on an ephemeral mat near Zanzibar in 1987.';

describe('probablyNewWords', () => {
  it('marks the rare words, not the common ones, names or numbers', () => {
    const forms = newWordsOf(HARD, b1, ctx).map((w) => w.form);
    expect(forms).toEqual(['Ubiquitous', 'ubiquitous', 'perspicacious', 'ephemeral']);
  });

  it('cuts at NEW_WORD_BELOW: a word just under is new, one at it is not', () => {
    const words: ParagraphWord[] = [
      { word: 'under', index: 0, key: 'under', ignored: false },
      { word: 'at', index: 6, key: 'at', ignored: false },
    ];
    const p = (w: ParagraphWord) => (w.word === 'under' ? NEW_WORD_BELOW - 1e-9 : NEW_WORD_BELOW);
    expect(probablyNewWords(words, p).map((w) => w.form)).toEqual(['under']);
  });

  it('leaves out words that do not count (ignored by the learner: knowledge undefined) and overlong forms', () => {
    const long = 'x'.repeat(MAX_NEW_WORD_CHARS + 1);
    const words: ParagraphWord[] = [
      { word: 'gone', index: 0, key: 'gone', ignored: false },
      { word: long, index: 5, key: long, ignored: false },
      { word: 'kept', index: 200, key: 'kept', ignored: false },
    ];
    const p = (w: ParagraphWord) => (w.word === 'gone' ? undefined : 0);
    expect(probablyNewWords(words, p).map((w) => w.form)).toEqual(['kept']);
  });

  it('keeps at most MAX_NEW_WORDS distinct forms, in order of first appearance', () => {
    const words: ParagraphWord[] = Array.from({ length: MAX_NEW_WORDS * 3 }, (_, i) => ({ word: `w${i % (MAX_NEW_WORDS + 5)}`, index: i, key: `w${i}`, ignored: false }));
    const out = probablyNewWords(words, () => 0);
    expect(out).toHaveLength(MAX_NEW_WORDS);
    expect(out[0]!.form).toBe('w0');
    expect(out.at(-1)!.form).toBe(`w${MAX_NEW_WORDS - 1}`);
    expect(new Set(out.map((w) => w.form)).size).toBe(MAX_NEW_WORDS);
  });

  it('uses the learner model of the difficulty judgement: a word marked known is no longer new', () => {
    const knows = markWord(b1, 'ephemeral', 'known', 1, ctx);
    expect(newWordsOf(HARD, knows, ctx).map((w) => w.form)).not.toContain('ephemeral');
    const ignores = markWord(b1, 'perspicacious', 'ignored', 1, ctx);
    expect(newWordsOf(HARD, ignores, ctx).map((w) => w.form)).not.toContain('perspicacious');
  });

  it('agrees with the difficulty estimate: the new words are those carrying most of its expected unknowns', () => {
    const words = paragraphWords(HARD, 'en', lexicon);
    const knowledge = learnerKnowledge(b1, lexicon);
    const newOnes = new Set(probablyNewWords(words, knowledge).map((w) => w.form));
    const unknownOfNew = words.filter((w) => !w.ignored && newOnes.has(w.word)).reduce((s, w) => s + 1 - knowledge(w)!, 0);
    const expected = estimateDifficulty(HARD, b1, ctx).lexical.expectedUnknown;
    expect(unknownOfNew).toBeGreaterThan(0.5 * expected);
    expect(unknownOfNew).toBeLessThanOrEqual(expected + 1e-9);
  });
});

describe('newWordCount and withoutWord', () => {
  const list = [
    { form: 'Ubiquitous', key: 'ubiquitous' },
    { form: 'ubiquitous', key: 'ubiquitous' },
    { form: 'ephemeral', key: 'ephemeral' },
  ];

  it('counts distinct words, not forms', () => {
    expect(newWordCount(list)).toBe(2);
    expect(newWordCount([])).toBe(0);
  });

  it('drops every form of the marked word, whatever its case', () => {
    expect(withoutWord(list, ' UBIQUITOUS ')).toEqual([{ form: 'ephemeral', key: 'ephemeral' }]);
    expect(withoutWord(list, 'cat')).toEqual(list);
  });
});

describe('newWordSpans', () => {
  it('finds whole words only, every occurrence, at their offsets in the text as given', () => {
    const text = '  Ubiquitous  ubiquitousness and\u00a0ubiquitous.';
    const spans = newWordSpans(text, new Set(['Ubiquitous', 'ubiquitous']), 'en');
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['Ubiquitous', 'ubiquitous']);
    expect(spans[0]!.start).toBe(2);
    expect(spans[1]!.start).toBe(text.lastIndexOf('ubiquitous'));
  });

  it('matches a compatibility form on the page to the normalised form the background judged', () => {
    const text = 'an e\uFB03cient plan';
    expect(newWordSpans(text, new Set(['efficient']), 'en')).toEqual([{ start: 3, end: 10 }]);
  });

  it('finds nothing for no forms', () => {
    expect(newWordSpans('any text', new Set(), 'en')).toEqual([]);
  });
});

describe('the highlight schema carries new words within limits', () => {
  const base = { id: 'p1', tier: 1, gainBits: 1, fit: 1, loadMinutes: 0.5, reason: 'why' };

  it('accepts a highlight without them (the underline turned off) and with a full list', () => {
    expect(v.is(HighlightOut, base)).toBe(true);
    const full = Array.from({ length: MAX_NEW_WORDS }, (_, i) => ({ form: `w${i}`, key: `w${i}` }));
    expect(v.is(HighlightOut, { ...base, newWords: full })).toBe(true);
  });

  it('refuses too many, overlong or empty forms, and unknown keys', () => {
    const tooMany = Array.from({ length: MAX_NEW_WORDS + 1 }, (_, i) => ({ form: `w${i}`, key: `w${i}` }));
    expect(v.is(HighlightOut, { ...base, newWords: tooMany })).toBe(false);
    const long = 'x'.repeat(MAX_NEW_WORD_CHARS + 1);
    expect(v.is(HighlightOut, { ...base, newWords: [{ form: long, key: 'x' }] })).toBe(false);
    expect(v.is(HighlightOut, { ...base, newWords: [{ form: '', key: 'x' }] })).toBe(false);
    expect(v.is(HighlightOut, { ...base, newWords: [{ form: 'a', key: 'a', offset: 3 }] })).toBe(false);
  });
});
