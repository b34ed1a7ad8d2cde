/**
 * Time to first highlight with the bundled encoder on WASM, in headless Chromium with the
 * built extension (`npm run build:chrome` first), and the size of that package.
 *
 *   npx tsx bench/first-highlight.ts [dataDir] [--runs 5] [--json out.json]
 *                                    [--paragraphs 30] [--extension .output/chrome-mv3]
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

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_RUNS = 15; // each run is a browser start: keep the shared machine usable
const TOPICS = ['tech', 'sport'] as const;

interface Args {
  dataDir: string;
  runs: number;
  json?: string;
  paragraphs: number;
  extensionDir: string;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/topics-dev'), {
    runs: { type: 'string' },
    json: { type: 'string' },
    paragraphs: { type: 'string' },
    extension: { type: 'string' },
    timeout: { type: 'string' },
  });
  return {
    dataDir,
    json: values.json,
    runs: Math.min(MAX_RUNS, atLeastOne(values.runs, 5)),
    paragraphs: atLeastOne(values.paragraphs, 30),
    extensionDir: values.extension ? resolve(values.extension) : join(root, '.output/chrome-mv3'),
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

function printReport(args: Args, pages: BenchPage[], runs: RunResult[], valid: RunResult[], size: PackageSize, chromium: string): void {
  const cold = valid.map((r) => r.cold.firstHighlightMs);
  const warm = valid.map((r) => r.warm.firstHighlightMs);
  console.log(`\nFirst highlight, DOMContentLoaded -> first highlight (ms), ${chromium}, headless, WASM`);
  console.log(`pages: ${pages.map((p) => `${p.path} (${p.paragraphs} paragraphs, ${p.words} words)`).join(', ')}; ${valid.length}/${runs.length} runs scored by the encoder\n`);
  console.log(`${'visit'.padEnd(6)} ${'median'.padStart(7)} ${'min'.padStart(6)} ${'max'.padStart(6)}  runs`);
  for (const [name, values] of [['cold', cold], ['warm', warm]] as const) {
    console.log(`${name.padEnd(6)} ${ms(median(values)).padStart(7)} ${ms(Math.min(...values)).padStart(6)} ${ms(Math.max(...values)).padStart(6)}  ${values.map(ms).join(' ')}`);
  }
  console.log(`cold / warm (medians): ${(median(cold) / median(warm)).toFixed(2)}x`);
  for (const [i, r] of runs.entries()) {
    if (r.scorer !== 'encoder') console.log(`run ${i + 1} NOT scored by the encoder (left out): ${r.scorerNote}`);
  }
  console.log(`scorer: ${[...new Set(runs.map((r) => r.scorerNote))].join(' | ')}`);
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
  console.log(`\nPackage ${size.dir}: ${mb(size.totalBytes)} in ${size.files} files (deflated ~${mb(size.totalDeflatedBytes)})`);
  console.log(`  .wasm ${mb(size.wasmBytes)}, .onnx ${mb(size.onnxBytes)}, everything else ${mb(size.restBytes)}`);
  for (const f of size.encoderFiles) console.log(`  ${f.path.padEnd(48)} ${mb(f.bytes).padStart(10)}  deflated ${mb(f.deflatedBytes).padStart(10)}`);
}

function memoryMedian(runs: readonly RunResult[], field: 'residentBytes' | 'privateBytes'): number | null {
  const xs = runs.flatMap((r) => (r.extensionProcess ? [r.extensionProcess[field]] : []));
  return xs.length > 0 ? median(xs) : null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const pages = TOPICS.map((topic) => buildTopicPage(args.dataDir, topic, args.paragraphs));
  const size = measurePackage(args.extensionDir);
  const chromium = chromiumVersion();
  // Only the generated pages are requested; the fixtures folder is just a harmless root.
  const server = await serve(join(root, 'tests/fixtures'), Object.fromEntries(pages.map((p) => [p.path, p.html])));
  const loadStart = loadavg();
  const runs: RunResult[] = [];
  try {
    for (let i = 0; i < args.runs; i++) {
      const result = await timeFirstHighlights(args.extensionDir, server.origin, [pages[0]!, pages[1]!], args.timeoutMs);
      runs.push(result);
      console.log(`run ${i + 1}/${args.runs}: cold ${ms(result.cold.firstHighlightMs)} ms, warm ${ms(result.warm.firstHighlightMs)} ms (${result.scorerNote})`);
    }
  } finally {
    await server.close();
  }
  // Only the encoder's times answer the question; a fallback run would flatter the cold start.
  const valid = runs.filter((r) => r.scorer === 'encoder' && /\(wasm /.test(r.scorerNote));
  printReport(args, pages, runs, valid, size, chromium);

  if (args.json) {
    const cold = valid.map((r) => r.cold.firstHighlightMs);
    const warm = valid.map((r) => r.warm.firstHighlightMs);
    const out = {
      bench: 'first-highlight',
      command: `npx tsx bench/first-highlight.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      chromium,
      backend: 'wasm',
      machine: { cpus: cpus().length, loadavgStart: loadStart, loadavgEnd: loadavg() },
      pages: pages.map(({ path, paragraphs, words, sources }) => ({ path, paragraphs, words, sources })),
      runs,
      validRuns: valid.length,
      medians: {
        coldMs: median(cold),
        warmMs: median(warm),
        coldOverWarm: median(cold) / median(warm),
        extensionProcessResidentBytes: memoryMedian(valid, 'residentBytes'),
        extensionProcessPrivateBytes: memoryMedian(valid, 'privateBytes'),
      },
      package: size,
    };
    writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nwrote ${args.json}`);
  }
  if (valid.length === 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
