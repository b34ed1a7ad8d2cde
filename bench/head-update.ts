/**
 * Cost of one relevance-head update (lib/head.ts `update`) as the service worker pays it:
 * the head is read from storage (a fresh structured clone, so no memo survives from the
 * previous event), learns from one label, and the time is that of `update` alone.
 *
 *   npx tsx bench/head-update.ts [dataDir] [--json out.json] [--runs 9] [--sizes 50,200,1000]
 *                                [--baseline <commit>] [--cache dir]
 *
 * For each size N: a head that has learnt from N feedback events (business articles
 * relevant, the rest not, from topics-dev with the relevance benchmark's cached embeddings;
 * without them, generated vectors, and said so), then `--runs` updates with new labels, each
 * from that same state, timed for the current head and, side by side in the same process and
 * alternating, for the head of `--baseline` (lib/head.ts as it was in that commit, read with
 * `git show`; by default the last commit before the Newton fit). Prints median milliseconds
 * and the ratio baseline / current. The current head memoises each remembered example's
 * zero-shot score by content for as long as the worker lives; "cold" is its first update
 * after a restart (every example renamed, so the memo misses), "warm" every later one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as current from '../lib/head';
import { contrastTopics } from '../lib/interests';
import { seededRandom } from '../lib/random';
import { contentHash } from '../lib/text';
import { atLeastOne, benchArgs } from './lib/cli';
import { loadTopics } from './lib/relevance-data';
import { median } from './lib/stats';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** lib/head.ts before the truncated-Newton fit (30 Nesterov steps per update). */
const DEFAULT_BASELINE = '9b32984';
const DIMS_WITHOUT_DATA = 512;

type HeadModule = Pick<typeof current, 'createHead' | 'update' | 'observe'>;
type Head = current.HeadState;

interface Example {
  id: string;
  embedding: Float32Array;
  label: 0 | 1;
}

interface Material {
  source: string;
  dims: number;
  interest: current.PrototypeInput;
  contrasts: current.PrototypeInput[];
  stream: Example[];
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** Real paragraphs with the relevance benchmark's cached embeddings, shuffled; undefined without them. */
function realMaterial(dataDir: string, cacheDir: string): Material | undefined {
  if (!existsSync(dataDir) || !existsSync(cacheDir)) return undefined;
  const file = readdirSync(cacheDir).find((f) => f.endsWith('.json'));
  if (!file) return undefined;
  const stored = JSON.parse(readFileSync(join(cacheDir, file), 'utf8')) as Record<string, string>;
  const vector = (text: string): Float32Array | undefined => {
    const b64 = stored[contentHash(text)];
    if (!b64) return undefined;
    const b = Buffer.from(b64, 'base64');
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const interestVector = vector('business');
  if (!interestVector) return undefined;
  const stream: Example[] = [];
  for (const a of loadTopics(dataDir)) {
    for (const p of a.paragraphs) {
      const e = vector(p.text);
      if (e) stream.push({ id: p.id, embedding: e, label: a.topic === 'business' ? 1 : 0 });
    }
  }
  const rand = seededRandom(7);
  for (let i = stream.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [stream[i], stream[j]] = [stream[j]!, stream[i]!];
  }
  const contrasts = contrastTopics('en').flatMap((text, i) => {
    const e = vector(text);
    return e ? [{ id: `contrast:${i}`, text, embedding: e }] : [];
  });
  return {
    source: `${dataDir} with cached embeddings ${file}`,
    dims: interestVector.length,
    interest: { id: 'interest:business', text: 'business', embedding: interestVector },
    contrasts,
    stream,
  };
}

/** Generated vectors (five topic directions plus a shared component and noise) when no data is there. */
function generatedMaterial(count: number): Material {
  const rand = seededRandom(7);
  const d = DIMS_WITHOUT_DATA;
  const direction = () => Array.from({ length: d }, () => gaussian(rand) / Math.sqrt(d));
  const topics = Array.from({ length: 5 }, direction);
  const shared = direction();
  const stream = Array.from({ length: count }, (_, i) => {
    const t = Math.floor(rand() * 5);
    return {
      id: `g${i}`,
      label: (t === 0 ? 1 : 0) as 0 | 1,
      embedding: Float32Array.from(topics[t]!, (v, j) => v + 0.6 * shared[j]! + 1.2 * gaussian(rand) / Math.sqrt(d)),
    };
  });
  const contrasts = topics.slice(1).map((t, i) => ({ id: `contrast:${i}`, text: `topic ${i + 1}`, embedding: Float32Array.from(t) }));
  return { source: 'generated vectors (no data or embedding cache found)', dims: d, interest: { id: 'interest:0', text: 'topic 0', embedding: Float32Array.from(topics[0]!) }, contrasts, stream };
}

/**
 * A head that has seen and learnt from `n` labels, built quickly: the replay is filled with
 * no fitting (stepsPerUpdate 0), then fitted to convergence once, so that the timed updates
 * start, like the product's, from weights at the MAP of what is remembered.
 */
function prepared(m: Material, n: number): Head {
  let head = current.createHead('bench', m.dims, [m.interest], { contrasts: m.contrasts, options: { stepsPerUpdate: 0 } });
  head = current.observe(head, m.stream.slice(0, Math.min(m.stream.length, 2000)).map((x) => x.embedding));
  for (const x of m.stream.slice(0, n - 1)) head = current.update(head, { ...x, weight: 1 });
  head = { ...head, options: { ...head.options, stepsPerUpdate: 10 } };
  return current.update(head, { ...m.stream[n - 1]!, weight: 1 });
}

async function loadBaseline(commit: string): Promise<HeadModule> {
  const source = execFileSync('git', ['show', `${commit}:lib/head.ts`], { cwd: projectRoot, encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'head-baseline-'));
  const path = join(dir, 'head.ts');
  writeFileSync(path, source);
  return (await import(pathToFileURL(path).href)) as HeadModule;
}

/** The same state with every remembered example renamed: the memo of lib/head.ts misses on all of them. */
function renamed(state: Head, tag: string): Head {
  return { ...state, replay: state.replay.map((r) => ({ ...r, id: `${r.id}#${tag}` })) };
}

function timeUpdate(mod: HeadModule, state: Head, steps: number, example: Example): number {
  // A fresh clone, as read from IndexedDB for every feedback event; not timed.
  const head = structuredClone({ ...state, options: { ...state.options, stepsPerUpdate: steps } });
  const t0 = performance.now();
  mod.update(head, { ...example, weight: 1 });
  return performance.now() - t0;
}

async function main() {
  const { dataDir, values } = benchArgs(process.argv.slice(2), resolve(projectRoot, '../shared/data/topics-dev'), {
    json: { type: 'string' },
    runs: { type: 'string' },
    sizes: { type: 'string' },
    baseline: { type: 'string' },
    cache: { type: 'string' },
  });
  const runs = atLeastOne(values.runs, 9);
  const sizes = (values.sizes ?? '50,200,1000').split(',').map((s) => atLeastOne(s, 50));
  const commit = values.baseline ?? DEFAULT_BASELINE;
  const cacheDir = values.cache ?? join(projectRoot, 'test-output', 'relevance-cache');
  const largest = Math.max(...sizes) + runs;
  const material = realMaterial(dataDir, cacheDir) ?? generatedMaterial(largest);
  if (material.stream.length < largest) throw new Error(`${material.stream.length} paragraphs, ${largest} needed`);
  const baseline = await loadBaseline(commit);
  const baselineSteps = (baseline as { DEFAULT_HEAD_OPTIONS?: { stepsPerUpdate: number } }).DEFAULT_HEAD_OPTIONS?.stepsPerUpdate ?? 30;
  const steps = current.DEFAULT_HEAD_OPTIONS.stepsPerUpdate;

  console.log(`Head update time, ${material.dims} d; ${material.source}`);
  console.log(`current lib/head.ts (stepsPerUpdate ${steps}) against lib/head.ts at ${commit} (stepsPerUpdate ${baselineSteps}); median of ${runs} updates\n`);
  console.log(['labels', 'replay', 'warm ms', 'cold ms', 'baseline ms', 'baseline/warm', 'baseline/cold'].map((h) => h.padStart(14)).join(''));
  const rows: { labels: number; replay: number; currentMs: number; currentColdMs: number; baselineMs: number; ratio: number; ratioCold: number }[] = [];
  for (const n of sizes) {
    const state = prepared(material, n);
    const ours: number[] = [];
    const oursCold: number[] = [];
    const theirs: number[] = [];
    // Warms the memo for the warm runs (as the worker's previous event would have).
    current.update(structuredClone(state), { ...material.stream[n]!, weight: 1 });
    for (let r = 0; r < runs; r++) {
      const example = material.stream[n + r]!;
      // Alternating which goes first, so that neither always meets a warmer JIT or cache.
      const cold = renamed(state, `cold${n}-${r}`);
      if (r % 2 === 0) {
        ours.push(timeUpdate(current, state, steps, example));
        oursCold.push(timeUpdate(current, cold, steps, example));
        theirs.push(timeUpdate(baseline, state, baselineSteps, example));
      } else {
        theirs.push(timeUpdate(baseline, state, baselineSteps, example));
        oursCold.push(timeUpdate(current, cold, steps, example));
        ours.push(timeUpdate(current, state, steps, example));
      }
    }
    const [warmMs, coldMs, baselineMs] = [median(ours), median(oursCold), median(theirs)];
    const row = { labels: n, replay: state.replay.length, currentMs: warmMs, currentColdMs: coldMs, baselineMs, ratio: baselineMs / warmMs, ratioCold: baselineMs / coldMs };
    rows.push(row);
    console.log(
      [String(n), String(row.replay), warmMs.toFixed(1), coldMs.toFixed(1), baselineMs.toFixed(1), `${row.ratio.toFixed(2)}x`, `${row.ratioCold.toFixed(2)}x`]
        .map((c) => c.padStart(14))
        .join(''),
    );
  }
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ benchmark: 'head-update', source: material.source, dims: material.dims, baseline: commit, runs, rows }, null, 2));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
