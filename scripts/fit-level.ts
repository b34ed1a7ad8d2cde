/**
 * Fits the level model (lib/level-model.json) that labels every passage with a CEFR level:
 * ridge regression of the experts' level (A1 = 1 ... C2 = 6) on lib/level.ts's features,
 * then five cut-points that label the training sentences best (exact accuracy plus
 * CUTS_F1_WEIGHT x macro-F1, so that A1 and C2 are labels the model actually gives). Only the
 * TRAINING splits are read (CEFR-SP train.jsonl, ReadMe++ train.jsonl); bench/level.ts scores
 * the held-out ones.
 *
 *   npx tsx scripts/fit-level.ts [--data ../shared/data] [--out lib/level-model.json] [--lambda 10]
 *
 * lambda 10 (on standardised features): the held-out figures are flat between 1 and 30
 * (CEFR-SP dev exact 0.581 / 0.592 / 0.579), so the middle is kept.
 *
 * The two sets' sentences count alike (not each set alike): the sets' raters disagree. For the
 * same features ReadMe++ levels sit about half a level below CEFR-SP's (whose level is the
 * higher of two experts' ratings): the shipped score is 0.24 below CEFR-SP dev's levels and
 * 0.32 above ReadMe++ val's. Weighting each ReadMe++ sentence 1.8 times moves the one scale
 * towards it (ReadMe++ val exact 0.420 -> 0.449) at CEFR-SP's cost (dev exact 0.592 -> 0.571,
 * within one 0.978 -> 0.974); weights that make the sets count alike cost CEFR-SP more
 * (exact cross-validated on its train 0.594 -> 0.558 with the earlier 12 features), and a set
 * indicator shipped at its average more still (0.526).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LEVEL_FEATURES, levelFeatures, type LevelModel } from '../lib/level';
import { createLexicon } from '../lib/vocabulary';
import { loadFrequencyList } from '../bench/lib/difficulty-data';
import { classFigures, classOf, CUTS_F1_WEIGHT, fitOrdinalCuts, fitRidge, predictRidge } from '../bench/lib/level-fit';
import { loadLevelSet } from '../bench/lib/level-data';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TRAINING_SETS = ['cefr-sp', 'readmepp-en'];

async function main() {
  const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, lambda: { type: 'string' } } });
  const data = resolve(values.data ?? join(ROOT, '../shared/data'));
  const out = resolve(values.out ?? join(ROOT, 'lib/level-model.json'));
  const lambda = Number(values.lambda ?? 10);
  const { list } = await loadFrequencyList(ROOT);
  const lexicon = createLexicon(list);
  const X: number[][] = [];
  const y: number[] = [];
  for (const name of TRAINING_SETS) {
    const set = loadLevelSet(join(data, name));
    if (set.kind !== 'cefr') throw new Error(`${name}: expected train.jsonl with CEFR levels`);
    for (const item of set.train) {
      const f = levelFeatures(item.text, 'en', lexicon);
      X.push(LEVEL_FEATURES.map((n) => f[n]));
      y.push(item.level);
    }
  }
  const ridge = fitRidge(X, y, lambda);
  const scores = X.map((x) => predictRidge(ridge, x));
  const cuts = fitOrdinalCuts(scores, y, 6, CUTS_F1_WEIGHT);
  const round = (v: number) => Number(v.toPrecision(6));
  const model: LevelModel & { fittedOn: string; lambda: number; cutsF1Weight: number } = {
    fittedOn: `${TRAINING_SETS.map((s) => `${s}/train.jsonl`).join(' + ')} (${y.length} sentences), scripts/fit-level.ts`,
    lambda,
    cutsF1Weight: CUTS_F1_WEIGHT,
    lang: 'en',
    features: [...LEVEL_FEATURES],
    mean: ridge.mean.map(round),
    scale: ridge.scale.map(round),
    weights: ridge.weights.map(round),
    intercept: round(ridge.intercept),
    cuts: cuts.map(round),
  };
  writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
  const f = classFigures(scores.map((s) => classOf(s, cuts)), y, 6);
  console.log(`level model written to ${out}: ${y.length} training sentences, in-sample exact ${f.exact.toFixed(3)}, within one ${f.withinOne.toFixed(3)}, macro-F1 ${f.macroF1.toFixed(3)}`);
  console.log(`cut-points ${model.cuts.join(', ')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
