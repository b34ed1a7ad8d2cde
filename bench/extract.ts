/**
 * Article extraction: our extractor against Readability.js 0.6, side by side in headless
 * Chromium on the same DOM, scored with the article-extraction-benchmark metric.
 *
 *   npx tsx bench/extract.ts [dataDir] [--json out.json] [--predictions out.json] [--runs N]
 *        [--limit N] [--sample N] [--seed S] [--cv K] [--tuning JSON] [--candidates JSON]
 *
 * dataDir defaults to ../shared/data/extraction-dev; any folder of the same layout works
 * (html/<id>.html.gz + ground-truth.json; pages with a `page_type` are also reported by type).
 * --limit takes the first N pages by id, --sample a seeded random N (--seed, default 1).
 * Pages are loaded with scripts off and the network blocked (saved HTML and inline styles
 * only). A page that fails (will not load, navigates away, throws) costs only itself: it is
 * counted, named, and left out of both sides' scores.
 *
 * Accuracy: with --cv K, every page is also extracted under each candidate tuning of
 * bench/lib/extract-tuning.ts, and the held-out figure of K-fold cross-validation (each fold
 * scored by the candidate that won on the other folds) is printed beside the in-sample one.
 * --tuning '{"weakProse":0}' overrides shipped constants for every extraction of ours (the
 * candidates move from there), to measure a tuning against the shipped one. --candidates
 * '[{},{"trailingCards":600}]' cross-validates that list instead of the bench's own (it should
 * start with `{}`, the shipped tuning): fewer candidates read a large set in less time.
 *
 * Speed (--runs N, default 5; --runs 0 measures accuracy only): each page is timed N times per
 * extractor, alternating, after three untimed runs of each. A run is a batch of back-to-back
 * extractions of about 20 ms (one is too short for the page clock), and its time per
 * extraction is the main thread's CPU time for the batch (from a Chrome trace; the wall clock
 * on a shared machine also counts other jobs) divided by the batch size; the wall-clock figure
 * is reported too. A page's time is the median of its runs, and the table reports the median
 * over pages. Readability changes the document it reads, so it parses fresh clones made
 * before its clock starts; cloning is not counted. With --predictions, our article body per
 * page id is written in the benchmark's output format ({id: {articleBody}}), and
 * Readability's beside it (<name>.readability.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { bundlePageScript, launchBrowser, loadHtml, readGzHtml, type BenchBrowser } from './lib/extract-browser';
import { median } from './lib/stats';
import { pageCounts, scorePages, type ExtractionScore, type PageCounts } from './lib/extract-metric';
import { OURS_MARK, READABILITY_MARK, type Output } from './lib/extract-page-entry';
import { timedEvaluate } from './lib/extract-timing';
import { atLeastOne, benchArgs } from './lib/cli';
import { crossValidate, type CvResult } from './lib/extract-cv';
import { TUNING_CANDIDATES, describeTuning } from './lib/extract-tuning';
import { seededRandom } from '../lib/random';
import type { ScoringTuning } from '../lib/extraction';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A timed run is a batch of back-to-back extractions lasting about this long. */
const BATCH_MS = 20;
/** Longest a page may take to load, or to be read by one evaluate call. */
const PAGE_TIMEOUT_MS = 30_000;

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  runs: number;
  limit: number;
  sample: number;
  seed: number;
  cv: number;
  tuning: string;
  candidates: readonly Partial<ScoringTuning>[];
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/extraction-dev'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    runs: { type: 'string' },
    limit: { type: 'string' },
    sample: { type: 'string' },
    seed: { type: 'string' },
    cv: { type: 'string' },
    tuning: { type: 'string' },
    candidates: { type: 'string' },
  });
  const runs = values.runs === '0' ? 0 : atLeastOne(values.runs, 5);
  const cv = values.cv === undefined ? 0 : atLeastOne(values.cv, 0);
  if (cv === 1) throw new Error('--cv needs at least 2 folds');
  return {
    dataDir,
    json: values.json,
    predictions: values.predictions,
    runs,
    limit: atLeastOne(values.limit, Infinity),
    sample: atLeastOne(values.sample, Infinity),
    seed: atLeastOne(values.seed, 1),
    cv,
    tuning: JSON.stringify(JSON.parse(values.tuning ?? '{}')),
    candidates: values.candidates === undefined ? TUNING_CANDIDATES : (JSON.parse(values.candidates) as Partial<ScoringTuning>[]),
  };
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
  pageType?: string;
  ours: { counts: PageCounts; blocks: number } & Partial<Timing>;
  readability: { counts: PageCounts } & Partial<Timing>;
  /** Counts under each tuning candidate (with --cv). */
  candidates?: PageCounts[];
}

interface Side {
  score: ExtractionScore;
  medianCpuMs?: number;
  medianWallMs?: number;
}

interface Truth {
  articleBody?: string;
  page_type?: string;
}

/** The pages to read: all ids in order, the first --limit, or a seeded --sample. */
function pickIds(all: string[], args: Args): string[] {
  let ids = [...all].sort();
  if (args.sample < ids.length) {
    const rand = seededRandom(args.seed);
    ids = ids
      .map((id) => ({ id, r: rand() }))
      .sort((a, b) => a.r - b.r)
      .slice(0, args.sample)
      .map((x) => x.id)
      .sort();
  }
  return ids.slice(0, args.limit);
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${PAGE_TIMEOUT_MS / 1000} s`)), PAGE_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function readPage(page: Page, script: string, id: string, truth: Truth, html: string, args: Args): Promise<PageResult> {
  await loadHtml(page, html, PAGE_TIMEOUT_MS);
  // Loading new content into the same tab keeps its window, and our script with it.
  if (!(await page.evaluate('typeof __extractBench !== "undefined"'))) await page.evaluate(script);
  await page.evaluate('__extractBench.settle()');
  await page.evaluate(`__extractBench.setTuning(${args.tuning})`);
  const expected = truth.articleBody ?? '';
  const result: Partial<PageResult> = { id };
  if (truth.page_type) result.pageType = truth.page_type;
  if (args.cv > 0) {
    const texts = (await page.evaluate(`__extractBench.oursCandidates(${JSON.stringify(args.candidates)})`)) as string[];
    result.candidates = texts.map((t) => pageCounts(expected, t));
  }
  let oursTiming: Partial<Timing> = {};
  let readTiming: Partial<Timing> = {};
  if (args.runs > 0) {
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
    oursTiming = { cpuMs: median(oursCpu), wallMs: median(oursWall), reps: reps.ours };
    readTiming = { cpuMs: median(readCpu), wallMs: median(readWall), reps: reps.readability };
  } else {
    if (args.cv === 0) await page.evaluate('__extractBench.oursCandidates([{}])');
    await page.evaluate('__extractBench.readabilityOnce()');
  }
  const ours = (await page.evaluate('__extractBench.oursOutput()')) as Output;
  const read = (await page.evaluate('__extractBench.readabilityOutput()')) as Output;
  result.ours = { counts: pageCounts(expected, ours.text), blocks: ours.blocks, ...oursTiming, text: ours.text } as PageResult['ours'];
  result.readability = { counts: pageCounts(expected, read.text), ...readTiming, text: read.text } as PageResult['readability'];
  return result as PageResult;
}

/** Progress on a terminal overwrites itself; in a log it is one line every 100 pages. */
function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else if (/^\d*00\//.test(line)) process.stderr.write(`${line}\n`);
}

/**
 * A tab for the next page after one failed. The failed page's renderer may be hung (a page
 * that keeps its renderer busy past the timeout), and a new blank tab can land in that same
 * renderer process, so when closing the old tab or opening a new one does not answer in time,
 * the whole browser is killed and started again: one page costs only itself.
 */
async function freshPage(bench: BenchBrowser, page: Page): Promise<{ bench: BenchBrowser; page: Page }> {
  try {
    await withTimeout(page.close(), 'closing the tab');
    return { bench, page: (await withTimeout(bench.newPage(), 'opening a tab')).page };
  } catch {
    bench.browser.process()?.kill('SIGKILL');
    await bench.close().catch(() => undefined);
    const next = await launchBrowser();
    return { bench: next, page: (await next.newPage()).page };
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const truthPath = join(args.dataDir, 'ground-truth.json');
  if (!existsSync(truthPath)) {
    console.error(`No benchmark data at ${args.dataDir} (expected ground-truth.json and html/<id>.html.gz).`);
    process.exit(2);
  }
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, Truth>;
  const ids = pickIds(Object.keys(truth), args);
  const script = await bundlePageScript(join(root, 'bench/lib/extract-page-entry.ts'));
  let bench: BenchBrowser = await launchBrowser();
  const results: PageResult[] = [];
  const failures: { id: string; error: string }[] = [];
  const oursOut: Record<string, { articleBody: string }> = {};
  const readabilityOut: Record<string, { articleBody: string }> = {};
  const started = Date.now();
  try {
    let page = (await bench.newPage()).page;
    for (const [n, id] of ids.entries()) {
      try {
        const html = readGzHtml(join(args.dataDir, 'html', `${id}.html.gz`));
        const r = await withTimeout(readPage(page, script, id, truth[id]!, html, args), `page ${id}`);
        const { text: oursText } = r.ours as unknown as { text: string };
        const { text: readText } = r.readability as unknown as { text: string };
        delete (r.ours as { text?: string }).text;
        delete (r.readability as { text?: string }).text;
        oursOut[id] = { articleBody: oursText };
        readabilityOut[id] = { articleBody: readText };
        results.push(r);
      } catch (e) {
        failures.push({ id, error: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
        ({ bench, page } = await freshPage(bench, page));
      }
      if (n % 20 === 19) progress(`${n + 1}/${ids.length} pages, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await bench.close();
  }
  if (process.stderr.isTTY) process.stderr.write('\n');

  const side = (pick: (r: PageResult) => { counts: PageCounts } & Partial<Timing>): Side => {
    const s: Side = { score: scorePages(results.map((r) => pick(r).counts)) };
    if (args.runs > 0) {
      s.medianCpuMs = median(results.map((r) => pick(r).cpuMs!));
      s.medianWallMs = median(results.map((r) => pick(r).wallMs!));
    }
    return s;
  };
  const ours = side((r) => r.ours);
  const readability = side((r) => r.readability);
  const speedup = args.runs > 0 ? { cpu: readability.medianCpuMs! / ours.medianCpuMs!, wall: readability.medianWallMs! / ours.medianWallMs! } : undefined;
  const byType = pageTypes(results);
  const cv = args.cv > 0 && results.length >= args.cv ? crossValidate(results.map((r) => ({ id: r.id, counts: r.candidates! })), args.cv, args.seed) : undefined;
  printTable(results, ours, readability, speedup, byType, cv, failures, args, (Date.now() - started) / 1000);

  if (args.json) {
    const perPage = results.map((r) => ({
      id: r.id,
      ...(r.pageType ? { pageType: r.pageType } : {}),
      ours: { ...r.ours, f1: pageF1(r.ours.counts) },
      readability: { ...r.readability, f1: pageF1(r.readability.counts) },
      ...(r.candidates ? { candidateF1: r.candidates.map(pageF1) } : {}),
    }));
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          dataDir: args.dataDir,
          pages: results.length,
          failed: failures,
          runsPerPage: args.runs,
          batchMs: BATCH_MS,
          ours,
          readability,
          speedup,
          byPageType: byType,
          ...(cv ? { crossValidation: { ...cv, candidates: args.candidates } } : {}),
          perPage,
        },
        null,
        2,
      ),
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

type TypeScores = Record<string, { pages: number; ours: ExtractionScore; readability: ExtractionScore }>;

function pageTypes(results: readonly PageResult[]): TypeScores | undefined {
  const types = [...new Set(results.map((r) => r.pageType).filter((t): t is string => t !== undefined))].sort();
  if (types.length === 0) return undefined;
  const out: TypeScores = {};
  for (const t of types) {
    const rs = results.filter((r) => r.pageType === t);
    out[t] = { pages: rs.length, ours: scorePages(rs.map((r) => r.ours.counts)), readability: scorePages(rs.map((r) => r.readability.counts)) };
  }
  return out;
}

function printTable(
  results: PageResult[],
  ours: Side,
  readability: Side,
  speedup: { cpu: number; wall: number } | undefined,
  byType: TypeScores | undefined,
  cv: CvResult | undefined,
  failures: { id: string; error: string }[],
  args: Args,
  seconds: number,
): void {
  const f = (x: number) => x.toFixed(3);
  const ms = (x: number | undefined) => (x === undefined ? '       -' : x.toFixed(2).padStart(8));
  const timing = args.runs > 0 ? `${args.runs} timed runs per page and extractor (batches of ~${BATCH_MS} ms)` : 'accuracy only (--runs 0)';
  console.log(`${basename(args.dataDir)}: ${results.length} pages read, ${failures.length} failed, ${timing}, headless Chromium, ${seconds.toFixed(0)} s`);
  const worst = [...results].sort((a, b) => pageF1(a.ours.counts) - pageF1(b.ours.counts));
  // A long set lists only its worst pages; the JSON has them all.
  const shown = worst.length > 60 ? worst.slice(0, 30) : worst;
  if (shown.length < worst.length) console.log(`the ${shown.length} pages where we score lowest:`);
  console.log('page                 ours F1  read F1   ours cpu  read cpu  (ms per extraction)');
  for (const r of shown) {
    console.log(
      `${r.id.slice(0, 16).padEnd(20)} ${f(pageF1(r.ours.counts)).padStart(7)}  ${f(pageF1(r.readability.counts)).padStart(7)}  ${ms(r.ours.cpuMs)}  ${ms(r.readability.cpuMs)}`,
    );
  }
  console.log('');
  if (failures.length > 0) {
    console.log(`failed pages (left out of both sides): ${failures.length}`);
    for (const x of failures) console.log(`  ${x.id}: ${x.error}`);
    console.log('');
  }
  if (byType) {
    console.log('page type         pages  ours F1  read F1  ours P  ours R  read P  read R');
    for (const [t, s] of Object.entries(byType)) {
      console.log(
        `${t.padEnd(16)} ${String(s.pages).padStart(6)}  ${f(s.ours.f1)}    ${f(s.readability.f1)}    ${f(s.ours.precision)}   ${f(s.ours.recall)}   ${f(s.readability.precision)}   ${f(s.readability.recall)}`,
      );
    }
    console.log('');
  }
  console.log('extractor        F1     precision  recall   median ms/page: CPU    wall');
  for (const [name, s] of [['ours', ours], ['Readability.js', readability]] as const) {
    console.log(`${name.padEnd(16)} ${f(s.score.f1)}  ${f(s.score.precision)}      ${f(s.score.recall)}                  ${ms(s.medianCpuMs)}  ${ms(s.medianWallMs)}`);
  }
  if (cv) {
    const shipped = cv.inSample[0]!;
    console.log(
      `ours, ${cv.k}-fold held-out: F1 ${f(cv.heldOut.f1)}  P ${f(cv.heldOut.precision)}  R ${f(cv.heldOut.recall)}  (in-sample, shipped tuning: F1 ${f(shipped.f1)}; folds chose ${cv.chosen.map((c) => describeTuning(args.candidates[c]!)).join(' | ')})`,
    );
  }
  if (speedup) {
    console.log(
      `speed: ours is ${speedup.cpu.toFixed(2)}x Readability.js by main-thread CPU time, ${speedup.wall.toFixed(2)}x by wall clock (ratios of medians, same pages, same run)`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
