/**
 * Highlights that filter, in a real Chromium: on a page mixing plain passages with passages far
 * above the learner's level, only the plain ones are highlighted and the page says, in one line,
 * how many on the learner's interests are above their level, with the offer to show them too
 * (the popup shows the same notice from page.summary, components/popup/Popup.test.tsx). A French page (no lang attribute) gets no highlights and the line
 * naming French, with the offer to add it to the languages studied.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageType, RequestOf, ResponseOf } from '../../lib/protocol';
import { ROOT, ask as askFrom, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { openJudged, paintedCount } from './lib/extension-pages';

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;

function ask<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return askFrom(control, type, payload);
}

/** Opens a fixture and waits until the background has judged it and what it chose is painted. */
function open(path: string): Promise<Page> {
  return openJudged(session, control, `${server.origin}/${path}`, { width: 1000, height: 900 });
}

/** The text of the page's own line (our UI lives in a closed shadow root; ARIA queries reach it). */
async function pageLine(page: Page, includes: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let texts: Array<string | null> = [];
  while (Date.now() < deadline) {
    const notices = await page.$$('::-p-aria([role="status"])');
    texts = await Promise.all(notices.map((n) => n.evaluate((e) => e.textContent)));
    const hit = texts.find((t) => t?.includes(includes));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no line with “${includes}” on the page; lines: ${JSON.stringify(texts)}`);
}

const HARD_STARTS = ['Hydrogeomorphological', 'Geotechnical', 'Hydrologists'];

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launch();
  control = await session.browser.newPage();
  await control.goto(extensionUrl(session, 'popup.html'));
  await ask('settings.update', { patch: { interests: ['rivers and floods'], budgetMinutes: 60, onboarded: true } });
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

describe('highlights that filter', () => {
  it('highlights only the passages in the learner’s zone on a mixed-level page, and says why the others are not', async () => {
    const page = await open('mixed-level.html');
    const summary = await ask('page.summary', { url: page.url() });
    expect(summary.highlights.length, JSON.stringify(summary)).toBeGreaterThan(0);
    expect(await paintedCount(page)).toBeGreaterThan(0);
    for (const h of summary.highlights) expect(HARD_STARTS.some((s) => h.text.startsWith(s))).toBe(false);
    // Each hard passage is left out with its reason: above the level, or (as the relevance
    // model judges it) not near the interests; those on the interests are counted on the line.
    const hard = summary.leftOut.filter((l) => HARD_STARTS.some((s) => l.text.startsWith(s)));
    expect(hard).toHaveLength(3);
    for (const l of hard) expect(['above-level', 'off-topic']).toContain(l.reason);
    const above = summary.leftOut.filter((l) => l.reason === 'above-level');
    expect(above.length).toBeGreaterThan(0);
    for (const l of above) {
      expect(HARD_STARTS.some((s) => l.text.startsWith(s))).toBe(true);
      expect(l.line).toMatch(/above your level/);
    }
    // Every passage is accounted for: highlighted, or left out with a reason.
    expect(summary.highlights.length + summary.leftOut.length).toBe(summary.paragraphs);
    const n = above.length;
    const expected = `${n} passage${n === 1 ? '' : 's'} on your interests ${n === 1 ? 'is' : 'are'} above your level.`;
    expect(summary.notice).toEqual({ code: 'above-level', text: expected, action: { kind: 'show-harder' } });

    expect(await pageLine(page, 'above your level')).toContain(expected);
    await screenshot(page, 'day-budget-01-mixed-level');


    // "Show harder passages too": the page is chosen again with the hard passages competing.
    const button = await page.waitForSelector('::-p-aria(Show harder passages too)');
    await button!.click();
    const deadline = Date.now() + 30_000;
    let after = summary;
    while (Date.now() < deadline) {
      after = await ask('page.summary', { url: page.url() });
      if (!after.leftOut.some((l) => l.reason === 'above-level')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(after.leftOut.filter((l) => l.reason === 'above-level')).toEqual([]);
    expect(after.notice?.code).not.toBe('above-level');
    await screenshot(page, 'day-budget-03-mixed-level-harder');
    await page.close();
  });

  it('highlights nothing on a French page, names the language, and offers to add it', async () => {
    const page = await open('french.html');
    const summary = await ask('page.summary', { url: page.url() });
    expect(summary.known).toBe(true);
    expect(summary.highlights).toEqual([]);
    expect(await paintedCount(page)).toBe(0);
    expect(summary.leftOut.length).toBe(summary.paragraphs);
    expect(summary.leftOut.every((l) => l.reason === 'other-language')).toBe(true);
    expect(summary.notice).toEqual({
      code: 'other-language',
      text: 'This page is in French, which is not among the languages you study: nothing highlighted.',
      action: { kind: 'add-language', lang: 'fr' },
    });
    expect(await pageLine(page, 'French')).toContain('This page is in French');
    expect(await page.$('::-p-aria(Add French to my languages)')).not.toBeNull();
    await screenshot(page, 'day-budget-04-french');


    // Taking the offer adds French to the languages studied, and the language line goes.
    await (await page.$('::-p-aria(Add French to my languages)'))!.click();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await ask('settings.get', {})).studiedLanguages.includes('fr')) await new Promise((r) => setTimeout(r, 200));
    expect((await ask('settings.get', {})).studiedLanguages).toEqual(['fr']);
    let after = summary;
    while (Date.now() < deadline) {
      after = await ask('page.summary', { url: page.url() });
      if (after.notice?.code !== 'other-language') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(after.notice?.code).not.toBe('other-language');
    expect(after.leftOut.some((l) => l.reason === 'other-language')).toBe(false);
    await screenshot(page, 'day-budget-06-french-added');
    await page.close();
  });
});
