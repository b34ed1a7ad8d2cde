import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../../tests/unit/wordnet-fixture';
import { DICTIONARY_ASSET, parseDictionary } from './index';
import { buildCompactWordNet } from './wordnet-format';

const text = buildCompactWordNet(FIXTURE).text;
const dictionary = parseDictionary(text);
const summary = (word: string) => dictionary.lookup(word).map((e) => `${e.lemma}/${e.pos}/${e.senses.length}`);

describe('dictionary round trip (WordNet lines -> asset -> lookup)', () => {
  it('returns senses in the index order, with gloss, examples, synonyms and rank', () => {
    const [noun, verb] = dictionary.lookup('bank');
    expect(noun!.pos).toBe('noun');
    expect(noun!.senses).toEqual([
      {
        id: 'bank.n.1',
        pos: 'noun',
        gloss: 'a financial institution that accepts deposits',
        examples: ['he cashed a check at the bank'],
        synonyms: ['depository financial institution', 'banking concern'],
        rank: 0,
        lemma: 'bank',
      },
      {
        id: 'bank.n.2',
        pos: 'noun',
        gloss: 'sloping land (especially the slope beside a body of water)',
        examples: ['they pulled the canoe up on the bank', 'he sat on the bank of the river'],
        synonyms: [],
        rank: 1,
        lemma: 'bank',
      },
    ]);
    expect(verb).toMatchObject({ lemma: 'bank', pos: 'verb', senses: [{ gloss: 'do business with a bank', examples: ['Where do you bank?'] }] });
  });

  it('resolves a synset shared by several lemmas from each of them', () => {
    const [entry] = dictionary.lookup('banking concern');
    expect(entry!.senses[0]!.gloss).toBe('a financial institution that accepts deposits');
    expect(entry!.senses[0]!.synonyms).toEqual(['bank', 'depository financial institution']);
    expect(dictionary.lookup('go')[0]!.senses[0]!.synonyms).toEqual(['run']);
  });

  it('lemmatises inflected words, irregular forms and phrases', () => {
    expect(summary('Banks')).toEqual(['bank/noun/2', 'bank/verb/1']);
    expect(summary('geese')).toEqual(['goose/noun/1']);
    expect(summary('ran')).toEqual(['run/verb/1']);
    expect(summary('better')).toEqual(['good/adjective/1', 'well/adverb/1']);
    expect(summary('running')).toEqual(['running/noun/1', 'run/verb/1', 'running/adjective/1']);
    expect(summary('churches')).toEqual(['church/noun/1']);
    expect(summary('studies')).toEqual(['study/verb/1']);
    expect(summary('looked up')).toEqual(['look up/verb/1']);
    expect(summary('bank’s')).toEqual(['bank/noun/2', 'bank/verb/1']);
  });

  it('spells a lemma as WordNet does and strips adjective markers', () => {
    expect(summary('the hague')).toEqual(['The Hague/noun/1']);
    expect(dictionary.lookup('operative')[0]!.senses[0]!.synonyms).toEqual(['running']);
    expect(dictionary.lookup('well')[0]!.senses[0]!.examples).toEqual(['the children behaved well']);
  });

  it('answers [] for unknown words and exposes the exact-lemma check', () => {
    expect(dictionary.lookup('zyzzyva')).toEqual([]);
    expect(dictionary.lookup('')).toEqual([]);
    expect(dictionary.has('look_up', 'verb')).toBe(true);
    expect(dictionary.has('look_up', 'noun')).toBe(false);
    expect(dictionary.language).toBe('en');
  });

  it('parses the bytes as fetched the same as the text', () => {
    const fromBytes = parseDictionary(new TextEncoder().encode(text).buffer as ArrayBuffer);
    expect(fromBytes.lookup('bank')).toEqual(dictionary.lookup('bank'));
    expect(DICTIONARY_ASSET).toBe('dictionary/wordnet-en.txt');
  });
});

describe('corrupt assets', () => {
  it('rejects another file, a truncated file and a file whose counts do not match', () => {
    expect(() => parseDictionary('{"lang":"en"}')).toThrow(/dictionary asset is corrupt.*WORDNET-COMPACT/);
    expect(() => parseDictionary(text.replace(/^WORDNET-COMPACT\t1/, 'WORDNET-COMPACT\t9'))).toThrow(/format version 9/);
    expect(() => parseDictionary(text.slice(0, Math.floor(text.length * 0.8)))).toThrow(/corrupt/);
    expect(() => parseDictionary(text.replace('\n@end\n', '\n'))).toThrow(/end marker/);
    const lines = text.split('\n');
    const firstSynset = lines.indexOf('@synsets') + 1;
    const dropped = [...lines.slice(0, firstSynset), ...lines.slice(firstSynset + 1)].join('\n');
    expect(() => parseDictionary(dropped)).toThrow(/corrupt/);
  });

  it('rejects a reference to a synset that does not exist when it is looked up', () => {
    const tampered = text.replace(/\nbanking_concern\tn,[0-9a-z]+\n/, '\nbanking_concern\tn,zzz\n');
    expect(tampered).not.toBe(text);
    expect(() => parseDictionary(tampered).lookup('banking concern')).toThrow(/corrupt.*banking_concern/);
  });
});
