/**
 * Inside highlighted passages, the words the learner probably does not know yet are underlined
 * (their own CSS Custom Highlight) and counted on the passage's toolbar, in a real Chromium:
 * only inside highlighted passages, gone for a word the learner marks known, and gone
 * altogether when the learner turns the underline off.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ask, extensionUrl, launch, screenshot, serve, type Session } from './harness';
import { clickParagraph, openJudged, paintedCount, statusSays } from './lib/extension-pages';
import { TIER_PATTERN } from './lib/page-probes';

const NEW_WORD = 'attention-reader-new-word';
/** Words far past any list's ranks: probably new to every learner. */
const RARE = ['lugubrious', 'quagmire', 'obstreperous'];

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The town meeting</title>
<style>
  body { font: 18px/1.7 Georgia, serif; margin: 0; color: #222; background: #fdfcf8; }
  main { max-width: 680px; margin: 24px auto; padding: 0 16px; }
  @media (prefers-color-scheme: dark) { body { color: #e6e4de; background: #1d1c1a; } }
</style></head>
<body><main><article>
<h1>The town meeting</h1>
<p>The meeting in the town hall was long and a little lugubrious. Many people came to talk about the new road, and some of them were angry. The mayor said the plan was good for the town, but a man at the back said it was a quagmire of broken promises and high costs.</p>
<p>After an hour, the room was loud and obstreperous, and the mayor asked everyone to be quiet. She said that the council would listen to every family and would write to each house before any work could start on the road next year.</p>
<p>Most people went home happy. They liked the idea of a safer road for children who walk to school, and they were glad that the council would ask them again before it made the last choice about the money and the work.</p>
<p>Lugubrious perorations notwithstanding, the infrastructural desiderata engender quagmire-like jurisdictional imbroglios, exacerbating the municipality's procedurally recalcitrant deliberative apparatus and its concomitant fiduciary obfuscation.</p>
</article></main></body></html>`;

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;

interface Underline {
  text: string;
  /** The underlined word lies inside a passage painted in a highlight tier. */
  inHighlight: boolean;
  paragraph: number;
}

/** The ranges of the new-word highlight: their text, and whether each lies in a highlighted passage. */
function underlines(page: Page): Promise<Underline[]> {
  return page.evaluate(
    (name: string, tier: string) => {
      const marked = CSS.highlights.get(name);
      if (!marked) return [];
      const tiers = [...CSS.highlights.entries()].filter(([k]) => new RegExp(tier).test(k)).flatMap(([, h]) => [...h] as Range[]);
      const paragraphs = [...document.querySelectorAll('p')];
      return ([...marked] as Range[]).map((r) => ({
        text: r.toString(),
        inHighlight: tiers.some((t) => t.compareBoundaryPoints(Range.START_TO_START, r) <= 0 && t.compareBoundaryPoints(Range.END_TO_END, r) >= 0),
        paragraph: paragraphs.findIndex((p) => p.contains(r.startContainer)),
      }));
    },
    NEW_WORD,
    TIER_PATTERN.source,
  );
}

/** The toolbar's count of new words, or null when it shows none. */
async function toolbarCount(page: Page): Promise<string | null> {
  const notes = await page.$$('::-p-aria([role="note"])');
  const texts = await Promise.all(notes.map((n) => n.evaluate((e) => e.textContent)));
  return texts.find((t) => t?.includes('new word')) ?? null;
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  if (!ok(last)) throw new Error(`${what}: last saw ${JSON.stringify(last)}`);
  return last;
}

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), { '/meeting.html': PAGE });
  session = await launch();
  control = await session.browser.newPage();
  await control.goto(extensionUrl(session, 'popup.html'));
  await ask(control, 'settings.update', { patch: { interests: [], density: 'many', budgetMinutes: 120, targetLang: 'en' } });
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

describe('probably-new words in highlighted passages', () => {
  it('underlines them inside highlighted passages only, counts them on the toolbar, and drops a word marked known', async () => {
    const page = await openJudged(session, control, `${server.origin}/meeting.html`, { width: 1000, height: 800 });
    expect(await paintedCount(page)).toBeGreaterThan(0);
    const seen = await waitFor(() => underlines(page), (u) => u.length > 0, 'no new-word underline');
    // Every underline is a whole rare word, inside a highlighted passage; the hard last
    // paragraph (not highlighted) holds the same words and gets none.
    for (const u of seen) {
      expect(u.inHighlight).toBe(true);
      expect(RARE).toContain(u.text.toLowerCase());
      expect(u.paragraph).not.toBe(3);
    }
    const firstParagraph = seen.filter((u) => u.paragraph === 0).map((u) => u.text);
    expect(firstParagraph).toEqual(['lugubrious', 'quagmire']);

    // The passage's toolbar says how many.
    await clickParagraph(page, 'The meeting');
    expect(await waitFor(() => toolbarCount(page), (t) => t !== null, 'no count on the toolbar')).toBe('2 new words');
    await screenshot(page, 'unknown-words-light');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await screenshot(page, 'unknown-words-dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.keyboard.press('Escape');

    // The learner selects "quagmire" and says they know it: its underline goes, the others stay.
    const at = await page.evaluate((name: string) => {
      const r = ([...CSS.highlights.get(name)!] as Range[]).find((x) => x.toString() === 'quagmire')!;
      const rect = r.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, NEW_WORD);
    await page.mouse.click(at.x, at.y, { count: 2 });
    const known = await page.locator('::-p-aria(I know this word)').waitHandle();
    await known.click();
    await statusSays(page, 'marked as known');
    const after = await waitFor(() => underlines(page), (u) => !u.some((x) => x.text === 'quagmire'), 'quagmire still underlined');
    expect(after.map((u) => u.text)).toContain('lugubrious');
    expect(after.length).toBe(seen.length - seen.filter((u) => u.text === 'quagmire').length);
    await page.keyboard.press('Escape');
    await page.evaluate(() => getSelection()?.removeAllRanges());
    await clickParagraph(page, 'The meeting');
    expect(await waitFor(() => toolbarCount(page), (t) => t === '1 new word', 'the count did not drop')).toBe('1 new word');
    await page.keyboard.press('Escape');

    // Marked known on its word card instead: the first click opens the passage, the second on
    // the word opens its card, whose "Known" takes the underline away too.
    const word = await page.evaluate((name: string) => {
      const r = ([...CSS.highlights.get(name)!] as Range[]).find((x) => x.toString() === 'obstreperous')!;
      const rect = r.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, NEW_WORD);
    await page.mouse.click(word.x, word.y);
    await page.mouse.click(word.x, word.y);
    const card = await page.locator('::-p-aria([role="dialog"])').waitHandle();
    // Its meanings come first (the card grows, and its buttons move, when they do).
    await waitFor(() => card.evaluate((e) => e.querySelector('.wc-best, .wc-empty, .wc-error') !== null), (done) => done, 'the word card never settled', 60_000);
    await (await card.$('button[title="I know this word"]'))!.click();
    await waitFor(() => card.evaluate((e) => e.querySelector('.wc-status')?.textContent ?? ''), (t) => t.includes('marked as known'), 'the card did not mark the word');
    const last = await waitFor(() => underlines(page), (u) => !u.some((x) => x.text === 'obstreperous'), 'obstreperous still underlined');
    expect(last.map((u) => u.text)).toContain('lugubrious');
    await page.close();
  });

  it('underlines nothing and counts nothing once the learner turns it off', async () => {
    await ask(control, 'settings.update', { patch: { underlineNewWords: false } });
    const page = await openJudged(session, control, `${server.origin}/meeting.html?off`, { width: 1000, height: 800 });
    expect(await paintedCount(page)).toBeGreaterThan(0);
    expect(await page.evaluate((name: string) => CSS.highlights.has(name), NEW_WORD)).toBe(false);
    await clickParagraph(page, 'The meeting');
    await page.locator('::-p-aria([role="toolbar"])').waitHandle();
    expect(await toolbarCount(page)).toBeNull();
    await page.close();
    await ask(control, 'settings.update', { patch: { underlineNewWords: true } });
  });
});
