/**
 * One run of the naive reference beside the extension's (bench/first-highlight.ts): what a
 * simple extension built on transformers.js would do on the same two pages, in the same
 * Chromium with the same flags, a fresh profile each run:
 *
 *   cold  the first page, opened as soon as the browser is up: at DOMContentLoaded the page
 *         hands its paragraphs to the encoder worker, which loads transformers.js, the runtime
 *         and the model only then (the pipeline is made on first use) and embeds the
 *         paragraphs one call each, in document order;
 *   warm  the second page, in the same browser while the first is still open (so the worker,
 *         and its loaded pipeline, live on): only the calls are left.
 *
 * Timed inside the page from DOMContentLoaded to the first paragraph's vector (the first
 * thing such an extension could paint, when it paints each paragraph on its own score) and to
 * the last one (what a choice among the page's paragraphs, like ours within the day's budget,
 * has to wait for).
 *
 * Why a page and a shared worker of the bench's own server rather than a second extension:
 * it keeps the comparison about the pipeline. The reference uses the same browser, the same
 * onnxruntime-web build and WebAssembly file as the Chrome package, the same model and
 * tokenizer bytes (served from the package folder), and the same cross-origin isolation as
 * extension pages; the shared worker lives on across the site's pages as an offscreen
 * document would. What it leaves out is all in its favour: no content script to inject, no
 * extension messaging, no service worker to wake (ours pays each of these in its time).
 * Only one extension-side cost is not mirrored: ours may start its encoder at the browser's
 * start; the naive one loads on the first page's request, as the examples of transformers.js
 * in an extension do.
 */
import { rmSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { HEADLESS_ARGS, findChrome, newProfileDir } from '../../tests/e2e/harness';
import type { BenchPage } from './first-highlight-pages';

export interface NaiveVisit {
  /** DOMContentLoaded -> the first paragraph's vector, ms. */
  firstMs: number;
  /** DOMContentLoaded -> the last paragraph's vector, ms. */
  allMs: number;
  paragraphs: number;
}

export interface NaiveRunResult {
  cold: NaiveVisit;
  warm: NaiveVisit;
  /** The runtime's WASM threads as transformers.js left them (onnxruntime-web's default), and whether the worker was isolated. */
  threads: number | null;
  isolated: boolean;
  /** Mean L2 norm of the vectors (the model normalises them: about 1 when the pipeline ran the real model). */
  meanNorm: number;
}

interface InPage {
  dcl: number | null;
  first: number | null;
  all: number | null;
  paragraphs: number;
  received: number;
  info: { threads: number | null; isolated: boolean; meanNorm: number } | null;
  error: string | null;
}

/** Source text, not a function: see tests/e2e/lib/encoder-timing.ts on tsx and puppeteer. */
const READ_RESULT = 'globalThis.__naivePipeline ?? null';

async function visit(browser: Browser, url: string, timeoutMs: number): Promise<{ page: Page; visit: NaiveVisit; info: NonNullable<InPage['info']> }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const deadline = Date.now() + timeoutMs;
  let r: InPage | null = null;
  while (Date.now() < deadline) {
    r = (await page.evaluate(READ_RESULT)) as InPage | null;
    if (r?.error) throw new Error(`naive pipeline failed on ${url}: ${r.error}`);
    if (r?.all != null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!r || r.dcl === null || r.first === null || r.all === null || !r.info) throw new Error(`naive pipeline: no result on ${url} within ${timeoutMs} ms`);
  if (r.received !== r.paragraphs) throw new Error(`naive pipeline: ${r.received} vectors for ${r.paragraphs} paragraphs on ${url}`);
  return { page, visit: { firstMs: r.first - r.dcl, allMs: r.all - r.dcl, paragraphs: r.paragraphs }, info: r.info };
}

export async function timeNaivePipeline(origin: string, pages: readonly [cold: BenchPage, warm: BenchPage], timeoutMs: number): Promise<NaiveRunResult> {
  const profileDir = newProfileDir();
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    pipe: true,
    args: [...HEADLESS_ARGS, `--user-data-dir=${profileDir}`],
  });
  try {
    const [coldPage, warmPage] = pages;
    const cold = await visit(browser, `${origin}/naive${coldPage.path}`, timeoutMs);
    // The first page stays open: it keeps the worker, and the pipeline in it, alive.
    const warm = await visit(browser, `${origin}/naive${warmPage.path}`, timeoutMs);
    if (cold.visit.paragraphs !== coldPage.paragraphs || warm.visit.paragraphs !== warmPage.paragraphs) throw new Error('naive pipeline: a page had other paragraphs than it was built with');
    return { cold: cold.visit, warm: warm.visit, threads: warm.info.threads, isolated: warm.info.isolated, meanNorm: warm.info.meanNorm };
  } finally {
    await browser.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
  }
}
