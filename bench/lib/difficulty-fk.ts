/**
 * Flesch-Kincaid grade level, the classic baseline the difficulty score is compared with:
 * 0.39 x words per sentence + 11.8 x syllables per word - 15.59 (Kincaid et al. 1975).
 * Words and sentences come from the same Intl.Segmenter cuts as the extension's own score,
 * so that the two differ only in what they compute, not in how they tokenise.
 */
import { sentences, wordTokens } from '../../lib/text';

/**
 * Syllables of an English word by the usual spelling heuristic: count vowel groups (a, e, i,
 * o, u, y), after removing endings that add no syllable: "-ed" except after t or d (liked, but
 * wanted), "-es" except after a sibilant (makes, but watches), a silent final "e" except in
 * consonant + "le" (smile, but table); a leading "y" is a consonant. At least one.
 */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 0;
  if (w.length <= 3) return 1;
  if (/[^aeiouytd]ed$/.test(w)) w = w.slice(0, -2);
  else if (/[^aeiouysxzcgh]es$/.test(w)) w = w.slice(0, -2);
  else if (/[^aeiouy]e$/.test(w) && !/[^aeiouy]le$/.test(w)) w = w.slice(0, -1);
  w = w.replace(/^y/, '');
  const groups = w.match(/[aeiouy]+/g);
  return Math.max(1, groups ? groups.length : 1);
}

export interface FleschKincaid {
  readonly grade: number;
  readonly words: number;
  readonly sentences: number;
  readonly syllables: number;
}

export function fleschKincaid(text: string, lang = 'en'): FleschKincaid {
  let words = 0;
  let sylls = 0;
  let sents = 0;
  for (const s of sentences(text, lang)) {
    const toks = wordTokens(s, lang);
    if (toks.length === 0) continue;
    sents++;
    words += toks.length;
    for (const t of toks) sylls += syllables(t.word);
  }
  const grade = words > 0 && sents > 0 ? 0.39 * (words / sents) + 11.8 * (sylls / words) - 15.59 : 0;
  return { grade, words, sentences: sents, syllables: sylls };
}
