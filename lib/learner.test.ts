import { describe, expect, it } from 'vitest';
import {
  applyParagraphRead,
  applySnippetSaved,
  createLearner,
  DEFAULT_WPM_BY_LEVEL,
  KNOWN_AFTER_EXPOSURES,
  type Learner,
  type LearnerContext,
  learnerLevel,
  learnerLexicon,
  learnerWordKey,
  markWord,
  MAX_WPM,
  MIN_WPM,
  paragraphWords,
  type ParagraphReading,
  setVocabularySize,
  shippedLexicon,
  speedRatio,
  type WordRecord,
} from './learner';
import { createLexicon, VOCABULARY_BY_LEVEL } from './vocabulary';

const lexicon = createLexicon({
  lang: 'en',
  // "park", "garden" and "morning" are left out: unlisted, so rare, so worth tracking.
  words: ['the', 'a', 'cat', 'sat', 'on', 'mat', 'and', 'dog', 'ran', 'to', 'walk', 'in', 'with', 'big', 'red', 'ball', 'every', 'day', 'she', 'reads', 'book'],
});
const ctx = { lexicon };

/** The stored record of a word, looked up under the key the learner functions store it by. */
function wordRecord(l: Learner, word: string, c: LearnerContext = {}): WordRecord | undefined {
  const key = learnerWordKey(l, word, c);
  return Object.hasOwn(l.words, key) ? l.words[key] : undefined;
}

/** Long enough (18 words) for its reading speed to be measured. */
const PARAGRAPH = 'The cat sat on the mat and the dog ran to the park with a big red ball.';
const WORDS = 18;

function learner(): Learner {
  return createLearner({ targetLang: 'en', nativeLang: 'de', level: 'B1', now: 0 });
}

/** A reading that took exactly as long as the learner's speed predicts, times `slower`. */
function reading(l: Learner, text: string, slower = 1, extra: Partial<ParagraphReading> = {}): ParagraphReading {
  const words = paragraphWords(text, 'en').length;
  return { text, dwellMs: (words / l.wordsPerMinute) * 60_000 * slower, now: 1000, ...extra };
}

describe('createLearner', () => {
  it('starts from the level’s typical vocabulary and speed', () => {
    const l = createLearner({ targetLang: 'en', nativeLang: 'fr', level: 'A2' });
    expect(l.vocabularySize).toBe(VOCABULARY_BY_LEVEL.A2);
    expect(l.wordsPerMinute).toBe(DEFAULT_WPM_BY_LEVEL.A2);
    expect(learnerLevel(l)).toBe('A2');
    expect(l.words).toEqual({});
  });

  it('takes the level from a given vocabulary size, and clamps the speed', () => {
    const l = createLearner({ targetLang: 'en', nativeLang: 'fr', vocabularySize: 12_500, wordsPerMinute: 5000 });
    expect(learnerLevel(l)).toBe('C1');
    expect(l.wordsPerMinute).toBe(MAX_WPM);
  });

  it('is plain data that survives JSON', () => {
    let l = markWord(learner(), 'garden', 'known', 5, ctx);
    l = applyParagraphRead(l, reading(l, PARAGRAPH), ctx);
    expect(JSON.parse(JSON.stringify(l))).toEqual(l);
  });

  it('sets the vocabulary size, e.g. after a placement check', () => {
    const l = setVocabularySize(learner(), 9000.4, 7);
    expect(l.vocabularySize).toBe(9000);
    expect(learnerLevel(l)).toBe('B2');
    expect(setVocabularySize(l, Number.NaN, 8)).toBe(l);
  });
});

describe('paragraphWords', () => {
  it('ignores numbers and names capitalised in mid-sentence, wherever the name recurs', () => {
    const ws = paragraphWords('Iguchi sold 5,000 glasses in 2014. Then Iguchi’s friend Maria said I was right.', 'en');
    const ignored = ws.filter((w) => w.ignored).map((w) => w.word);
    expect(ignored).toEqual(['Iguchi', '5,000', '2014', 'Iguchi’s', 'Maria']);
    // Sentence openers and "I" are words, not names.
    expect(ws.find((w) => w.word === 'Then')!.ignored).toBe(false);
    expect(ws.find((w) => w.word === 'I')!.ignored).toBe(false);
  });

  it('treats a capital after an opening quote as a sentence start', () => {
    const ws = paragraphWords('He said, “It will help.”', 'en');
    expect(ws.find((w) => w.word === 'It')!.ignored).toBe(false);
  });

  it('ignores brands and acronyms, and keeps German nouns', () => {
    expect(paragraphWords('She bought an iPhone from the UK.', 'en').filter((w) => w.ignored).map((w) => w.word)).toEqual(['iPhone', 'UK']);
    expect(paragraphWords('Der Hund sieht die Katze.', 'de').some((w) => w.ignored)).toBe(false);
  });

  it('counts the test paragraph as 18 words', () => {
    expect(paragraphWords(PARAGRAPH, 'en')).toHaveLength(WORDS);
  });

  it('gives each word its key', () => {
    expect(paragraphWords('She walked.', 'en', createLexicon({ lang: 'en', words: ['walk', 'walked'] })).map((w) => w.key)).toEqual(['she', 'walk']);
  });

  it('mends ligatures from PDF-born text before cutting words', () => {
    expect(paragraphWords('The ﬁnancial news.', 'en').map((w) => w.key)).toEqual(['the', 'financial', 'news']);
  });
});

describe('explicit marks', () => {
  it('store the state under the word’s key and win over implicit rules', () => {
    let l = markWord(learner(), 'Garden', 'unknown', 1, ctx);
    expect(wordRecord(l, 'garden', ctx)).toMatchObject({ state: 'unknown', explicit: true, form: 'Garden' });
    expect(wordRecord(markWord(l, 'walked', 'known', 1, ctx), 'walk', ctx)).toMatchObject({ state: 'known', form: 'walked' });
    for (let i = 0; i < KNOWN_AFTER_EXPOSURES + 2; i++) l = applyParagraphRead(l, reading(l, 'The dog ran to the garden every morning and the cat sat on the mat.'), ctx);
    expect(wordRecord(l, 'garden', ctx)!.state).toBe('unknown');
    l = applySnippetSaved(l, 'garden', 2, ctx);
    expect(wordRecord(l, 'garden', ctx)!.state).toBe('unknown');
    l = applyParagraphRead(l, reading(l, 'The dog ran to the garden every morning and the cat sat on the mat.', 1, { lookups: ['garden'] }), ctx);
    expect(wordRecord(l, 'garden', ctx)!.state).toBe('unknown');
  });

  it('do not change the learner they were given', () => {
    const before = learner();
    const copy = JSON.parse(JSON.stringify(before));
    markWord(before, 'garden', 'known', 1, ctx);
    expect(before).toEqual(copy);
  });
});

describe('saved snippets', () => {
  it('make every word of a short snippet learning', () => {
    const l = applySnippetSaved(learner(), 'the red ball', 1, ctx);
    for (const w of ['the', 'red', 'ball']) expect(wordRecord(l, w, ctx)!.state).toBe('learning');
  });

  it('in a long snippet, only the words the learner probably does not know', () => {
    const rare = new Set(['garden', 'morning']);
    const l = applySnippetSaved(learner(), 'She reads a book in the garden every morning.', 1, {
      ...ctx,
      knownProbability: (key) => (rare.has(key) ? 0.1 : 0.99),
    });
    expect(Object.keys(l.words).sort()).toEqual(['garden', 'morning']);
    expect(wordRecord(l, 'garden', ctx)!.state).toBe('learning');
  });

  it('in a long snippet, judge by frequency when no estimate is given: common words stay as they were', () => {
    const l = applySnippetSaved(learner(), 'She reads a book in the garden every morning.', 1, ctx);
    expect(Object.keys(l.words).sort()).toEqual(['garden', 'morning']);
  });

  it('leave known and ignored words, names and numbers alone', () => {
    let l = markWord(learner(), 'ball', 'ignored', 1, ctx);
    l = applySnippetSaved(l, 'In 2014 Maria kicked the ball to Peter in the park.', 2, ctx);
    expect(wordRecord(l, 'ball', ctx)!.state).toBe('ignored');
    expect(wordRecord(l, 'maria', ctx)).toBeUndefined();
    expect(wordRecord(l, '2014', ctx)).toBeUndefined();
    expect(wordRecord(l, 'park', ctx)!.state).toBe('learning');
  });
});

describe('reading paragraphs', () => {
  it('makes a word known after enough normal-speed readings without lookup, once per paragraph', () => {
    let l = learner();
    const text = 'The dog ran to the garden every morning, and the garden was big and red.';
    for (let i = 1; i < KNOWN_AFTER_EXPOSURES; i++) {
      l = applyParagraphRead(l, reading(l, text), ctx);
      expect(wordRecord(l, 'garden', ctx)).toMatchObject({ state: 'unknown', cleanExposures: i });
    }
    l = applyParagraphRead(l, { ...reading(l, text), now: 5000 }, ctx);
    expect(wordRecord(l, 'garden', ctx)).toMatchObject({ state: 'known', knownAt: 5000 });
    // Read again later: still known since the reading that made it known.
    l = applyParagraphRead(l, { ...reading(l, text), now: 9000 }, ctx);
    expect(wordRecord(l, 'garden', ctx)).toMatchObject({ state: 'known', knownAt: 5000, updatedAt: 9000 });
  });

  it('does not count skimmed or abandoned paragraphs', () => {
    let l = learner();
    l = applyParagraphRead(l, reading(l, PARAGRAPH, 0.2), ctx); // five times too fast
    l = applyParagraphRead(l, reading(l, PARAGRAPH, 5), ctx); // five times too slow
    l = applyParagraphRead(l, { ...reading(l, 'Too short to say.'), dwellMs: 800 }, ctx);
    expect(wordRecord(l, 'park', ctx)).toBeUndefined();
  });

  it('turns looked-up words into learning words and restarts their count', () => {
    let l = learner();
    for (let i = 0; i < KNOWN_AFTER_EXPOSURES; i++) l = applyParagraphRead(l, reading(l, PARAGRAPH), ctx);
    expect(wordRecord(l, 'park', ctx)!.state).toBe('known');
    l = applyParagraphRead(l, reading(l, PARAGRAPH, 1, { lookups: ['park'] }), ctx);
    expect(wordRecord(l, 'park', ctx)).toMatchObject({ state: 'learning', cleanExposures: 0, lookups: 1 });
    expect(wordRecord(l, 'park', ctx)).not.toHaveProperty('knownAt');
    for (let i = 0; i < KNOWN_AFTER_EXPOSURES; i++) l = applyParagraphRead(l, reading(l, PARAGRAPH), ctx);
    expect(wordRecord(l, 'park', ctx)!.state).toBe('known');
  });

  it('does not record words that frequency already makes known', () => {
    let l = learner();
    l = applyParagraphRead(l, reading(l, PARAGRAPH), ctx);
    expect(wordRecord(l, 'the', ctx)).toBeUndefined();
    expect(wordRecord(l, 'park', ctx)!.cleanExposures).toBe(1);
    // A record made for another reason (a mark, a lookup) keeps counting.
    l = applyParagraphRead(markWord(l, 'cat', 'learning', 2, ctx), reading(l, PARAGRAPH), ctx);
    expect(wordRecord(l, 'cat', ctx)).toMatchObject({ state: 'learning', cleanExposures: 1 });
  });

  it('never stores names or numbers', () => {
    let l = learner();
    l = applyParagraphRead(l, reading(l, 'In 2014 the dog ran to the park with Maria and a big red ball.'), ctx);
    expect(Object.keys(l.words)).not.toContain('maria');
    expect(Object.keys(l.words)).not.toContain('2014');
  });
});

describe('reading speed', () => {
  it('moves toward the observed speed by an exponential moving average in log speed', () => {
    const l = learner();
    const slow = applyParagraphRead(l, reading(l, PARAGRAPH, 1.5), ctx);
    expect(slow.wordsPerMinute).toBeCloseTo(l.wordsPerMinute * Math.exp(0.2 * Math.log(1 / 1.5)), 6);
    expect(slow.speedObservations).toBe(1);
    const fast = applyParagraphRead(l, reading(l, PARAGRAPH, 1 / 1.5), ctx);
    expect(fast.wordsPerMinute).toBeCloseTo(l.wordsPerMinute * Math.exp(0.2 * Math.log(1.5)), 6);
  });

  it('converges to a steady reader’s speed', () => {
    let l = learner();
    const trueWpm = 180;
    for (let i = 0; i < 60; i++) l = applyParagraphRead(l, { text: PARAGRAPH, dwellMs: (WORDS / trueWpm) * 60_000, now: i }, ctx);
    expect(l.wordsPerMinute).toBeCloseTo(trueWpm, 0);
  });

  it('divides out the paragraph’s difficulty, so hard text does not lower the easy-text speed', () => {
    const l = learner();
    const r = reading(l, PARAGRAPH, 2, { difficultyFactor: 2 });
    expect(speedRatio(l, r, WORDS)).toBeCloseTo(1, 10);
    expect(applyParagraphRead(l, r, ctx).wordsPerMinute).toBeCloseTo(l.wordsPerMinute, 10);
  });

  it('ignores implausible readings, limits each step and stays within bounds', () => {
    const l = learner();
    expect(applyParagraphRead(l, reading(l, PARAGRAPH, 10), ctx).wordsPerMinute).toBe(l.wordsPerMinute);
    // 3.5x faster is plausible but the step is clamped to a doubling.
    expect(applyParagraphRead(l, reading(l, PARAGRAPH, 1 / 3.5), ctx).wordsPerMinute).toBeCloseTo(l.wordsPerMinute * Math.exp(0.2 * Math.log(2)), 6);
    let fast = createLearner({ targetLang: 'en', nativeLang: 'de', wordsPerMinute: MAX_WPM });
    fast = applyParagraphRead(fast, reading(fast, PARAGRAPH, 0.5), ctx);
    expect(fast.wordsPerMinute).toBe(MAX_WPM);
    let slow = createLearner({ targetLang: 'en', nativeLang: 'de', wordsPerMinute: MIN_WPM });
    slow = applyParagraphRead(slow, reading(slow, PARAGRAPH, 2), ctx);
    expect(slow.wordsPerMinute).toBe(MIN_WPM);
  });
});

describe('languages without a shipped list', () => {
  it('count the learner’s own reading and rank words by it', () => {
    let l = createLearner({ targetLang: 'fr', nativeLang: 'en', level: 'B1' });
    const text = 'Le chat dort sur le lit et le chien dort dans le jardin.';
    l = applyParagraphRead(l, reading(l, text), ctx); // the English list is not used for French
    l = applyParagraphRead(l, reading(l, text), ctx);
    expect(l.corpus['le']).toBe(8);
    expect(shippedLexicon(l, ctx)).toBeUndefined();
    const lex = learnerLexicon(l, ctx);
    expect(lex.lang).toBe('fr');
    expect(lex.formRank('le')!).toBeLessThan(lex.formRank('chat')!);
  });

  it('use the shipped list for its own language and leave the counts empty', () => {
    let l = learner();
    l = applyParagraphRead(l, reading(l, PARAGRAPH), ctx);
    expect(l.corpus).toEqual({});
    expect(shippedLexicon(l, ctx)).toBe(lexicon);
    expect(shippedLexicon(createLearner({ targetLang: 'en-GB', nativeLang: 'de' }), ctx)).toBe(lexicon);
    expect(learnerLexicon(l, ctx)).toBe(lexicon);
  });
});
