/**
 * Bundled by esbuild and evaluated inside each benchmark page: our extractor and
 * Readability.js side by side, on the same live DOM.
 *
 * A timed call is a batch of back-to-back extractions (one takes about a millisecond, and the
 * page clock is rounded to 0.1 ms outside cross-origin-isolated pages). Each timed call marks
 * itself with `console.timeStamp`, so that the benchmark can read the main thread's CPU time
 * for it from a trace (see extract-timing.ts); its wall-clock mean is returned as well.
 */
import { Readability } from '@mozilla/readability';
import { extractBlocks, liveLayoutProbe, type Block, type ScoringTuning } from '../../lib/extraction';

export const OURS_MARK = 'extract-bench:ours';
export const READABILITY_MARK = 'extract-bench:readability';

export interface Output {
  readonly text: string;
  readonly blocks: number;
}

let lastBlocks: Block[] = [];
let lastArticle: string | null = null;
let clones: Document[] = [];
/** Overrides of the shipped tuning for every extraction of ours (bench --tuning); none by default. */
let baseTuning: Partial<ScoringTuning> = {};

function setTuning(tuning: Partial<ScoringTuning>): void {
  baseTuning = tuning;
}

/** Runs our extractor `reps` times; returns the wall-clock mean in ms. */
function ours(reps: number): number {
  console.timeStamp(OURS_MARK);
  const probe = liveLayoutProbe(window);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) lastBlocks = extractBlocks(document, probe, { tuning: baseTuning });
  return (performance.now() - t0) / reps;
}

/**
 * Readability changes the document it reads, so each parse gets a fresh clone, as its own
 * README recommends; the clones are made beforehand, in a call of their own.
 */
function cloneFor(reps: number): void {
  clones = [];
  for (let i = 0; i < reps; i++) clones.push(document.cloneNode(true) as Document);
}

/** Runs Readability on the `reps` clones made by `cloneFor`; returns the wall-clock mean in ms. */
function readability(reps: number): number {
  console.timeStamp(READABILITY_MARK);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const article = new Readability(clones[i]!).parse();
    if (i === 0) lastArticle = article?.textContent ?? '';
  }
  const ms = (performance.now() - t0) / reps;
  clones = [];
  return ms;
}

/**
 * Our article text under each candidate tuning (untimed, for cross-validation); the shipped
 * defaults are `{}`. Also leaves the output of the first candidate as `oursOutput`.
 */
function oursCandidates(candidates: Partial<ScoringTuning>[]): string[] {
  const probe = liveLayoutProbe(window);
  return candidates.map((tuning, i) => {
    const blocks = extractBlocks(document, probe, { tuning: { ...baseTuning, ...tuning } });
    if (i === 0) lastBlocks = blocks;
    return blocks.map((b) => b.text).join('\n');
  });
}

/** Readability's text, untimed, on a clone. */
function readabilityOnce(): void {
  lastArticle = new Readability(document.cloneNode(true) as Document).parse()?.textContent ?? '';
}

function oursOutput(): Output {
  return { text: lastBlocks.map((b) => b.text).join('\n'), blocks: lastBlocks.length };
}

function readabilityOutput(): Output {
  return { text: lastArticle ?? '', blocks: 0 };
}

/**
 * How many extractions make a batch of about `targetMs` for each side. Each side runs three
 * times untimed first (the fastest sets the batch size), so that timed runs find the code
 * compiled for this page's DOM.
 */
function calibrate(targetMs: number): { ours: number; readability: number } {
  const reps = (f: () => void) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, performance.now() - t0);
    }
    return Math.max(1, Math.min(200, Math.round(targetMs / Math.max(best, 0.05))));
  };
  const probe = liveLayoutProbe(window);
  return {
    ours: reps(() => extractBlocks(document, probe, { tuning: baseTuning })),
    readability: reps(() => new Readability(document.cloneNode(true) as Document).parse()),
  };
}

/** Style and layout are up to date on a page the reader is looking at; make them so here too before timing. */
function settle(): void {
  document.documentElement.getBoundingClientRect();
  if (document.body) getComputedStyle(document.body).display;
}

(globalThis as Record<string, unknown>).__extractBench = { setTuning, ours, cloneFor, readability, oursCandidates, readabilityOnce, oursOutput, readabilityOutput, calibrate, settle };
