/**
 * Sync between two browsers through a real WebDAV server on 127.0.0.1, set up the way the
 * learner does it: Settings -> Sync in each profile's options page (address, user, app token,
 * passphrase, "Turn on sync"). Each profile saves a passage and marks a word offline first;
 * after both sync (and the first once more), both hold the same cards and word marks. A third
 * profile with a wrong passphrase is refused with its line and merges nothing.
 *
 * Host access: "Turn on sync" asks the browser for the server's host (permissions.request,
 * in the click). The test build is already granted http(s)://127.0.0.1 (harness
 * `buildWithGrantedSites`, as for the sites the e2e tests read), so Chrome answers the
 * request without a prompt; a headless browser cannot click a permission prompt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startWebDavServer, type TestWebDavServer } from '../webdav/server';
import { ask, extensionUrl, launch, screenshot, type Session } from './harness';
import { storeRecords } from './lib/extension-pages';

const USER = 'ana';
const TOKEN = 'app-token-e2e';
const PASSPHRASE = 'otters swim under the old stone bridge';

let server: TestWebDavServer;
const sessions: Session[] = [];

async function profile(): Promise<{ session: Session; options: Page }> {
  const session = await launch();
  sessions.push(session);
  const options = await session.browser.newPage();
  await options.setViewport({ width: 1000, height: 1000 });
  await options.goto(extensionUrl(session, 'options.html'));
  await ask(options, 'settings.update', { patch: { onboarded: true, targetLang: 'en' } });
  await options.reload();
  await options.waitForSelector('section.sync[data-sync="off"]');
  return { session, options };
}

/** What the learner did offline on this profile: a saved passage (its cards) and a word marked known. */
async function readOffline(options: Page, n: number, passage: string, word: string): Promise<void> {
  await ask(options, 'snippet.save', { eventId: `save-${n}`, url: `https://example.org/${n}`, title: `Page ${n}`, lang: 'en', text: passage, context: passage, paragraphId: null, markedWords: [] });
  await ask(options, 'word.mark', { eventId: `mark-${n}`, word, lang: 'en', state: 'known' });
}

async function typeInto(options: Page, label: string, value: string): Promise<void> {
  const id = await options.$eval(`::-p-xpath(//label[text()="${label}"])`, (l) => l.getAttribute('for'));
  await options.type(`#${id}`, value);
}

/** Settings -> Sync, filled and turned on; the line the section ends with. */
async function turnOnSync(options: Page, passphrase = PASSPHRASE): Promise<string> {
  await typeInto(options, 'Server address', server.url);
  await typeInto(options, 'User name', USER);
  await typeInto(options, 'Password or app token', TOKEN);
  await typeInto(options, 'Sync passphrase', passphrase);
  await options.locator('::-p-text(Turn on sync)').click();
  const line = await options.waitForSelector('[data-sync-last="ok"], [data-sync-last="failed"]', { timeout: 60_000 });
  return (await line!.evaluate((e) => e.textContent)) ?? '';
}

async function syncNowButton(options: Page): Promise<string> {
  const before = await options.$eval('[data-sync-last]', (e) => e.textContent);
  await options.locator('::-p-text(Sync now)').click();
  await options.waitForFunction((b) => document.querySelector('[data-sync-last]')?.textContent !== b, { timeout: 60_000 }, before);
  return (await options.$eval('[data-sync-last]', (e) => e.textContent)) ?? '';
}

async function learnerData(options: Page) {
  const cards = (await storeRecords(options, 'cards')).map((c) => ({ id: c.id, due: c.due })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const learner = (await storeRecords(options, 'kv')).find((r) => r.key === 'learner')?.value as { words: Record<string, { state: string; explicit: boolean }> } | undefined;
  const words = Object.entries(learner?.words ?? {}).filter(([, w]) => w.explicit).map(([k, w]) => `${k}:${w.state}`).sort();
  return { cards, words };
}

beforeAll(async () => {
  server = await startWebDavServer({ user: USER, password: TOKEN });
});

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  await server?.stop();
});

describe('sync through the learner’s WebDAV server', () => {
  it('two profiles that read offline end with the same cards and word marks; a wrong passphrase merges nothing', async () => {
    const laptop = await profile();
    const desktop = await profile();
    await readOffline(laptop.options, 1, 'The heron stood still in the shallow water of the lake.', 'heron');
    await readOffline(desktop.options, 2, 'A kestrel hovered above the motorway verge at dawn.', 'kestrel');
    const before = { laptop: await learnerData(laptop.options), desktop: await learnerData(desktop.options) };
    expect(before.laptop.cards.length).toBeGreaterThan(0);
    expect(before.desktop.cards.length).toBeGreaterThan(0);

    expect(await turnOnSync(laptop.options)).toMatch(/: Nothing new from your other devices; this device’s changes sent\.$/);
    expect(await turnOnSync(desktop.options)).toMatch(/: 1 update from your other devices merged; this device’s changes sent\.$/);
    await desktop.options.$eval('section.sync', (e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(desktop.options, 'sync-settings');
    expect(await syncNowButton(laptop.options)).toMatch(/1 update from your other devices merged/);

    const a = await learnerData(laptop.options);
    const b = await learnerData(desktop.options);
    expect(b).toEqual(a);
    expect(a.cards.map((c) => c.id).sort()).toEqual([...before.laptop.cards, ...before.desktop.cards].map((c) => c.id).sort());
    expect(a.words).toEqual(expect.arrayContaining(['heron:known', 'kestrel:known']));

    const third = await profile();
    await readOffline(third.options, 3, 'The wren sang from the top of the hedge.', 'wren');
    const thirdBefore = await learnerData(third.options);
    expect(await turnOnSync(third.options, 'a passphrase that is not the one')).toMatch(/Wrong sync passphrase: nothing was merged/);
    expect(await third.options.$eval('[data-sync-last]', (e) => e.getAttribute('role'))).toBe('alert');
    expect(await learnerData(third.options)).toEqual(thirdBefore);
  }, 300_000);
});
