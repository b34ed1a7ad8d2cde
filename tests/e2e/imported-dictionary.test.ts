/**
 * An imported dictionary answers look-ups in its own language, in Chromium with the built
 * extension: a learner of Spanish imports a small Spanish-English Yomitan dictionary on the
 * settings page (the real import, as dictionary-import.test.ts drives it), and a click on
 * "banco" in a Spanish page opens the word card with that dictionary's entry. The bundled
 * WordNet is English and has nothing to say here: the card's meaning comes from the import.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index, row, zipOf } from '../unit/yomitan-fixtures';
import { ROOT, ask, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { wordBox } from './lib/extension-pages';

const SENTENCE = 'Por la mañana fuimos al banco para abrir una cuenta de ahorros.';
const PAGE = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Un día en la ciudad</title>
<style>body { font: 18px/1.6 Georgia, serif; max-width: 680px; margin: 32px auto; padding: 0 16px; }</style></head>
<body><article><h1>Un día en la ciudad</h1>
<p>La ciudad vieja está en un valle ancho entre dos colinas, y casi todas sus calles bajan hasta el río.</p>
<p>${SENTENCE}</p>
<p>Después comimos en una plaza pequeña cerca del puente de madera, donde los niños jugaban al sol.</p>
</article></body></html>`;

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let dir: string;

const spanishDictionary = () =>
  zipOf({
    'index.json': index({ title: 'Pequeño español', sourceLanguage: 'es', targetLanguage: 'en' }),
    'term_bank_1.json': [row('banco', ['bank (financial institution)', 'bench'], { score: 5 }), row('cuenta', ['account'], { score: 3 })],
  });

/** Clicks the word until the card shows a meaning or an imported entry (the reader may still be starting). */
async function lookUp(page: Page, word: string): Promise<ElementHandle<Element>> {
  const deadline = Date.now() + 60_000;
  let seen = '';
  while (Date.now() < deadline) {
    const point = await wordBox(page, SENTENCE, word, false);
    await page.mouse.click(point.x, point.y);
    const waitUntil = Date.now() + 5_000;
    while (Date.now() < waitUntil) {
      const [card] = await page.$$('::-p-aria([role="dialog"])');
      if (card) {
        seen = (await card.evaluate((e) => e.textContent)) ?? '';
        if (await card.evaluate((e) => e.querySelector('.wc-imported, .wc-best, .wc-empty, .wc-error') !== null)) return card;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await page.keyboard.press('Escape');
  }
  throw new Error(`no word card with an answer for "${word}"; last seen ${JSON.stringify(seen)}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attention-reader-imported-'));
  server = await serve(join(ROOT, 'tests/fixtures'), { '/ciudad.html': PAGE });
  session = await launch();
  const options = await session.browser.newPage();
  await options.goto(extensionUrl(session, 'options.html'));
  await ask(options, 'settings.update', { patch: { onboarded: true, targetLang: 'es' } });
  await options.reload();
  const path = join(dir, 'pequeno-espanol.zip');
  writeFileSync(path, spanishDictionary());
  const input = (await options.waitForSelector('#dictionary-file:not([disabled])')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
  await options.waitForFunction(() => document.body.innerText.includes('Imported “Pequeño español”'), { timeout: 30_000 });
  await options.close();
}, 120_000);

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a look-up in an imported dictionary', () => {
  it('answers a Spanish word on a Spanish page with the imported entry', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1100, height: 800 });
    await page.goto(`${server.origin}/ciudad.html`);
    const card = await lookUp(page, 'banco');
    const imported = await card.evaluate((e) => ({
      terms: [...e.querySelectorAll('.wc-imported-term')].map((t) => t.textContent),
      defs: [...e.querySelectorAll('.wc-imported-defs li')].map((t) => t.textContent),
      source: e.querySelector('.wc-imported-source')?.textContent ?? '',
    }));
    await screenshot(page, 'imported-dictionary-card');
    expect(imported.terms).toEqual(['banco']);
    expect(imported.defs).toEqual(['bank (financial institution)', 'bench']);
    expect(imported.source).toContain('Pequeño español');
  }, 90_000);
});
