/**
 * Time to first highlight with the bundled encoder on WASM, in headless Chromium with the
 * built extension (`npm run build:chrome` first), and the size of that package.
 *
 *   npx tsx bench/first-highlight.ts [dataDir] [--runs 5] [--json out.json]
 *                                    [--paragraphs 30] [--extension .output/chrome-mv3]
 *                                    [--compare other-build] [--no-naive]
 *
 * dataDir defaults to ../shared/data/topics-dev: two pages of `--paragraphs` paragraphs are
 * built from its "tech" and "sport" articles. Each run starts a fresh profile:
 *   cold  first page of the profile, opened as soon as the browser is up: the encoder has
 *         started loading at the browser's start (a site is on) and the page waits for the rest;
 *   warm  a second page in the same browser once the first is fully scored (encoder loaded,
 *         none of its paragraphs cached).
 * Both timed from DOMContentLoaded to the first highlight, inside the page. Medians over the
 * runs; runs where the page was not scored by the encoder (fallback) are reported and left
 * out of the medians. Also the memory of the encoder's process after both pages (the largest
 * extension process: its offscreen document; Linux /proc), and the package's size.
 *
 * Each visit's time is split into stages (bench/lib/first-highlight-stages.ts: extraction,
 * message, the background's read, embed (split into the encoder queue's wait, the wait for the
 * model, the inference, and the rest: cache and messages), head, select and store, paint),
 * from the entries the content script writes to the page's performance timeline; medians per
 * stage.
 *
 * Each run also times the naive reference on the same two pages (bench/lib/naive-pipeline-run.ts,
 * left out with `--no-naive`): transformers.js' feature-extraction pipeline over the model files
 * of the same package, one call per paragraph in document order, in the same Chromium, cold
 * and warm like ours; timed to the first paragraph's vector and to the last. Ours against it
 * as the median of per-run ratios (the issue's goal: first highlight >= 3x faster).
 *
 * `--compare DIR` runs a second build of the extension side by side: each run visits both
 * pages with both builds (each in its own fresh browser), in alternating order, and the two
 * are compared on first highlight and on the embed stage, as medians of the per-run ratios.
 * For the encoder's threads, build one copy with `WXT_ENCODER_THREADS=1 npm run build:chrome`
 * (platform/encoder-host.ts), move it aside, and build the default again:
 *
 *   WXT_ENCODER_THREADS=1 npm run build:chrome && rm -rf /tmp/ext-1t && cp -r .output/chrome-mv3 /tmp/ext-1t \
 *     && npm run build:chrome && npx tsx bench/first-highlight.ts --compare /tmp/ext-1t
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChrome, serve } from '../tests/e2e/harness';
import { buildTopicPage, type BenchPage } from './lib/first-highlight-pages';
import { timeFirstHighlights, type RunResult } from './lib/first-highlight-run';
import { measurePackage, type PackageSize } from './lib/first-highlight-size';
import { atLeastOne, benchArgs } from './lib/cli';
import { median } from './lib/stats';
import { STAGES, medianStages } from './lib/first-highlight-stages';
import { serveNaive } from './lib/naive-pipeline-server';
import { timeNaivePipeline, type NaiveRunResult } from './lib/naive-pipeline-run';
import { compareWithNaive } from './lib/naive-pipeline-compare';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_RUNS = 15; // each run is a browser start: keep the shared machine usable
const TOPICS = ['tech', 'sport'] as const;

interface Args {
  dataDir: string;
  runs: number;
  json?: string;
  paragraphs: number;
  extensionDir: string;
  /** A second build, run side by side. */
  compareDir?: string;
  /** Also time the naive transformers.js reference in each run. */
  naive: boolean;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/topics-dev'), {
    runs: { type: 'string' },
    json: { type: 'string' },
    paragraphs: { type: 'string' },
    extension: { type: 'string' },
    compare: { type: 'string' },
    'no-naive': { type: 'boolean' },
    timeout: { type: 'string' },
  });
  return {
    dataDir,
    json: values.json,
    runs: Math.min(MAX_RUNS, atLeastOne(values.runs, 5)),
    paragraphs: atLeastOne(values.paragraphs, 30),
    extensionDir: values.extension ? resolve(values.extension) : join(root, '.output/chrome-mv3'),
    ...(values.compare ? { compareDir: resolve(values.compare) } : {}),
    naive: values['no-naive'] !== true,
    timeoutMs: atLeastOne(values.timeout, 60_000),
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}` : '-');

function chromiumVersion(): string {
  try {
    return execFileSync(findChrome(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The runs of one build. */
interface Variant {
  extensionDir: string;
  runs: RunResult[];
}

/** Only the encoder's times answer the question; a fallback run would flatter the cold start. */
const scoredByEncoder = (r: RunResult) => r.scorer === 'encoder' && /\(wasm /.test(r.scorerNote);

function printFirstHighlights(runs: RunResult[], valid: RunResult[]): void {
  const cold = valid.map((r) => r.cold.firstHighlightMs);
  const warm = valid.map((r) => r.warm.firstHighlightMs);
  console.log(`${'visit'.padEnd(6)} ${'median'.padStart(7)} ${'min'.padStart(6)} ${'max'.padStart(6)}  runs`);
  for (const [name, values] of [['cold', cold], ['warm', warm]] as const) {
    console.log(`${name.padEnd(6)} ${ms(median(values)).padStart(7)} ${ms(Math.min(...values)).padStart(6)} ${ms(Math.max(...values)).padStart(6)}  ${values.map(ms).join(' ')}`);
  }
  console.log(`cold / warm (medians): ${(median(cold) / median(warm)).toFixed(2)}x`);
  for (const [i, r] of runs.entries()) {
    if (!scoredByEncoder(r)) console.log(`run ${i + 1} NOT scored by the encoder (left out): ${r.scorerNote}`);
  }
  console.log(`scorer: ${[...new Set(runs.map((r) => r.scorerNote))].join(' | ')}`);
}

/** Stage medians, cold and warm; their sum against the measured median (medians do not add up exactly). */
function printStages(valid: RunResult[]): void {
  const cold = medianStages(valid.map((r) => r.cold.stages), median);
  const warm = medianStages(valid.map((r) => r.warm.stages), median);
  if (!cold || !warm) {
    console.log('stages: the pages recorded no stage timings (a build without platform/page-timings.ts?)');
    return;
  }
  const count = (visit: 'cold' | 'warm') => valid.filter((r) => r[visit].stages).length;
  console.log(`\nStages (ms, median per stage; cold over ${count('cold')} visits, warm over ${count('warm')}):`);
  console.log(`${'stage'.padEnd(14)} ${'cold'.padStart(7)} ${'warm'.padStart(7)}`);
  const w = 14;
  for (const stage of STAGES) console.log(`${stage.padEnd(w)} ${ms(cold[stage]).padStart(7)} ${ms(warm[stage]).padStart(7)}`);
  const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  console.log(`${'sum'.padEnd(w)} ${ms(sum(cold)).padStart(7)} ${ms(sum(warm)).padStart(7)}   (measured medians ${ms(median(valid.map((r) => r.cold.firstHighlightMs)))} / ${ms(median(valid.map((r) => r.warm.firstHighlightMs)))})`);
  const embedOf = (visit: 'cold' | 'warm') => median(valid.flatMap((r) => (r[visit].stages ? [r[visit].stages!.embedMs] : [])));
  console.log(`${'(embed, whole)'.padEnd(w)} ${ms(embedOf('cold')).padStart(7)} ${ms(embedOf('warm')).padStart(7)}   (the four embed- stages together)`);
  const painting = (visit: 'cold' | 'warm') => valid.map((r) => r[visit].stages?.message ?? '-').join(' ');
  console.log(`message that painted first: cold ${painting('cold')}; warm ${painting('warm')}`);
}

function printMemory(valid: RunResult[]): void {
  const memory = valid.flatMap((r) => (r.extensionProcess ? [r.extensionProcess] : []));
  if (memory.length > 0) {
    const resident = median(memory.map((m) => m.residentBytes));
    const own = median(memory.map((m) => m.privateBytes));
    console.log(`encoder's process (the largest extension process), after both pages, median of ${memory.length}: resident ${mb(resident)}, private ${mb(own)}`);
    const others = valid.at(-1)?.extensionProcesses.slice(1) ?? [];
    if (others.length > 0) console.log(`  other extension processes in the last run: ${others.map((p) => `private ${mb(p.privateBytes)}`).join(', ')}`);
  } else {
    console.log('extension process memory: not found (read from /proc on Linux only)');
  }
}

function printPackage(size: PackageSize): void {
  console.log(`\nPackage ${size.dir}: ${mb(size.totalBytes)} in ${size.files} files (deflated ~${mb(size.totalDeflatedBytes)})`);
  console.log(`  .wasm ${mb(size.wasmBytes)}, .onnx ${mb(size.onnxBytes)}, everything else ${mb(size.restBytes)}`);
  for (const f of size.encoderFiles) console.log(`  ${f.path.padEnd(48)} ${mb(f.bytes).padStart(10)}  deflated ${mb(f.deflatedBytes).padStart(10)}`);
}

const backendOf = (v: Variant) => [...new Set(v.runs.map((r) => r.scorerNote.replace(/^on-device language model /, '')))].join(' | ');

type Measure = (r: RunResult) => number | undefined;
const MEASURES: Array<[string, Measure]> = [
  ['cold first highlight', (r) => r.cold.firstHighlightMs],
  ['warm first highlight', (r) => r.warm.firstHighlightMs],
  ['cold embed stage', (r) => r.cold.stages?.embedMs],
  ['warm embed stage', (r) => r.warm.stages?.embedMs],
  ['cold embed-compute', (r) => r.cold.stages?.ms['embed-compute']],
  ['warm embed-compute', (r) => r.warm.stages?.ms['embed-compute']],
];

/**
 * Two builds side by side: medians of each, and the median of the per-run ratios (both
 * builds ran in the same run, one right after the other, so the machine's load was alike).
 */
function compareVariants(a: Variant, b: Variant): Array<{ measure: string; a: number; b: number; ratio: number; pairs: number }> {
  return MEASURES.map(([measure, of]) => {
    const pairs = a.runs.flatMap((ra, i) => {
      const rb = b.runs[i];
      if (!rb || !scoredByEncoder(ra) || !scoredByEncoder(rb)) return [];
      const [x, y] = [of(ra), of(rb)];
      return x !== undefined && y !== undefined && x > 0 ? [[x, y] as const] : [];
    });
    return { measure, a: median(pairs.map((p) => p[0])), b: median(pairs.map((p) => p[1])), ratio: median(pairs.map(([x, y]) => y / x)), pairs: pairs.length };
  });
}

function printComparison(a: Variant, b: Variant): void {
  console.log(`\nSide by side, alternating order in each run:\n  A ${a.extensionDir}: ${backendOf(a)}\n  B ${b.extensionDir}: ${backendOf(b)}`);
  // Time B over time A: above 1, A is that many times faster (its speed-up over B).
  console.log(`${'measure (ms)'.padEnd(22)} ${'A'.padStart(7)} ${'B'.padStart(7)}  time B / time A, median of per-run ratios (>1: A faster)`);
  for (const row of compareVariants(a, b)) {
    console.log(`${row.measure.padEnd(22)} ${ms(row.a).padStart(7)} ${ms(row.b).padStart(7)}  ${Number.isFinite(row.ratio) ? row.ratio.toFixed(2) : '-'}x over ${row.pairs} runs`);
  }
}

/** Our first highlights of run i, where the run counts (scored by the encoder); the naive reference's run i beside them. */
function naiveRows(ours: Variant, naive: ReadonlyArray<NaiveRunResult | null>) {
  const firsts = ours.runs.map((r) => (scoredByEncoder(r) ? { cold: r.cold.firstHighlightMs, warm: r.warm.firstHighlightMs } : null));
  return compareWithNaive(firsts, naive, median);
}

function printNaive(variants: readonly Variant[], naive: ReadonlyArray<NaiveRunResult | null>): void {
  const done = naive.filter((n): n is NaiveRunResult => n !== null);
  console.log(`\nNaive transformers.js pipeline (one call per paragraph, same model files and runtime), ${done.length}/${naive.length} runs:`);
  if (done.length === 0) return;
  const threads = [...new Set(done.map((n) => `${n.threads ?? '?'} thread${n.threads === 1 ? '' : 's'}${n.isolated ? ', isolated' : ''}`))].join(' | ');
  console.log(`  ${threads}; mean vector norm ${median(done.map((n) => n.meanNorm)).toFixed(3)} (the model's own output: about 1)`);
  for (const visit of ['cold', 'warm'] as const) {
    const first = done.map((n) => n[visit].firstMs);
    const all = done.map((n) => n[visit].allMs);
    console.log(`  ${visit}: first paragraph ${ms(median(first))} ms (${first.map(ms).join(' ')}), all ${ms(median(all))} ms (${all.map(ms).join(' ')})`);
  }
  for (const [k, ours] of variants.entries()) {
    const name = variants.length > 1 ? `Ours (${'AB'[k]})` : 'Ours';
    console.log(`\n${name} against the naive pipeline, run by run (naive time / our first highlight; >1: ours faster; goal >= 3x):`);
    console.log(`${'visit'.padEnd(6)} ${'naive up to'.padEnd(16)} ${'ours'.padStart(7)} ${'naive'.padStart(7)}  speed-up`);
    for (const row of naiveRows(ours, naive)) {
      const label = row.naive === 'first' ? 'first paragraph' : 'all paragraphs';
      console.log(`${row.visit.padEnd(6)} ${label.padEnd(16)} ${ms(row.oursMs).padStart(7)} ${ms(row.naiveMs).padStart(7)}  ${Number.isFinite(row.speedup) ? row.speedup.toFixed(2) : '-'}x over ${row.pairs} runs`);
    }
  }
}

function printReport(pages: BenchPage[], variants: Variant[], naive: ReadonlyArray<NaiveRunResult | null> | null, size: PackageSize, chromium: string, load: { start: number[]; end: number[] }): void {
  const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`\nFirst highlight, DOMContentLoaded -> first highlight (ms), ${chromium}, headless, WASM`);
  console.log(`pages: ${pages.map((p) => `${p.path} (${p.paragraphs} paragraphs, ${p.words} words)`).join(', ')}`);
  console.log(`machine: ${cpus().length} cores, load average ${loads(load.start)} at the start, ${loads(load.end)} at the end (others' work included)`);
  for (const [k, v] of variants.entries()) {
    const valid = v.runs.filter(scoredByEncoder);
    console.log(`\n${variants.length > 1 ? `${'AB'[k]} ` : ''}${v.extensionDir}: ${valid.length}/${v.runs.length} runs scored by the encoder`);
    printFirstHighlights(v.runs, valid);
    printStages(valid);
    printMemory(valid);
  }
  if (variants.length === 2) printComparison(variants[0]!, variants[1]!);
  if (naive) printNaive(variants, naive);
  printPackage(size);
}

function memoryMedian(runs: readonly RunResult[], field: 'residentBytes' | 'privateBytes'): number | null {
  const xs = runs.flatMap((r) => (r.extensionProcess ? [r.extensionProcess[field]] : []));
  return xs.length > 0 ? median(xs) : null;
}

function variantJson(v: Variant) {
  const valid = v.runs.filter(scoredByEncoder);
  const cold = valid.map((r) => r.cold.firstHighlightMs);
  const warm = valid.map((r) => r.warm.firstHighlightMs);
  return {
    extension: v.extensionDir,
    runs: v.runs,
    validRuns: valid.length,
    medians: {
      coldMs: median(cold),
      warmMs: median(warm),
      coldOverWarm: median(cold) / median(warm),
      coldStagesMs: medianStages(valid.map((r) => r.cold.stages), median),
      warmStagesMs: medianStages(valid.map((r) => r.warm.stages), median),
      extensionProcessResidentBytes: memoryMedian(valid, 'residentBytes'),
      extensionProcessPrivateBytes: memoryMedian(valid, 'privateBytes'),
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const pages = TOPICS.map((topic) => buildTopicPage(args.dataDir, topic, args.paragraphs));
  const size = measurePackage(args.extensionDir);
  const chromium = chromiumVersion();
  // Only the generated pages are requested; the fixtures folder is just a harmless root.
  const server = await serve(join(root, 'tests/fixtures'), Object.fromEntries(pages.map((p) => [p.path, p.html])));
  // The naive reference's pages, runtime and model files (from the first build's package).
  const naiveServer = args.naive ? await serveNaive(args.extensionDir, pages) : null;
  const loadStart = loadavg();
  const variants: Variant[] = [{ extensionDir: args.extensionDir, runs: [] }, ...(args.compareDir ? [{ extensionDir: args.compareDir, runs: [] }] : [])];
  const naive: Array<NaiveRunResult | null> = [];
  try {
    for (let i = 0; i < args.runs; i++) {
      // Alternating which goes first, so none always meets the machine as another left it.
      const all: Array<Variant | 'naive'> = [...variants, ...(naiveServer ? ['naive' as const] : [])];
      const order = i % 2 === 0 ? all : [...all].reverse();
      for (const v of order) {
        if (v === 'naive') {
          const result = await timeNaivePipeline(naiveServer!.origin, [pages[0]!, pages[1]!], args.timeoutMs).catch((e: unknown) => {
            console.log(`run ${i + 1}/${args.runs} naive: failed (${e instanceof Error ? e.message : String(e)})`);
            return null;
          });
          naive[i] = result;
          if (result) console.log(`run ${i + 1}/${args.runs} naive: cold first ${ms(result.cold.firstMs)} ms, all ${ms(result.cold.allMs)} ms; warm first ${ms(result.warm.firstMs)} ms, all ${ms(result.warm.allMs)} ms`);
          continue;
        }
        const result = await timeFirstHighlights(v.extensionDir, server.origin, [pages[0]!, pages[1]!], args.timeoutMs);
        v.runs.push(result);
        const label = variants.length > 1 ? ` ${'AB'[variants.indexOf(v)]}` : '';
        const embed = (visit: 'cold' | 'warm') => ms(result[visit].stages?.embedMs ?? Number.NaN);
        console.log(`run ${i + 1}/${args.runs}${label}: cold ${ms(result.cold.firstHighlightMs)} ms (embed ${embed('cold')}), warm ${ms(result.warm.firstHighlightMs)} ms (embed ${embed('warm')}) (${result.scorerNote})`);
      }
    }
  } finally {
    await server.close();
    await naiveServer?.close();
  }
  const loadEnd = loadavg();
  printReport(pages, variants, naiveServer ? naive : null, size, chromium, { start: loadStart, end: loadEnd });

  if (args.json) {
    const out = {
      bench: 'first-highlight',
      command: `npx tsx bench/first-highlight.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      chromium,
      backend: 'wasm',
      machine: { cpus: cpus().length, loadavgStart: loadStart, loadavgEnd: loadEnd },
      pages: pages.map(({ path, paragraphs, words, sources }) => ({ path, paragraphs, words, sources })),
      ...variantJson(variants[0]!),
      ...(variants[1]
        ? { compare: { ...variantJson(variants[1]), bOverA: compareVariants(variants[0]!, variants[1]), ...(naiveServer ? { againstNaive: naiveRows(variants[1], naive) } : {}) } }
        : {}),
      ...(naiveServer ? { naive: { runs: naive, oursAgainstNaive: naiveRows(variants[0]!, naive) } } : {}),
      package: size,
    };
    writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nwrote ${args.json}`);
  }
  if (variants.some((v) => !v.runs.some(scoredByEncoder))) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
