/**
 * The offline English dictionary: WordNet 3.1 senses for a word clicked on a page, looked up
 * on the learner's device. The build (scripts/build-wordnet.ts) writes WordNet as one compact
 * text asset (wordnet-format.ts); `parseDictionary` turns it into a `Dictionary` whose `lookup`
 * lemmatises the word (lemma.ts) and returns its entries with senses in frequency order, and
 * `rankSenses` (senses.ts) orders a word's senses for the sentence it was found in.
 *
 * The asset is plain text, not gzipped: the extension's package is a zip, which deflates it
 * as well as gzip would (to 4.96 of its 13.11 MB), and a plain file needs no decompression
 * when it loads (fetch, `response.text()`, one scan). In the built extension in headless
 * Chromium on a slow shared machine: fetch and text 134-231 ms, parse 34-36 ms, a lookup
 * 0.08 ms (median), 17 MB of JavaScript heap; the same file gzipped took 230-320 ms more to
 * decompress with the browser's own DecompressionStream than it saved in reading.
 */
import { CompactWordNet } from './reader';
import type { Dictionary } from './types';

export type { Dictionary, DictionaryEntry, PartOfSpeech, Sense } from './types';
export { PARTS_OF_SPEECH } from './types';
export { CompactWordNet, CorruptDictionaryError } from './reader';
export { rankSenses, senseText, PRIOR_WEIGHT, TEMPERATURE, type RankedSense, type RankSensesOptions } from './senses';

/** The asset's path inside the built extension (for runtime.getURL). */
export const DICTIONARY_ASSET = 'dictionary/wordnet-en.txt';
/** WordNet's licence, shipped beside the asset (the asset's header carries it too). */
export const DICTIONARY_LICENSE_ASSET = 'dictionary/wordnet-LICENSE.txt';

/**
 * Parses the generated asset (its text, or its bytes as fetched) into a Dictionary. Throws a
 * CorruptDictionaryError, an Error saying what is wrong, on anything else.
 */
export function parseDictionary(data: string | ArrayBuffer | Uint8Array): CompactWordNet {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  return new CompactWordNet(text);
}

