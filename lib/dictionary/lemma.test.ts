import { describe, expect, it } from 'vitest';
import { baseForms, lemmatise, spellingVariants, type ExceptionMap, type LemmaExists } from './lemma';
import type { PartOfSpeech } from './types';

// A few lemmas and WordNet exception-list entries, written out by hand.
const LEMMAS: Record<PartOfSpeech, string[]> = {
  noun: ['goose', 'church', 'study', 'bank', 'running', 'box', 'man', 'ice_cream', 'mother-in-law', 'ax', 'axis', 'class', 'u.s.'],
  verb: ['run', 'study', 'bank', 'look_up', 'make', 'box', 'hope', 'hop'],
  adjective: ['good', 'running', 'late', 'big'],
  adverb: ['well', 'late'],
};
const exists: LemmaExists = (lemma, pos) => LEMMAS[pos].includes(lemma);
const exceptions: ExceptionMap = {
  noun: new Map([['geese', ['goose']], ['axes', ['ax', 'axis']]]),
  verb: new Map([['ran', ['run']], ['running', ['run']], ['made', ['make']]]),
  adjective: new Map([['better', ['good']], ['bigger', ['big']]]),
  adverb: new Map([['better', ['well']]]),
};
const lemmas = (word: string) => lemmatise(word, exceptions, exists).map((c) => `${c.lemma}/${c.pos}`);

describe('lemmatise (WordNet morphy)', () => {
  it('uses the exception lists for irregular forms', () => {
    expect(lemmas('geese')).toEqual(['goose/noun']);
    expect(lemmas('ran')).toEqual(['run/verb']);
    expect(lemmas('better')).toEqual(['good/adjective', 'well/adverb']);
    expect(lemmas('made')).toEqual(['make/verb']);
    expect(lemmas('axes')).toEqual(['ax/noun', 'axis/noun']);
  });

  it('applies the detachment rules of each part of speech', () => {
    expect(lemmas('churches')).toEqual(['church/noun']);
    expect(lemmas('studies')).toEqual(['study/noun', 'study/verb']);
    expect(lemmas('boxes')).toEqual(['box/noun', 'box/verb']);
    expect(lemmas('classes')).toEqual(['class/noun']);
    expect(lemmas('men')).toEqual(['man/noun']);
    // Morphy does not guess which: "hoped" may be hope+d or hop+ed (hopped is in the exceptions).
    expect(lemmas('hoped')).toEqual(['hope/verb', 'hop/verb']);
    expect(lemmas('hoping')).toEqual(['hope/verb', 'hop/verb']);
    expect(lemmas('hops')).toEqual(['hop/verb']);
    expect(lemmas('later')).toEqual(['late/adjective']);
  });

  it('keeps the word itself when it is a lemma, before its derived forms', () => {
    expect(lemmas('running')).toEqual(['running/noun', 'run/verb', 'running/adjective']);
    expect(lemmas('late')).toEqual(['late/adjective', 'late/adverb']);
  });

  it('normalises case, curly apostrophes, possessives, phrases and edge punctuation', () => {
    expect(lemmas("bank's")).toEqual(['bank/noun', 'bank/verb']);
    expect(lemmas('Bank’s')).toEqual(['bank/noun', 'bank/verb']);
    expect(lemmas('banks’')).toEqual(['bank/noun', 'bank/verb']);
    expect(lemmas('Ice Cream')).toEqual(['ice_cream/noun']);
    expect(lemmas('ice-cream')).toEqual(['ice_cream/noun']);
    expect(lemmas('mother in law')).toEqual(['mother-in-law/noun']);
    expect(lemmas('looked up')).toEqual(['look_up/verb']);
    expect(lemmas('"Churches,"')).toEqual(['church/noun']);
    expect(lemmas('U.S.')).toEqual(['u.s./noun']);
  });

  it('returns nothing for words the dictionary lacks, and can keep to one part of speech', () => {
    expect(lemmas('xyzzy')).toEqual([]);
    expect(lemmas('')).toEqual([]);
    expect(lemmatise('studies', exceptions, exists, 'verb')).toEqual([{ lemma: 'study', pos: 'verb' }]);
  });
});

describe('baseForms and spellingVariants', () => {
  it('never proposes a candidate the dictionary does not hold', () => {
    expect(baseForms('studies', 'noun', exceptions, exists)).toEqual(['study']);
    expect(baseForms('churches', 'verb', exceptions, exists)).toEqual([]);
  });

  it('lists the literal spelling first', () => {
    expect(spellingVariants('Ice-Cream')).toEqual(['ice-cream', 'ice_cream']);
    expect(spellingVariants('bank’s')[0]).toBe("bank's");
  });
});
