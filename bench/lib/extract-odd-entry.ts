/**
 * Bundled by esbuild and evaluated inside each robustness page: our extractor in one go and
 * in 8 ms slices (the longest slice is what a reader would feel), and Readability's
 * `isProbablyReaderable` as an independent judge of whether the page has prose at all.
 * Nothing in it may throw on a strange page; the benchmark counts any exception as a failure.
 */
import { isProbablyReaderable } from '@mozilla/readability';
import { createExtractor, extractBlocks, liveLayoutProbe } from '../../lib/extraction';

export interface OddRun {
  readonly blocks: number;
  readonly chars: number;
  readonly ms: number;
  readonly slices: number;
  readonly longestSliceMs: number;
  readonly readerable: boolean;
  readonly text: string;
}

/**
 * Extracts the page `repeats` times in one go and as many times in slices. On a machine
 * shared with other jobs any single timing can be stretched by a descheduled thread, so the
 * one-go time is the median and the longest slice the smallest over the repeats (the slices
 * do the same work each time).
 */
function run(sliceMs: number, repeats: number): OddRun {
  const probe = liveLayoutProbe(window);
  let blocks = extractBlocks(document, probe);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    blocks = extractBlocks(document, probe);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  let slices = 0;
  let longestSliceMs = Infinity;
  for (let i = 0; i < repeats; i++) {
    const extractor = createExtractor(document, probe);
    let longest = 0;
    let sliced = 0;
    slices = 0;
    while (!extractor.done) {
      const s0 = performance.now();
      sliced += extractor.step(sliceMs, () => performance.now()).length;
      longest = Math.max(longest, performance.now() - s0);
      slices++;
    }
    if (sliced !== blocks.length) throw new Error(`sliced extraction found ${sliced} blocks, one-go ${blocks.length}`);
    longestSliceMs = Math.min(longestSliceMs, longest);
  }
  const text = blocks.map((b) => b.text).join('\n');
  return {
    blocks: blocks.length,
    chars: text.length,
    ms: times[times.length >> 1]!,
    slices,
    longestSliceMs,
    readerable: isProbablyReaderable(document),
    text,
  };
}

/** A synthetic page of `count` paragraphs, built in this document, for the large-page check. */
function buildHuge(count: number): void {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(`<p>Paragraph ${i} of a very long page says something different from paragraph ${i + 1}, at some length, so that it reads as prose.</p>`);
  }
  document.body.innerHTML = `<nav><a href="/">Home</a></nav><article>${parts.join('')}</article><footer>Footer</footer>`;
}

(globalThis as Record<string, unknown>).__oddBench = { run, buildHuge };
