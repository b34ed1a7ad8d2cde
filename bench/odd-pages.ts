/**
 * Robustness of extraction on pages that have broken article extractors before (RTL, hidden
 * nodes, lazy images, tables, MathJax, SVG, broken markup, huge pages), in headless Chromium:
 * no exception, no page error, bounded time per page (in one go, and per 8 ms slice of the
 * incremental extractor), and some output wherever Readability's `isProbablyReaderable` says
 * the page has prose. Also a synthetic page of 20,000 paragraphs, read in slices. Times are
 * robust statistics over 3 repeats (see extract-odd-entry.ts).
 *
 *   npx tsx bench/odd-pages.ts [dataDir] [--json out.json] [--predictions out.json] [--limit N]
 *
 * dataDir defaults to ../shared/data/odd-pages (<name>.html.gz). Exits 1 on any failure.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageScript, launchBrowser, listGz, loadHtml, readGzHtml } from './lib/extract-browser';
import type { OddRun } from './lib/extract-odd-entry';
import { atLeastOne, benchArgs } from './lib/cli';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Longest one-go extraction we accept on any page (a huge page on a slow machine included). */
const MAX_MS = 1000;
/** Longest slice of the incremental extractor asked for 8 ms slices: no frozen tab. */
const SLICE_MS = 8;
const MAX_SLICE_MS = 100;
const HUGE_PARAGRAPHS = 20_000;
/** Timings per page: median of this many one-go runs, smallest longest-slice of as many sliced runs. */
const REPEATS = 3;

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  limit: number;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/odd-pages'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    limit: { type: 'string' },
  });
  return { dataDir, json: values.json, predictions: values.predictions, limit: atLeastOne(values.limit, Infinity) };
}

interface PageResult extends Omit<OddRun, 'text'> {
  readonly name: string;
  readonly failures: string[];
}

function judge(name: string, run: OddRun, errors: string[]): PageResult {
  const failures: string[] = [];
  for (const e of errors) failures.push(`page error: ${e}`);
  if (run.ms > MAX_MS) failures.push(`took ${run.ms.toFixed(0)} ms (limit ${MAX_MS})`);
  if (run.longestSliceMs > MAX_SLICE_MS) failures.push(`a ${SLICE_MS} ms slice took ${run.longestSliceMs.toFixed(0)} ms (limit ${MAX_SLICE_MS})`);
  if (run.readerable && run.blocks === 0) failures.push('readerable page, no blocks');
  const { text: _text, ...rest } = run;
  return { name, ...rest, failures };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.dataDir)) {
    console.error(`No odd-pages data at ${args.dataDir}.`);
    process.exit(2);
  }
  const files = listGz(args.dataDir).slice(0, args.limit);
  const script = await bundlePageScript(join(root, 'bench/lib/extract-odd-entry.ts'));
  const bench = await launchBrowser();
  const results: PageResult[] = [];
  const predictions: Record<string, { articleBody: string }> = {};
  try {
    const { page, errors } = await bench.newPage();
    const all = [...files.map((f) => ({ name: f.replace(/\.html\.gz$/, ''), file: f })), { name: `synthetic-${HUGE_PARAGRAPHS}-paragraphs`, file: '' }];
    for (const { name, file } of all) {
      errors.length = 0;
      try {
        await loadHtml(page, file ? readGzHtml(join(args.dataDir, file)) : '<!doctype html><html><body></body></html>');
        await page.evaluate(script);
        if (!file) await page.evaluate(`__oddBench.buildHuge(${HUGE_PARAGRAPHS})`);
        const run = (await page.evaluate(`__oddBench.run(${SLICE_MS}, ${REPEATS})`)) as OddRun;
        predictions[name] = { articleBody: run.text };
        const result = judge(name, run, errors);
        if (!file && result.blocks !== HUGE_PARAGRAPHS) result.failures.push(`found ${result.blocks} of ${HUGE_PARAGRAPHS} paragraphs`);
        results.push(result);
      } catch (e) {
        results.push({ name, blocks: 0, chars: 0, ms: 0, slices: 0, longestSliceMs: 0, readerable: false, failures: [`exception: ${e instanceof Error ? e.message : String(e)}`] });
      }
    }
  } finally {
    await bench.close();
  }

  const failed = results.filter((r) => r.failures.length > 0);
  const readerable = results.filter((r) => r.readerable);
  const empty = results.filter((r) => r.blocks === 0);
  const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  const longestSlice = results.reduce((a, b) => (b.longestSliceMs > a.longestSliceMs ? b : a));
  console.log(`odd-pages: ${results.length} pages (${files.length} saved + 1 synthetic), headless Chromium`);
  console.log(`  with blocks: ${results.length - empty.length}; empty: ${empty.length} (${empty.filter((r) => !r.readerable).length} of them not readerable by Readability's own test)`);
  console.log(`  readerable by isProbablyReaderable: ${readerable.length}, of which with blocks: ${readerable.filter((r) => r.blocks > 0).length}`);
  console.log(`  max ms in one go: ${slowest.ms.toFixed(1)} (${slowest.name}); limit ${MAX_MS}`);
  console.log(`  longest ${SLICE_MS} ms slice: ${longestSlice.longestSliceMs.toFixed(1)} ms (${longestSlice.name}); limit ${MAX_SLICE_MS}`);
  const huge = results[results.length - 1]!;
  console.log(`  synthetic page: ${huge.blocks} blocks, ${huge.ms.toFixed(0)} ms in one go, ${huge.slices} slices, longest ${huge.longestSliceMs.toFixed(1)} ms`);
  console.log(`  failures: ${failed.length}`);
  for (const r of failed) console.log(`    ${r.name}: ${r.failures.join('; ')}`);

  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ dataDir: args.dataDir, limits: { MAX_MS, SLICE_MS, MAX_SLICE_MS }, failed: failed.length, pages: results }, null, 2));
  }
  if (args.predictions) writeFileSync(args.predictions, JSON.stringify(predictions, null, 2));
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
