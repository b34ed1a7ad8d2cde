/**
 * From a word as it appears in text to the dictionary lemmas it can be a form of: WordNet's
 * "morphy". For each part of speech, the irregular forms in WordNet's exception lists first
 * (geese -> goose, ran -> run, better -> good), then the regular detachment rules (churches ->
 * church, studies -> study, running -> run), keeping only candidates the dictionary holds.
 * Before that, the surface form is normalised the way WordNet spells its lemmas: lower case,
 * straight apostrophes, `_` between the words of a phrase, a possessive 's dropped.
 *
 * Pure: the caller passes the exception lists and an `exists(lemma, pos)` predicate.
 */
import { PARTS_OF_SPEECH, type PartOfSpeech } from './types';

/** Per part of speech: inflected form -> base forms (WordNet spelling). */
export type ExceptionMap = Readonly<Record<PartOfSpeech, ReadonlyMap<string, readonly string[]>>>;

export type LemmaExists = (lemma: string, pos: PartOfSpeech) => boolean;

export interface LemmaCandidate {
  /** WordNet spelling: lower case, `_` between words. */
  readonly lemma: string;
  readonly pos: PartOfSpeech;
}

/** WordNet's rules of detachment: [suffix, ending] pairs tried in this order. */
const DETACHMENT: Readonly<Record<PartOfSpeech, ReadonlyArray<readonly [string, string]>>> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adjective: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adverb: [],
};

/**
 * The spellings a surface word may have in the dictionary, most literal first: the word in
 * lower case with straight apostrophes and `_` for spaces; the same with hyphens as `_` (and
 * spaces as hyphens); without a possessive ending; and without punctuation at its edges.
 */
export function spellingVariants(word: string): string[] {
  const base = word
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/[\u2010\u2011\u2012\u2013]/g, '-')
    .trim()
    .replace(/\s+/g, '_');
  const variants: string[] = [];
  const add = (v: string) => {
    if (v.length > 0 && !variants.includes(v)) variants.push(v);
  };
  const withForms = (v: string) => {
    add(v);
    if (v.includes('-')) add(v.replace(/-/g, '_'));
    if (v.includes('_')) add(v.replace(/_/g, '-'));
  };
  const trimmed = base.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, '');
  for (const v of [base, trimmed, trimmed.replace(/\.+$/, '')]) {
    withForms(v);
    if (v.endsWith("'s")) withForms(v.slice(0, -2));
    else if (v.endsWith("s'")) withForms(v.slice(0, -1));
  }
  return variants;
}

/**
 * Base forms of one spelling for one part of speech, WordNet's way: the spelling itself when
 * it is a lemma, its exception-list bases, then what the detachment rules give; for a phrase
 * whose first word is inflected (looked_up), the phrase with that word's base forms.
 */
export function baseForms(form: string, pos: PartOfSpeech, exceptions: ExceptionMap, exists: LemmaExists): string[] {
  const found: string[] = [];
  const keep = (candidate: string) => {
    if (candidate.length > 0 && !found.includes(candidate) && exists(candidate, pos)) found.push(candidate);
  };
  keep(form);
  for (const base of exceptions[pos].get(form) ?? []) keep(base);
  for (const [suffix, ending] of DETACHMENT[pos]) {
    if (form.endsWith(suffix)) keep(form.slice(0, -suffix.length) + ending);
  }
  const space = form.indexOf('_');
  if (space > 0) {
    const first = form.slice(0, space);
    const rest = form.slice(space);
    for (const base of exceptions[pos].get(first) ?? []) keep(base + rest);
    for (const [suffix, ending] of DETACHMENT[pos]) {
      if (first.length > suffix.length && first.endsWith(suffix)) keep(first.slice(0, -suffix.length) + ending + rest);
    }
  }
  return found;
}

/**
 * Every (lemma, part of speech) the dictionary holds that `word` can be a form of, by part of
 * speech (noun, verb, adjective, adverb) and, within one, the most literal reading first.
 */
export function lemmatise(word: string, exceptions: ExceptionMap, exists: LemmaExists, only?: PartOfSpeech): LemmaCandidate[] {
  const variants = spellingVariants(word);
  const out: LemmaCandidate[] = [];
  for (const pos of only ? [only] : PARTS_OF_SPEECH) {
    const seen = new Set<string>();
    for (const variant of variants) {
      for (const lemma of baseForms(variant, pos, exceptions, exists)) {
        if (seen.has(lemma)) continue;
        seen.add(lemma);
        out.push({ lemma, pos });
      }
    }
  }
  return out;
}
