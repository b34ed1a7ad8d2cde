/**
 * The word card in a real Chromium with the built extension: a click on "bank" in a sentence
 * about a river and in one about money shows, first, the meaning the encoder finds fitting
 * (the dictionary and the ranking run in the offscreen document); the look-up shortcut opens
 * the card for the word at the caret, with the focus in it and back after Escape; each
 * look-up is recorded once; Save makes a cloze card whose answer side shows the meaning.
 * Screenshots of the card in light and dark colour schemes go to test-output/e2e.
 *
 * Headless Chromium assigns no extension shortcuts (tests/e2e/lib/shortcuts.ts), so the test
 * sends what the background relays for the look-up command: `reader.lookup` to the tab.
 */
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, type MessageType, type RequestOf, type ResponseOf } from '../../lib/protocol';
import { ROOT, ask as askFrom, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { openJudged, wordBox } from './lib/extension-pages';

const RIVER = 'We sat on the bank of the river and watched the water.';
const MONEY = 'On Monday she went to the bank to open a savings account and ask about a loan for her new house.';
const OTHER = [
  'The old town lies in a wide valley between two hills, and most of its streets lead down to the water.',
  'In summer, families walk along the paths by the river and children swim near the wooden bridge.',
];
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A day by the river</title>
<style>body { font: 18px/1.6 Georgia, serif; max-width: 680px; margin: 32px auto; padding: 0 16px; }</style></head>
<body><article><h1>A day by the river</h1><p>${OTHER[0]}</p><p>${RIVER}</p><p>${OTHER[1]}</p><p>${MONEY}</p></article></body></html>`;

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;
let page: Page;

function ask<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return askFrom(control, type, payload);
}

/** The centre of the word `word` inside the paragraph holding `sentence`, scrolled into view. */
function wordPoint(sentence: string, word: string): Promise<{ x: number; y: number }> {
  return wordBox(page, sentence, word);
}

/** The open card, once its meanings have come; throws with what it shows when they do not. */
async function cardWithMeanings(timeoutMs = 60_000): Promise<ElementHandle<Element>> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    const [card] = await page.$$('::-p-aria([role="dialog"])');
    if (card) {
      seen = (await card.evaluate((e) => e.textContent)) ?? '';
      if (await card.evaluate((e) => e.querySelector('.wc-best') !== null || e.querySelector('.wc-empty, .wc-error') !== null)) return card;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the word card never showed meanings; it showed ${JSON.stringify(seen)}`);
}

async function cardIsOpen(): Promise<boolean> {
  return (await page.$$('::-p-aria([role="dialog"])')).length > 0;
}

function bestMeaning(card: ElementHandle<Element>): Promise<{ id: string; text: string; title: string }> {
  return card.evaluate((e) => ({
    id: e.querySelector('.wc-best')?.getAttribute('data-sense-id') ?? '',
    text: e.querySelector('.wc-best .wc-gloss')?.textContent ?? '',
    title: e.querySelector('.wc-title')?.textContent ?? '',
  }));
}

async function lookUpBy(sentence: string): Promise<{ id: string; text: string; title: string }> {
  const { x, y } = await wordPoint(sentence, 'bank');
  const started = Date.now();
  await page.mouse.click(x, y);
  const card = await cardWithMeanings();
  console.info(`[word-lookup] click to meanings: ${Date.now() - started} ms`);
  return bestMeaning(card);
}

/** The card does not cover the word it is for. */
async function cardClearOfWord(sentence: string): Promise<boolean> {
  const [card] = await page.$$('::-p-aria([role="dialog"])');
  const box = (await card!.boundingBox())!;
  const word = await wordBox(page, sentence, 'bank', false);
  const overlaps = box.x < word.right && word.left < box.x + box.width && box.y < word.bottom && word.top < box.y + box.height;
  return !overlaps;
}

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), { '/river.html': PAGE });
  session = await launch();
  control = await session.browser.newPage();
  await control.goto(extensionUrl(session, 'popup.html'));
  page = await openJudged(session, control, `${server.origin}/river.html`, { width: 1100, height: 800 }, 90_000);
}, 120_000);

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

describe('the word card', () => {
  it('shows, first, the meaning of "bank" that fits each sentence, beside the word and never over it', async () => {
    const river = await lookUpBy(RIVER);
    expect(river.title).toMatch(/^bank noun/);
    expect(await cardClearOfWord(RIVER)).toBe(true);
    await screenshot(page, 'word-lookup-river-light');
    await page.keyboard.press('Escape');
    expect(await cardIsOpen()).toBe(false);

    const money = await lookUpBy(MONEY);
    expect(await cardClearOfWord(MONEY)).toBe(true);
    console.info(`[word-lookup] river sentence: ${river.id} "${river.text}"; money sentence: ${money.id} "${money.text}"`);
    expect(river.text).toMatch(/sloping land|slope/);
    expect(money.text).toMatch(/financial institution/);

    // Dark colour scheme: the same card drawn with the dark palette.
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await screenshot(page, 'word-lookup-money-dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await screenshot(page, 'word-lookup-money-light');

    // A click elsewhere (not on a word) closes it.
    await page.mouse.click(8, 790);
    expect(await cardIsOpen()).toBe(false);
  }, 150_000);

  it('opens from the keyboard at the caret, with the focus inside, and gives the focus back on Escape', async () => {
    await page.evaluate((sentence: string) => {
      const p = [...document.querySelectorAll('p')].find((e) => e.textContent!.includes(sentence))!;
      const text = p.firstChild as Text;
      const at = text.data.indexOf('river');
      getSelection()!.collapse(text, at + 2);
    }, RIVER);
    await page.bringToFront();
    const worker = await session.worker();
    const reply = await worker.evaluate(
      async (url: string, message: unknown) => {
        const tabs = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>>; sendMessage(id: number, m: unknown): Promise<unknown> } } }).chrome.tabs;
        const tab = (await tabs.query({ active: true })).find((t) => t.url === url);
        return tab?.id === undefined ? null : tabs.sendMessage(tab.id, message);
      },
      page.url(),
      envelope('reader.lookup', {}) as unknown,
    );
    expect(reply).toEqual({ ok: true, value: { opened: true } });
    const card = await cardWithMeanings();
    expect((await bestMeaning(card)).title).toMatch(/^river/);
    expect(await card.evaluate((e) => (e.getRootNode() as ShadowRoot).activeElement === e)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await cardIsOpen()).toBe(false);
  }, 90_000);

  it('records each look-up once, newest first, with its sentence and chosen meaning', async () => {
    const history = await ask('lookup.history', { limit: 50 });
    expect(history.total).toBe(3);
    expect(history.items.map((r) => r.word)).toEqual(['river', 'bank', 'bank']);
    expect(history.items[1]).toMatchObject({ sentence: MONEY, lemma: 'bank', url: page.url(), title: 'A day by the river' });
    expect(history.items[2]!.sentence).toBe(RIVER);
    expect(history.items[2]!.gloss).toMatch(/sloping land|slope/);
  });

  it('saves the sentence as a cloze card whose answer side shows the meaning', async () => {
    await lookUpBy(RIVER);
    const [card] = await page.$$('::-p-aria([role="dialog"])');
    const save = (await card!.$('.wc-save'))!;
    await save.click();
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline && !status.includes('Saved')) {
      status = (await card!.evaluate((e) => e.querySelector('.wc-status')?.textContent ?? '')) ?? '';
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('Saved as a review card');
    // The card drawn again for the status did not record another look-up.
    expect((await ask('lookup.history', { limit: 50 })).total).toBe(4);

    const due = await ask('review.due', {});
    const saved = due.items.find((i) => i.card.kind === 'cloze' && i.card.text === RIVER);
    expect(saved?.card).toMatchObject({ sense: { lemma: 'bank', pos: 'noun' } });
    expect(saved!.front).toBe('We sat on the […] of the river and watched the water.');

    const review = await session.browser.newPage();
    try {
      await review.goto(extensionUrl(session, 'review.html'));
      await review.waitForSelector('.review-app[aria-busy="false"]');
      await review.click('.review-show');
      const shown = await review.$eval('.review-sense', (e) => e.textContent);
      expect(shown).toMatch(/^bank noun .*(sloping land|slope)/);
      await screenshot(review, 'word-lookup-review-answer');
      // The look-up history, on the same page.
      await review.click('.review-lookups summary');
      await review.waitForFunction(() => document.querySelectorAll('.review-lookup').length === 4);
      expect(await review.$eval('.review-lookups summary', (e) => e.textContent)).toBe('Words you looked up (4)');
      expect(await review.$$eval('.review-lookup-word', (es) => es.map((e) => e.textContent))).toEqual(['bank', 'river', 'bank', 'bank']);
      await screenshot(review, 'word-lookup-history');
    } finally {
      await review.close();
    }
  }, 90_000);
});
