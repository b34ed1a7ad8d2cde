import { describe, expect, it } from 'vitest';
import { createLearner } from './learner';
import { newDailyLoad } from './load';
import { LONG_DWELL_SHARE, READ_SHARE, SKIP_MIN_VISIBLE_MS, SKIP_SHARE, applyDifficultyFeedback, applyDwell } from './reading';

const text = 'The river runs under the street and nobody has seen it for a hundred years now.';
const paragraph = { id: 'p1', text, loadMinutes: 0.2, difficultyFactor: 1.2, highlighted: true };
const fresh = () => ({ today: newDailyLoad('2026-11-28', 20), learner: createLearner({ targetLang: 'en', nativeLang: 'de', now: 0 }) });

describe('applyDwell', () => {
  it('counts every attended minute into today, but a glance is not a read', () => {
    const ms = paragraph.loadMinutes * 60_000 * (READ_SHARE / 2);
    const out = applyDwell(fresh(), paragraph, ms, 1);
    expect(out.read).toBe(false);
    expect(out.today.consumedMinutes).toBeCloseTo(ms / 60_000);
    expect(out.today.read).toEqual([]);
  });

  it('records a read and updates the learner when attended long enough', () => {
    const ms = paragraph.loadMinutes * 60_000;
    const state = fresh();
    const out = applyDwell(state, paragraph, ms, 1);
    expect(out.read).toBe(true);
    expect(out.today.read).toEqual(['p1']);
    expect(out.learner).not.toBe(state.learner);
  });

  it('turns long dwell into weak positive evidence and a passed-over highlight into weak negative', () => {
    expect(applyDwell(fresh(), paragraph, paragraph.loadMinutes * 60_000 * LONG_DWELL_SHARE * 1.1, 1).signal).toBe('long-dwell');
    const long = { ...paragraph, loadMinutes: 2 };
    expect(applyDwell(fresh(), long, long.loadMinutes * 60_000 * SKIP_SHARE * 0.5, 1).signal).toBe('skipped-highlight');
    // Flashed past for a moment is not "skipped".
    expect(applyDwell(fresh(), long, SKIP_MIN_VISIBLE_MS / 2, 1).signal).toBeNull();
    expect(applyDwell(fresh(), { ...paragraph, highlighted: false }, 500, 1).signal).toBeNull();
  });
});

describe('applyDifficultyFeedback', () => {
  it('moves the vocabulary estimate down for too hard and up for too easy', () => {
    const s = fresh();
    const hard = applyDifficultyFeedback(s, 'too-hard', 1);
    const easy = applyDifficultyFeedback(s, 'too-easy', 1);
    expect(hard.learner.vocabularySize).toBeLessThan(s.learner.vocabularySize);
    expect(easy.learner.vocabularySize).toBeGreaterThan(s.learner.vocabularySize);
    expect(hard.today.tooHard).toBe(1);
    expect(easy.today.tooHard).toBe(0);
  });
});
