/**
 * `choose` with passages already shown (`keep`): a page judged again in turns (its first screen
 * first, the rest next) keeps what it painted while they are still candidates, and spends the
 * rest of what the day allows on the others.
 */
import { describe, expect, it } from 'vitest';
import { choose, type DayContext, type Judgement } from './scoring';

const REL = { pRelevant: 0.5, baseRate: 0.2 };
/** A judged passage worth `value` bits, `loadMinutes` to read, in the learner's zone. */
function j(id: string, value: number, loadMinutes: number, over: Partial<Judgement> = {}): Judgement {
  return { id, value, loadMinutes, gainBits: value, fit: 1, difficultyFactor: 1, coverage: 0.97, level: 'B1', lang: 'en', relevance: REL, ...over };
}
const BOUNDS = { lo: 0.1, mid: 1, hi: 4 };
function day(over: Partial<DayContext> = {}): DayContext {
  return { budgetMinutes: 10, committedMinutes: 0, bounds: BOUNDS, maxShare: 1, studies: (l) => l === 'en', ...over };
}

describe('choose, with passages shown already', () => {
  // Half the day spoken for: a long passage of 0.7 bits a minute clears the bar (about 0.38) on its own.
  const long = j('long', 1.05, 1.5);
  const shorts = Array.from({ length: 8 }, (_, i) => j(`short${i}`, 1, 0.2));

  it('keeps a shown passage that the rest of its page would have priced out', () => {
    const firstScreen = choose([long], day({ committedMinutes: 5 }));
    expect(firstScreen.chosen.map((c) => c.id)).toEqual(['long']);
    // Judged with the dense short passages of the rest of the page and nothing shown, the long
    // one would be left out: the shorts push the bar above it.
    const fresh = choose([long, ...shorts], day({ committedMinutes: 5 }));
    expect(fresh.chosen.map((c) => c.id)).not.toContain('long');
    // Shown already, it stays; the shorts take what the day allows after it.
    const again = choose([long, ...shorts], day({ committedMinutes: 5, keep: ['long'] }));
    const ids = again.chosen.map((c) => c.id);
    expect(ids).toContain('long');
    expect(ids.length).toBeGreaterThan(1);
    expect(again.selection.totalLoad).toBeLessThanOrEqual(5 + 1e-9);
    // The bar reported is the day's bar when the page came, the one the long passage cleared.
    expect(again.bar).toBe(firstScreen.bar);
  });

  it('counts a shown passage’s minutes before the others’: the day is not overspent', () => {
    const out = choose([j('a', 2, 3), j('b', 10, 3), j('c', 9, 3)], day({ committedMinutes: 4, keep: ['a'] }));
    expect(out.chosen.map((c) => c.id)).toContain('a');
    expect(4 + out.selection.totalLoad).toBeLessThanOrEqual(10 + 1e-9);
  });

  it('lets go of a shown passage that is no longer a candidate (language no longer studied)', () => {
    const out = choose([j('a', 2, 1), j('b', 2, 1)], day({ keep: ['a'], studies: () => false }));
    expect(out.chosen).toEqual([]);
  });

  it('chooses as before when nothing is shown', () => {
    const page = [j('a', 3, 2), j('b', 2, 2), j('c', 1.8, 2)];
    const out = choose(page, day({ budgetMinutes: 4 }));
    expect(out.chosen.map((c) => c.id).sort()).toEqual(['a', 'b']);
  });
});
