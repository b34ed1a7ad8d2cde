/**
 * Runs the product's own TypeScript inside one of the extension's pages: an entry module is
 * bundled with esbuild (from node_modules, so a clean clone needs nothing else) into a temp
 * folder and evaluated in the page, its exports then a global of that page.
 *
 * Evaluated through the DevTools protocol rather than added as a <script>: extension pages
 * allow only their own packaged scripts (MV3's content security policy), which applies to a
 * script element but not to the debugger's evaluation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ROOT } from '../harness';

const ESBUILD = join(ROOT, 'node_modules/.bin/esbuild');

/** The entry's bundle as one script that leaves the entry's exports in `globalName`. */
export function bundleForPage(entry: string, globalName: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'attention-reader-bundle-'));
  try {
    const outfile = join(dir, 'bundle.js');
    execFileSync(
      ESBUILD,
      [entry, '--bundle', '--format=iife', `--global-name=${globalName}`, '--platform=browser', '--target=chrome120', `--outfile=${outfile}`, '--log-level=error'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return readFileSync(outfile, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Evaluates a bundle in `page` (again after each navigation, which clears it). The bundle's
 * top-level `var` becomes a property of the page's global object, as a global eval's does.
 */
export async function loadBundle(page: Page, source: string, globalName: string): Promise<void> {
  await page.evaluate(source);
  const loaded = await page.evaluate((name) => typeof (globalThis as Record<string, unknown>)[name] === 'object', globalName);
  if (!loaded) throw new Error(`the bundle did not define ${globalName} in ${page.url()}`);
}
