import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  difficultyOfPrepared,
  difficultyScore,
  estimateDifficulty,
  learnerKnowledge,
  newWordsOf,
  newWordsOfPrepared,
  preparedFor,
  prepareText,
  fit,
  knowledgeFromRecord,
  lexicalProfile,
  READABLE_ZONE,
  referenceDifficulty,
  syntaxProfile,
  textLevel,
} from './difficulty';
import { applyParagraphRead, createLearner, learnerLexicon, markWord, paragraphWords, type WordRecord } from './learner';
import { cefrLevel } from './level';
import { createLexicon, type FrequencyList, VOCABULARY_BY_LEVEL } from './vocabulary';

/**
 * A synthetic ranked list: a few real English words at chosen ranks, the rest filler, so that
 * each test word's rank (and so its chance of being known) is under control.
 */
function listWith(placed: Record<string, number>): FrequencyList {
  const words: string[] = [];
  const byRank = new Map(Object.entries(placed).map(([w, r]) => [r, w]));
  for (let r = 1; r <= 40000; r++) words.push(byRank.get(r) ?? `zz${r.toString(36)}`);
  return { lang: 'en', words };
}
const lexicon = createLexicon(
  listWith({
    the: 1, a: 2, and: 3, cat: 50, dog: 60, sat: 70, on: 5, mat: 900, ran: 80, to: 4, park: 300,
    in: 6, it: 7, was: 8, big: 100, very: 20, he: 9, she: 10, said: 30, is: 11, with: 12,
    ubiquitous: 25000, perspicacious: 38000, ephemeral: 22000, notwithstanding: 15000,
  }),
);
const ctx = { lexicon };
const EASY = 'The cat sat on the mat. The dog ran to the park. It was very big.';
const HARD = 'Notwithstanding the ubiquitous dog, the perspicacious cat sat on an ephemeral mat.';

describe('fit', () => {
  it('is 1 in the readable zone (95-98% coverage)', () => {
    expect(fit(0.95)).toBe(1);
    expect(fit(0.965)).toBe(1);
    expect(fit(0.98)).toBe(1);
  });

  it('falls steeply below the zone and gently above it', () => {
    expect(fit(0.9)).toBeLessThan(0.3);
    expect(fit(0.85)).toBeLessThan(0.01);
    expect(fit(0.99)).toBeGreaterThan(0.8);
    expect(fit(1)).toBeCloseTo(0.5, 10);
  });

  it('rises up to the zone, falls after it, and stays in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(fit(a)).toBeGreaterThanOrEqual(0);
        expect(fit(a)).toBeLessThanOrEqual(1);
        if (b <= READABLE_ZONE[0]) expect(fit(a)).toBeLessThanOrEqual(fit(b));
        if (a >= READABLE_ZONE[1]) expect(fit(a)).toBeGreaterThanOrEqual(fit(b));
      }),
    );
    expect(fit(Number.NaN)).toBe(0);
  });
});

describe('lexicalProfile', () => {
  it('sums unknown probability over counted words, distinct words once', () => {
    const words = paragraphWords('Cat dog cat Maria bird in 2020.', 'en');
    const p: Record<string, number> = { cat: 0.5, dog: 1, bird: 0, in: 1 };
    const prof = lexicalProfile(words, (w) => p[w.key]);
    // Counted: cat, dog, cat, bird, in (Maria and 2020 are ignored).
    expect(prof.countedWords).toBe(5);
    expect(prof.expectedUnknown).toBeCloseTo(0.5 + 0.5 + 1, 10);
    expect(prof.unknownShare).toBeCloseTo(2 / 5, 10);
    expect(prof.coverage).toBeCloseTo(3 / 5, 10);
    expect(prof.distinctUnknown).toBeCloseTo(1.5, 10);
    expect(prof.lexicalLoad).toBeCloseTo(1.5 / Math.sqrt(5), 10);
  });

  it('leaves out words the knowledge function says do not count', () => {
    const prof = lexicalProfile(paragraphWords('cat dog', 'en'), (w) => (w.key === 'dog' ? undefined : 0));
    expect(prof.countedWords).toBe(1);
    expect(prof.coverage).toBe(0);
    expect(lexicalProfile([], () => 1)).toMatchObject({ countedWords: 0, coverage: 1, lexicalLoad: 0 });
  });
});

describe('knowledgeFromRecord', () => {
  const rec = (state: WordRecord['state'], explicit: boolean): WordRecord => ({ state, explicit, cleanExposures: 0, lookups: 0, form: 'x', updatedAt: 0 });
  it('trusts known, learning and explicit unknown; defers to frequency otherwise', () => {
    expect(knowledgeFromRecord(rec('known', false))).toBe(1);
    expect(knowledgeFromRecord(rec('learning', true))).toBe(0.5);
    expect(knowledgeFromRecord(rec('unknown', true))).toBe(0);
    expect(knowledgeFromRecord(rec('unknown', false))).toBeUndefined();
    expect(knowledgeFromRecord(rec('ignored', true))).toBeUndefined();
    expect(knowledgeFromRecord(undefined)).toBeUndefined();
  });
});

describe('syntaxProfile', () => {
  it('measures sentence length, long words and clauses', () => {
    const s = syntaxProfile('The cat sat. The dog, which was big, ran to the park because it could.', 'en');
    expect(s.sentences).toBe(2);
    expect(s.words).toBe(3 + 12);
    expect(s.meanSentenceWords).toBe(7.5);
    // Clause marks: two commas plus "which" and "because", over two sentences.
    expect(s.clausesPerSentence).toBe(2);
    expect(s.load).toBeCloseTo((7.5 + 3 * 2) / 15, 10);
    expect(syntaxProfile('Internationalisation helps.', 'en').longWordShare).toBe(0.5);
  });

  it('is heavier for long, clause-rich sentences', () => {
    const plain = syntaxProfile('The cat sat on the mat. The dog ran to the park.', 'en');
    const dense = syntaxProfile('The cat, which had been sitting on the mat since the morning, watched the dog, who ran, because it could, to the park where the children played.', 'en');
    expect(dense.load).toBeGreaterThan(plain.load * 2);
  });

  it('handles empty text', () => {
    expect(syntaxProfile('', 'en')).toMatchObject({ sentences: 0, words: 0, load: 0 });
  });
});

describe('textLevel', () => {
  it('labels frequent words low and rare words high', () => {
    expect(textLevel(paragraphWords(EASY, 'en'), lexicon)).toBe('A1');
    expect(textLevel(paragraphWords(HARD, 'en'), lexicon)).toBe('C2');
    expect(textLevel([], lexicon)).toBe('A1');
  });
});

describe('estimateDifficulty', () => {
  const b1 = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1' });

  it('finds rare words harder than frequent ones', () => {
    const easy = estimateDifficulty(EASY, b1, ctx);
    const hard = estimateDifficulty(HARD, b1, ctx);
    expect(easy.lexical.coverage).toBeGreaterThan(0.99);
    expect(hard.lexical.coverage).toBeLessThan(0.8);
    expect(hard.score).toBeGreaterThan(easy.score);
    expect(hard.fit).toBeLessThan(easy.fit);
    expect(easy.fit).toBeCloseTo(fit(easy.lexical.coverage), 12);
  });

  it('lets a larger vocabulary see more coverage', () => {
    const c2 = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'C2' });
    expect(estimateDifficulty(HARD, c2, ctx).lexical.coverage).toBeGreaterThan(estimateDifficulty(HARD, b1, ctx).lexical.coverage);
  });

  it('puts the learner’s word states before frequency', () => {
    const base = estimateDifficulty(HARD, b1, ctx).lexical;
    const knowsRare = markWord(markWord(b1, 'perspicacious', 'known', 1, ctx), 'ubiquitous', 'known', 1, ctx);
    expect(estimateDifficulty(HARD, knowsRare, ctx).lexical.coverage).toBeGreaterThan(base.coverage);
    const forgotCat = markWord(b1, 'cat', 'unknown', 1, ctx);
    expect(estimateDifficulty(HARD, forgotCat, ctx).lexical.coverage).toBeLessThan(base.coverage);
    const ignoresRare = markWord(b1, 'perspicacious', 'ignored', 1, ctx);
    expect(estimateDifficulty(HARD, ignoresRare, ctx).lexical.countedWords).toBe(base.countedWords - 1);
  });

  it('does not count names and numbers', () => {
    const withNames = estimateDifficulty('The cat sat with Xanthippe on the mat in 1999.', b1, ctx);
    expect(withNames.lexical.countedWords).toBe(8); // the cat sat with on the mat in
    expect(withNames.lexical.coverage).toBeGreaterThan(0.99);
  });

  it('uses the learner’s own reading for a language without a list', () => {
    const fr = createLearner({ targetLang: 'fr', nativeLang: 'en', level: 'B1' });
    const d = estimateDifficulty('Le chat dort.', fr, ctx);
    expect(d.lexical.countedWords).toBe(3);
    // Nothing read yet: every word is unlisted, so probably unknown to a B1 learner.
    expect(d.lexical.coverage).toBeLessThan(0.2);
  });
});

describe('prepareText and difficultyOfPrepared', () => {
  /** The estimate worked out whole from the text, as before texts were prepared. */
  function fromScratch(text: string, learner: ReturnType<typeof createLearner>, context: { lexicon?: typeof lexicon }) {
    const ranking = learnerLexicon(learner, context);
    const shipped = context.lexicon && context.lexicon.lang === learner.targetLang ? context.lexicon : undefined;
    const words = paragraphWords(text, learner.targetLang, shipped);
    const lexical = lexicalProfile(words, learnerKnowledge(learner, ranking));
    const syntax = syntaxProfile(text, learner.targetLang);
    const calibrated = shipped ? cefrLevel(text, learner.targetLang, shipped, words) : undefined;
    return { lexical, syntax, score: difficultyScore(lexical.lexicalLoad, syntax.load), fit: fit(lexical.coverage), level: calibrated?.level ?? textLevel(words, ranking), ...(calibrated ? { levelScore: calibrated.score } : {}) };
  }

  const POOL = ['the', 'cat', 'dog', 'sat', 'on', 'mat', 'ran', 'park', 'ubiquitous', 'perspicacious', 'ephemeral', 'Xanthippe', '1999', 'very', 'big', 'said', 'which', ','];
  const text = fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 40 }).map((w) => `${w.join(' ')}.`);
  const marks = fc.array(fc.tuple(fc.constantFrom(...POOL.slice(0, 11)), fc.constantFrom('known' as const, 'unknown' as const, 'ignored' as const, 'learning' as const)), { maxLength: 6 });

  it('gives, for a text prepared once, what the whole estimate gives for the learner as they are now', () => {
    fc.assert(
      fc.property(text, marks, fc.integer({ min: 100, max: 30_000 }), fc.boolean(), (t, m, size, english) => {
        // Prepared for the learner as they started; judged after they marked words, their
        // vocabulary grew and they read (a language without a list ranks by their reading).
        const start = createLearner({ targetLang: english ? 'en' : 'fr', nativeLang: 'de', level: 'B1' });
        const prepared = prepareText(t, start.targetLang, english ? lexicon : undefined);
        let now = { ...start, vocabularySize: size };
        for (const [word, state] of m) now = markWord(now, word, state, 1, ctx);
        now = applyParagraphRead(now, { text: t, dwellMs: 60_000, now: 2 }, ctx);
        expect(preparedFor(prepared, now, ctx)).toBe(true);
        expect(difficultyOfPrepared(prepared, now, ctx)).toEqual(fromScratch(t, now, ctx));
        expect(estimateDifficulty(t, now, ctx)).toEqual(fromScratch(t, now, ctx));
        expect(newWordsOfPrepared(prepared, now, ctx)).toEqual(newWordsOf(t, now, ctx));
      }),
      { numRuns: 200 },
    );
  });

  it('is not used for another target language or word list', () => {
    const b1 = createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1' });
    const prepared = prepareText(HARD, 'en', lexicon);
    expect(preparedFor(prepared, b1, ctx)).toBe(true);
    expect(preparedFor(prepared, b1, { lexicon: createLexicon(listWith({ the: 1 })) })).toBe(false);
    expect(preparedFor(prepared, { ...b1, targetLang: 'de' }, ctx)).toBe(false);
    expect(() => difficultyOfPrepared(prepared, b1, {})).toThrow();
  });
});

describe('referenceDifficulty and difficultyScore', () => {
  it('ranks by lexical load plus weighted syntactic load', () => {
    expect(difficultyScore(1, 2, 0.5)).toBe(2);
    expect(difficultyScore(1, 2, 0)).toBe(1);
    const v = VOCABULARY_BY_LEVEL.B1;
    const easy = referenceDifficulty(EASY, 'en', lexicon, v);
    const hard = referenceDifficulty(HARD, 'en', lexicon, v);
    const long = referenceDifficulty('The cat sat on the mat and the dog ran to the park, and it was very big, and she said it was big, and he said it was very big.', 'en', lexicon, v);
    expect(hard.lexical.lexicalLoad).toBeGreaterThan(easy.lexical.lexicalLoad);
    expect(long.syntax.load).toBeGreaterThan(easy.syntax.load);
    expect(long.score).toBeGreaterThan(easy.score);
    expect(hard.score).toBe(difficultyScore(hard.lexical.lexicalLoad, hard.syntax.load));
  });
});
