import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../lib/dictionary';
import { buildCompactWordNet } from '../../lib/dictionary/wordnet-format';
import { collectItems, lemmaFolds, senseTextsFor, taggedFrequencyWeights, taggedSenseCounts, type SenseItem } from '../../bench/lib/senses-items';
import { FIXTURE } from './wordnet-fixture';

const dictionary = parseDictionary(buildCompactWordNet(FIXTURE).text);

describe('sense benchmark items', () => {
  it('takes the examples of polysemous lemmas that contain the lemma, labelled with their sense', () => {
    const items = collectItems(dictionary);
    // Only "bank" (noun) has two senses in the fixture; its three examples all say "bank".
    expect(items.map((i) => [i.lemma, i.pos, i.gold, i.sentence])).toEqual([
      ['bank', 'noun', 0, 'he cashed a check at the bank'],
      ['bank', 'noun', 1, 'they pulled the canoe up on the bank'],
      ['bank', 'noun', 1, 'he sat on the bank of the river'],
    ]);
  });

  it('leaves the test sentence out of every sense text', () => {
    const [item] = collectItems(dictionary);
    const texts = senseTextsFor(item!);
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.includes(item!.sentence))).toBe(false);
    expect(texts[1]).toContain('they pulled the canoe up on the bank');
  });

  it('keeps all items of a lemma in one fold', () => {
    const items = ['a', 'a', 'b', 'c', 'c', 'c', 'd'].map((lemma) => ({ lemma }) as SenseItem);
    const folds = lemmaFolds(items, 3, 1);
    expect(folds[0]).toBe(folds[1]);
    expect(new Set([folds[3], folds[4], folds[5]]).size).toBe(1);
    expect(folds.every((f) => f >= 0 && f < 3)).toBe(true);
  });
});

describe('tagged-frequency weights', () => {
  it('reads tag counts by lemma, part of speech and rank', () => {
    const counts = taggedSenseCounts('bank%1:14:00:: 00000200 1 30\nbank%1:17:01:: 00000100 2 10\nfast%5:00:00:quick:00 01 3 4\n');
    expect([...counts]).toEqual([
      ['bank\tnoun\t0', 30],
      ['bank\tnoun\t1', 10],
      ['fast\tadjective\t2', 4],
    ]);
  });

  it('gives each sense its tagged share of the lemma, split among its items', () => {
    const items = collectItems(dictionary);
    const counts = new Map([
      ['bank\tnoun\t0', 30],
      ['bank\tnoun\t1', 10],
    ]);
    // Sense 0 (one item) gets 3/4 of bank's weight of 3, sense 1 (two items) 1/4 split in two.
    expect(taggedFrequencyWeights(items, counts)).toEqual([2.25, 0.375, 0.375]);
    expect(taggedFrequencyWeights(items, new Map())).toEqual([0, 0, 0]);
  });
});
