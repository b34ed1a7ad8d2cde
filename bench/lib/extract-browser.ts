/**
 * Headless Chromium for the extraction benchmarks: pages are loaded from strings with
 * scripts disabled and every network request refused, so each page is exactly its saved HTML
 * (and inline styles) and nothing it does can reach the network or change between runs.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { HEADLESS_ARGS, findChrome } from '../../tests/e2e/harness';


export interface BenchBrowser {
  readonly browser: Browser;
  /** A fresh page with scripts off and the network blocked, recording page errors. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BenchBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'attention-reader-bench-'));
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    args: [
      ...HEADLESS_ARGS,
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async newPage() {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        if (req.url().startsWith('data:')) void req.continue();
        // A page that navigates itself away (a <noscript> meta refresh, read because scripts
        // are off) is answered "204 No Content", which keeps the page it came from; refusing
        // the request instead would replace the page by an error page under our feet.
        else if (req.isNavigationRequest() && req.frame() === page.mainFrame()) void req.respond({ status: 204, body: '' });
        else void req.abort();
      });
      await page.setViewport({ width: 1280, height: 900 });
      return { page, errors };
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The in-page bundle (our extractor + Readability.js) as one script. */
export async function bundlePageScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

/** Loads saved HTML into the page; with scripts off, `evaluate` still runs our own code. */
export async function loadHtml(page: Page, html: string, timeoutMs = 30_000): Promise<void> {
  await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
}

export function readGzHtml(path: string): string {
  return gunzipSync(readFileSync(path)).toString('utf8');
}

export function listGz(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html.gz'))
    .sort();
}

