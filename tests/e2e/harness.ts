/**
 * Drives the built extension in a real Chromium: finds the browser, serves local pages,
 * launches with the unpacked build and a chosen profile, reaches the service worker, and
 * stops it on demand (as the browser does to idle MV3 workers).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { envelope, type MessageType, type RequestOf, type ResponseOf } from '../../lib/protocol';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');
export const SHOTS_DIR = join(ROOT, 'test-output/e2e');

export function findChrome(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  for (const name of ['google-chrome', 'google-chrome-stable', 'chromium']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH; try the next one
    }
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one (Debian: apt-get install -y chromium) or set CHROME_PATH to a Chrome/Chromium binary.',
  );
}

/**
 * Flags for a quiet headless Chromium on a machine without a GPU or network: no sandbox (root
 * in CI), no background traffic to Google's services, no first-run UI.
 */
export const HEADLESS_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function assertBuilt(dir = EXTENSION_DIR): void {
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`No built extension at ${dir}: run "npm run build:chrome" first.`);
}

/** The sites the test pages are served from (see `serve`): what a learner would turn the extension on for. */
export const TEST_SITES: readonly string[] = ['*://127.0.0.1/*'];

/**
 * A copy of the build whose manifest grants `sites` at install, standing in for the learner
 * answering "Allow" to the extension's request for them. The build itself asks for host
 * access only at run time (optional host permissions), and Chromium's permission prompt
 * cannot be answered by a test driver: neither CDP nor any command-line switch reaches it.
 * Everything after the grant (registering the reader for granted sites, reading pages, a
 * request for an already granted site resolving at once) runs the product's own code.
 * The copy lives under test-output/ (see `grantedCopyDir`) and is refreshed whenever the
 * build is newer.
 */
export function buildWithGrantedSites(sites: readonly string[] = TEST_SITES, source = EXTENSION_DIR): string {
  assertBuilt(source);
  const dir = grantedCopyDir(source);
  mkdirSync(join(dir, '..'), { recursive: true });
  // Beside the copy, not in it: the copy must hold only the package's own files.
  const stamp = `${dir}.from`;
  const sourceStamp = `${statSync(join(source, 'manifest.json')).mtimeMs} ${sites.join(' ')}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceStamp) return dir;
  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(source, staging, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify({ ...manifest, host_permissions: [...sites] }));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  writeFileSync(stamp, sourceStamp);
  return dir;
}

/**
 * Where the granted copy of the build in `source` lives: under test-output/, never in .output/
 * beside the real builds, where a learner loading "the build" could pick the test copy. One
 * folder per source (its name and a hash of its path), so copies of different builds never mix.
 */
export function grantedCopyDir(source: string): string {
  const key = createHash('sha256').update(resolve(source)).digest('hex').slice(0, 12);
  return join(ROOT, 'test-output/granted', `${basename(source)}-${key}`);
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'attention-reader-profile-'));
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png' };

/** Serves a folder on 127.0.0.1; `pages` adds in-memory pages by path. */
export async function serve(dir: string, pages: Record<string, string> = {}): Promise<{ origin: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pages[path]);
      return;
    }
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, server, close: () => new Promise((r) => server.close(() => r())) };
}

export interface Session {
  browser: Browser;
  extensionId: string;
  profileDir: string;
  worker(): Promise<WebWorker>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  profileDir?: string;
  extensionDir?: string;
  extraArgs?: string[];
  keepWelcome?: boolean;
  /**
   * Sites the learner has turned the extension on for (default: the test server's); `[]`
   * launches the build exactly as a fresh install, with no host access at all.
   */
  grantedSites?: readonly string[];
}

export async function launch(options: LaunchOptions = {}): Promise<Session> {
  const built = options.extensionDir ?? EXTENSION_DIR;
  const sites = options.grantedSites ?? TEST_SITES;
  const extensionDir = sites.length > 0 ? buildWithGrantedSites(sites, built) : built;
  assertBuilt(extensionDir);
  const profileDir = options.profileDir ?? newProfileDir();
  const freshProfile = !existsSync(join(profileDir, 'Default'));
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    pipe: true,
    args: [
      ...HEADLESS_ARGS,
      `--user-data-dir=${profileDir}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.extraArgs ?? []),
    ],
  });
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 30_000 });
  const extensionId = new URL(target.url()).host;
  if (freshProfile && !options.keepWelcome) {
    // A first install opens the welcome steps in a tab in front of the others; pages a test
    // opens must be in front (hidden pages are not read), so the welcome tab is closed.
    const welcome = await browser.waitForTarget((t) => t.url() === `chrome-extension://${extensionId}/options.html#welcome`, { timeout: 10_000 }).catch(() => null);
    await (await welcome?.asPage())?.close();
  }
  return {
    browser,
    extensionId,
    profileDir,
    async worker() {
      const t = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`), { timeout: 30_000 });
      return (await t.worker())!;
    },
    async close() {
      try {
        await browser.close();
      } finally {
        // A profile made here is this session's alone (each holds ~10 MB of caches), removed
        // even when the browser did not close cleanly; one passed in may be relaunched later.
        if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** Stops the extension's service worker, as Chrome does to an idle MV3 worker. */
export async function stopServiceWorker(session: Session): Promise<void> {
  const page = await session.browser.newPage();
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    // Wait until the worker target is gone, so the next message really starts a new one.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const alive = session.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(session.extensionId));
      if (!alive) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await page.close();
  }
}

export function extensionUrl(session: Session, path: string): string {
  return `chrome-extension://${session.extensionId}/${path.replace(/^\//, '')}`;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: false });
  return file;
}

/** Number of ranges currently registered in the page's CSS highlight registry, per name. */
export async function highlightCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const [name, hl] of CSS.highlights) out[name] = hl.size;
    return out;
  });
}

/** Sends a protocol envelope from an extension page (as the popup would); the raw reply. */
export function sendFrom(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate(
    (m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m),
    message as never,
  );
}

/** Sends a protocol message from an extension page and returns its value; throws its error. */
export async function ask<T extends MessageType>(page: Page, type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const reply = (await sendFrom(page, envelope(type, payload))) as { ok: boolean; value?: ResponseOf<T>; error?: string } | undefined;
  if (!reply?.ok) throw new Error(`${type}: ${reply?.error ?? 'no reply'}`);
  return reply.value!;
}
