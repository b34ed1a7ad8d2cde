/**
 * Test items for the sense-ranking benchmark, taken from WordNet itself: every example
 * sentence of a sense of a polysemous lemma (two or more senses in that part of speech) that
 * contains the lemma in some form (found with the product's own lemmatiser), labelled with
 * the sense it exemplifies. While an example is the test sentence it is left out of every
 * sense's text (`senseTextsFor`), so no sense is described by the sentence it is tested on.
 */
import { lemmatise } from '../../lib/dictionary/lemma';
import { senseText } from '../../lib/dictionary/senses';
import type { CompactWordNet } from '../../lib/dictionary/reader';
import type { PartOfSpeech, Sense } from '../../lib/dictionary/types';
import { PARTS_OF_SPEECH } from '../../lib/dictionary/types';
import { seededRandom } from '../../lib/random';

export interface SenseItem {
  /** Lemma key (WordNet spelling); items of one lemma always share a cross-validation fold. */
  readonly lemma: string;
  readonly pos: PartOfSpeech;
  readonly sentence: string;
  /** The entry's senses in frequency order; `gold` indexes them. */
  readonly senses: readonly Sense[];
  readonly gold: number;
}

/** Word tokens of a sentence, lower case, keeping inner apostrophes, hyphens and periods. */
function tokens(sentence: string): string[] {
  return sentence.toLowerCase().match(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Whether `sentence` holds `lemma` (as `pos`) in some inflected form. */
function makeContainment(dictionary: CompactWordNet) {
  const cache = new Map<string, string[]>();
  const exists = (lemma: string, pos: PartOfSpeech) => dictionary.has(lemma, pos);
  const lemmasOf = (phrase: string, pos: PartOfSpeech) => {
    const key = `${pos}\t${phrase}`;
    let found = cache.get(key);
    if (!found) {
      found = lemmatise(phrase, dictionary.exceptions, exists, pos).map((c) => c.lemma);
      cache.set(key, found);
    }
    return found;
  };
  return (sentence: string, lemma: string, pos: PartOfSpeech): boolean => {
    const words = tokens(sentence);
    const n = lemma.split('_').length;
    for (let i = 0; i + n <= words.length; i++) {
      if (lemmasOf(words.slice(i, i + n).join(' '), pos).includes(lemma)) return true;
    }
    return false;
  };
}

export function collectItems(dictionary: CompactWordNet): SenseItem[] {
  const contains = makeContainment(dictionary);
  const items: SenseItem[] = [];
  for (const lemma of dictionary.lemmaKeys()) {
    // One- and two-letter lemmas (a, i, at) match articles and pronouns, not the sense's word.
    if (lemma.length < 3) continue;
    for (const pos of PARTS_OF_SPEECH) {
      if (!dictionary.has(lemma, pos)) continue;
      const entry = dictionary.entry(lemma, pos)!;
      if (entry.senses.length < 2) continue;
      const usage = new Map<string, number>();
      for (const s of entry.senses) for (const e of s.examples) usage.set(e, (usage.get(e) ?? 0) + 1);
      entry.senses.forEach((sense, gold) => {
        for (const sentence of sense.examples) {
          // An example shared by two senses labels neither.
          if (usage.get(sentence) === 1 && contains(sentence, lemma, pos)) items.push({ lemma, pos, sentence, senses: entry.senses, gold });
        }
      });
    }
  }
  return items;
}

/** A seeded sample of `n` items (all of them when n >= their number), in their original order. */
export function sampleItems(items: readonly SenseItem[], n: number, seed: number): SenseItem[] {
  if (n >= items.length) return [...items];
  const random = seededRandom(seed);
  const indices = items.map((_, i) => i);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** The text of each of the item's senses, without the test sentence among the examples. */
export function senseTextsFor(item: SenseItem): string[] {
  return item.senses.map((sense) => senseText({ ...sense, examples: sense.examples.filter((e) => e !== item.sentence) }));
}

/** Folds by lemma: a lemma's items all fall in one fold (seeded shuffle of the lemmas). */
export function lemmaFolds(items: readonly SenseItem[], k: number, seed: number): number[] {
  const lemmas = [...new Set(items.map((i) => i.lemma))].sort();
  const random = seededRandom(seed ^ 0x5eed);
  for (let i = lemmas.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lemmas[i], lemmas[j]] = [lemmas[j]!, lemmas[i]!];
  }
  const foldOf = new Map(lemmas.map((l, i) => [l, i % k]));
  return items.map((item) => foldOf.get(item.lemma)!);
}

/** WordNet's sense-key part-of-speech digits (5 = adjective satellite). */
const SENSE_KEY_POS: Record<string, PartOfSpeech> = { '1': 'noun', '2': 'verb', '3': 'adjective', '4': 'adverb', '5': 'adjective' };

/**
 * How often each sense was tagged in WordNet's semantic concordance (index.sense's tag_cnt),
 * keyed `lemma \t pos \t rank`: the sense distribution of running text, which WordNet's
 * example sentences (about as many per rare sense as per common one) do not have.
 */
export function taggedSenseCounts(indexSense: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of indexSense.split('\n')) {
    const [key, , senseNumber, tagCount] = line.split(' ');
    const percent = key?.indexOf('%') ?? -1;
    if (!key || percent < 0) continue;
    const pos = SENSE_KEY_POS[key[percent + 1] ?? ''];
    if (!pos) continue;
    counts.set(`${key.slice(0, percent)}\t${pos}\t${Number(senseNumber) - 1}`, Number(tagCount));
  }
  return counts;
}

/**
 * Item weights that make the sample's senses follow tagged-text frequencies: within a lemma,
 * each sense that has items gets its tagged share (renormalised over those senses), split
 * evenly among its items; a lemma keeps its number of items as its total weight. Lemmas whose
 * sampled senses were never tagged get weight 0.
 */
export function taggedFrequencyWeights(items: readonly SenseItem[], counts: ReadonlyMap<string, number>): number[] {
  const byLemma = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = `${item.lemma}\t${item.pos}`;
    byLemma.set(key, [...(byLemma.get(key) ?? []), i]);
  });
  const weights = new Array<number>(items.length).fill(0);
  for (const [key, members] of byLemma) {
    const perSense = new Map<number, number[]>();
    for (const i of members) perSense.set(items[i]!.gold, [...(perSense.get(items[i]!.gold) ?? []), i]);
    const tagged = new Map([...perSense.keys()].map((rank) => [rank, counts.get(`${key}\t${rank}`) ?? 0]));
    const total = [...tagged.values()].reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    for (const [rank, its] of perSense) for (const i of its) weights[i] = (members.length * tagged.get(rank)!) / total / its.length;
  }
  return weights;
}
