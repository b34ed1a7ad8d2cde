/**
 * Importing a Yomitan dictionary in Chromium, as a learner does: Settings → Dictionaries, pick
 * the .zip, see it listed; a damaged file shows its refusal in one line and changes nothing.
 * The zips are built by the test (tests/unit/yomitan-fixtures.ts). The last case measures a
 * 100,000-entry dictionary's import in the real browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index, row, tinyDictionary, zipOf } from '../unit/yomitan-fixtures';
import { ask, extensionUrl, launch, screenshot, type Session } from './harness';

let session: Session;
let options: Page;
let dir: string;

/** What the dictionaries database holds, read in the options page. */
async function stored(page: Page): Promise<{ dictionaries: string[]; terms: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('dictionaries');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const read = <T,>(store: string, how: (s: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        const r = how(db.transaction(store).objectStore(store));
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const names = db.objectStoreNames.contains('dictionaries') ? (await read('dictionaries', (s) => s.getAll())).map((d: { title: string }) => d.title) : [];
    // Rows are kept in chunks (platform/dictionary-store.ts).
    const chunks = db.objectStoreNames.contains('terms') ? await read('terms', (s) => s.getAll()) : [];
    const terms = chunks.reduce((sum: number, c: { rows: unknown[] }) => sum + c.rows.length, 0);
    db.close();
    return { dictionaries: names, terms };
  });
}

async function pick(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const input = (await page.waitForSelector('#dictionary-file:not([disabled])')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
}

const listed = (page: Page) => page.$$eval('[data-dictionary]', (items) => items.map((li) => li.getAttribute('data-dictionary')));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attention-reader-dictionaries-'));
  session = await launch();
  options = await session.browser.newPage();
  await options.setViewport({ width: 900, height: 900 });
  await options.goto(extensionUrl(session, 'options.html'));
  await ask(options, 'settings.update', { patch: { onboarded: true } });
  await options.reload();
  await options.waitForSelector('#dictionaries-heading');
});

afterAll(async () => {
  await session?.close().catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('importing a dictionary on the settings page', () => {
  it('lists an imported dictionary; a damaged file shows why and changes nothing', async () => {
    await pick(options, 'tiny-english.zip', zipOf(tinyDictionary()));
    await options.waitForFunction(() => document.body.innerText.includes('Imported “Tiny English”: 4 entries.'), { timeout: 30_000 });
    expect(await listed(options)).toEqual(['Tiny English']);
    expect(await options.$eval('[data-dictionary="Tiny English"]', (li) => (li as HTMLElement).innerText)).toMatch(/English · 4 entries/);
    expect(await stored(options)).toEqual({ dictionaries: ['Tiny English'], terms: 4 });

    const good = zipOf(tinyDictionary({}, 'Cut short'));
    await pick(options, 'cut-short.zip', good.slice(0, Math.floor(good.length * 0.6)));
    const refusal = await options.waitForSelector('[data-dictionary-import="refused"]', { timeout: 30_000 });
    expect(await refusal!.evaluate((p) => p.textContent)).toMatch(/^Nothing was changed\. This file is not a Yomitan dictionary: it is not a zip archive/);
    expect(await listed(options)).toEqual(['Tiny English']);
    expect(await stored(options)).toEqual({ dictionaries: ['Tiny English'], terms: 4 });

    await options.$eval('#dictionaries-heading', (h) => h.scrollIntoView({ block: 'start' }));
    await screenshot(options, 'dictionary-import-refused');
  });

  it('imports a dictionary of 100,000 entries', async () => {
    const files: Record<string, unknown> = { 'index.json': index({ title: 'Hundred thousand' }) };
    for (let b = 0; b < 10; b++) {
      files[`term_bank_${b + 1}.json`] = Array.from({ length: 10_000 }, (_, i) => {
        const k = b * 10_000 + i;
        return row(`word${k}`, k % 2 ? [`plain meaning of word ${k}, a sentence of the usual length`] : [{ type: 'structured-content', content: [{ tag: 'div', content: [{ tag: 'span', content: 'noun' }, ` meaning ${k}`] }, { tag: 'ul', content: [{ tag: 'li', content: 'an example sentence for this word' }, { tag: 'li', content: 'another one' }] }] }]);
      });
    }
    const started = Date.now();
    await pick(options, 'hundred-thousand.zip', zipOf(files));
    await options.waitForFunction(() => document.body.innerText.includes('Imported “Hundred thousand”: 100,000 entries.'), { timeout: 150_000, polling: 200 });
    const seconds = (Date.now() - started) / 1000;
    expect(await listed(options)).toEqual(['Tiny English', 'Hundred thousand']);
    expect((await stored(options)).terms).toBe(100_004);
    console.log(`100,000-entry dictionary imported through the settings page in ${seconds.toFixed(1)} s`);
  }, 200_000);
});
