/**
 * The review queue end to end, in a real Chromium with the built extension: a word selected
 * on a page and saved becomes a cloze card that is due (and counted on the toolbar badge); it
 * can be suspended, found under "Suspended cards" and unsuspended back into the queue; it
 * is answered with the keyboard on the review page, and its next due date is the one FSRS
 * gives for that card and answer; a browser restart with the same profile keeps that
 * schedule; the Anki file downloaded from the review page holds the card as a cloze; and
 * "Send to Anki" reaches a stand-in for AnkiConnect on 127.0.0.1:8765, or says plainly that
 * Anki is not there.
 *
 * Build first (`npm run build:chrome`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type ReviewCard } from '../../lib/review';
import { ROOT, ask, extensionUrl, launch, newProfileDir, screenshot, serve, type Session } from './harness';
import { openExtensionPage, statusSays, storeRecords } from './lib/extension-pages';

const profileDir = newProfileDir();
const WORD = 'culvert';

const ARTICLE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The river under the bus stop</title>
<style>
  body { font: 18px/1.6 Georgia, serif; margin: 0; color: #222; background: #fdfcf8; }
  main { max-width: 680px; margin: 24px auto; padding: 0 16px; }
</style>
</head>
<body>
<main>
<article>
<h1>The river under the bus stop</h1>
<p>Most people in the valley have never seen the river that runs under their street. A century ago it was pushed into a concrete ${WORD} so that the town could build houses and a railway on top of it.</p>
<p>Engineers now ask whether the water should see daylight again. Cities that opened their buried rivers found cooler summers, fewer floods and fish returning within a few years.</p>
<p>Opening the first kilometre would cost about forty million euros, most of it for new bridges and for moving the pipes and cables that were laid in the old channel.</p>
<p>The mayor has promised a public vote next spring. Until then, the town library shows old photographs of the river and drawings of the park that could replace the road.</p>
</article>
</main>
</body>
</html>`;

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;
const downloads = mkdtempSync(join(tmpdir(), 'attention-reader-downloads-'));

/** The toolbar icon as the learner sees it: badge text and tooltip. */
function badge(): Promise<{ text: string; title: string }> {
  return control.evaluate(async () => {
    const action = (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> } } }).chrome.action;
    return { text: await action.getBadgeText({}), title: await action.getTitle({}) };
  });
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
    value = await read();
  }
  return value;
}

/** The stored card, read from the extension's database in an extension page. */
async function storedCard(id: string): Promise<ReviewCard | undefined> {
  return (await storeRecords(control, 'cards')).find((c) => c.id === id) as ReviewCard | undefined;
}

async function startSession(): Promise<void> {
  session = await launch({ profileDir });
  control = await openExtensionPage(session);
  // Downloads from extension pages land in a folder the test reads.
  const cdp = await session.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
}

async function openReviewPage(): Promise<Page> {
  const review = await session.browser.newPage();
  await review.setViewport({ width: 900, height: 820 });
  await review.goto(extensionUrl(session, 'review.html'));
  await review.waitForSelector('.review-app[aria-busy="false"]');
  return review;
}

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'), { '/river.html': ARTICLE });
  await startSession();
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
  // The profile is passed in (it outlives a restart), so the session leaves it; it goes now.
  rmSync(profileDir, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
});

let cardId = '';
let before: ReviewCard;
let ratedBetween: [number, number] = [0, 0];
let after: ReviewCard;

describe('the review queue, end to end', () => {
  it('saves a selected word as a cloze card that is due, and counts it on the toolbar badge', async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1000, height: 760 });
    await page.goto(`${server.origin}/river.html`, { waitUntil: 'domcontentloaded' });
    // The content script has read the page once the background knows it.
    await waitFor('page judged', () => ask(control, 'page.summary', { url: page.url() }), (s) => s.known, 90_000);

    // Double-click the word, as a learner would.
    const at = await page.evaluate((word) => {
      const walker = document.createTreeWalker(document.querySelector('article')!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const index = node.textContent!.indexOf(word);
        if (index < 0) continue;
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + word.length);
        const rect = range.getBoundingClientRect();
        return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
      }
      throw new Error(`no "${word}" on the page`);
    }, WORD);
    await page.mouse.click(at.x, at.y, { count: 2 });
    expect(await page.evaluate(() => getSelection()?.toString().trim())).toBe(WORD);
    const save = await page.locator('::-p-aria(Save this passage for review)').waitHandle();
    await new Promise((r) => setTimeout(r, 200)); // the toolbar's fade-in, for the screenshot
    await screenshot(page, 'review-1-word-selected');
    await save.click();
    await statusSays(page, `Saved “${WORD}” for review`);
    await screenshot(page, 'review-2-word-saved');
    await page.close();

    const due = await ask(control, 'review.due', {});
    const item = due.items.find((i) => i.card.kind === 'cloze' && i.back.includes(WORD));
    expect(item, `a due cloze card for "${WORD}" in ${JSON.stringify(due.items.map((i) => i.front))}`).toBeDefined();
    expect(item!.front).not.toContain(WORD);
    expect(item!.card.kind === 'cloze' && item!.card.text.slice(item!.card.cloze.start, item!.card.cloze.end)).toBe(WORD);
    cardId = item!.card.id;
    before = item!.card;
    const shown = await waitFor('badge after the save', badge, (b) => b.text === String(due.total));
    expect(shown.title).toMatch(new RegExp(`${due.total} cards? due for review`));
  });

  it('is suspended from the review page, listed under "Suspended cards", and unsuspended back into the queue with the keyboard', async () => {
    const review = await openReviewPage();
    await review.waitForSelector('.review-cloze-blank');
    await review.locator('::-p-aria([name="Suspend"][role="button"])').click();
    await review.waitForFunction(() => document.body.innerText.includes('Nothing to review right now'), { timeout: 10_000 });
    expect((await storedCard(cardId))?.suspended).toBe(true);
    await review.waitForFunction(() => document.querySelector('details.review-suspended summary')?.textContent === 'Suspended cards (1)', { timeout: 10_000 });

    // Open the list and unsuspend with the keyboard alone.
    await review.focus('details.review-suspended summary');
    await review.keyboard.press('Enter');
    expect(await review.$eval('details.review-suspended', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    const front = await review.$eval('.review-suspended-front', (e) => e.textContent ?? '');
    expect(front).toContain('[…]');
    expect(front).not.toContain(WORD);
    await review.keyboard.press('Tab');
    expect(await review.evaluate(() => document.activeElement?.textContent)).toBe('Unsuspend');
    await review.$eval('details.review-suspended', (e) => e.scrollIntoView());
    await screenshot(review, 'review-3a-suspended-listed');
    await review.keyboard.press('Enter');

    await review.waitForSelector('.review-cloze-blank', { timeout: 10_000 });
    await review.waitForFunction(() => document.querySelector('.review-suspended-outcome')?.textContent?.endsWith('is back in your queue.'), { timeout: 10_000 });
    expect(await review.$eval('details.review-suspended summary', (e) => e.textContent)).toBe('Suspended cards (0)');
    expect(await review.$eval('.review-count', (e) => e.textContent)).toBe('1 of 1');
    await screenshot(review, 'review-3b-unsuspended');
    await review.close();

    const stored = (await storedCard(cardId))!;
    expect(stored.suspended).toBe(false);
    expect(stored.due).toBe(before.due);
    expect(stored.schedule).toEqual(before.schedule);
    expect((await ask(control, 'review.suspended', {})).items).toEqual([]);
    expect((await ask(control, 'review.due', {})).items.map((i) => i.card.id)).toContain(cardId);
  });

  it('is answered with the keyboard on the review page, and its next due date is FSRS’s', async () => {
    const review = await openReviewPage();
    await review.waitForSelector('.review-cloze-blank');
    expect(await review.$eval('.review-text', (e) => e.textContent)).not.toContain(WORD);
    await screenshot(review, 'review-3-card-front');

    await review.keyboard.press('Space');
    await review.waitForSelector('.review-cloze-answer');
    expect(await review.$eval('.review-cloze-answer', (e) => e.textContent)).toBe(WORD);
    await screenshot(review, 'review-4-answer-shown');

    const start = Date.now();
    await review.keyboard.press('3');
    await review.waitForFunction(() => document.body.innerText.includes('All caught up'), { timeout: 20_000 });
    ratedBetween = [start, Date.now()];
    await screenshot(review, 'review-5-all-caught-up');
    await review.close();

    after = (await storedCard(cardId))!;
    const expected = createScheduler({ requestRetention: 0.9 }).preview(before, start)[3];
    expect(Math.abs(after.due - expected)).toBeLessThanOrEqual(60_000);
    expect(after.due).toBeGreaterThan(ratedBetween[1]); // no longer due
    expect(after.schedule.reps).toBe(1);
    expect(after.schedule.lastReview).toBeGreaterThanOrEqual(ratedBetween[0]);
    expect(after.schedule.lastReview).toBeLessThanOrEqual(ratedBetween[1]);
    expect((await ask(control, 'review.due', {})).items.map((i) => i.card.id)).not.toContain(cardId);
    await waitFor('badge after the answer', badge, (b) => b.text === '');
  });

  it('keeps the schedule across a browser restart with the same profile', async () => {
    await session.close();
    await startSession();
    const reloaded = await storedCard(cardId);
    expect(reloaded?.due).toBe(after.due);
    expect(reloaded?.schedule).toEqual(after.schedule);
    expect((await ask(control, 'review.due', {})).items.map((i) => i.card.id)).not.toContain(cardId);
    // The badge is recounted when the extension starts: nothing due, and the tooltip says so.
    await waitFor('badge after the restart', badge, (b) => b.text === '' && /no cards due/.test(b.title));

    const review = await openReviewPage();
    await review.waitForFunction(() => document.body.innerText.includes('Nothing to review right now'));
    await screenshot(review, 'review-6-after-restart');
    await review.close();
  });

  it('downloads an Anki file from the review page that holds the card as a cloze', async () => {
    const review = await openReviewPage();
    const button = await review.locator('::-p-aria(Download for Anki \\(TSV\\))').waitHandle();
    await button.click();
    const file = await waitFor('the downloaded file', async () => readdirSync(downloads).filter((f) => f.endsWith('.tsv')), (files) => files.length === 1);
    const text = readFileSync(join(downloads, file[0]!), 'utf8');
    expect(file[0]).toMatch(/^attention-reader-cards-\d{4}-\d{2}-\d{2}\.tsv$/);
    expect(text).toMatch(/^#separator:tab\n#html:true\n/);
    const row = text.split('\n').find((l) => l.startsWith(`${cardId}\t`));
    expect(row, text).toBeDefined();
    // Fields as Anki reads them: a quoted field loses its quotes, doubled quotes become one.
    const [, noteType, deck, front, back, tags] = row!.split('\t').map((f) => (f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f));
    expect([noteType, deck, tags]).toEqual(['Cloze', 'Attention Reader', 'attention-reader lang::en']);
    expect(front).toContain(`concrete {{c1::${WORD}}} so that`);
    expect(back).toContain(`<a href="${server.origin}/river.html">The river under the bus stop</a>`);
    await review.waitForFunction(() => document.querySelector('.review-export-outcome')?.textContent?.startsWith('Downloaded'), { timeout: 10_000 });
    expect(await review.$eval('.review-export-outcome', (e) => e.textContent)).toBe(`Downloaded 1 card as ${file[0]}. In Anki, choose File\u00a0→\u00a0Import and pick that file.`);
    await review.$eval('.review-export', (e) => e.scrollIntoView());
    await screenshot(review, 'review-7-downloaded');
    await review.close();
  });

  it('sends the card to Anki through AnkiConnect, and says plainly when Anki is not there', async () => {
    const anki = await fakeAnkiConnect();
    const review = await openReviewPage();
    await review.locator('::-p-aria(Send to Anki)').click();
    await review.waitForFunction(() => /^(Added|Could|Anki|Something)/.test(document.querySelector('.review-export-outcome')?.textContent ?? ''), { timeout: 20_000 });
    expect(await review.$eval('.review-export-outcome', (e) => e.textContent)).toBe('Added 1 card to Anki, in the deck “Attention Reader”.');
    expect(anki.notes.map((n) => n.fields.Text)).toEqual([expect.stringContaining(`{{c1::${WORD}}}`)]);
    expect(anki.notes[0]!.deckName).toBe('Attention Reader');
    await review.$eval('.review-export', (e) => e.scrollIntoView());
    await screenshot(review, 'review-8-sent-to-anki');

    await anki.close();
    await review.locator('::-p-aria(Send to Anki)').click();
    await review.waitForFunction(() => document.querySelector('.review-export-outcome')?.getAttribute('data-tone') === 'error', { timeout: 20_000 });
    expect(await review.$eval('.review-export-outcome', (e) => e.textContent)).toMatch(/^Could not reach Anki at 127\.0\.0\.1:8765\. Open Anki/);
    await review.$eval('.review-export', (e) => e.scrollIntoView());
    await screenshot(review, 'review-9-anki-not-running');
    await review.close();
  });
});

/**
 * A stand-in for AnkiConnect on its real address: answers version-6 requests the way the
 * add-on does (including the CORS headers it sends to an origin it allows) and keeps the notes.
 */
async function fakeAnkiConnect(): Promise<{ notes: { deckName: string; fields: Record<string, string> }[]; close(): Promise<void> }> {
  const notes: { deckName: string; fields: Record<string, string> }[] = [];
  const server: Server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' };
    if (req.method === 'OPTIONS') {
      res.writeHead(200, cors).end();
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { action, params } = JSON.parse(body) as { action: string; params?: { notes?: { deckName: string; fields: Record<string, string> }[] } };
      const result =
        action === 'requestPermission'
          ? { permission: 'granted', requireApikey: false, version: 6 }
          : action === 'createDeck'
            ? 1
            : action === 'canAddNotes'
              ? params!.notes!.map((n) => !notes.some((m) => m.fields.Text === n.fields.Text))
              : action === 'addNotes'
                ? params!.notes!.map((n) => (notes.push(n), 1_700_000_000_000 + notes.length))
                : undefined;
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify(result === undefined ? { result: null, error: 'unsupported action' } : { result, error: null }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? 'Port 8765 is taken (a real Anki with AnkiConnect running?): close it for this test.' : e.message)),
    );
    server.listen(8765, '127.0.0.1', resolve);
  });
  return { notes, close: () => new Promise((r) => server.close(() => r())) };
}
