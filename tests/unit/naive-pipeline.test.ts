/**
 * The naive reference of bench:first-highlight: its comparison with ours run by run, and the
 * serving of transformers.js and the bench pages to it.
 */
import { describe, expect, it } from 'vitest';
import { compareWithNaive } from '../../bench/lib/naive-pipeline-compare';
import type { NaiveRunResult } from '../../bench/lib/naive-pipeline-run';
import { linkTransformers, naivePageHtml } from '../../bench/lib/naive-pipeline-server';
import { median } from '../../bench/lib/stats';

const naiveRun = (coldFirst: number, coldAll: number, warmFirst: number, warmAll: number): NaiveRunResult => ({
  cold: { firstMs: coldFirst, allMs: coldAll, paragraphs: 30 },
  warm: { firstMs: warmFirst, allMs: warmAll, paragraphs: 30 },
  threads: 1,
  isolated: false,
  meanNorm: 1,
});

describe('ours against the naive pipeline', () => {
  it('takes the median of per-run ratios (naive / ours), over the runs both have', () => {
    const ours = [{ cold: 1000, warm: 100 }, null, { cold: 2000, warm: 400 }, { cold: 1000, warm: 200 }];
    const naive = [naiveRun(3000, 6000, 50, 900), naiveRun(1, 1, 1, 1), null, naiveRun(4000, 9000, 40, 1000)];
    const rows = compareWithNaive(ours, naive, median);
    const row = (visit: string, which: string) => rows.find((r) => r.visit === visit && r.naive === which)!;
    // Runs 1 and 4 pair up (run 2 of ours does not count, run 3 of the naive one failed).
    expect(row('cold', 'first')).toEqual({ visit: 'cold', naive: 'first', oursMs: 1000, naiveMs: 3500, speedup: 3.5, pairs: 2 });
    expect(row('cold', 'all').speedup).toBe(7.5);
    expect(row('warm', 'first').speedup).toBeCloseTo((0.5 + 0.2) / 2, 9);
    expect(row('warm', 'all')).toMatchObject({ oursMs: 150, naiveMs: 950, speedup: 7, pairs: 2 });
  });

  it('has no ratio without a pair', () => {
    const rows = compareWithNaive([null], [naiveRun(1, 2, 3, 4)], median);
    expect(rows.every((r) => r.pairs === 0 && Number.isNaN(r.speedup))).toBe(true);
  });
});

describe('serving the naive pipeline', () => {
  it("points transformers.js' bare imports of onnxruntime at the served files, and refuses a build that imports otherwise", () => {
    const source = 'import*as a from"onnxruntime-web/webgpu";import{Tensor as b}from"onnxruntime-common";export{a,b};';
    expect(linkTransformers(source)).toBe('import*as a from"/naive/lib/ort.mjs";import{Tensor as b}from"/naive/lib/common/index.js";export{a,b};');
    expect(() => linkTransformers('import*as a from"onnxruntime-web/wasm";')).toThrow(/not the ones expected/);
    expect(() => linkTransformers('export const x = 1;')).toThrow(/not the ones expected/);
  });

  it('adds the naive reader to the bench page, before its paragraphs are parsed', () => {
    const html = naivePageHtml({ path: '/tech.html', html: '<html><head><title>T</title></head><body><article><p>One.</p></article></body></html>', paragraphs: 1, words: 1, sources: [] });
    expect(html).toBe('<html><head><title>T</title><script type="module" src="/naive/page.js"></script>\n</head><body><article><p>One.</p></article></body></html>');
  });
});
