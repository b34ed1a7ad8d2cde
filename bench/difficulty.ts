/**
 * Difficulty benchmark: does the extension's difficulty score order and classify texts
 * rewritten at three reading levels (OneStopEnglish: ele < int < adv)?
 *
 *   npx tsx bench/difficulty.ts [dataDir] [--json out.json] [--predictions out.json]
 *                               [--cutpoints cuts.json] [--runs 3]
 *
 * dataDir defaults to ../shared/data/readability-dev (relative to the project root).
 * The score is lib/difficulty.ts's `referenceDifficulty(...).score` for a fixed reference
 * learner (level B1 vocabulary, no word states): soft Advanced Guiraud of the words that
 * learner probably does not know, plus SYNTAX_WEIGHT x syntactic load. No weight is fitted
 * here; only the two 3-class cut-points are, on this folder, with a leave-one-article-out
 * figure beside them. `--cutpoints FILE`: if FILE exists its frozen cut-points are applied
 * (the way to score another folder); if not, the cut-points fitted here are written to it.
 * Flesch-Kincaid grade (bench/lib/difficulty-fk.ts) is scored side by side on the same texts.
 * Accuracy figures are deterministic; timings are medians over --runs runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDifficulty, difficultyScore, SYNTAX_WEIGHT } from '../lib/difficulty';
import { type CefrLevel, createLexicon, type Lexicon, VOCABULARY_BY_LEVEL } from '../lib/vocabulary';
import { fleschKincaid } from './lib/difficulty-fk';
import { loadFrequencyList, loadLevelledTexts, type LevelledText } from './lib/difficulty-data';
import {
  accuracy,
  classify,
  type CutPoints,
  fitCutPoints,
  leaveOneArticleOutAccuracy,
  ordering,
  type ScoredText,
} from './lib/difficulty-metrics';
import { atLeastOne, benchArgs } from './lib/cli';
import { median } from './lib/stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_LEVEL: CefrLevel = 'B1';
const ANCHORS = { fk: { pairwise: 0.967, triples: 0.9, threeClass: 0.6 }, hanThreeClass: 0.787 };
const GOALS = { pairwise: 0.98, triples: 0.95, threeClass: 0.8 };

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  cutpoints?: string;
  runs: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, resolve(ROOT, '../shared/data/readability-dev'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    cutpoints: { type: 'string' },
    runs: { type: 'string' },
  });
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(p));
  return { dataDir, json: path(values.json), predictions: path(values.predictions), cutpoints: path(values.cutpoints), runs: atLeastOne(values.runs, 3) };
}

interface Figures {
  pairwise: number;
  triples: number;
  /** 3-class accuracy with the cut-points fitted on this folder. */
  threeClass: number;
  /** The same, each article classified with cut-points fitted on the other articles only. */
  threeClassLeaveOneOut: number;
  cutpoints: CutPoints;
  /** Accuracy with frozen cut-points read from --cutpoints, when given and present. */
  threeClassFrozen?: number;
}

function figures(items: ScoredText[], frozen?: CutPoints): Figures {
  const o = ordering(items);
  const cutpoints = fitCutPoints(items);
  return {
    pairwise: o.pairwise,
    triples: o.triples,
    threeClass: accuracy(items, cutpoints),
    threeClassLeaveOneOut: leaveOneArticleOutAccuracy(items),
    cutpoints,
    ...(frozen ? { threeClassFrozen: accuracy(items, frozen) } : {}),
  };
}

interface FrozenFile {
  readonly fittedOn: string;
  readonly score: { readonly referenceLevel: CefrLevel; readonly vocabularySize: number; readonly syntaxWeight: number };
  readonly ours: CutPoints;
  readonly fk: CutPoints;
}

/** Word-weighted mean of paragraph scores: the score as the extension computes it, per paragraph. */
function paragraphMeanScore(text: string, lexicon: Lexicon, vocabularySize: number): number {
  let sum = 0;
  let weight = 0;
  for (const p of text.split(/\n\s*\n|\n/)) {
    if (!p.trim()) continue;
    const d = referenceDifficulty(p, 'en', lexicon, vocabularySize);
    sum += d.score * d.syntax.words;
    weight += d.syntax.words;
  }
  return weight ? sum / weight : 0;
}

function timeMs(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const pct = (x: number | undefined) => (x === undefined ? '   -  ' : x.toFixed(3).padStart(6));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.dataDir)) {
    console.error(`No data at ${args.dataDir}: pass a folder with ele/, int/ and adv/ (see ../shared/data/README.md).`);
    process.exit(2);
  }
  const { texts, skipped } = loadLevelledTexts(args.dataDir);
  const { list, from } = await loadFrequencyList(ROOT);
  const lexicon = createLexicon(list);
  const vocabularySize = VOCABULARY_BY_LEVEL[REFERENCE_LEVEL];

  let frozen: FrozenFile | undefined;
  if (args.cutpoints && existsSync(args.cutpoints)) {
    frozen = JSON.parse(readFileSync(args.cutpoints, 'utf8')) as FrozenFile;
    const s = frozen.score;
    if (s.vocabularySize !== vocabularySize || s.syntaxWeight !== SYNTAX_WEIGHT) {
      console.warn(`warning: ${args.cutpoints} was fitted for a different score (${JSON.stringify(s)}); applying it anyway`);
    }
  }

  // Scores, timed per run (the figures are the same every run; the timings are not).
  const oursMs: number[] = [];
  const fkMs: number[] = [];
  let ours: ScoredText[] = [];
  let fk: ScoredText[] = [];
  const details = new Map<LevelledText, { lexicalLoad: number; syntacticLoad: number; coverage: number; level: CefrLevel }>();
  for (let run = 0; run < args.runs; run++) {
    oursMs.push(
      timeMs(() => {
        ours = texts.map((t) => {
          const d = referenceDifficulty(t.text, 'en', lexicon, vocabularySize);
          details.set(t, { lexicalLoad: d.lexical.lexicalLoad, syntacticLoad: d.syntax.load, coverage: d.lexical.coverage, level: d.level });
          return { article: t.article, level: t.level, score: d.score };
        });
      }) / texts.length,
    );
    fkMs.push(
      timeMs(() => {
        fk = texts.map((t) => ({ article: t.article, level: t.level, score: fleschKincaid(t.text).grade }));
      }) / texts.length,
    );
  }
  const paragraphMean = texts.map((t) => ({ article: t.article, level: t.level, score: paragraphMeanScore(t.text, lexicon, vocabularySize) }));

  const result = {
    data: args.dataDir,
    articles: ordering(ours).articles,
    skippedArticles: skipped,
    frequencyList: from,
    reference: { level: REFERENCE_LEVEL, vocabularySize, syntaxWeight: SYNTAX_WEIGHT },
    ours: figures(ours, frozen?.ours),
    fleschKincaid: figures(fk, frozen?.fk),
    oursParagraphMean: figures(paragraphMean),
    timing: {
      runs: args.runs,
      oursMsPerTextMedian: median(oursMs),
      fkMsPerTextMedian: median(fkMs),
      ratioOursToFk: median(oursMs) / median(fkMs),
    },
    // How much the figures depend on the two stated choices (not used to pick them here).
    sensitivity: [] as Array<{ level: CefrLevel; syntaxWeight: number; pairwise: number; triples: number; threeClass: number; threeClassLeaveOneOut: number }>,
    anchors: ANCHORS,
    goals: GOALS,
  };
  for (const level of ['A2', 'B1', 'B2'] as CefrLevel[]) {
    const loads = texts.map((t) => {
      const d = level === REFERENCE_LEVEL ? details.get(t)! : (() => {
        const e = referenceDifficulty(t.text, 'en', lexicon, VOCABULARY_BY_LEVEL[level]);
        return { lexicalLoad: e.lexical.lexicalLoad, syntacticLoad: e.syntax.load };
      })();
      return { t, lexicalLoad: d.lexicalLoad, syntacticLoad: d.syntacticLoad };
    });
    for (const w of [0, 0.25, 0.5, 1, 2]) {
      const items = loads.map(({ t, lexicalLoad, syntacticLoad }) => ({ article: t.article, level: t.level, score: difficultyScore(lexicalLoad, syntacticLoad, w) }));
      const f = figures(items);
      result.sensitivity.push({ level, syntaxWeight: w, pairwise: f.pairwise, triples: f.triples, threeClass: f.threeClass, threeClassLeaveOneOut: f.threeClassLeaveOneOut });
    }
  }

  // Human-readable table.
  console.log(`Difficulty benchmark: ${args.dataDir}`);
  console.log(`${result.articles} articles x 3 levels${skipped.length ? ` (skipped, not at all levels: ${skipped.join(', ')})` : ''}; frequency list: ${from}`);
  console.log(`Reference learner: ${REFERENCE_LEVEL} (${vocabularySize} ranks), syntax weight ${SYNTAX_WEIGHT}\n`);
  console.log('score                     pairwise  triples  3-class  3-class LOO  3-class frozen');
  const row = (name: string, f: Figures) =>
    console.log(`${name.padEnd(26)}${pct(f.pairwise)}   ${pct(f.triples)}   ${pct(f.threeClass)}   ${pct(f.threeClassLeaveOneOut)}       ${pct(f.threeClassFrozen)}`);
  row('ours (whole text)', result.ours);
  row('Flesch-Kincaid grade', result.fleschKincaid);
  row('ours (paragraph mean)', result.oursParagraphMean);
  console.log(`\nanchors: FK ${ANCHORS.fk.pairwise} / ${ANCHORS.fk.triples} / ~${ANCHORS.fk.threeClass}; HAN 3-class ${ANCHORS.hanThreeClass}. goals: >= ${GOALS.pairwise} / ${GOALS.triples} / ${GOALS.threeClass}`);
  const better = (['pairwise', 'triples', 'threeClass', 'threeClassLeaveOneOut'] as const).map((k) => `${k} ${result.ours[k] > result.fleschKincaid[k] ? '>' : result.ours[k] === result.fleschKincaid[k] ? '=' : '<'} FK`);
  console.log(`ours vs FK, same run: ${better.join(', ')}`);
  console.log(`cut-points fitted here: ours [${result.ours.cutpoints.low.toFixed(3)}, ${result.ours.cutpoints.high.toFixed(3)}], FK [${result.fleschKincaid.cutpoints.low.toFixed(2)}, ${result.fleschKincaid.cutpoints.high.toFixed(2)}]`);
  console.log(`time per text (median of ${args.runs}): ours ${result.timing.oursMsPerTextMedian.toFixed(2)} ms, FK ${result.timing.fkMsPerTextMedian.toFixed(2)} ms (ratio ${result.timing.ratioOursToFk.toFixed(1)})`);
  console.log('\nsensitivity (reference level x syntax weight): pairwise / triples / 3-class / 3-class LOO');
  for (const s of result.sensitivity) {
    console.log(`  ${s.level} w=${String(s.syntaxWeight).padEnd(5)} ${pct(s.pairwise)} ${pct(s.triples)} ${pct(s.threeClass)} ${pct(s.threeClassLeaveOneOut)}`);
  }

  if (args.cutpoints && !frozen) {
    const out: FrozenFile = {
      fittedOn: args.dataDir,
      score: { referenceLevel: REFERENCE_LEVEL, vocabularySize, syntaxWeight: SYNTAX_WEIGHT },
      ours: result.ours.cutpoints,
      fk: result.fleschKincaid.cutpoints,
    };
    writeJson(args.cutpoints, out);
    console.log(`\ncut-points written to ${args.cutpoints} (apply them to another folder with --cutpoints ${args.cutpoints})`);
  } else if (frozen) {
    console.log(`\nfrozen cut-points from ${args.cutpoints} (fitted on ${frozen.fittedOn}) applied: ours ${pct(result.ours.threeClassFrozen)}, FK ${pct(result.fleschKincaid.threeClassFrozen)}`);
  }
  if (args.json) writeJson(args.json, result);
  if (args.predictions) {
    const cutsOurs = frozen?.ours ?? result.ours.cutpoints;
    const cutsFk = frozen?.fk ?? result.fleschKincaid.cutpoints;
    const names = ['ele', 'int', 'adv'];
    writeJson(
      args.predictions,
      texts.map((t, i) => {
        const d = details.get(t)!;
        return {
          article: t.article,
          level: names[t.level],
          score: ours[i]!.score,
          lexicalLoad: d.lexicalLoad,
          syntacticLoad: d.syntacticLoad,
          coverage: d.coverage,
          cefr: d.level,
          predicted: names[classify(ours[i]!.score, cutsOurs)],
          fkGrade: fk[i]!.score,
          fkPredicted: names[classify(fk[i]!.score, cutsFk)],
        };
      }),
    );
  }
}

function writeJson(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
