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

  it('turns long dwell into weak positive evidence and a highlight scrolled past quickly into weak negative', () => {
    expect(applyDwell(fresh(), paragraph, paragraph.loadMinutes * 60_000 * LONG_DWELL_SHARE * 1.1, 1).signal).toBe('long-dwell');
    const long = { ...paragraph, loadMinutes: 2 };
    const quick = long.loadMinutes * 60_000 * SKIP_SHARE * 0.5;
    expect(applyDwell(fresh(), { ...long, passedMs: quick }, quick, 1).signal).toBe('skipped-highlight');
    // Flashed past for a moment is not "skipped".
    expect(applyDwell(fresh(), { ...long, passedMs: SKIP_MIN_VISIBLE_MS / 2 }, SKIP_MIN_VISIBLE_MS / 2, 1).signal).toBeNull();
    // On screen for most of its reading time before the scroll: read, or near enough.
    expect(applyDwell(fresh(), { ...long, passedMs: long.loadMinutes * 60_000 * 0.9 }, quick, 1).signal).toBeNull();
    expect(applyDwell(fresh(), { ...paragraph, highlighted: false, passedMs: 1_500 }, 500, 1).signal).toBeNull();
  });

  it('does not call a paragraph skipped for sharing the screen: little shared time without a pass is no evidence', () => {
    // Nine short paragraphs in view for 15 s get under 2 s each, far below their reading time.
    const short = { ...paragraph, loadMinutes: 0.15 };
    const shared = 15_000 / 9;
    expect(shared).toBeLessThan(short.loadMinutes * 60_000 * SKIP_SHARE);
    expect(applyDwell(fresh(), short, shared, 1).signal).toBeNull();
    // The same time, but scrolled away after it: a skip.
    expect(applyDwell(fresh(), { ...short, passedMs: shared }, shared, 1).signal).toBe('skipped-highlight');
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
