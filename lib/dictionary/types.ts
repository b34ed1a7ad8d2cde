/**
 * The dictionary's shapes, shared by the reader, the lemmatiser and sense ranking (kept apart
 * from the entry file so those modules can use them without importing each other).
 */

export type PartOfSpeech = 'noun' | 'verb' | 'adjective' | 'adverb';

/** Parts of speech in the order entries are listed for a word. */
export const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ['noun', 'verb', 'adjective', 'adverb'];

export interface Sense {
  /** Unique within this dictionary: lemma (WordNet spelling), part of speech and sense number, e.g. `bank.n.2`. */
  id: string;
  pos: PartOfSpeech;
  /** The definition, without its examples. */
  gloss: string;
  /** Example sentences or phrases, without quotes or attributions. */
  examples: string[];
  /** The other words of this sense's synonym set (display spelling), not the entry's own lemma. */
  synonyms: string[];
  /** 0 = most frequent sense of this lemma and part of speech (WordNet's sense order). */
  rank: number;
  /** The entry's lemma in display spelling (spaces between words), so a sense is self-describing. */
  lemma: string;
}

export interface DictionaryEntry {
  /** Display spelling: words separated by spaces, e.g. "ice cream". */
  lemma: string;
  pos: PartOfSpeech;
  /** In frequency order (rank 0 first). */
  senses: Sense[];
}

export interface Dictionary {
  readonly language: string;
  /** A word as it appears in text, inflected or not; lemmatised inside; [] when unknown. */
  lookup(word: string): DictionaryEntry[];
}
