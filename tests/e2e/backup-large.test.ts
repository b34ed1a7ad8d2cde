/**
 * A backup of a profile larger than 64 MiB, made and restored in Chromium through the options
 * page, as a learner would: Download backup, delete everything, pick the file, Replace with
 * backup. Browsers refuse extension messages over 64 MiB, so a backup that travelled as one
 * message could not be made (nor restored) at this size.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionUrl, launch, screenshot, type Session } from './harness';
import { ask } from './lib/extension-pages';

const PARAGRAPHS = 720;
const CHARS_EACH = 100_000;
const MESSAGE_LIMIT_BYTES = 64 * 1024 * 1024;

let session: Session;
let options: Page;
let downloads: string;

/** Paragraph records written straight into the extension's database, in the options page. */
async function fill(page: Page): Promise<void> {
  await page.evaluate(
    async (count: number, chars: number) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('attention-reader');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const words = ['river', 'bridge', 'market', 'harbour', 'library', 'garden', 'station', 'school'];
      for (let start = 0; start < count; start += 40) {
        const tx = db.transaction('paragraphs', 'readwrite');
        for (let i = start; i < Math.min(count, start + 40); i++) {
          let text = `Paragraph ${i}.`;
          for (let k = 0; text.length < chars; k++) text += ` The ${words[(i + k) % words.length]} ${k}.`;
          tx.objectStore('paragraphs').put({ id: `p${i}`, text: text.slice(0, chars), lang: 'en', firstSeen: 1, lastSeen: 2, lastUrl: 'https://example.org/', gainBits: 0, fit: 1, loadMinutes: 1, difficultyFactor: 1, scorer: 'lexical' });
        }
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    },
    PARAGRAPHS,
    CHARS_EACH,
  );
}

/** How many paragraphs the database holds, and the length of one, read in the page. */
async function paragraphs(page: Page): Promise<{ count: number; sample: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('attention-reader');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const store = db.transaction('paragraphs').objectStore('paragraphs');
    const count = await new Promise<number>((r) => (store.count().onsuccess = (e) => r((e.target as IDBRequest<number>).result)));
    const one = await new Promise<{ text: string } | undefined>((r) => (store.get('p700').onsuccess = (e) => r((e.target as IDBRequest).result)));
    db.close();
    return { count, sample: one?.text.length ?? 0 };
  });
}

beforeAll(async () => {
  session = await launch();
  downloads = mkdtempSync(join(tmpdir(), 'attention-reader-large-backup-'));
  const cdp = await session.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  options = await session.browser.newPage();
  await options.goto(extensionUrl(session, 'options.html'));
  // The database exists once the background has answered something.
  await ask(options, 'settings.update', { patch: { budgetMinutes: 33, onboarded: true } });
  await options.reload();
});

afterAll(async () => {
  await session?.close().catch(() => {});
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

describe('a backup larger than 64 MiB', () => {
  it('is made and restored through the options page', async () => {
    await fill(options);
    expect(await paragraphs(options)).toEqual({ count: PARAGRAPHS, sample: CHARS_EACH });

    await options.locator('::-p-text(Download backup)').click();
    await options.waitForFunction(() => /Downloaded attention-reader-backup-/.test(document.body.innerText), { timeout: 120_000 });
    let file: string | undefined;
    for (let i = 0; i < 600 && !file; i++) {
      file = readdirSync(downloads).find((f) => f.endsWith('.json'));
      if (!file) await new Promise((r) => setTimeout(r, 100));
    }
    expect(file).toBeDefined();
    const path = join(downloads, file!);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(MESSAGE_LIMIT_BYTES);

    await ask(options, 'data.deleteAll', { confirm: 'delete everything' });
    expect((await paragraphs(options)).count).toBe(0);
    // (A fresh profile starts on the welcome steps; the settings page has the restore.)
    await ask(options, 'settings.update', { patch: { onboarded: true } });
    await options.reload();
    const input = (await options.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    await options.locator('::-p-text(Replace with backup)').click();
    await options.waitForFunction(() => /Restored: /.test(document.body.innerText), { timeout: 170_000, polling: 500 });
    await options.$eval('#import-file', (e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(options, 'backup-large-restored');
    expect(await options.$('[data-import="refused"]')).toBeNull();
    expect(await paragraphs(options)).toEqual({ count: PARAGRAPHS, sample: CHARS_EACH });
    expect((await ask(options, 'settings.get', {})).budgetMinutes).toBe(33);
    console.log(`backup file: ${(size / 1024 / 1024).toFixed(1)} MiB, ${PARAGRAPHS} paragraphs restored`);
  }, 400_000);
});
