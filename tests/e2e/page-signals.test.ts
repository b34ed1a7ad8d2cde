/**
 * Signals from the page, in a real Chromium with the built extension:
 * - a screen of short paragraphs left in view for a minute (no stated interests, no input)
 *   is read, not skipped: the next page still gets highlights, chosen by level as before;
 * - a highlighted passage is painted as one continuous mark across its links, even where the
 *   page styles links with a background of their own.
 * The minute is waited for in real time: the reading-time tracker and its 15 s reports run
 * on the page's own clock, unchanged.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageType, RequestOf, ResponseOf } from '../../lib/protocol';
import { ROOT, ask as askFrom, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { openJudged } from './lib/extension-pages';

const SUBJECTS = ['The harbour master', 'A young engineer', 'The village baker', 'Our neighbour', 'The head teacher', 'A local farmer', 'The bus driver', 'My grandmother', 'The new librarian', 'A retired nurse'];
const ACTIONS = ['walked along the river every morning', 'opened a small shop near the station', 'planted apple trees behind the school', 'wrote a letter to the town council', 'painted the old boat a bright blue', 'baked bread for the whole street'];
const ENDINGS = ['and everybody in the town was talking about it for weeks.', 'because the weather was finally warm and dry again.', 'while the children watched from the other side of the road.', 'after a long and difficult winter with very little work.', 'so that visitors would stop and stay a little longer.', 'although nobody had asked for help with it at all.'];

/** Sixty paragraphs of about 22 words, all different. */
function shortParagraphs(seed: number): string[] {
  return Array.from({ length: 60 }, (_, i) => {
    const k = i + seed * 7;
    return `${SUBJECTS[k % SUBJECTS.length]} ${ACTIONS[Math.floor(k / SUBJECTS.length) % ACTIONS.length]} on day ${i + 1} of the month, ${ENDINGS[(k * 5) % ENDINGS.length]}`;
  });
}

const STYLE = 'body { font: 18px/1.5 Georgia, serif; max-width: 700px; margin: 24px auto; } a { color: #0645ad; background-color: #fff; text-decoration: underline; }';
const pageOf = (title: string, paragraphs: string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;

/**
 * Every paragraph holds two links, one wrapping bold text, so whichever passages the learner's
 * density setting lets through, each is a passage painted across its links.
 */
const LINKED = [
  'The town council met on <a href="/tuesday">Tuesday evening</a> to talk about the river, the old bridge and <a href="/park"><strong>the plans</strong></a> for a new park beside the water.',
  '“We will keep the old bridge <a href="/open">open to everyone</a> all winter,” <a href="/quote"><strong>he said</strong></a>, and the people in the room were very happy to hear it.',
  'Families who live near the river said they were <a href="/happy">happy with the plan</a>, but <a href="/worry"><strong>some of them</strong></a> worried about the cost of the work and the noise.',
  'The mayor promised that <a href="/summer">the new park</a> would be open by the summer, with benches, a small café and <a href="/path"><strong>a path</strong></a> for bicycles along the bank.',
  'Children from the primary school painted <a href="/pictures">pictures of the river</a> for an exhibition in the library, which <a href="/library"><strong>opens next</strong></a> Saturday morning.',
  'The engineers will start work in March, and <a href="/hope">they hope</a> to finish the bridge before <a href="/june"><strong>the first visitors</strong></a> arrive in June for the festival.',
];

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;

function ask<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return askFrom(control, type, payload);
}

/** Opens a page and waits until the background has judged it and what it chose is painted. */
function open(path: string): Promise<Page> {
  return openJudged(session, control, `${server.origin}/${path}`, { width: 1280, height: 800 }, 90_000);
}

/** The text of every painted range, per tier name, and how many links lie wholly inside it. */
function painted(page: Page): Promise<Array<{ name: string; text: string; links: number }>> {
  return page.evaluate(() =>
    [...CSS.highlights.entries()]
      .filter(([k]) => /^attention-reader-\d$/.test(k))
      .flatMap(([name, h]) =>
        [...h].map((r) => {
          const range = r as Range;
          const links = [...document.querySelectorAll('a')].filter((a) => range.comparePoint(a, 0) === 0 && range.comparePoint(a, a.childNodes.length) === 0).length;
          return { name, text: range.toString(), links };
        }),
      ),
  );
}

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), {
    '/short.html': pageOf('Sixty short paragraphs', shortParagraphs(1)),
    '/next.html': pageOf('The next page', shortParagraphs(2).slice(0, 30)),
    '/links.html': pageOf('The river plan', LINKED),
  });
  session = await launch();
  control = await session.browser.newPage();
  await control.goto(extensionUrl(session, 'popup.html'));
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

describe('signals from the page', () => {
  it('a screen of short paragraphs left in view for a minute is not skipped: the next page still gets highlights', async () => {
    expect((await ask('settings.get', {})).interests).toEqual([]);
    const page = await open('short.html');
    const first = await ask('page.summary', { url: page.url() });
    expect(first.highlights.length).toBeGreaterThan(0);
    const visible = await page.evaluate(() => [...document.querySelectorAll('p')].filter((p) => p.getBoundingClientRect().bottom > 0 && p.getBoundingClientRect().top < innerHeight).length);
    expect(visible).toBeGreaterThanOrEqual(6);
    const before = (await ask('dashboard.get', {})).consumedMinutes;
    await screenshot(page, 'page-signals-short-paragraphs');
    // A minute in view, no input: four of the page's 15 s reports.
    await new Promise((r) => setTimeout(r, 64_000));
    // The minute was tracked and reported as reading.
    const after = (await ask('dashboard.get', {})).consumedMinutes;
    expect(after - before).toBeGreaterThan(0.5);
    await page.close();

    const next = await open('next.html');
    const summary = await ask('page.summary', { url: next.url() });
    expect(summary.highlights.length).toBeGreaterThan(0);
    expect((await painted(next)).length).toBeGreaterThan(0);
    // Still chosen by level: a minute of reading did not switch the learner to relevance.
    expect(summary.highlights.every((h) => h.gainBits === 0)).toBe(true);
    await screenshot(next, 'page-signals-next-page');
    await next.close();
  }, 240_000);

  it('paints a highlighted passage as one continuous mark across its links', async () => {
    // Many highlights and a long day: the minute read above spent most of a 20-minute budget,
    // and what is tested here is how a chosen passage is painted.
    await ask('settings.update', { patch: { density: 'many', budgetMinutes: 600 } });
    const page = await open('links.html');
    const summary = await ask('page.summary', { url: page.url() });
    const chosen = summary.highlights.map((h) => h.text);
    const ranges = await painted(page);
    expect(chosen.length, `left out: ${JSON.stringify(summary.leftOut)}`).toBeGreaterThan(0);
    // Each highlighted passage is one range covering its whole text, both its links inside.
    for (const text of chosen) {
      const mine = ranges.filter((r) => r.text.replace(/\s+/g, ' ') === text);
      expect(mine, text).toHaveLength(1);
      expect(mine[0]!.links, text).toBe(2);
    }
    await page.evaluate(() => document.querySelector('article p:nth-of-type(2)')!.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'page-signals-links');
    await page.close();
  }, 120_000);
});
