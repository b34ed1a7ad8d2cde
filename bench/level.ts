/**
 * Level benchmark: does the CEFR level the product puts on each passage (lib/level.ts, the
 * shipped lib/level-model.json) mean what CEFR raters mean? Takes any folder in one of the
 * formats of ../shared/data/README.md:
 *
 *   npx tsx bench/level.ts DIR [--json out.json] [--predictions out.jsonl] [--folds 5]
 *                              [--seed 1] [--cutpoints frozen.json]
 *
 * - CEFR folder (train.jsonl + dev.jsonl or val.jsonl, a level A1-C2 per sentence):
 *   exact accuracy, accuracy within one level and macro-F1 on the held-out file for the
 *   shipped model (fitted on the training splits of cefr-sp and readmepp-en only), for the
 *   same features refitted on this folder's train.jsonl, and for Flesch-Kincaid grade mapped
 *   to the CEFR scale on this folder's train.jsonl (a line, then cut-points): in-sample
 *   (train) beside held-out. Every cut-point set here is chosen as the shipped one is
 *   (exact accuracy plus CUTS_F1_WEIGHT x macro-F1 on the training file).
 * - Easiness folder (one .jsonl with bt_easiness, e.g. clear): Pearson and Spearman of the
 *   difficulty with -bt_easiness: the shipped score (never fitted on this folder), the
 *   features refitted by k-fold (each item scored by a model that did not see it) beside the
 *   same fit in-sample, and Flesch-Kincaid grade.
 * - Three-level folder (ele/, int/, adv/; OneStopEnglish): ordering of each article's three
 *   versions and 3-class accuracy, for the shipped level score (of the whole text, and the
 *   mean of its paragraphs' scores, as the product labels them), Flesch-Kincaid grade, and a
 *   combination of the level score with the lexical and syntactic loads of lib/difficulty.ts
 *   whose weights (ridge, lambda 1) and cut-points are fitted on the other articles only
 *   (leave-one-article-out, nested), and the two loads alone (what the level score adds).
 *   In-sample figures beside the leave-one-article-out ones. `--cutpoints FILE`: if FILE exists its frozen weights and cut-points (fitted on
 *   another folder) are applied; if not, the ones fitted on all of this folder are written.
 *
 * --predictions writes one JSON line per item with every system's score and label.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDifficulty } from '../lib/difficulty';
import { LEVEL_FEATURES, LEVEL_MODEL, levelFeatures, levelScore } from '../lib/level';
import { seededRandom } from '../lib/random';
import { CEFR_LEVELS, createLexicon, type Lexicon, VOCABULARY_BY_LEVEL } from '../lib/vocabulary';
import { atLeastOne, benchArgs } from './lib/cli';
import { loadFrequencyList, loadLevelledTexts } from './lib/difficulty-data';
import { fleschKincaid } from './lib/difficulty-fk';
import { accuracy, classify, type CutPoints, fitCutPoints, ordering, type ScoredText } from './lib/difficulty-metrics';
import { type CefrItem, loadLevelSet } from './lib/level-data';
import { type ClassFigures, classFigures, classOf, CUTS_F1_WEIGHT, fitOrdinalCuts, fitRidge, foldsOf, pearson, predictRidge, type Ridge, spearman } from './lib/level-fit';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Ridge penalty of every refit here (the shipped model's is in its file). */
const REFIT_LAMBDA = 10;
/** Ridge penalty of the three-weight OneStopEnglish combination: three strong, correlated inputs, 120 texts. */
const COMBINATION_LAMBDA = 1;
/** Lines shorter than this (headings, bylines) are not paragraphs the product would label. */
const PARAGRAPH_MIN_WORDS = 5;

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  folds: number;
  seed: number;
  cutpoints?: string;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, resolve(ROOT, '../shared/data/cefr-sp'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    folds: { type: 'string' },
    seed: { type: 'string' },
    cutpoints: { type: 'string' },
  });
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(p));
  return {
    dataDir,
    json: path(values.json),
    predictions: path(values.predictions),
    folds: Math.max(2, atLeastOne(values.folds, 5)),
    seed: values.seed === undefined ? 1 : Number(values.seed),
    cutpoints: path(values.cutpoints),
  };
}

const featureRow = (text: string, lexicon: Lexicon) => {
  const f = levelFeatures(text, 'en', lexicon);
  return { row: LEVEL_FEATURES.map((n) => f[n]), shipped: levelScore(LEVEL_MODEL, f) };
};
const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '   -  ' : x.toFixed(3).padStart(6));

// ---------------------------------------------------------------------------------------------

function cefrBench(train: CefrItem[], heldOut: CefrItem[], lexicon: Lexicon, heldOutName: string) {
  const rows = (items: CefrItem[]) => items.map((it) => ({ ...featureRow(it.text, lexicon), fk: fleschKincaid(it.text).grade, level: it.level }));
  const tr = rows(train);
  const ho = rows(heldOut);
  const figures = (scores: number[], cuts: readonly number[], truth: number[]) => classFigures(scores.map((s) => classOf(s, cuts)), truth, 6);
  // The shipped model, as the product labels passages.
  const shipped = {
    train: figures(tr.map((r) => r.shipped), LEVEL_MODEL.cuts, tr.map((r) => r.level)),
    heldOut: figures(ho.map((r) => r.shipped), LEVEL_MODEL.cuts, ho.map((r) => r.level)),
  };
  // The same features refitted on this folder's training file.
  const ridge = fitRidge(tr.map((r) => r.row), tr.map((r) => r.level), REFIT_LAMBDA);
  const refitTrain = tr.map((r) => predictRidge(ridge, r.row));
  const refitCuts = fitOrdinalCuts(refitTrain, tr.map((r) => r.level), 6, CUTS_F1_WEIGHT);
  const refitHeld = ho.map((r) => predictRidge(ridge, r.row));
  const refit = { train: figures(refitTrain, refitCuts, tr.map((r) => r.level)), heldOut: figures(refitHeld, refitCuts, ho.map((r) => r.level)) };
  // Flesch-Kincaid, mapped to the CEFR scale the same way (a line fitted on train, then cuts).
  const line = fitRidge(tr.map((r) => [r.fk]), tr.map((r) => r.level), 0);
  const fkTrain = tr.map((r) => predictRidge(line, [r.fk]));
  const fkCuts = fitOrdinalCuts(fkTrain, tr.map((r) => r.level), 6, CUTS_F1_WEIGHT);
  const fkHeld = ho.map((r) => predictRidge(line, [r.fk]));
  const fk = { train: figures(fkTrain, fkCuts, tr.map((r) => r.level)), heldOut: figures(fkHeld, fkCuts, ho.map((r) => r.level)) };
  const correlation = (scores: number[]) => ({ pearson: pearson(scores, ho.map((r) => r.level)), spearman: spearman(scores, ho.map((r) => r.level)) });

  console.log(`CEFR levels: ${train.length} training and ${heldOut.length} held-out (${heldOutName}) sentences\n`);
  console.log('system                          split      exact  within-1  macro-F1');
  const row = (name: string, split: string, f: ClassFigures) => console.log(`${name.padEnd(32)}${split.padEnd(9)}${f3(f.exact)}    ${f3(f.withinOne)}    ${f3(f.macroF1)}`);
  for (const [name, s] of [['ours, shipped model', shipped], ['ours, refitted on this train', refit], ['Flesch-Kincaid, fitted on train', fk]] as const) {
    row(name, 'train', s.train);
    row('', 'held-out', s.heldOut);
  }
  const corr = { shipped: correlation(ho.map((r) => r.shipped)), refit: correlation(refitHeld), fk: correlation(ho.map((r) => r.fk)) };
  console.log(`\nheld-out Spearman with the level: shipped ${f3(corr.shipped.spearman)}, refitted ${f3(corr.refit.spearman)}, Flesch-Kincaid ${f3(corr.fk.spearman)}`);
  return {
    result: { kind: 'cefr', train: train.length, heldOut: heldOut.length, heldOutFile: heldOutName, shipped, refit, fleschKincaid: fk, heldOutCorrelation: corr, refitCuts },
    predictions: heldOut.map((it, i) => ({
      id: it.id,
      level: CEFR_LEVELS[it.level - 1],
      score: ho[i]!.shipped,
      predicted: CEFR_LEVELS[classOf(ho[i]!.shipped, LEVEL_MODEL.cuts) - 1],
      refitScore: refitHeld[i],
      refitPredicted: CEFR_LEVELS[classOf(refitHeld[i]!, refitCuts) - 1],
      fkGrade: ho[i]!.fk,
      fkPredicted: CEFR_LEVELS[classOf(fkHeld[i]!, fkCuts) - 1],
    })),
  };
}

// ---------------------------------------------------------------------------------------------

function easinessBench(items: { id: string; text: string; easiness: number }[], lexicon: Lexicon, folds: number, seed: number) {
  const rows = items.map((it) => ({ ...featureRow(it.text, lexicon), fk: fleschKincaid(it.text).grade }));
  // Difficulty is the negated easiness.
  const truth = items.map((it) => -it.easiness);
  const fold = foldsOf(items.length, folds, seededRandom(seed));
  const crossValidated = new Array<number>(items.length);
  for (let k = 0; k < folds; k++) {
    const trainIdx = items.flatMap((_, i) => (fold[i] === k ? [] : [i]));
    const m: Ridge = fitRidge(trainIdx.map((i) => rows[i]!.row), trainIdx.map((i) => truth[i]!), REFIT_LAMBDA);
    items.forEach((_, i) => {
      if (fold[i] === k) crossValidated[i] = predictRidge(m, rows[i]!.row);
    });
  }
  const inSampleModel = fitRidge(rows.map((r) => r.row), truth, REFIT_LAMBDA);
  const inSample = rows.map((r) => predictRidge(inSampleModel, r.row));
  const corr = (s: number[]) => ({ pearson: pearson(s, truth), spearman: spearman(s, truth) });
  const result = {
    kind: 'easiness',
    items: items.length,
    folds,
    seed,
    shipped: corr(rows.map((r) => r.shipped)),
    refitKFold: corr(crossValidated),
    refitInSample: corr(inSample),
    fleschKincaid: corr(rows.map((r) => r.fk)),
  };
  console.log(`Continuous difficulty: ${items.length} texts, correlation with -bt_easiness\n`);
  console.log('system                                        Pearson  Spearman');
  const row = (name: string, c: { pearson: number; spearman: number }) => console.log(`${name.padEnd(46)}${f3(c.pearson)}   ${f3(c.spearman)}`);
  row('ours, shipped model (not fitted here)', result.shipped);
  row(`ours, refitted here, ${folds}-fold held-out`, result.refitKFold);
  row('ours, refitted here, in-sample', result.refitInSample);
  row('Flesch-Kincaid grade', result.fleschKincaid);
  return {
    result,
    predictions: items.map((it, i) => ({ id: it.id, easiness: it.easiness, score: rows[i]!.shipped, kFoldScore: crossValidated[i], fold: fold[i], fkGrade: rows[i]!.fk })),
  };
}

// ---------------------------------------------------------------------------------------------

interface Combination {
  readonly ridge: Ridge;
  readonly cuts: CutPoints;
}

interface FrozenLevels {
  readonly fittedOn: string;
  readonly inputs: readonly string[];
  readonly combination: Combination;
  readonly shippedCuts: CutPoints;
  readonly fkCuts: CutPoints;
}

const COMBINATION_INPUTS = ['levelScore', 'lexicalLoad', 'syntacticLoad'] as const;

function fitCombination(items: { x: number[]; level: 0 | 1 | 2; article: string }[]): Combination {
  const ridge = fitRidge(items.map((i) => i.x), items.map((i) => i.level), COMBINATION_LAMBDA);
  const cuts = fitCutPoints(items.map((i) => ({ article: i.article, level: i.level, score: predictRidge(ridge, i.x) })));
  return { ridge, cuts };
}

/** Cut-points (and, for the combination, weights) fitted on all other articles, applied to each article in turn. */
function leaveOneArticleOut<T extends { article: string; level: 0 | 1 | 2 }>(items: T[], fit: (train: T[]) => (item: T) => 0 | 1 | 2): number {
  let right = 0;
  for (const a of new Set(items.map((i) => i.article))) {
    const classifier = fit(items.filter((i) => i.article !== a));
    for (const it of items) if (it.article === a && classifier(it) === it.level) right++;
  }
  return right / items.length;
}

function threeLevelBench(dir: string, lexicon: Lexicon, frozenPath: string | undefined) {
  const { texts, skipped } = loadLevelledTexts(dir);
  const items = texts.map((t) => {
    const d = referenceDifficulty(t.text, 'en', lexicon, VOCABULARY_BY_LEVEL.B1);
    const level = d.levelScore ?? featureRow(t.text, lexicon).shipped;
    const fk = fleschKincaid(t.text);
    // The product labels each paragraph (a line of these files): their mean is the level a
    // reader of the whole text sees, passage by passage.
    const paragraphScores = t.text
      .split('\n')
      .filter((p) => p.trim().split(/\s+/).length >= PARAGRAPH_MIN_WORDS)
      .map((p) => featureRow(p, lexicon).shipped);
    const paragraphMean = paragraphScores.length ? paragraphScores.reduce((a, b) => a + b, 0) / paragraphScores.length : level;
    return { article: t.article, level: t.level, shipped: level, paragraphMean, fk: fk.grade, words: fk.words, x: [level, d.lexical.lexicalLoad, d.syntax.load], oldScore: d.score };
  });
  const scored = (pick: (i: (typeof items)[number]) => number): ScoredText[] => items.map((i) => ({ article: i.article, level: i.level, score: pick(i) }));
  const single = (pick: (i: (typeof items)[number]) => number) => {
    const s = scored(pick);
    const o = ordering(s);
    return {
      pairwise: o.pairwise,
      triples: o.triples,
      threeClass: accuracy(s, fitCutPoints(s)),
      threeClassLeaveOneOut: leaveOneArticleOut(s, (train) => {
        const cuts = fitCutPoints(train);
        return (it) => classify(it.score, cuts);
      }),
      cutpoints: fitCutPoints(s),
    };
  };
  const all = fitCombination(items);
  const combinationScore = (i: (typeof items)[number], c: Combination = all) => predictRidge(c.ridge, i.x);
  const combination = {
    ...single((i) => combinationScore(i)),
    threeClassLeaveOneOut: leaveOneArticleOut(items, (train) => {
      const c = fitCombination(train);
      return (it) => classify(combinationScore(it, c), c.cuts);
    }),
    weights: Object.fromEntries(COMBINATION_INPUTS.map((n, j) => [n, all.ridge.weights[j]! / all.ridge.scale[j]!])),
  };
  // The loads alone, without the level score: what the level adds to them. The lexical load
  // counts distinct unknown words per square root of words, so it grows with a text's length.
  const loadsItems = items.map((i) => ({ ...i, x: i.x.slice(1) }));
  const loadsAll = fitCombination(loadsItems);
  const loadsOnly = {
    ...single((i) => predictRidge(loadsAll.ridge, i.x.slice(1))),
    threeClassLeaveOneOut: leaveOneArticleOut(loadsItems, (train) => {
      const c = fitCombination(train);
      return (it) => classify(predictRidge(c.ridge, it.x), c.cuts);
    }),
  };
  const meanWords = [0, 1, 2].map((l) => {
    const w = items.filter((i) => i.level === l).map((i) => i.words);
    return w.reduce((a, b) => a + b, 0) / Math.max(1, w.length);
  });
  const result = {
    kind: 'three-levels',
    meanWords,
    loadsOnly,
    articles: ordering(scored((i) => i.shipped)).articles,
    skippedArticles: skipped,
    levelScore: single((i) => i.shipped),
    paragraphMean: single((i) => i.paragraphMean),
    combination,
    fleschKincaid: single((i) => i.fk),
    previousScore: single((i) => i.oldScore),
    frozen: undefined as undefined | { fittedOn: string; levelScore: number; combination: number; fleschKincaid: number },
  };
  let frozen: FrozenLevels | undefined;
  if (frozenPath && existsSync(frozenPath)) {
    frozen = JSON.parse(readFileSync(frozenPath, 'utf8')) as FrozenLevels;
    const f = frozen;
    result.frozen = {
      fittedOn: f.fittedOn,
      levelScore: accuracy(scored((i) => i.shipped), f.shippedCuts),
      combination: accuracy(scored((i) => combinationScore(i, f.combination)), f.combination.cuts),
      fleschKincaid: accuracy(scored((i) => i.fk), f.fkCuts),
    };
  } else if (frozenPath) {
    const out: FrozenLevels = { fittedOn: dir, inputs: COMBINATION_INPUTS, combination: all, shippedCuts: result.levelScore.cutpoints, fkCuts: result.fleschKincaid.cutpoints };
    writeJson(frozenPath, out);
  }

  console.log(`Three reading levels: ${result.articles} articles x 3${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}\n`);
  console.log('score                                   pairwise  triples  3-class in-sample  3-class leave-one-article-out  frozen');
  const row = (name: string, f: { pairwise: number; triples: number; threeClass: number; threeClassLeaveOneOut: number }, fz?: number) =>
    console.log(`${name.padEnd(40)}${f3(f.pairwise)}   ${f3(f.triples)}   ${f3(f.threeClass)}             ${f3(f.threeClassLeaveOneOut)}                      ${f3(fz)}`);
  row('CEFR level score (shipped)', result.levelScore, result.frozen?.levelScore);
  row('  same, mean over its paragraphs', result.paragraphMean);
  row('level + lexical + syntactic loads', result.combination, result.frozen?.combination);
  row('lexical + syntactic loads (no level)', result.loadsOnly);
  row('Flesch-Kincaid grade', result.fleschKincaid, result.frozen?.fleschKincaid);
  row('previous difficulty score', result.previousScore);
  console.log(`\ncombination weights (per unit, fitted on all articles): ${Object.entries(combination.weights).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  console.log(`mean words per text: ele ${meanWords[0]!.toFixed(0)}, int ${meanWords[1]!.toFixed(0)}, adv ${meanWords[2]!.toFixed(0)} (the lexical load grows with length; the level score does not)`);
  if (frozen) console.log(`frozen weights and cut-points from ${frozenPath} (fitted on ${frozen.fittedOn})`);
  else if (frozenPath) console.log(`weights and cut-points written to ${frozenPath}`);
  const names = ['ele', 'int', 'adv'];
  const cuts = { shipped: frozen?.shippedCuts ?? result.levelScore.cutpoints, combination: frozen?.combination ?? all, fk: frozen?.fkCuts ?? result.fleschKincaid.cutpoints };
  return {
    result,
    predictions: items.map((i) => ({
      article: i.article,
      level: names[i.level],
      score: i.shipped,
      cefr: CEFR_LEVELS[classOf(i.shipped, LEVEL_MODEL.cuts) - 1],
      predicted: names[classify(i.shipped, cuts.shipped)],
      combinationScore: combinationScore(i, cuts.combination),
      combinationPredicted: names[classify(combinationScore(i, cuts.combination), cuts.combination.cuts)],
      fkGrade: i.fk,
      fkPredicted: names[classify(i.fk, cuts.fk)],
    })),
  };
}

// ---------------------------------------------------------------------------------------------

function writeJson(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.dataDir)) {
    console.error(`No data at ${args.dataDir}: pass a CEFR, easiness or three-level folder (see ../shared/data/README.md).`);
    process.exit(2);
  }
  const { list, from } = await loadFrequencyList(ROOT);
  const lexicon = createLexicon(list);
  console.log(`Level benchmark: ${args.dataDir}\nfrequency list: ${from}; shipped model: ${(LEVEL_MODEL as { fittedOn?: string }).fittedOn ?? 'lib/level-model.json'}\n`);
  const threeLevels = ['ele', 'int', 'adv'].every((l) => existsSync(join(args.dataDir, l)));
  const run = threeLevels
    ? threeLevelBench(args.dataDir, lexicon, args.cutpoints)
    : (() => {
        const set = loadLevelSet(args.dataDir);
        return set.kind === 'cefr' ? cefrBench(set.train, set.heldOut, lexicon, set.heldOutName) : easinessBench(set.items, lexicon, args.folds, args.seed);
      })();
  if (args.json) writeJson(args.json, { benchmark: 'level', data: args.dataDir, ...run.result });
  if (args.predictions) {
    mkdirSync(dirname(args.predictions), { recursive: true });
    writeFileSync(args.predictions, run.predictions.map((p) => JSON.stringify(p)).join('\n') + '\n');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
