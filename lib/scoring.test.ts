import { describe, expect, it } from 'vitest';
import { createLearner } from './learner';
import { choose, judgeParagraph, reasonLine, type Judgement } from './scoring';

const learner = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1', now: 0 });
const easy = { id: 'a', text: 'The cat sat on the mat. It was a warm day and the sun was out.' };

function j(id: string, value: number, loadMinutes: number): Judgement {
  return { id, value, loadMinutes, gainBits: value, fit: 1, difficultyFactor: 1, coverage: 0.97, level: 'B1', relevance: null };
}

describe('judgeParagraph', () => {
  it('has zero gain and values fit alone while nothing is known about interests', () => {
    const out = judgeParagraph(easy, learner, null);
    expect(out.gainBits).toBe(0);
    expect(out.value).toBeCloseTo(out.fit);
    expect(out.loadMinutes).toBeGreaterThan(0);
  });

  it('gives positive gain above the base rate, negative below, and never a positive value below it', () => {
    const up = judgeParagraph(easy, learner, { pRelevant: 0.6, baseRate: 0.2 });
    const down = judgeParagraph(easy, learner, { pRelevant: 0.05, baseRate: 0.2 });
    expect(up.gainBits).toBeCloseTo(Math.log2(3), 5);
    expect(up.value).toBeCloseTo(up.gainBits * up.fit, 6);
    expect(down.gainBits).toBeLessThan(0);
    expect(down.value).toBe(0);
  });
});

describe('choose', () => {
  it('keeps total load within the budget and says when the budget held passages back', () => {
    const out = choose([j('a', 3, 2), j('b', 2, 2), j('c', 1, 2)], 4);
    expect(out.selection.totalLoad).toBeLessThanOrEqual(4);
    expect(out.chosen.map((c) => c.id).sort()).toEqual(['a', 'b']);
    expect(out.notice).toMatch(/allows 2 of 3/);
  });

  it('says the budget is spent when nothing is left', () => {
    const out = choose([j('a', 3, 2)], 0);
    expect(out.chosen).toEqual([]);
    expect(out.notice).toMatch(/spent/);
  });

  it('gives no notice when everything worthwhile fits', () => {
    expect(choose([j('a', 3, 1), j('b', 0, 1)], 10).notice).toBeNull();
  });

  it('assigns the strongest tier to the most valuable third', () => {
    const out = choose([j('a', 9, 1), j('b', 5, 1), j('c', 1, 1)], 10);
    expect(Object.fromEntries(out.chosen.map((c) => [c.id, c.tier]))).toEqual({ a: 1, b: 2, c: 3 });
  });
});

describe('reasonLine', () => {
  it('names gain, the nearest interest, level and time', () => {
    const line = reasonLine({ ...j('a', 1, 1.5), gainBits: 1, relevance: { pRelevant: 0.4, baseRate: 0.2, nearest: 'rivers' } });
    expect(line).toMatch(/2\.0× more likely relevant/);
    expect(line).toMatch(/rivers/);
    expect(line).toMatch(/1\.5 min/);
  });
});
