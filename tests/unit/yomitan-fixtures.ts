/**
 * Small Yomitan dictionaries built by the tests themselves (fflate's zipSync), valid or broken
 * on purpose, for the reader's and the store's tests and the import end-to-end test.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export type Files = Record<string, unknown>;

/** A zip of these files: values that are strings or bytes go in as they are, others as JSON. */
export function zipOf(files: Files, level: 0 | 6 = 6): Uint8Array {
  const entries: Zippable = {};
  for (const [name, value] of Object.entries(files)) {
    entries[name] = [value instanceof Uint8Array ? value : strToU8(typeof value === 'string' ? value : JSON.stringify(value)), { level }];
  }
  return zipSync(entries);
}

export const index = (over: Record<string, unknown> = {}) => ({ title: 'Tiny English', revision: '1', format: 3, sourceLanguage: 'en', targetLanguage: 'en', ...over });

/** A term bank row: [term, reading, definitionTags, rules, score, glossary, sequence, termTags]. */
export const row = (term: string, glossary: unknown[], extra: { reading?: string; tags?: string | null; score?: number; termTags?: string } = {}) => [
  term,
  extra.reading ?? '',
  extra.tags === undefined ? 'n' : extra.tags,
  '',
  extra.score ?? 0,
  glossary,
  1,
  extra.termTags ?? '',
];

/** A dictionary of a few English words. */
export function tinyDictionary(over: Record<string, unknown> = {}, title = 'Tiny English'): Files {
  return {
    'index.json': index({ title, ...over }),
    'term_bank_1.json': [
      row('river', ['a large natural stream of water'], { score: 5 }),
      row('bank', ['the land alongside a river'], { score: 3 }),
      row('bank', ['a place that keeps money'], { score: 9, tags: 'n fin' }),
    ],
    'term_bank_2.json': [row('harbour', [{ type: 'structured-content', content: { tag: 'div', content: ['a sheltered ', { tag: 'b', content: 'port' }] } }])],
    'tag_bank_1.json': [['n', 'partOfSpeech', 0, 'noun', 0]],
  };
}

/** A frequency list (term_meta_bank) in rank order: the first word is rank 1. */
export function frequencyList(words: readonly string[], over: Record<string, unknown> = {}): Files {
  return {
    'index.json': index({ title: 'Tiny frequencies', frequencyMode: 'rank-based', ...over }),
    'term_meta_bank_1.json': words.map((w, i) => [w, 'freq', i % 2 ? { value: i + 1, displayValue: `${i + 1}` } : i + 1]),
  };
}
