/**
 * Encoding speed of the bundled USE-lite encoder: 200 paragraphs of ~100 words.
 *
 *   npx tsx bench/encode.ts [dataDir] [--json out.json] [--runs N] [--runtimes node,web]
 *                           [--threads 1,2] [--precisions fp32,int8] [--web-naive]
 *
 * dataDir defaults to ../shared/data/topics-dev (BBC articles; consecutive paragraphs of an
 * article are joined to ~100 words); without it, generated text is used and said so.
 *
 * For every runtime x precision x thread count, in a fresh child process (onnxruntime-web
 * fixes its thread count at first use), and --runs times each (default 3), side by side:
 *   raw    the ORT session alone on the same pre-tokenised, length-sorted batches
 *   ours   the product path: tokenise + length batching + embedding cache (cold)
 *   repeat the same page again through the same cache (all hits)
 *   naive  one model call per paragraph, no cache (on "web" only with --web-naive: it is slow)
 * Runtimes: "node" = onnxruntime-node (native CPU), "web" = onnxruntime-web's WASM build run
 * in Node, i.e. the code the extension runs in the browser (without browser overheads).
 * Reports medians and ratios, plus agreement of int8 with fp32 and of web with node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cosineSimilarity,
  createMemoryEmbeddingCache,
  planLengthBatches,
  withEmbeddingCache,
} from '../lib/encoder';
import { seededRandom } from '../lib/random';
import { words } from '../lib/text';
import { ensureUseLiteModel, loadUseLiteTokenizer } from './lib/node-encoder';
import {
  createUseLiteEncoder,
  useLiteEncoderId,
  useLiteFeeds,
  useLiteTokenIds,
  USE_LITE_DEFAULT_BATCHING,
  type OrtSessionLike,
  type OrtTensorConstructor,
} from '../platform/encoder/use-lite';
import { atLeastOne, benchArgs } from './lib/cli';
import { median } from './lib/stats';

const thisFile = fileURLToPath(import.meta.url);
const root = resolve(dirname(thisFile), '..');
const PARAGRAPHS = 200;
const TARGET_WORDS = 100;
const SAMPLE = 16; // embeddings each child returns, for the agreement checks

type Runtime = 'node' | 'web';
type Precision = 'fp32' | 'int8';
const PHASES = ['raw', 'ours', 'repeat', 'naive'] as const;
type Phase = (typeof PHASES)[number];

interface Args {
  dataDir: string;
  json?: string;
  runs: number;
  runtimes: Runtime[];
  threads: number[];
  precisions: Precision[];
  /** Also time the naive path on the WASM runtime (slow: 200 calls; off by default). */
  webNaive: boolean;
  skipNaive: boolean;
  child?: { runtime: Runtime; precision: Precision; threads: number };
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/topics-dev'), {
    json: { type: 'string' },
    runs: { type: 'string' },
    runtimes: { type: 'string' },
    threads: { type: 'string' },
    precisions: { type: 'string' },
    'web-naive': { type: 'boolean' },
    'skip-naive': { type: 'boolean' },
    child: { type: 'string' },
  });
  const list = (text: string | undefined, fallback: string[]) => (text === undefined ? fallback : text.split(','));
  const child = values.child?.split(':');
  return {
    dataDir,
    json: values.json,
    runs: atLeastOne(values.runs, 3),
    runtimes: list(values.runtimes, ['node', 'web']) as Runtime[],
    threads: list(values.threads, ['1', '2']).map(Number),
    precisions: list(values.precisions, ['fp32', 'int8']) as Precision[],
    webNaive: values['web-naive'] ?? false,
    skipNaive: values['skip-naive'] ?? false,
    ...(child ? { child: { runtime: child[0] as Runtime, precision: child[1] as Precision, threads: Number(child[2]) } } : {}),
  };
}

// --- data ----------------------------------------------------------------------------------

interface Paragraphs {
  source: string;
  texts: string[];
}

/** ~100-word paragraphs: consecutive blank-line blocks of one article, joined; topics interleaved. */
function loadParagraphs(dataDir: string): Paragraphs {
  if (!existsSync(dataDir)) return { source: `generated (no data at ${dataDir})`, texts: generatedParagraphs() };
  const topics = readdirSync(dataDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const perTopic = topics.map((t) =>
    readdirSync(join(dataDir, t))
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => join(dataDir, t, f)),
  );
  const texts: string[] = [];
  for (let k = 0; texts.length < PARAGRAPHS && perTopic.some((files) => k < files.length); k++) {
    for (const files of perTopic) {
      const file = files[k];
      if (!file) continue;
      const blocks = readFileSync(file, 'utf8').split(/\n\s*\n/).slice(1).map((b) => b.replace(/\s+/g, ' ').trim()).filter(Boolean);
      let chunk: string[] = [];
      for (const block of blocks) {
        chunk.push(block);
        const count = words(chunk.join(' ')).length;
        if (count >= TARGET_WORDS * 0.85) {
          if (count <= TARGET_WORDS * 1.4) texts.push(chunk.join(' '));
          chunk = [];
        }
      }
    }
  }
  return { source: dataDir, texts: texts.slice(0, PARAGRAPHS) };
}

function generatedParagraphs(): string[] {
  const vocabulary =
    'the a learner reads page word sentence language new old quickly slowly because when market team government film music phone game city people year report said would could first last many little'.split(' ');
  const random = seededRandom(42);
  return Array.from({ length: PARAGRAPHS }, () => {
    const out: string[] = [];
    for (let i = 0; i < TARGET_WORDS; i++) out.push(vocabulary[Math.floor(random() * vocabulary.length)]!);
    return `${out.join(' ')}.`;
  });
}

// --- one configuration (child process) -------------------------------------------------------

interface ChildResult {
  runtime: Runtime;
  precision: Precision;
  threads: number;
  sessionLoadMs: number;
  modelCalls: { ours: number; naive: number };
  runsMs: Record<Phase | 'tokenise', number[]>;
  sample: number[][];
}

async function createSession(runtime: Runtime, precision: Precision, threads: number) {
  const file = join(ensureUseLiteModel(), precision === 'int8' ? 'model.int8.onnx' : 'model.onnx');
  if (runtime === 'node') {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return { session: session as OrtSessionLike, Tensor: ort.Tensor as OrtTensorConstructor };
  }
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(readFileSync(file), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return { session: session as OrtSessionLike, Tensor: ort.Tensor as OrtTensorConstructor };
}

async function runChild(args: Args & { child: NonNullable<Args['child']> }): Promise<ChildResult> {
  const { runtime, precision, threads } = args.child;
  const { texts } = loadParagraphs(args.dataDir);
  const tokenizer = loadUseLiteTokenizer();
  const loadStart = performance.now();
  const { session, Tensor } = await createSession(runtime, precision, threads);
  const sessionLoadMs = performance.now() - loadStart;

  // Counts model calls, so the table can show what batching and the cache save.
  let calls = 0;
  const counted: OrtSessionLike = { run: (feeds) => (calls++, session.run(feeds)) };
  const encoder = createUseLiteEncoder({ session: counted, Tensor, tokenizer, id: useLiteEncoderId(precision === 'int8') });

  const sequences = texts.map((t) => useLiteTokenIds(tokenizer, t));
  const batches = planLengthBatches(sequences.map((s) => s.length), USE_LITE_DEFAULT_BATCHING).map((b) =>
    useLiteFeeds(Tensor, b.map((i) => sequences[i]!)),
  );

  // Warm-up: first runs allocate buffers and pick kernels.
  await session.run(batches[0]!);
  await encoder.embed([texts[0]!]);

  const runsMs: ChildResult['runsMs'] = { raw: [], ours: [], repeat: [], naive: [], tokenise: [] };
  const modelCalls = { ours: 0, naive: 0 };
  let sample: Float32Array[] = [];
  const timeRaw = async () => {
    const t = performance.now();
    for (const feeds of batches) await session.run(feeds);
    runsMs.raw.push(performance.now() - t);
  };
  const timeOursThenRepeat = async () => {
    const cached = withEmbeddingCache(encoder, createMemoryEmbeddingCache());
    calls = 0;
    let t = performance.now();
    const embeddings = await cached.embed(texts);
    runsMs.ours.push(performance.now() - t);
    modelCalls.ours = calls;
    sample = embeddings.slice(0, SAMPLE);
    t = performance.now();
    await cached.embed(texts);
    runsMs.repeat.push(performance.now() - t);
  };
  const timeNaive = async () => {
    if (args.skipNaive) return;
    calls = 0;
    const t = performance.now();
    for (const text of texts) await encoder.embed([text]);
    runsMs.naive.push(performance.now() - t);
    modelCalls.naive = calls;
  };
  for (let run = 0; run < args.runs; run++) {
    // Alternate the order so that drift (other processes, thermal) does not favour one path.
    const phases = run % 2 === 0 ? [timeRaw, timeOursThenRepeat, timeNaive] : [timeNaive, timeOursThenRepeat, timeRaw];
    for (const phase of phases) await phase();
    const t = performance.now();
    for (const text of texts) useLiteTokenIds(tokenizer, text);
    runsMs.tokenise.push(performance.now() - t);
  }
  return { runtime, precision, threads, sessionLoadMs, modelCalls, runsMs, sample: sample.map((v) => Array.from(v)) };
}

// --- parent: run every configuration, compare ----------------------------------------------

function runConfigInChild(args: Args, runtime: Runtime, precision: Precision, threads: number): ChildResult {
  const childArgs = [thisFile, args.dataDir, '--runs', String(args.runs), '--child', `${runtime}:${precision}:${threads}`];
  if (runtime === 'web' && !args.webNaive) childArgs.push('--skip-naive');
  // process.execArgv carries tsx's loader flags, so the child runs this same TypeScript file.
  const out = spawnSync(process.execPath, [...process.execArgv, ...childArgs], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (out.status !== 0 || !line) throw new Error(`${runtime}:${precision}:${threads} failed (${out.status}):\n${out.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

const f32 = (xs: number[]) => Float32Array.from(xs);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

function agreement(a: ChildResult | undefined, b: ChildResult | undefined) {
  if (!a || !b) return undefined;
  const cos = a.sample.map((v, i) => cosineSimilarity(f32(v), f32(b.sample[i]!)));
  const maxAbs = Math.max(...a.sample.map((v, i) => Math.max(...v.map((x, j) => Math.abs(x - b.sample[i]![j]!)))));
  return { minCosine: round(Math.min(...cos), 5), meanCosine: round(cos.reduce((s, x) => s + x, 0) / cos.length, 5), maxAbsDiff: maxAbs };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const result = await runChild({ ...args, child: args.child });
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }

  ensureUseLiteModel();
  const data = loadParagraphs(args.dataDir);
  const tokenizer = loadUseLiteTokenizer();
  const tokenCounts = data.texts.map((t) => tokenizer.encode(t).length);
  const wordCounts = data.texts.map((t) => words(t).length);
  console.log(`${data.texts.length} paragraphs from ${data.source}`);
  console.log(
    `words/paragraph median ${median(wordCounts)}, tokens median ${median(tokenCounts)} (max ${Math.max(...tokenCounts)}; the model reads at most 128)`,
  );

  const results: ChildResult[] = [];
  for (const runtime of args.runtimes) {
    for (const precision of args.precisions) {
      for (const threads of args.threads) {
        process.stdout.write(`  ${runtime} ${precision} ${threads} thread(s) x ${args.runs} runs... `);
        const r = runConfigInChild(args, runtime, precision, threads);
        results.push(r);
        console.log(`ours ${median(r.runsMs.ours).toFixed(0)} ms`);
      }
    }
  }

  const rows = results.map((r) => {
    const m = Object.fromEntries([...PHASES, 'tokenise'].map((p) => [p, median(r.runsMs[p as Phase])])) as Record<Phase | 'tokenise', number>;
    return {
      runtime: r.runtime,
      precision: r.precision,
      threads: r.threads,
      sessionLoadMs: round(r.sessionLoadMs),
      medianMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
      paragraphsPerSecond: round((data.texts.length / m.ours) * 1000),
      ratios: {
        oursOverRaw: round(m.ours / m.raw, 3),
        naiveOverOurs: round(m.naive / m.ours, 2),
        coldOverRepeat: round(m.ours / m.repeat, 0),
      },
      modelCalls: { ...r.modelCalls, repeat: 0 },
      runsMs: Object.fromEntries(Object.entries(r.runsMs).map(([k, v]) => [k, v.map((x) => round(x))])),
    };
  });

  const find = (runtime: Runtime, precision: Precision, threads?: number) =>
    results.find((r) => r.runtime === runtime && r.precision === precision && (threads === undefined || r.threads === threads));
  const oursMs = (r: ChildResult | undefined) => (r ? median(r.runsMs.ours) : NaN);
  const speedups: Record<string, number> = {};
  for (const runtime of args.runtimes) {
    for (const threads of args.threads) {
      const s = oursMs(find(runtime, 'fp32', threads)) / oursMs(find(runtime, 'int8', threads));
      if (Number.isFinite(s)) speedups[`${runtime} ${threads}t: int8 vs fp32`] = round(s, 2);
    }
    for (const precision of args.precisions) {
      const s = oursMs(find(runtime, precision, 1)) / oursMs(find(runtime, precision, 2));
      if (Number.isFinite(s)) speedups[`${runtime} ${precision}: 2 vs 1 threads`] = round(s, 2);
    }
  }
  for (const precision of args.precisions) {
    for (const threads of args.threads) {
      const s = oursMs(find('web', precision, threads)) / oursMs(find('node', precision, threads));
      if (Number.isFinite(s)) speedups[`${precision} ${threads}t: node vs web (web time / node time)`] = round(s, 2);
    }
  }
  const agreements: Record<string, NonNullable<ReturnType<typeof agreement>>> = {};
  const addAgreement = (label: string, a: ChildResult | undefined, b: ChildResult | undefined) => {
    const value = agreement(a, b);
    if (value) agreements[label] = value;
  };
  for (const runtime of args.runtimes) addAgreement(`${runtime}: int8 vs fp32`, find(runtime, 'int8'), find(runtime, 'fp32'));
  for (const precision of args.precisions) addAgreement(`${precision}: web vs node`, find('web', precision), find('node', precision));

  console.log('\nmedian ms for 200 paragraphs (ours = tokenise + length batching + cold cache)');
  console.table(
    rows.map((r) => ({
      config: `${r.runtime} ${r.precision} ${r.threads}t`,
      raw: r.medianMs.raw,
      ours: r.medianMs.ours,
      'ours/raw': r.ratios.oursOverRaw,
      naive: r.medianMs.naive,
      'naive/ours': r.ratios.naiveOverOurs,
      repeat: r.medianMs.repeat,
      'cold/repeat': r.ratios.coldOverRepeat,
      tokenise: r.medianMs.tokenise,
      'para/s': r.paragraphsPerSecond,
      calls: `${r.modelCalls.ours} vs ${r.modelCalls.naive}`,
      load: r.sessionLoadMs,
    })),
  );
  console.log('speed-ups (ours path):');
  console.table(speedups);
  console.log(`agreement on the first ${SAMPLE} paragraphs:`);
  console.table(agreements);

  if (args.json) {
    const report = {
      benchmark: 'encode',
      data: { source: data.source, paragraphs: data.texts.length, medianWords: median(wordCounts), medianTokens: median(tokenCounts) },
      runs: args.runs,
      batching: USE_LITE_DEFAULT_BATCHING,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
      runtimes: {
        node: 'onnxruntime-node (native CPU execution provider)',
        web: 'onnxruntime-web WASM build run in Node (what the extension runs, minus browser overheads)',
      },
      configs: rows,
      speedups,
      agreement: agreements,
    };
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
