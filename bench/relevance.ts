/**
 * Topic-relevance benchmark: how well each system ranks held-out paragraphs by the
 * simulated learner's interest after N feedback events (protocol in
 * /work/shared/data/README.md and bench/lib/relevance-protocol.ts).
 *
 *   npx tsx bench/relevance.ts [dataDir] [--json out.json] [--predictions out.jsonl]
 *                              [--seed 1] [--runs 5] [--quantized] [--cache dir] [--ablations]
 *                              [--only head,naive head] [--page-context 0.5]
 *
 * Systems, side by side in the same run on the same embeddings and splits: the head
 * (lib/head.ts, with the contrast topics of lib/interests.ts), the naive head (cosine, then
 * plain online LR), the TF-IDF fallback tier (lib/tfidf.ts), and the ceiling (offline LR on
 * every labelled stream paragraph). --ablations adds the head without contrast topics and
 * the head with contrast topics minus the five that name this benchmark's topics (to show
 * how much of the cold start depends on the contrast list happening to contain them). Figures are ROC AUC means over the five
 * topics; the table shows the fixed seed and the median over `--runs` seeds (seed,
 * seed+1, ...). --predictions writes every held-out score of the fixed seed. Each paragraph
 * is judged in the context of its article, as the product judges it in the context of its
 * page (lib/page-context.ts; --page-context 0 judges paragraphs alone), for every system
 * alike. Under the table, order invariance: the head's cold-start scores of the held-out paragraphs after two
 * opposite reading histories, against a fresh head (bench/lib/relevance-stability.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Encoder } from '../lib/encoder';
import { contrastsFor, contrastTopics } from '../lib/interests';
import { inPageContext, PAGE_CONTEXT_WEIGHT } from '../lib/page-context';
import { loadTopics, splitArticles, TOPIC_INTERESTS, type Article } from './lib/relevance-data';
import { cachedEmbedder } from './lib/relevance-embeddings';
import { mean, rocAuc } from './lib/relevance-metrics';
import { median } from './lib/stats';
import { CHECKPOINTS, heldOutParagraphs, runTopic, type BenchArticle, type TopicRun } from './lib/relevance-protocol';
import {
  headScorer,
  naiveHeadScorer,
  offlineCeiling,
  tfidfScorer,
  type BenchParagraph,
  type InterestSpec,
  type ScorerSpec,
} from './lib/relevance-scorers';
import { atLeastOne, benchArgs } from './lib/cli';
import { coldStartStability, type Stability } from './lib/relevance-stability';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Goals of the task, for the pass/fail line under the table. */
const GOALS: Record<number, number> = { 0: 0.88, 10: 0.9, 50: 0.96, 200: 0.985 };

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  seed: number;
  runs: number;
  quantized: boolean;
  cacheDir: string;
  ablations: boolean;
  /** Run only the systems with these names (comma-separated), e.g. "head" for a quick check. */
  only?: string[];
  /** Weight of the article's centre in each paragraph's vector (lib/page-context.ts); the product's by default. */
  pageContext: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, resolve(projectRoot, '../shared/data/topics-dev'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    quantized: { type: 'boolean' },
    cache: { type: 'string' },
    ablations: { type: 'boolean' },
    only: { type: 'string' },
    'page-context': { type: 'string' },
  });
  return {
    dataDir,
    json: values.json,
    predictions: values.predictions,
    seed: values.seed === undefined ? 1 : Number(values.seed),
    runs: atLeastOne(values.runs, 5),
    quantized: values.quantized ?? false,
    cacheDir: values.cache ?? join(projectRoot, 'test-output', 'relevance-cache'),
    ablations: values.ablations ?? false,
    only: values.only?.split(',').map((x) => x.trim()),
    pageContext: values['page-context'] === undefined ? PAGE_CONTEXT_WEIGHT : Number(values['page-context']),
  };
}

async function loadEncoder(quantized: boolean): Promise<{ encoder: Encoder; fingerprint: string } | undefined> {
  try {
    const { createNodeEncoder, useLiteModelFingerprint } = await import('./lib/node-encoder');
    return { encoder: await createNodeEncoder({ quantized, threads: 1 }), fingerprint: useLiteModelFingerprint(quantized) };
  } catch (e) {
    console.warn(`no encoder (${(e as Error).message}); running the TF-IDF tier only`);
    return undefined;
  }
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ');

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const articles = loadTopics(args.dataDir);
  const topics = Object.keys(TOPIC_INTERESTS).filter((t) => articles.some((a) => a.topic === t));
  const loaded = await loadEncoder(args.quantized);
  const encoder = loaded?.encoder;
  const embedder = loaded ? cachedEmbedder(loaded.encoder, args.cacheDir, loaded.fingerprint) : undefined;
  const zero = new Float32Array(1);

  // Embed every paragraph and interest once (cached on disk across runs).
  const t0 = performance.now();
  const allTexts = articles.flatMap((a) => a.paragraphs.map((p) => p.text));
  const interestTexts = topics.map((t) => TOPIC_INTERESTS[t]!);
  const contrastTexts = [...contrastTopics('en')];
  const vectors = embedder ? await embedder.embedAll([...allTexts, ...interestTexts, ...contrastTexts]) : [];
  const embedMillis = performance.now() - t0;
  let k = 0;
  const pageContext = args.pageContext;
  const benchArticles: BenchArticle[] = articles.map((a: Article) => {
    const own = a.paragraphs.map(() => vectors[k++] ?? zero);
    const inContext = pageContext > 0 ? inPageContext(own, pageContext) : own;
    return { id: a.id, topic: a.topic, paragraphs: a.paragraphs.map((p, i) => ({ id: p.id, text: p.text, embedding: inContext[i]! })) };
  });
  const contrasts = contrastTexts.map((text, i) => ({
    id: `contrast:${i}`,
    text,
    embedding: vectors[allTexts.length + interestTexts.length + i] ?? zero,
  }));
  const interests: Record<string, InterestSpec> = {};
  topics.forEach((t, i) => {
    // The contrasts the product would give this learner (lib/interests.ts).
    const own = new Set(contrastsFor([TOPIC_INTERESTS[t]!], 'en'));
    interests[t] = { id: `interest:${t}`, text: TOPIC_INTERESTS[t]!, embedding: vectors[allTexts.length + i] ?? zero, contrasts: contrasts.filter((c) => own.has(c.text)) };
  });
  const byId = new Map(benchArticles.map((a) => [a.id, a]));

  // The contrast categories that name this benchmark's topics, for the ablation.
  const benchmarkNamed = new Set(['arts, culture, entertainment and media', 'economy, business and finance', 'politics', 'science and technology', 'sport']);
  const allSystems: ScorerSpec[] = embedder
    ? [
        headScorer('head'),
        ...(args.ablations
          ? [
              headScorer('head, no contrasts', {}, () => []),
              headScorer('head, contrasts minus 5', {}, (cs) => cs.filter((c) => !benchmarkNamed.has(c.text))),
            ]
          : []),
        naiveHeadScorer,
        tfidfScorer,
      ]
    : [tfidfScorer];
  const systems = args.only ? allSystems.filter((x) => args.only!.includes(x.name)) : allSystems;
  if (systems.length === 0) throw new Error(`--only ${args.only!.join(',')}: no such system (${allSystems.map((x) => x.name).join(', ')})`);
  const encoderInfo = { id: embedder?.encoderId ?? 'none', dims: embedder?.dims ?? 0 };

  // results[system][seedIndex][checkpointIndex] = mean AUC over topics
  const results: Record<string, number[][]> = {};
  const perTopic: Record<string, Record<string, number[]>> = {};
  const millis: Record<string, number> = {};
  const ceiling: number[] = [];
  const predictionLines: string[] = [];
  const seeds = Array.from({ length: args.runs }, (_, i) => args.seed + i);

  let stability: Stability | undefined;
  for (const [si, seed] of seeds.entries()) {
    const split = splitArticles(articles, seed);
    const stream = split.stream.map((a) => byId.get(a.id)!);
    const heldOut = split.heldOut.map((a) => byId.get(a.id)!);
    const { paragraphs: test, topics: testTopics } = heldOutParagraphs(heldOut);
    if (si === 0 && embedder) {
      // Cold-start scores of the held-out paragraphs after two opposite reading histories.
      const each = topics.map((t) => coldStartStability(t, interests[t]!, encoderInfo, stream, test.map((p) => p.embedding)));
      stability = { meanAbsChangeBits: Math.max(...each.map((s) => s.meanAbsChangeBits)), spearman: Math.min(...each.map((s) => s.spearman)) };
    }
    for (const system of systems) {
      const runs: TopicRun[] = topics.map((t) => runTopic(system, t, interests[t]!, encoderInfo, stream, heldOut));
      (results[system.name] ??= []).push(CHECKPOINTS.map((_, c) => mean(runs.map((r) => r.checkpoints[c]!.auc))));
      millis[system.name] = (millis[system.name] ?? 0) + runs.reduce((s, r) => s + r.millis, 0);
      if (si === 0) {
        perTopic[system.name] = Object.fromEntries(runs.map((r) => [r.topic, r.checkpoints.map((c) => c.auc)]));
        if (args.predictions) {
          for (const r of runs) for (const c of r.checkpoints) {
            c.scores.forEach((score, i) => {
              predictionLines.push(
                JSON.stringify({ seed, system: system.name, topic: r.topic, n: c.n, id: test[i]!.id, score, label: testTopics[i] === r.topic ? 1 : 0 }),
              );
            });
          }
        }
      }
    }
    if (embedder) {
      const train = stream.flatMap((a) => a.paragraphs.map((p: BenchParagraph) => ({ embedding: p.embedding, topic: a.topic })));
      const aucs = topics.map((t) => {
        const scores = offlineCeiling(train.map((x) => ({ embedding: x.embedding, label: (x.topic === t ? 1 : 0) as 0 | 1 })), test.map((p) => p.embedding));
        return rocAuc(scores, testTopics.map((tt) => (tt === t ? 1 : 0)));
      });
      ceiling.push(mean(aucs));
    }
  }

  // ---- report
  const header = ['system'.padEnd(24), ...CHECKPOINTS.map((n) => `N=${n}`.padStart(7))].join(' ');
  const rows = (pick: (runs: number[][]) => number[]) =>
    systems.map((s) => [s.name.padEnd(24), ...pick(results[s.name]!).map((x) => f3(x).padStart(7))].join(' '));
  console.log(`\nTopic relevance, ROC AUC (mean of ${topics.length} topics) on ${args.dataDir}`);
  console.log(`encoder ${encoderInfo.id} (${encoderInfo.dims} d), ${allTexts.length} paragraphs, ${articles.length} articles; embedding ${(embedMillis / 1000).toFixed(1)} s (${embedder?.misses() ?? 0} new)`);
  console.log(`\nFixed seed ${args.seed}:`);
  console.log(header);
  for (const r of rows((runs) => runs[0]!)) console.log(r);
  if (ceiling.length) console.log(`${'ceiling (offline LR)'.padEnd(24)} ${f3(ceiling[0]!).padStart(7)}  (trained on every labelled stream paragraph)`);
  if (seeds.length > 1) {
    console.log(`\nMedian over ${seeds.length} seeds (${seeds.join(', ')}):`);
    console.log(header);
    for (const r of rows((runs) => CHECKPOINTS.map((_, c) => median(runs.map((x) => x[c]!))))) console.log(r);
    if (ceiling.length) console.log(`${'ceiling (offline LR)'.padEnd(24)} ${f3(median(ceiling)).padStart(7)}`);
  }
  const main = results['head'];
  if (main) {
    console.log(`\nPer topic, head, seed ${args.seed}:`);
    for (const [t, aucs] of Object.entries(perTopic['head']!)) console.log(`  ${t.padEnd(20)} ${aucs.map((x) => f3(x).padStart(7)).join(' ')}`);
    const med = CHECKPOINTS.map((_, c) => median(main.map((x) => x[c]!)));
    const goalLine = Object.entries(GOALS).map(([n, goal]) => {
      const got = med[CHECKPOINTS.indexOf(Number(n) as (typeof CHECKPOINTS)[number])]!;
      return `N=${n} ${f3(got)} ${got >= goal ? '>=' : '<'} ${goal}`;
    });
    const floor = med[0]!;
    const noDip = med.every((x) => x >= floor);
    // Also per seed: a checkpoint below that seed's own cold start.
    const dips = main.flatMap((run, i) => run.flatMap((x, c) => (x < run[0]! ? [`seed ${seeds[i]} N=${CHECKPOINTS[c]}`] : [])));
    console.log(`\nGoals (median over seeds): ${goalLine.join(', ')}; no checkpoint below N=0: ${noDip ? 'yes' : 'NO'}`);
    console.log(`Checkpoints below their own seed's N=0: ${dips.length ? dips.join(', ') : 'none'}`);
    const naive = results['naive head'];
    if (naive) {
      const nm = CHECKPOINTS.map((_, c) => median(naive.map((x) => x[c]!)));
      console.log(`head - naive head (median AUC):   ${med.map((x, c) => (x - nm[c]!).toFixed(3).padStart(7)).join(' ')}`);
    }
  }
  if (stability) {
    console.log(
      `\nOrder invariance, no feedback (seed ${args.seed}, worst of ${topics.length} topics x 2 reading histories against a fresh head): ` +
        `mean |change| ${stability.meanAbsChangeBits.toFixed(3)} bits (goal <= 0.05), Spearman ${stability.spearman.toFixed(4)} (goal >= 0.99)`,
    );
  }
  console.log(`\nTime per system (all seeds and topics): ${Object.entries(millis).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);

  if (args.json) {
    mkdirSync(dirname(resolve(args.json)), { recursive: true });
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          benchmark: 'relevance',
          dataDir: args.dataDir,
          encoder: encoderInfo,
          checkpoints: CHECKPOINTS,
          seeds,
          topics,
          fixedSeed: Object.fromEntries(systems.map((s) => [s.name, results[s.name]![0]])),
          medianOverSeeds: Object.fromEntries(systems.map((s) => [s.name, CHECKPOINTS.map((_, c) => median(results[s.name]!.map((x) => x[c]!)))])),
          perSeed: results,
          perTopicFixedSeed: perTopic,
          ceiling: ceiling.length ? { fixedSeed: ceiling[0], median: median(ceiling), perSeed: ceiling } : null,
          goals: GOALS,
          orderInvariance: stability ?? null,
          millis,
        },
        null,
        2,
      ),
    );
  }
  if (args.predictions) {
    mkdirSync(dirname(resolve(args.predictions)), { recursive: true });
    writeFileSync(args.predictions, predictionLines.join('\n') + '\n');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
