/**
 * A part-of-speech hint for an English word from the word just before it: after a
 * determiner or possessive ("the bank", "her bank") it is a noun; after a modal or infinitive
 * marker with no determiner between ("will bank", "can't bank") a verb. Most sentences give
 * no such cue and get no hint. Sense ranking uses the hint to put that part of speech first:
 * the encoder compares meanings, not grammar, and would otherwise let "put into a bank
 * account" (a verb) answer for "went to the bank to open a savings account".
 */
import type { PartOfSpeech } from './dictionary';
import { sameLanguage } from './language';
import { wordTokens } from './text';

const BEFORE_NOUN = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'my', 'your', 'his', 'her', 'its', 'our', 'their', 'every', 'each', 'no', 'some', 'any', "one's",
]);
const BEFORE_VERB = new Set(['will', 'would', 'shall', 'should', 'can', 'could', 'may', 'might', 'must', "won't", "can't", "couldn't", "shouldn't", "wouldn't", 'cannot', "don't", "doesn't", "didn't"]);

/** The part of speech the word before `word` (its first whole-word occurrence in `sentence`) points to, if any. */
export function partOfSpeechHint(sentence: string, word: string, lang: string): PartOfSpeech | undefined {
  if (!sameLanguage(lang, 'en') && lang !== 'und') return undefined;
  const tokens = wordTokens(sentence, 'en');
  const target = word.toLowerCase();
  const at = tokens.findIndex((t) => t.word.toLowerCase() === target);
  if (at <= 0) return undefined;
  const before = tokens[at - 1]!.word.toLowerCase().replace(/\u2019/gu, "'");
  if (BEFORE_NOUN.has(before)) return 'noun';
  if (BEFORE_VERB.has(before)) return 'verb';
  return undefined;
}
