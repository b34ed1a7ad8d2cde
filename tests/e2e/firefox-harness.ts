/**
 * Drives the Firefox build in a real Firefox (Debian's firefox-esr) with puppeteer-core over
 * WebDriver BiDi. The extension is installed the way Firefox installs one into a profile
 * for good (a file named after its gecko id in the profile's extensions/ folder, pointing at
 * the unpacked build), so it survives a restart as a learner's install does; a temporary
 * add-on (BiDi's webExtension.install, about:debugging) is removed when Firefox closes.
 * Unsigned add-ons install only where signing can be switched off: ESR, Developer Edition,
 * Nightly (`xpinstall.signatures.required`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { envelope } from '../../lib/protocol';
import { ROOT, TEST_SITES, assertBuilt, buildWithGrantedSites, newProfileDir } from './harness';

export const FIREFOX_BUILD_DIR = join(ROOT, '.output/firefox-mv3');

/**
 * The extension's internal host name (moz-extension://UUID/). Firefox draws one at random per
 * profile unless the profile names it (`extensions.webextensions.uuids`), as here, so that
 * the tests can open the extension's pages.
 */
export const FIREFOX_EXTENSION_UUID = '6f1c2b7e-3d4a-4e8b-9c1f-2a5d7e9b0c43';

export function findFirefox(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  for (const name of ['firefox-esr', 'firefox']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH; try the next one
    }
  }
  throw new Error('No Firefox found for the Firefox end-to-end test. Install one (Debian: apt-get install -y firefox-esr) or set FIREFOX_PATH to a Firefox ESR, Developer Edition or Nightly binary.');
}

export function geckoId(dir = FIREFOX_BUILD_DIR): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${dir}/manifest.json has no gecko id`);
  return id;
}

export interface FirefoxSession {
  browser: Browser;
  profileDir: string;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  /** A profile to keep across launches (a restart); by default a fresh one, removed on close. */
  profileDir?: string;
  /** Sites the learner has turned the extension on for (see harness buildWithGrantedSites). */
  grantedSites?: readonly string[];
}

export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<FirefoxSession> {
  assertBuilt(FIREFOX_BUILD_DIR);
  const sites = options.grantedSites ?? TEST_SITES;
  const extensionDir = sites.length > 0 ? buildWithGrantedSites(sites, FIREFOX_BUILD_DIR) : FIREFOX_BUILD_DIR;
  const id = geckoId(extensionDir);
  const profileDir = options.profileDir ?? newProfileDir();
  const freshProfile = !existsSync(join(profileDir, 'extensions', id));
  // An extension "proxy file": Firefox installs the unpacked folder it names, at startup.
  mkdirSync(join(profileDir, 'extensions'), { recursive: true });
  writeFileSync(join(profileDir, 'extensions', id), extensionDir);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    userDataDir: profileDir,
    // Lets the driver open the extension's own pages (moz-extension://), as CDP can in Chromium.
    args: ['-remote-allow-system-access'],
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'extensions.webextensions.uuids': JSON.stringify({ [id]: FIREFOX_EXTENSION_UUID }),
    },
  });
  if (freshProfile) {
    // A first install opens the welcome steps in a tab; pages a test opens must be in front.
    const welcome = await browser.waitForTarget((t) => t.url() === firefoxExtensionUrl('options.html#welcome'), { timeout: 30_000 }).catch(() => null);
    await (await welcome?.asPage())?.close();
  }
  return {
    browser,
    profileDir,
    async close() {
      try {
        await browser.close();
      } finally {
        if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

export function firefoxExtensionUrl(path: string): string {
  return `moz-extension://${FIREFOX_EXTENSION_UUID}/${path.replace(/^\//, '')}`;
}

/**
 * Opens one of the extension's pages in `page`. Firefox's BiDi navigation reports no load event
 * for moz-extension pages (the navigation itself happens), so this waits for the document.
 */
export async function openFirefoxExtensionPage(page: Page, path: string): Promise<void> {
  const url = firefoxExtensionUrl(path);
  void page.goto(url, { timeout: 0 }).catch(() => undefined);
  // Polled by hand: an evaluation that meets the document being replaced fails, and is retried.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ready = await page.evaluate((u: string) => location.href === u && document.readyState === 'complete', url).catch(() => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not load within 30 s`);
}

/**
 * What the background sends a tab's reader when the learner presses a passage shortcut
 * (platform/commands.ts), sent from the extension page `control` to the tab showing `url`.
 */
export async function relayPassageStep(control: Page, url: string, step: 1 | -1): Promise<void> {
  const reply = await control.evaluate(
    async (u: string, message: unknown) => {
      const tabs = (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string; active?: boolean }>>; sendMessage(id: number, m: unknown): Promise<unknown> } } }).browser.tabs;
      const tab = (await tabs.query({})).find((t) => t.url === u);
      return tab?.id === undefined ? `no tab at ${u}` : tabs.sendMessage(tab.id, message);
    },
    url,
    envelope('reader.step', { step }) as unknown,
  );
  if (typeof reply === 'string') throw new Error(reply);
  const answer = reply as { ok?: boolean; value?: { moved?: boolean } } | undefined;
  if (!answer?.ok || !answer.value?.moved) throw new Error(`the reader did not move: ${JSON.stringify(reply)}`);
}
