import { describe, expect, it } from 'vitest';
import { createLearner } from './learner';
import { choose, judgeParagraph, reasonLine, tierOf, type DayContext, type Judgement } from './scoring';

const learner = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1', now: 0 });
const easy = { id: 'a', text: 'The cat sat on the mat. It was a warm day and the sun was out.' };

const REL = { pRelevant: 0.5, baseRate: 0.2 };

/** A judged passage: `value` bits of gain (relevance mode), in the zone unless `fit` says not. */
function j(id: string, value: number, loadMinutes: number, over: Partial<Judgement> = {}): Judgement {
  return { id, value, loadMinutes, gainBits: value, fit: 1, difficultyFactor: 1, coverage: 0.97, level: 'B1', lang: 'en', relevance: REL, ...over };
}

const BOUNDS = { lo: 0.1, mid: 1, hi: 4 };
function day(over: Partial<DayContext> = {}): DayContext {
  return { budgetMinutes: 20, committedMinutes: 0, bounds: BOUNDS, maxShare: 1, studies: (l) => l.startsWith('en') || l === 'und', ...over };
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
  it('never highlights a passage outside the readable zone, however relevant, and says so in one line with the way out', () => {
    const page = [j('in', 1, 0.5), j('hard1', 5, 0.5, { fit: 1e-245 }), j('hard2', 4, 0.5, { fit: 0.1 })];
    const out = choose(page, day());
    expect(out.chosen.map((c) => c.id)).toEqual(['in']);
    expect(out.leftOut.filter((l) => l.reason === 'above-level').map((l) => l.id).sort()).toEqual(['hard1', 'hard2']);
    expect(out.notice).toEqual({ code: 'above-level', text: '2 passages on your interests are above your level.', action: { kind: 'show-harder' } });
  });

  it('lets harder passages compete when the learner asks for them on this page, and then offers nothing more', () => {
    const page = [j('in', 1, 0.5), j('hard', 5, 0.5, { fit: 0.05 })];
    const out = choose(page, day({ harder: true }));
    expect(out.chosen.map((c) => c.id).sort()).toEqual(['hard', 'in']);
    expect(out.notice).toBeNull();
  });

  it('counts a passage as near the interests only from half a bit of gain (1.4 times as likely relevant)', () => {
    const out = choose([j('coin', 0.45, 0.5), j('near', 0.5, 0.5)], day());
    expect(out.chosen.map((c) => c.id)).toEqual(['near']);
    expect(out.leftOut).toEqual([expect.objectContaining({ id: 'coin', reason: 'off-topic' })]);
  });

  it('does not count off-topic passages above the level as "on your interests"', () => {
    const out = choose([j('off', -1, 0.5, { fit: 0.01 }), j('in', 1, 0.5)], day());
    expect(out.notice).toBeNull();
    expect(out.leftOut).toEqual([expect.objectContaining({ id: 'off', reason: 'off-topic' })]);
  });

  it('highlights nothing in a language the learner does not study and offers to add it', () => {
    const page = [1, 2, 3].map((i) => j(`fr${i}`, 2, 0.5, { lang: 'fr' }));
    const out = choose(page, day());
    expect(out.chosen).toEqual([]);
    expect(out.notice?.code).toBe('other-language');
    expect(out.notice?.text).toMatch(/French/);
    expect(out.notice?.action).toEqual({ kind: 'add-language', lang: 'fr' });
    const studied = choose(page, day({ studies: () => true }));
    expect(studied.chosen).toHaveLength(3);
  });

  it('caps the share of a page highlighted, keeping the most valuable', () => {
    const page = Array.from({ length: 10 }, (_, i) => j(`p${i}`, 1 + i, 0.2));
    const out = choose(page, day({ maxShare: 0.3 }));
    expect(out.chosen.map((c) => c.id).sort()).toEqual(['p7', 'p8', 'p9']);
    expect(out.leftOut.filter((l) => l.reason === 'density')).toHaveLength(7);
    // A density cap is the learner's own setting, not news for the page line.
    expect(out.notice).toBeNull();
  });

  it('keeps passages already shown inside the cap, so highlights do not flicker', () => {
    const page = Array.from({ length: 10 }, (_, i) => j(`p${i}`, 1 + i, 0.2));
    const out = choose(page, day({ maxShare: 0.2, keep: ['p0'] }));
    expect(out.chosen.map((c) => c.id).sort()).toEqual(['p0', 'p9']);
  });

  it('keeps the budget for better passages late in the day, and says it is the budget that held them back', () => {
    const page = [j('a', 1.5, 1), j('b', 0.6, 1)];
    // 18 of 20 minutes spoken for: the bar is near U = 4 bits a minute.
    const out = choose(page, day({ committedMinutes: 18 }));
    expect(out.bar).toBeGreaterThan(2);
    expect(out.chosen).toEqual([]);
    expect(out.notice?.code).toBe('budget');
    expect(out.notice?.text).toMatch(/kept for better passages: 2 passages/);
    expect(out.leftOut.map((l) => l.reason)).toEqual(['below-bar', 'below-bar']);
  });

  it('says the budget is spent when nothing is left', () => {
    const out = choose([j('a', 3, 2)], day({ committedMinutes: 20 }));
    expect(out.chosen).toEqual([]);
    expect(out.notice?.text).toMatch(/spent/);
  });

  it('keeps quiet about the budget on the first page of the day when unreadable passages are what was left out', () => {
    // Passages above the level are costed at many minutes: they must not make a budget line.
    const page = [j('a', 1, 0.5), j('b', 1, 0.5), ...[1, 2, 3, 4].map((i) => j(`hard${i}`, 2, 6, { fit: 0.01 }))];
    const out = choose(page, day({ studies: () => true }));
    expect(out.chosen).toHaveLength(2);
    expect(out.notice?.code).toBe('above-level');
    expect(out.notice?.text).not.toMatch(/budget/);
  });

  it('says nothing is near the interests when that is why nothing was chosen', () => {
    const out = choose([j('a', -0.5, 1), j('b', 0, 1)], day());
    expect(out.notice).toEqual({ code: 'nothing-relevant', text: 'Nothing on this page is near your interests.', action: null });
  });

  it('keeps total load within what the day allows and takes the exact best set within it', () => {
    const page = [j('a', 3, 2), j('b', 2, 2), j('c', 1.8, 2)];
    const out = choose(page, day({ budgetMinutes: 4 }));
    expect(out.selection.totalLoad).toBeLessThanOrEqual(4);
    expect(out.chosen.every((c) => c.value / c.loadMinutes >= out.bar)).toBe(true);
  });

  it('gives tiers by value per minute against the learner\'s recent days, not rank on the page', () => {
    const out = choose([j('a', 5, 1), j('b', 2, 1), j('c', 0.6, 1)], day());
    expect(Object.fromEntries(out.chosen.map((c) => [c.id, c.tier]))).toEqual({ a: 1, b: 2, c: 3 });
    // A page of mediocre passages only: all in the faint tier.
    const weak = choose([j('x', 0.6, 1), j('y', 0.7, 1)], day());
    expect(weak.chosen.map((c) => c.tier)).toEqual([3, 3]);
    expect(tierOf(4, BOUNDS)).toBe(1);
  });

  it('gives every passage left out exactly one reason', () => {
    const page = [j('a', 1, 0.5), j('off', -1, 0.5), j('hard', 1, 0.5, { fit: 0.01 }), j('fr', 1, 0.5, { lang: 'fr' })];
    const out = choose(page, day());
    const ids = [...out.chosen.map((c) => c.id), ...out.leftOut.map((l) => l.id)].sort();
    expect(ids).toEqual(['a', 'fr', 'hard', 'off']);
    expect(out.leftOut.every((l) => l.line.length > 0)).toBe(true);
  });
});

describe('reasonLine', () => {
  it('names gain, the nearest interest, level and time', () => {
    const line = reasonLine({ ...j('a', 1, 1.5), gainBits: 1, relevance: { pRelevant: 0.4, baseRate: 0.2, nearest: 'rivers' } }, 0.25);
    expect(line).toMatch(/2\.0× more likely relevant/);
    expect(line).toMatch(/rivers/);
    expect(line).toMatch(/1\.5 min/);
    expect(line).toMatch(/0\.67 bits a minute, above today’s bar of 0\.25/);
  });
});
