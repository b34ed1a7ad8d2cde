/**
 * What the learner sees every day, in a real Chromium with the built extension: the welcome
 * steps on install (walked through by keyboard), the popup's gauge and 14-day chart against
 * seeded days of load, its layout holding still while data arrives, and the settings page's
 * model, backup, refused and accepted restore, and delete-everything.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, ROOT, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { putRecords, storeRecords } from './lib/extension-pages';

let session: Session;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  // The welcome tab a first install opens is what the first test walks through.
  session = await launch({ keepWelcome: true });
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

async function pressKey(page: Page, key: Parameters<Page['keyboard']['press']>[0], times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Presses Tab until the focused element matches `selector` (and `text`, if given): proves it is reachable by keyboard. */
/**
 * Waits until a new step of the welcome page has moved focus to its heading (after its frame is
 * drawn, as a screen reader needs). Keys pressed before that would go to the old focus, and
 * the move would take focus from a field being typed into.
 */
async function stepShown(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === 'step-heading', { timeout: 5000 });
}

async function tabTo(page: Page, selector: string, text?: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const hit = await page.evaluate(
      (sel, txt) => {
        const el = document.activeElement;
        return !!el && el.matches(sel) && (txt === null || (el.textContent ?? '').includes(txt));
      },
      selector,
      text ?? null,
    );
    if (hit) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} ${text ?? ''} with Tab`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim() ?? '');

/** Ranks of the shipped English list: the placement's real words are in it, its made-up words are not. */
const ranks = new Map<string, number>(
  (JSON.parse(readFileSync(join(ROOT, '.output/chrome-mv3/models/frequency-en.json'), 'utf8')) as { words: string[] }).words.map((w, i) => [w, i + 1] as [string, number]).reverse(),
);

function dayBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

let welcome: Page;

describe('dashboard, onboarding and options', () => {
  it('opens the welcome steps on install, and they can be walked through by keyboard', async () => {
    const target = await session.browser.waitForTarget((t) => t.url() === extensionUrl(session, 'options.html#welcome'), { timeout: 20_000 });
    welcome = (await target.asPage())!;
    await welcome.setViewport({ width: 900, height: 1000 });
    await welcome.bringToFront();
    await welcome.waitForSelector('form[data-step="languages"]');
    expect(await welcome.$eval('h1', (h) => h.textContent)).toMatch(/Welcome/);

    // 1. Languages: English stays the target; the first language is typed into its list.
    await tabTo(welcome, '#native-lang');
    await welcome.keyboard.type('Ger');
    expect(await welcome.$eval('#native-lang', (s) => (s as HTMLSelectElement).value)).toBe('de');
    await screenshot(welcome, 'dashboard-01-welcome-languages');
    await tabTo(welcome, 'button[type="submit"]', 'Next');
    await pressKey(welcome, 'Enter');

    // 2. Level: tick exactly the real words among the 4,000 most frequent, nothing else.
    await welcome.waitForSelector('.word-grid input');
    await stepShown(welcome);
    const items = await welcome.$$eval('.word span', (spans) => spans.map((s) => s.textContent!));
    expect(items.length).toBe(42);
    const known = items.filter((w) => (ranks.get(w) ?? Infinity) <= 4000);
    expect(known.length).toBe(15); // 5 words from each of the first three bands
    await tabTo(welcome, '.word-grid input');
    for (let i = 0; i < items.length; i++) {
      const word = await focusedText(welcome);
      if (known.includes(word)) await pressKey(welcome, 'Space');
      await pressKey(welcome, 'Tab');
    }
    expect(await welcome.$$eval('.word-grid input:checked', (els) => els.length)).toBe(known.length);
    await screenshot(welcome, 'dashboard-02-level-check');
    await tabTo(welcome, 'button[type="submit"]', 'Show my level');
    await pressKey(welcome, 'Enter');
    await welcome.waitForSelector('[data-level="B1"]');
    expect(await welcome.$eval('.placement-result', (e) => e.textContent)).toMatch(/4,000 English words: level B1/);
    await screenshot(welcome, 'dashboard-03-level-result');
    await tabTo(welcome, 'button[type="submit"]', 'Next');
    await pressKey(welcome, 'Enter');

    // 3. Interests, one per line.
    await welcome.waitForSelector('#interests');
    await stepShown(welcome);
    await tabTo(welcome, '#interests');
    await welcome.keyboard.type('rivers and floods');
    await pressKey(welcome, 'Enter');
    await welcome.keyboard.type('city planning');
    await screenshot(welcome, 'dashboard-04-interests');
    await tabTo(welcome, 'button[type="submit"]', 'Next');
    await pressKey(welcome, 'Enter');

    // 4. Daily reading: 15 minutes, few highlights (arrow keys move within the radio group).
    await welcome.waitForSelector('#budget');
    await stepShown(welcome);
    await tabTo(welcome, '#budget');
    await welcome.keyboard.down('Control');
    await pressKey(welcome, 'KeyA');
    await welcome.keyboard.up('Control');
    await welcome.keyboard.type('15');
    await tabTo(welcome, 'input[name="density"]');
    await pressKey(welcome, 'ArrowUp');
    expect(await welcome.$eval('input[name="density"]:checked', (e) => (e as HTMLInputElement).value)).toBe('few');
    await screenshot(welcome, 'dashboard-05-daily');
    await tabTo(welcome, 'button[type="submit"]', 'Finish');
    await pressKey(welcome, 'Enter');
    await welcome.waitForSelector('.onboarding.done');
    // The new step's heading takes focus (after the frame is drawn), so a screen reader announces it.
    await stepShown(welcome);
    await screenshot(welcome, 'dashboard-06-done');

    const settings = await ask(welcome, 'settings.get', {});
    expect(settings).toMatchObject({ targetLang: 'en', nativeLang: 'de', interests: ['rivers and floods', 'city planning'], budgetMinutes: 15, density: 'few', onboarded: true });
    expect(await ask(welcome, 'learner.get', {})).toMatchObject({ vocabularySize: 4000, level: 'B1' });
  });

  it('shows seeded load, reviews and known words in the popup’s gauge, stats and chart, without moving', async () => {
    const today = (await ask(welcome, 'dashboard.get', {})).day;
    const day = (n: number, consumed: number, review: number, highlighted: number) => ({
      day: dayBefore(today, n),
      budgetMinutes: 15,
      consumedMinutes: consumed,
      readMinutes: consumed - review,
      reviewMinutes: review,
      highlighted: Array.from({ length: highlighted }, (_, i) => `h${n}-${i}`),
      read: [],
      tooHard: 0,
      speedRatios: [],
    });
    const seeded = [day(13, 6, 0, 3), day(9, 18, 4, 8), day(6, 11, 2, 5), day(3, 25, 5, 12), day(1, 8, 8, 0), day(0, 9, 3, 4)];
    await putRecords(welcome, 'daily', seeded);
    // Two words the learner said they know this week, one known long ago.
    const now = Date.now();
    const learnerRecord = (await storeRecords(welcome, 'kv')).find((r) => r.key === 'learner');
    expect(learnerRecord, 'the learner record').toBeDefined();
    const learner = learnerRecord!.value as { words: Record<string, unknown> };
    const word = (updatedAt: number) => ({ state: 'known', explicit: true, cleanExposures: 0, lookups: 0, form: 'x', updatedAt });
    await putRecords(welcome, 'kv', [{ key: 'learner', value: { ...learner, words: { ...learner.words, tide: word(now - 86_400_000), estuary: word(now), weir: word(now - 30 * 86_400_000) } } }]);
    // A saved passage: its card is due for review.
    await ask(welcome, 'snippet.save', { eventId: 'e2e-save-1', url: `${server.origin}/article.html`, title: 'Rivers', lang: 'en', text: 'The river runs under the street.', context: 'The river runs under the street.', paragraphId: null, markedWords: ['street'] });

    const popup = await session.browser.newPage();
    await popup.setViewport({ width: 340, height: 640 });
    // Records where each part of the popup sits at every change, from the first frame on.
    await popup.evaluateOnNewDocument(() => {
      const w = window as unknown as { __layout: Array<{ t: number; tops: Array<number | null>; data: boolean }> };
      w.__layout = [];
      const parts = ['.today', '.reviews', '.stats', '.history-section', '.page'];
      new MutationObserver(() => {
        if (!document.querySelector('.popup')) return;
        w.__layout.push({
          t: performance.now(),
          tops: parts.map((p) => document.querySelector(p)?.getBoundingClientRect().top ?? null),
          data: !!document.querySelector('[data-stat="read"]'),
        });
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await popup.goto(extensionUrl(session, 'popup.html'));
    await popup.waitForSelector('svg[data-chart="ready"]');
    await popup.waitForSelector('[data-stat="known-week"]');

    expect(await popup.$eval('[data-gauge]', (e) => e.getAttribute('data-gauge'))).toBe('9/15');
    expect(await popup.$eval('.gauge-label', (e) => e.textContent)).toMatch(/9 of 15 minutes used today.*6 minutes left/);
    expect(await popup.$eval('[role="meter"]', (e) => [e.getAttribute('aria-valuenow'), e.getAttribute('aria-valuemax')])).toEqual(['9', '15']);
    const stats = await popup.$$eval('[data-stat]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.stat!, Number(e.textContent)])));
    expect(stats).toMatchObject({ 'known-week': 2, highlighted: 4, snippets: 1 });
    expect(stats.due).toBeGreaterThanOrEqual(1);
    expect(await popup.$eval('.reviews button', (b) => [b.textContent, b.className])).toEqual(['Review now', 'primary']);

    // The chart: 14 days, the seeded minutes on the seeded days, the budget line at 15.
    const bars = await popup.$$eval('svg.chart g.day', (gs) => gs.map((g) => [g.getAttribute('data-day'), Number(g.getAttribute('data-minutes')), g.querySelectorAll('rect.bar-reading').length, g.querySelectorAll('rect.bar-review').length]));
    expect(bars).toHaveLength(14);
    for (const s of seeded) {
      const bar = bars.find(([d]) => d === s.day)!;
      expect(bar[1] as number).toBeCloseTo(s.consumedMinutes, 5);
      expect(bar[2]).toBe(s.consumedMinutes - s.reviewMinutes > 0 ? 1 : 0);
      expect(bar[3]).toBe(s.reviewMinutes > 0 ? 1 : 0);
    }
    expect(bars.filter(([, m]) => m === 0)).toHaveLength(14 - seeded.length);
    expect(await popup.$eval('line.budget-line[data-budget]', (l) => l.getAttribute('data-budget'))).toBe('15');
    // The tallest bar (25 min) stands higher than the budget line.
    const [tallTop, budgetY] = await popup.evaluate((d) => {
      const bar = document.querySelector(`g.day[data-day="${d}"] rect.bar-review`)!.getBoundingClientRect().top;
      return [bar, document.querySelector('line.budget-line[data-budget]')!.getBoundingClientRect().top] as const;
    }, dayBefore(today, 3));
    expect(tallTop).toBeLessThan(budgetY);
    expect(await popup.$eval('#history-desc', (d) => d.textContent)).toMatch(/^77 minutes in total, 22 of them reviews, on 6 days\. Most on .*: 25 minutes\. Today: 9 minutes\.$/);
    // The accessible table holds the same numbers.
    await popup.click('.history-table summary');
    const rows = await popup.$$eval('.history-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toHaveLength(14);
    expect(rows.at(-1)).toEqual(['Today', '6', '3', '4']);
    await screenshot(popup, 'dashboard-07-popup-table');
    await popup.click('.history-table summary');

    // Nothing moved once the first frame was drawn: each part kept its place while data arrived.
    const layout = await popup.evaluate(() => (window as unknown as { __layout: Array<{ t: number; tops: Array<number | null>; data: boolean }> }).__layout);
    const first = layout.find((l) => l.tops.every((t) => t !== null))!;
    const last = layout.at(-1)!;
    expect(first.data).toBe(false);
    expect(last.tops.slice(0, 4)).toEqual(first.tops.slice(0, 4));
    const firstData = layout.find((l) => l.data)!;
    console.log(`popup: first frame at ${first.t.toFixed(0)} ms, day's numbers at ${firstData.t.toFixed(0)} ms after navigation start (warm worker)`);
    await screenshot(popup, 'dashboard-08-popup-light');
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await screenshot(popup, 'dashboard-09-popup-dark');
    await popup.close();
  });

  it('says so in the popup when the budget is spent, and when the browser withholds the page’s address', async () => {
    const today = (await ask(welcome, 'dashboard.get', {})).day;
    await putRecords(welcome, 'daily', [{ day: today, budgetMinutes: 15, consumedMinutes: 17.5, readMinutes: 14.5, reviewMinutes: 3, highlighted: ['a', 'b'], read: ['a'], tooHard: 0, speedRatios: [] }]);
    const article = await session.browser.newPage();
    // A site the learner has not turned the extension on for (the test sites are granted).
    await article.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/article.html`);
    await article.bringToFront();
    // Opened by the extension API rather than a click on the toolbar button, the popup gets no
    // activeTab grant, so the browser does not tell it the page's address.
    const worker = await session.worker();
    await worker.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
    const popup = (await (await session.browser.waitForTarget((t) => t.url() === extensionUrl(session, 'popup.html'))).asPage())!;
    await popup.waitForSelector('.page-main[data-page="no-address"]');
    await popup.waitForSelector('[data-gauge]');
    expect(await popup.$eval('.gauge-label', (e) => e.textContent)).toMatch(/17\.5 of 15 minutes used today.*Budget spent/);
    expect(await popup.$eval('.gauge-track', (e) => e.className)).toContain('over');
    expect(await popup.$eval('.page-main', (e) => e.textContent)).toMatch(/did not tell the extension which page/);
    await screenshot(popup, 'dashboard-10-popup-spent');
    await popup.close().catch(() => {});
    await article.close();
  });

  it('settings: model, a backup download, a refused and an accepted restore, delete everything', async () => {
    const options = await session.browser.newPage();
    await options.setViewport({ width: 900, height: 1200 });
    const downloads = mkdtempSync(join(tmpdir(), 'attention-reader-downloads-'));
    const cdp = await options.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await options.goto(extensionUrl(session, 'options.html'));
    await options.waitForSelector('#model-heading');
    expect(await options.$eval('h1', (h) => h.textContent)).toMatch(/settings/);
    expect(await options.$eval('[data-learner]', (p) => p.textContent)).toMatch(/Level B1, about 4,000 words/);
    // The bundled model is in use; the downloadable ones are listed and cannot be chosen
    // before their files are on the device (nothing is downloaded without being asked).
    await options.waitForFunction(() => document.querySelectorAll('input[name="model"]').length === 3, { timeout: 30_000 });
    const model = await options.$eval('#model-heading', (h) => h.parentElement!.textContent);
    expect(model).toMatch(/Universal Sentence Encoder/);
    expect(model).toMatch(/MiniLM/);
    expect(await options.$$eval('input[name="model"]', (els) => els.map((e) => (e as HTMLInputElement).disabled))).toEqual([false, true, true]);
    expect(await options.$$eval('input[name="model"]', (els) => els.map((e) => (e as HTMLInputElement).checked))).toEqual([true, false, false]);
    await screenshot(options, 'dashboard-11-settings');

    // Budget edited on the settings page is saved when the field is left.
    await options.click('#budget', { count: 3 });
    await options.keyboard.type('25');
    await pressKey(options, 'Tab');
    await options.waitForFunction(() => [...document.querySelectorAll('.status')].some((s) => s.textContent === 'Saved.'));
    expect((await ask(options, 'settings.get', {})).budgetMinutes).toBe(25);

    // Backup: a real download of the JSON.
    await options.locator('::-p-text(Download backup)').click();
    await options.waitForFunction(() => /Downloaded attention-reader-backup-/.test(document.body.innerText));
    let file: string | undefined;
    for (let i = 0; i < 50 && !file; i++) {
      file = readdirSync(downloads).find((f) => f.endsWith('.json'));
      if (!file) await new Promise((r) => setTimeout(r, 100));
    }
    const backup = readFileSync(join(downloads, file!), 'utf8');
    expect(JSON.parse(backup)).toMatchObject({ format: 'attention-reader-backup', version: 1 });

    // A damaged file is refused with the reason, and nothing changes.
    const before = await ask(options, 'dashboard.get', {});
    const damaged = join(downloads, 'damaged.json');
    writeFileSync(damaged, backup.slice(0, Math.floor(backup.length / 2)));
    const input = (await options.$('#import-file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(damaged);
    await options.locator('::-p-text(Replace with backup)').click();
    await options.waitForSelector('[data-import="refused"]');
    // The page says why, in the backup check's own words.
    expect(await options.$eval('[data-import="refused"]', (e) => e.textContent)).toMatch(/^The backup was not restored\. Nothing was changed\. The backup file is cut short/);
    await options.$eval('[data-import="refused"]', (e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(options, 'dashboard-12-import-refused');
    expect(await ask(options, 'dashboard.get', {})).toMatchObject({ snippets: before.snippets, consumedMinutes: before.consumedMinutes });

    // Delete everything, after a confirmation: the first-run steps come back.
    await options.locator('::-p-text(Delete everything…)').click();
    await options.waitForSelector('[role="alertdialog"]');
    expect(await options.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete everything');
    await options.$eval('[role="alertdialog"]', (e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(options, 'dashboard-13-delete-confirm');
    await pressKey(options, 'Enter');
    await options.waitForSelector('form[data-step="languages"]');
    expect(await options.$eval('.notice', (e) => e.textContent)).toMatch(/Everything was deleted/);
    expect(await ask(options, 'settings.get', {})).toMatchObject({ onboarded: false, interests: [] });
    expect((await ask(options, 'dashboard.get', {})).snippets).toBe(0);

    // The downloaded backup brings it all back, from the first-run page itself.
    await options.locator('::-p-text(Restore a backup instead)').click();
    await ((await options.$('#import-file')) as ElementHandle<HTMLInputElement>).uploadFile(join(downloads, file!));
    await options.locator('::-p-text(Replace with backup)').click();
    await options.waitForSelector('#model-heading');
    expect(await options.$eval('.notice', (e) => e.textContent)).toMatch(/restored/);
    expect(await ask(options, 'settings.get', {})).toMatchObject({ onboarded: true, budgetMinutes: 25, interests: ['rivers and floods', 'city planning'] });
    expect((await ask(options, 'dashboard.get', {})).snippets).toBe(1);
    await options.reload();
    await options.waitForSelector('#model-heading');
    await options.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await screenshot(options, 'dashboard-14-settings-dark');
    await options.close();
  });
});
