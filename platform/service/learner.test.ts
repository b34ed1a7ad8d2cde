import { describe, expect, it } from 'vitest';
import { applyParagraphRead, createLearner, DEFAULT_WPM_BY_LEVEL, KNOWN_AFTER_EXPOSURES, markWord, type Learner, type WordRecord } from '../../lib/learner';
import { openReaderDB } from '../db';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { handleLearnerGet, handleSetVocabulary, knownThisWeek, WEEK_MS } from './learner';
import { createEncoderTier } from './relevance';
import { KEYS, type Clock } from './state';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 24 * 3600_000;
let dbCount = 0;

function setup() {
  let now = NOW;
  const name = `learner-${dbCount++}`;
  const clock: Clock = { now: () => now, tzOffsetMinutes: () => 0 };
  const deps: ServiceDeps = { db: () => openReaderDB({ name }), clock, encoder: createEncoderTier(null), lexicon: async () => undefined };
  return { deps, handlers: createHandlers(deps), advance: (ms: number) => (now += ms) };
}

function word(state: WordRecord['state'], updatedAt: number, extra: Partial<WordRecord> = {}): WordRecord {
  return { state, explicit: false, cleanExposures: KNOWN_AFTER_EXPOSURES, lookups: 0, form: 'x', updatedAt, ...extra };
}

function learnerWith(words: Record<string, WordRecord>): Learner {
  return { ...createLearner({ targetLang: 'en', nativeLang: 'de', now: 0 }), words };
}

describe('known this week', () => {
  it('counts words the implicit rule made known within the last 7 days', () => {
    const l = learnerWith({ fresh: word('known', NOW - 2 * DAY), edge: word('known', NOW - WEEK_MS + 1), old: word('known', NOW - 8 * DAY) });
    expect(knownThisWeek(l, NOW)).toBe(2);
  });

  it('leaves out words known before and only read again this week, and words not known', () => {
    const l = learnerWith({
      readAgain: word('known', NOW - DAY, { cleanExposures: KNOWN_AFTER_EXPOSURES + 3 }),
      learning: word('learning', NOW - DAY, { cleanExposures: 2 }),
      ignored: word('ignored', NOW - DAY),
    });
    expect(knownThisWeek(l, NOW)).toBe(0);
  });

  it('counts an explicit "I know this word" mark made this week', () => {
    let l = createLearner({ targetLang: 'en', nativeLang: 'de', now: 0 });
    l = markWord(l, 'harbour', 'known', NOW - 3 * DAY);
    l = markWord(l, 'anchor', 'learning', NOW - 3 * DAY);
    expect(knownThisWeek(l, NOW)).toBe(1);
    expect(knownThisWeek(l, NOW + 5 * DAY)).toBe(0);
  });

  it('counts by when a word became known, however often it was read or marked since', () => {
    let l = createLearner({ targetLang: 'en', nativeLang: 'de', now: 0 });
    l = markWord(l, 'harbour', 'known', NOW - 10 * DAY);
    // Marked again (known stays known): the older time stands, so it is not this week's.
    l = markWord(l, 'harbour', 'known', NOW - DAY);
    l = markWord(l, 'estuary', 'known', NOW - 2 * DAY);
    expect(l.words['harbour']!.knownAt).toBe(NOW - 10 * DAY);
    expect(knownThisWeek(l, NOW)).toBe(1);
    // Known, then learning, then known again: the last time it became known counts.
    l = markWord(l, 'harbour', 'learning', NOW - DAY);
    expect(l.words['harbour']!.knownAt).toBeUndefined();
    l = markWord(l, 'harbour', 'known', NOW - DAY / 2);
    expect(knownThisWeek(l, NOW)).toBe(2);
  });

  it('does not date a word known before knownAt was kept to the next time it is read', () => {
    let l = learnerWith({ harbour: word('known', NOW - 30 * DAY, { cleanExposures: KNOWN_AFTER_EXPOSURES + 4 }) });
    l = applyParagraphRead(l, { text: 'The harbour was busy again this morning with fishing boats.', dwellMs: 4000, now: NOW - DAY });
    expect(l.words['harbour']).toMatchObject({ state: 'known', updatedAt: NOW - DAY });
    expect(l.words['harbour']!.knownAt).toBeUndefined();
    expect(knownThisWeek(l, NOW)).toBe(0);
  });

  it('keeps a word made known by reading in the count after later readings', () => {
    // Promoted four days ago and read three times since: the old estimate lost such words.
    const l = learnerWith({ promoted: word('known', NOW - DAY, { cleanExposures: KNOWN_AFTER_EXPOSURES + 3, knownAt: NOW - 4 * DAY }) });
    expect(knownThisWeek(l, NOW)).toBe(1);
    expect(knownThisWeek(l, NOW + 4 * DAY)).toBe(0);
  });
});

describe('learner.get and learner.setVocabulary', () => {
  it('describes a new learner by the defaults of the target language', async () => {
    const { deps } = setup();
    const summary = await handleLearnerGet(deps);
    expect(summary).toMatchObject({ targetLang: 'en', level: 'B1', vocabularySize: 5000, knownWords: 0, learningWords: 0, knownThisWeek: 0 });
    expect(summary.wordsPerMinute).toBe(DEFAULT_WPM_BY_LEVEL.B1);
  });

  it('stores a placement result, and the default speed follows the new level until reading measured one', async () => {
    const { deps } = setup();
    const set = await handleSetVocabulary(deps, { vocabularySize: 12_500 });
    expect(set).toMatchObject({ vocabularySize: 12_500, level: 'C1', wordsPerMinute: DEFAULT_WPM_BY_LEVEL.C1 });
    expect(await handleLearnerGet(deps)).toEqual(set);
  });

  it('keeps a measured reading speed when the level changes', async () => {
    const { deps } = setup();
    const db = await deps.db();
    await db.put('kv', { key: KEYS.learner, value: { ...createLearner({ targetLang: 'en', nativeLang: '', now: NOW }), wordsPerMinute: 133, speedObservations: 4 } });
    const set = await handleSetVocabulary(deps, { vocabularySize: 3000 });
    expect(set.level).toBe('A2');
    expect(set.wordsPerMinute).toBe(133);
  });

  it('counts known and learning words and those known this week from the stored learner', async () => {
    const { deps, advance } = setup();
    let l = createLearner({ targetLang: 'en', nativeLang: '', now: NOW });
    l = markWord(l, 'tide', 'known', NOW);
    l = markWord(l, 'estuary', 'learning', NOW);
    l = markWord(l, 'delta', 'learning', NOW);
    const db = await deps.db();
    await db.put('kv', { key: KEYS.learner, value: l });
    expect(await handleLearnerGet(deps)).toMatchObject({ knownWords: 1, learningWords: 2, knownThisWeek: 1 });
    advance(8 * DAY);
    expect(await handleLearnerGet(deps)).toMatchObject({ knownWords: 1, knownThisWeek: 0 });
  });

  it('sets the level of the language being learned after the target language changed', async () => {
    const { deps, handlers } = setup();
    await handleSetVocabulary(deps, { vocabularySize: 16_000 });
    await handlers['settings.update']({ patch: { targetLang: 'de' } }, { id: 'ext' });
    const german = await handleSetVocabulary(deps, { vocabularySize: 1500 });
    expect(german).toMatchObject({ targetLang: 'de', level: 'A1' });
  });
});
