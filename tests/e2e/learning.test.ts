/**
 * The extension adapts, in a real Chromium: highlights thin out as the day's reading budget
 * is consumed (with the one-line notice when it is spent), and feedback given through the
 * in-page toolbar on one page moves the ranking on a related page the right way.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageType, RequestOf, ResponseOf } from '../../lib/protocol';
import { ROOT, ask as askFrom, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { clickParagraph, openJudged, paintedCount, statusSays, storeRecords } from './lib/extension-pages';

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;

/** Sends a protocol message from an extension page, as the popup or options page would. */
function ask<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return askFrom(control, type, payload);
}

/** Opens a fixture and waits until the background has judged it and what it chose is painted. */
function open(path: string): Promise<Page> {
  return openJudged(session, control, `${server.origin}/${path}`, { width: 1000, height: 900 });
}

/** The gain, in bits, the background judged each paragraph last seen at `url` to hold, by text. */
async function gainsOn(url: string): Promise<Map<string, number>> {
  const records = await storeRecords(control, 'paragraphs');
  return new Map(records.filter((r) => r.lastUrl === url).map((r) => [r.text as string, r.gainBits as number]));
}

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launch();
  control = await session.browser.newPage();
  await control.goto(extensionUrl(session, 'popup.html'));
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

describe('learning and budget', () => {
  it('shows fewer highlights as today’s budget is consumed, then none, and says why', async () => {
    await ask('settings.update', { patch: { budgetMinutes: 10, density: 'many' } });
    const first = await open('article.html?day=1');
    const fresh = await ask('page.summary', { url: first.url() });
    const before = fresh.highlights.length;
    expect(before).toBeGreaterThan(2);
    expect(await paintedCount(first)).toBeGreaterThan(0);
    const totalLoad = fresh.highlights.reduce((s, h) => s + h.loadMinutes, 0);

    // Reading elsewhere uses 7 of the 10 minutes: the day's bar (lib/online-knapsack.ts) has
    // risen, and a page may spend only a little more.
    const dwell = (ms: number, id: string) =>
      ask('reading.dwell', { url: first.url(), events: [{ eventId: crypto.randomUUID(), paragraphId: id, visibleMs: ms, highlighted: true }] });
    await dwell(7 * 60_000, fresh.highlights[0]!.id);
    const second = await open('article.html?day=2');
    const during = (await ask('page.summary', { url: second.url() })).highlights.length;
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(before);

    await dwell((3 + totalLoad) * 60_000, fresh.highlights[1]!.id);
    const third = await open('article.html?day=3');
    const after = await ask('page.summary', { url: third.url() });
    expect(after.highlights).toEqual([]);
    expect(after.notice?.code).toBe('budget');
    expect(after.notice?.text).toMatch(/budget is spent/);
    // The page says so in one line, in our UI. The background stores the page's line before it
    // replies, so the summary can have it a moment before the page has painted the reply.
    await statusSays(third, 'budget is spent');
    await screenshot(third, 'budget-spent');
    const dashboard = await ask('dashboard.get', {});
    expect(dashboard.consumedMinutes).toBeGreaterThanOrEqual(dashboard.budgetMinutes);
    for (const p of [first, second, third]) await p.close();
    await ask('settings.update', { patch: { budgetMinutes: 120 } });
  });

  it('moves the ranking on a related page after feedback given with the toolbar', async () => {
    // No stated interests: passages are chosen for their level alone, every gain is 0 bits.
    await ask('settings.update', { patch: { interests: [], density: 'many', budgetMinutes: 120 } });
    const river = ['A new study', 'Children from'];
    const sport = ['The basketball', 'The cycling', 'The swimming'];
    const baselinePage = await open('related2.html?before');
    const baseline = await gainsOn(baselinePage.url());
    await baselinePage.close();

    // On another mixed page, the learner marks the river passages relevant and the sport ones
    // not relevant, through the in-page toolbar. The page's four other passages are far above
    // the learner's level, so the four plain ones are its highlights under the density cap.
    const page = await open('related.html?feedback');
    const judged: Array<[string, string]> = [
      ['Heavy rain', 'Relevant to me'],
      ['The council', 'Relevant to me'],
      ['The football', 'Not relevant to me'],
      ['Tickets for', 'Not relevant to me'],
    ];
    for (const [start, button] of judged) {
      await clickParagraph(page, start);
      const control = await page.locator(`::-p-aria(${button})`).waitHandle();
      await control.click();
      await statusSays(page, 'noted');
      await page.keyboard.press('Escape');
    }
    await screenshot(page, 'feedback-given');
    await page.close();

    const afterPage = await open('related2.html?after');
    const after = await gainsOn(afterPage.url());
    await screenshot(afterPage, 'related-after-feedback');
    await afterPage.close();

    // Every passage's gain as judged, highlighted or not: the density cap leaves some of this
    // five-passage page unhighlighted whatever their gain.
    const mean = (gains: Map<string, number>, starts: string[]) => starts.map((s) => [...gains].find(([text]) => text.startsWith(s))![1]).reduce((a, b) => a + b, 0) / starts.length;
    const gapBefore = mean(baseline, river) - mean(baseline, sport);
    const gapAfter = mean(after, river) - mean(after, sport);
    // Before: no preference at all. After: river passages ahead of sport ones, and more likely
    // relevant than an average passage.
    expect(gapBefore).toBe(0);
    expect(gapAfter).toBeGreaterThan(0);
    expect(mean(after, river)).toBeGreaterThan(0);
  });
});
