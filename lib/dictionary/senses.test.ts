import { describe, expect, it } from 'vitest';
import { frequencyPrior, PRIOR_WEIGHT, rankSenses, senseText } from './senses';
import type { Sense } from './types';

const sense = (rank: number, gloss: string, pos: Sense['pos'] = 'noun'): Sense => ({
  id: `bank.${pos[0]}.${rank + 1}`,
  pos,
  gloss,
  examples: [],
  synonyms: [],
  rank,
  lemma: 'bank',
});
const v = (...xs: number[]) => Float32Array.from(xs);

// The sentence points mostly along the third axis: closest to the least frequent sense.
const sentence = v(0.3, 0.1, 0.95);
const candidates = [
  { sense: sense(0, 'financial institution'), vector: v(1, 0, 0) },
  { sense: sense(1, 'sloping land'), vector: v(0, 1, 0) },
  { sense: sense(2, 'a flight maneuver'), vector: v(0, 0, 1) },
];
const order = (ranked: ReturnType<typeof rankSenses>) => ranked.map((r) => r.sense.rank);

describe('rankSenses', () => {
  it('follows similarity alone when the prior weighs nothing', () => {
    expect(order(rankSenses(sentence, candidates, { priorWeight: 0 }))).toEqual([2, 0, 1]);
  });

  it('follows sense frequency when the prior dominates', () => {
    expect(order(rankSenses(sentence, candidates, { priorWeight: 10 }))).toEqual([0, 1, 2]);
  });

  it('trades the two off: a clear similarity lead beats a small rank gap', () => {
    // cos to sense 2 is 0.95 against 0.30 for sense 0; the prior costs it PRIOR_WEIGHT * ln 3 (0.16).
    const ranked = rankSenses(sentence, candidates);
    expect(order(ranked)[0]).toBe(2);
    const expected = 0.95 / Math.hypot(0.3, 0.1, 0.95) + PRIOR_WEIGHT * frequencyPrior(2);
    expect(ranked[0]!.score).toBeCloseTo(expected, 6);
  });

  it('lets the prior decide between senses the sentence fits almost equally', () => {
    // cos 0.73 to the least frequent sense against 0.68 to the most frequent: a 0.05 lead is
    // less than what the prior takes from rank 2 (PRIOR_WEIGHT * ln 3).
    const close = v(0.68, 0, 0.73);
    expect(PRIOR_WEIGHT * Math.log(3)).toBeGreaterThan(0.05);
    expect(order(rankSenses(close, candidates))[0]).toBe(0);
    expect(order(rankSenses(close, candidates, { priorWeight: 0 }))[0]).toBe(2);
  });

  it('gives probabilities that sum to one and fall with the score', () => {
    const ranked = rankSenses(sentence, candidates, { priorWeight: 0.05, temperature: 0.1 });
    expect(ranked.reduce((a, r) => a + r.probability, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.probability).toBeLessThan(ranked[i - 1]!.probability);
    const colder = rankSenses(sentence, candidates, { priorWeight: 0.05, temperature: 0.01 });
    expect(colder[0]!.probability).toBeGreaterThan(ranked[0]!.probability);
  });

  it('keeps to the part of speech the caller knows, or to all senses if none has it', () => {
    const mixed = [...candidates, { sense: sense(0, 'rely on', 'verb'), vector: v(0.3, 0.1, 0.95) }];
    expect(rankSenses(sentence, mixed)[0]!.sense.pos).toBe('verb');
    expect(rankSenses(sentence, mixed, { pos: 'noun' }).map((r) => r.sense.pos)).toEqual(['noun', 'noun', 'noun']);
    expect(rankSenses(sentence, candidates, { pos: 'adverb' })).toHaveLength(3);
  });
});

describe('senseText', () => {
  it('names the word and its synonyms, then gives the gloss and examples as sentences', () => {
    const s: Sense = { ...sense(1, 'a financial institution'), synonyms: ['banking concern'], examples: ['he cashed a check at the bank', 'Where is it?'] };
    expect(senseText(s)).toBe('bank (banking concern): a financial institution. he cashed a check at the bank. Where is it?');
    expect(senseText(sense(0, 'sloping land'))).toBe('bank: sloping land.');
  });
});
