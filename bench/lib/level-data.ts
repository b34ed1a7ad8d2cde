/**
 * Inputs of the level benchmark (bench/level.ts) and of the level model's fit
 * (scripts/fit-level.ts): folders of JSON lines in the formats of ../shared/data/README.md.
 * - CEFR sets (cefr-sp, readmepp-en): `{id, text, level: 'A1'..'C2'}` per line, in a training
 *   file (train.jsonl) and a held-out one (dev.jsonl or val.jsonl);
 * - continuous sets (clear): `{id, text, bt_easiness}` per line in one file (*.jsonl), scored
 *   by k-fold.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CEFR_LEVELS, type CefrLevel } from '../../lib/vocabulary';

export interface CefrItem {
  readonly id: string;
  readonly text: string;
  /** 1 = A1 ... 6 = C2. */
  readonly level: number;
}

export interface EasinessItem {
  readonly id: string;
  readonly text: string;
  /** Higher is easier (Bradley-Terry easiness from teachers' pairwise judgements). */
  readonly easiness: number;
}

export type LevelSet =
  | { readonly kind: 'cefr'; readonly dir: string; readonly train: CefrItem[]; readonly heldOut: CefrItem[]; readonly heldOutName: string }
  | { readonly kind: 'easiness'; readonly dir: string; readonly items: EasinessItem[]; readonly file: string };

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}:${i + 1}: not a JSON line`);
      }
    });
}

function cefrItems(file: string): CefrItem[] {
  return lines(file).map((r, i) => {
    const level = CEFR_LEVELS.indexOf(String(r.level) as CefrLevel) + 1;
    // CEFR-SP gives the tokenised text and a detokenised copy; the copy is what a reader sees.
    const text = typeof r.text_detok === 'string' ? r.text_detok : r.text;
    if (level === 0 || typeof text !== 'string') throw new Error(`${file}:${i + 1}: expected text and a level A1-C2`);
    return { id: String(r.id ?? i), text, level };
  });
}

/** A CEFR folder (train.jsonl + dev.jsonl or val.jsonl) or an easiness folder (one .jsonl with bt_easiness). */
export function loadLevelSet(dir: string): LevelSet {
  if (!existsSync(dir)) throw new Error(`no folder ${dir}`);
  const heldOutName = ['dev.jsonl', 'val.jsonl', 'test.jsonl'].find((f) => existsSync(join(dir, f)));
  if (existsSync(join(dir, 'train.jsonl')) && heldOutName) {
    return { kind: 'cefr', dir, train: cefrItems(join(dir, 'train.jsonl')), heldOut: cefrItems(join(dir, heldOutName)), heldOutName };
  }
  const file = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()[0];
  if (!file) throw new Error(`${dir}: no train.jsonl with dev.jsonl/val.jsonl, and no .jsonl file`);
  const items = lines(join(dir, file)).map((r, i) => {
    if (typeof r.text !== 'string' || typeof r.bt_easiness !== 'number') throw new Error(`${file}:${i + 1}: expected text and bt_easiness`);
    return { id: String(r.id ?? i), text: r.text, easiness: r.bt_easiness };
  });
  return { kind: 'easiness', dir, items, file };
}
