import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../../tests/unit/wordnet-fixture';
import { buildCompactWordNet, licenseFromDataFile, splitGloss } from './wordnet-format';

describe('splitGloss', () => {
  it('separates the definition from its quoted examples', () => {
    expect(splitGloss('sloping land (near water); "they pulled the canoe up on the bank"; "he sat on the bank"  ')).toEqual({
      gloss: 'sloping land (near water)',
      examples: ['they pulled the canoe up on the bank', 'he sat on the bank'],
    });
  });

  it('drops attributions and keeps semicolons inside examples', () => {
    expect(splitGloss('a duty; "every right implies a responsibility; every possession, a duty"- John D. Rockefeller')).toEqual({
      gloss: 'a duty',
      examples: ['every right implies a responsibility; every possession, a duty'],
    });
  });

  it('accepts an example introduced by a colon, and a gloss with none', () => {
    expect(splitGloss('act of mobilising: "mobilization of the troops"').examples).toEqual(['mobilization of the troops']);
    expect(splitGloss('an elevated geological formation')).toEqual({ gloss: 'an elevated geological formation', examples: [] });
  });
});

describe('buildCompactWordNet', () => {
  it('keeps every lemma and synset, and counts senses', () => {
    const { stats } = buildCompactWordNet(FIXTURE);
    // 8 noun + 5 verb + 3 adjective + 1 adverb index lines; bank and running appear under two parts of speech.
    expect(stats.lemmas).toBe(15);
    expect(stats.synsets).toBe(7 + 4 + 2 + 1);
    expect(stats.senses).toBe(9 + 5 + 3 + 1);
    expect(stats.exceptions).toBe(4); // geese, ran, running, better (mice's base is not in the fixture)
  });

  it('is deterministic and carries the licence in its header', () => {
    const a = buildCompactWordNet(FIXTURE).text;
    expect(buildCompactWordNet(FIXTURE).text).toBe(a);
    expect(a.split('\n').slice(1, 3)).toEqual(['# Fixture licence.', '# WordNet-style notice that must travel with the data.']);
  });

  it('refuses an index that points at a synset missing from the data file', () => {
    const broken = { ...FIXTURE, index: { ...FIXTURE.index, adverb: 'well r 1 0 1 0 00000999\n' } };
    expect(() => buildCompactWordNet(broken)).toThrow(/00000999/);
  });
});

describe('licenseFromDataFile', () => {
  it('reads the numbered header lines of a data file', () => {
    expect(licenseFromDataFile(FIXTURE.data.noun)).toBe('This database is a test fixture.\nCopyright line of the fixture.');
  });
});
