/**
 * Article extraction: our extractor against Readability.js 0.6, side by side in headless
 * Chromium on the same DOM, scored with the article-extraction-benchmark metric.
 *
 *   npx tsx bench/extract.ts [dataDir] [--json out.json] [--predictions out.json] [--runs N] [--limit N]
 *
 * dataDir defaults to ../shared/data/extraction-dev (html/<id>.html.gz + ground-truth.json).
 * Pages are loaded with scripts off and the network blocked (saved HTML and inline styles
 * only). Speed: each page is timed --runs times (default 5) per extractor, alternating, after
 * three untimed runs of each. A run is a batch of back-to-back extractions of about 20 ms
 * (one is too short for the page clock), and its time per extraction is the main
 * thread's CPU time for the batch (from a Chrome trace; the wall clock on a shared machine
 * also counts other jobs) divided by the batch size; the wall-clock figure is reported too.
 * A page's time is the median of its runs, and the table reports the median over pages.
 * Readability changes the document it reads, so it parses fresh clones made before its clock
 * starts; cloning is not counted. With --predictions, our article body per page id is written
 * in the benchmark's output format ({id: {articleBody}}), and Readability's beside it
 * (<name>.readability.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageScript, launchBrowser, loadHtml, readGzHtml } from './lib/extract-browser';
import { median } from './lib/stats';
import { pageCounts, scorePages, type ExtractionScore, type PageCounts } from './lib/extract-metric';
import { OURS_MARK, READABILITY_MARK, type Output } from './lib/extract-page-entry';
import { timedEvaluate } from './lib/extract-timing';
import { atLeastOne, benchArgs } from './lib/cli';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A timed run is a batch of back-to-back extractions lasting about this long. */
const BATCH_MS = 20;

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  runs: number;
  limit: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/extraction-dev'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    runs: { type: 'string' },
    limit: { type: 'string' },
  });
  return { dataDir, json: values.json, predictions: values.predictions, runs: atLeastOne(values.runs, 5), limit: atLeastOne(values.limit, Infinity) };
}

interface Timing {
  /** Median over runs of main-thread CPU ms per extraction. */
  cpuMs: number;
  /** Median over runs of wall-clock ms per extraction (page clock). */
  wallMs: number;
  reps: number;
}

interface PageResult {
  id: string;
  ours: { counts: PageCounts; blocks: number } & Timing;
  readability: { counts: PageCounts } & Timing;
}

interface Side {
  score: ExtractionScore;
  medianCpuMs: number;
  medianWallMs: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const truthPath = join(args.dataDir, 'ground-truth.json');
  if (!existsSync(truthPath)) {
    console.error(`No benchmark data at ${args.dataDir} (expected ground-truth.json and html/<id>.html.gz).`);
    process.exit(2);
  }
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, { articleBody?: string }>;
  const ids = Object.keys(truth).sort().slice(0, args.limit);
  const script = await bundlePageScript(join(root, 'bench/lib/extract-page-entry.ts'));
  const bench = await launchBrowser();
  const results: PageResult[] = [];
  const oursOut: Record<string, { articleBody: string }> = {};
  const readabilityOut: Record<string, { articleBody: string }> = {};
  try {
    const { page } = await bench.newPage();
    for (const id of ids) {
      const html = readGzHtml(join(args.dataDir, 'html', `${id}.html.gz`));
      await loadHtml(page, html);
      await page.evaluate(script);
      await page.evaluate('__extractBench.settle()');
      const reps = (await page.evaluate(`__extractBench.calibrate(${BATCH_MS})`)) as { ours: number; readability: number };
      const oursWall: number[] = [];
      const readWall: number[] = [];
      const oursCpu: number[] = [];
      const readCpu: number[] = [];
      for (let r = 0; r < args.runs; r++) {
        const o = await timedEvaluate<number>(page, `__extractBench.ours(${reps.ours})`, OURS_MARK);
        oursWall.push(o.value);
        oursCpu.push(o.cpuMs / reps.ours);
        await page.evaluate(`__extractBench.cloneFor(${reps.readability})`);
        const rd = await timedEvaluate<number>(page, `__extractBench.readability(${reps.readability})`, READABILITY_MARK);
        readWall.push(rd.value);
        readCpu.push(rd.cpuMs / reps.readability);
      }
      const ours = (await page.evaluate('__extractBench.oursOutput()')) as Output;
      const read = (await page.evaluate('__extractBench.readabilityOutput()')) as Output;
      const expected = truth[id]?.articleBody ?? '';
      oursOut[id] = { articleBody: ours.text };
      readabilityOut[id] = { articleBody: read.text };
      results.push({
        id,
        ours: { counts: pageCounts(expected, ours.text), blocks: ours.blocks, cpuMs: median(oursCpu), wallMs: median(oursWall), reps: reps.ours },
        readability: { counts: pageCounts(expected, read.text), cpuMs: median(readCpu), wallMs: median(readWall), reps: reps.readability },
      });
    }
  } finally {
    await bench.close();
  }

  const side = (pick: (r: PageResult) => { counts: PageCounts } & Timing): Side => ({
    score: scorePages(results.map((r) => pick(r).counts)),
    medianCpuMs: median(results.map((r) => pick(r).cpuMs)),
    medianWallMs: median(results.map((r) => pick(r).wallMs)),
  });
  const ours = side((r) => r.ours);
  const readability = side((r) => r.readability);
  const speedup = { cpu: readability.medianCpuMs / ours.medianCpuMs, wall: readability.medianWallMs / ours.medianWallMs };
  printTable(results, ours, readability, speedup, args);

  if (args.json) {
    const perPage = results.map((r) => ({
      id: r.id,
      ours: { ...r.ours.counts, f1: pageF1(r.ours.counts), cpuMs: r.ours.cpuMs, wallMs: r.ours.wallMs, reps: r.ours.reps, blocks: r.ours.blocks },
      readability: { ...r.readability.counts, f1: pageF1(r.readability.counts), cpuMs: r.readability.cpuMs, wallMs: r.readability.wallMs, reps: r.readability.reps },
    }));
    writeFileSync(
      args.json,
      JSON.stringify({ dataDir: args.dataDir, pages: results.length, runsPerPage: args.runs, batchMs: BATCH_MS, ours, readability, speedup, perPage }, null, 2),
    );
  }
  if (args.predictions) {
    writeFileSync(args.predictions, JSON.stringify(oursOut, null, 2));
    writeFileSync(args.predictions.replace(/(\.json)?$/, '.readability.json'), JSON.stringify(readabilityOut, null, 2));
  }
}

function pageF1(c: PageCounts): number {
  return c.tp > 0 ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 0;
}

function printTable(results: PageResult[], ours: Side, readability: Side, speedup: { cpu: number; wall: number }, args: Args): void {
  const f = (x: number) => x.toFixed(3);
  const ms = (x: number) => x.toFixed(2).padStart(8);
  console.log(`extraction-dev: ${results.length} pages, ${args.runs} timed runs per page and extractor (batches of ~${BATCH_MS} ms), headless Chromium`);
  console.log('page                 ours F1  read F1   ours cpu  read cpu  (ms per extraction)');
  for (const r of [...results].sort((a, b) => pageF1(a.ours.counts) - pageF1(b.ours.counts))) {
    console.log(
      `${r.id.slice(0, 16).padEnd(20)} ${f(pageF1(r.ours.counts)).padStart(7)}  ${f(pageF1(r.readability.counts)).padStart(7)}  ${ms(r.ours.cpuMs)}  ${ms(r.readability.cpuMs)}`,
    );
  }
  console.log('');
  console.log('extractor        F1     precision  recall   median ms/page: CPU    wall');
  for (const [name, s] of [['ours', ours], ['Readability.js', readability]] as const) {
    console.log(`${name.padEnd(16)} ${f(s.score.f1)}  ${f(s.score.precision)}      ${f(s.score.recall)}                  ${ms(s.medianCpuMs)}  ${ms(s.medianWallMs)}`);
  }
  console.log(
    `speed: ours is ${speedup.cpu.toFixed(2)}x Readability.js by main-thread CPU time, ${speedup.wall.toFixed(2)}x by wall clock (ratios of medians, same pages, same run)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
