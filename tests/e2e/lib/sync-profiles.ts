/**
 * The learner's side of the sync tests, in any browser: what they did offline in one profile
 * (a saved passage, a word marked known, review answers), Settings -> Sync filled in and
 * turned on, "Sync now", and what each profile ends up holding (cards with their due dates,
 * review logs, word marks), read from the extension's database through one of its pages.
 */
import type { Page } from 'puppeteer-core';
import { ask, screenshot } from '../harness';
import { storeRecords } from './extension-pages';

/** The learner's account on the test server, and the passphrase their devices share. */
export const SYNC_USER = 'ana';
export const SYNC_TOKEN = 'app-token-e2e';
export const SYNC_PASSPHRASE = 'otters swim under the old stone bridge';

/**
 * The options page of a fresh profile, past the welcome steps, with Settings -> Sync off;
 * `reopen` loads the page again (Firefox's driver needs its own way, firefox-harness.ts).
 */
export async function readyOptions(options: Page, reopen: () => Promise<unknown> = () => options.reload()): Promise<void> {
  await ask(options, 'settings.update', { patch: { onboarded: true, targetLang: 'en' } });
  await reopen();
  await options.waitForSelector('section.sync[data-sync="off"]');
}

/** What the learner did offline on this profile: a saved passage (its cards) and a word marked known. */
export async function readOffline(options: Page, n: number, passage: string, word: string): Promise<void> {
  await ask(options, 'snippet.save', { eventId: `save-${n}`, url: `https://example.org/${n}`, title: `Page ${n}`, lang: 'en', text: passage, context: passage, paragraphId: null, markedWords: [] });
  await ask(options, 'word.mark', { eventId: `mark-${n}`, word, lang: 'en', state: 'known' });
}

/**
 * Answers every card due on this profile, as the review page does (`review.due`, then one
 * `review.rate` per card), with `rating`; the number of answers.
 */
export async function reviewOffline(options: Page, tag: string, rating: 1 | 2 | 3 | 4): Promise<number> {
  const { items } = await ask(options, 'review.due', {});
  for (const [i, item] of items.entries()) {
    await ask(options, 'review.rate', { eventId: `review-${tag}-${i}`, cardId: item.card.id, rating, durationMs: 4_000 });
  }
  return items.length;
}

async function typeInto(options: Page, label: string, value: string): Promise<void> {
  const id = await options.$eval(`::-p-xpath(//label[text()="${label}"])`, (l) => l.getAttribute('for'));
  await options.type(`#${id}`, value);
}

/** The line under "Sync now" once it says how a sync went (ok or failed). */
async function finishedLine(options: Page): Promise<string> {
  const line = await options.waitForSelector('[data-sync-last="ok"], [data-sync-last="failed"]', { timeout: 60_000 });
  return (await line!.evaluate((e) => e.textContent)) ?? '';
}

/** Settings -> Sync, filled and turned on; the line the section ends with. */
export async function turnOnSync(options: Page, serverUrl: string, passphrase = SYNC_PASSPHRASE): Promise<string> {
  await typeInto(options, 'Server address', serverUrl);
  await typeInto(options, 'User name', SYNC_USER);
  await typeInto(options, 'Password or app token', SYNC_TOKEN);
  await typeInto(options, 'Sync passphrase', passphrase);
  await options.locator('::-p-text(Turn on sync)').click();
  return finishedLine(options);
}

/** A click on "Sync now"; the new line once the sync is over. */
export async function syncNowButton(options: Page): Promise<string> {
  const before = await options.$eval('[data-sync-last]', (e) => `${e.getAttribute('data-sync-last')} ${e.textContent}`);
  await options.locator('::-p-text(Sync now)').click();
  await options.waitForFunction(
    (b) => {
      const line = document.querySelector('[data-sync-last]');
      const button = [...document.querySelectorAll('section.sync button')].find((e) => e.textContent === 'Sync now') as HTMLButtonElement | undefined;
      return line !== null && `${line.getAttribute('data-sync-last')} ${line.textContent}` !== b && button !== undefined && !button.disabled;
    },
    { timeout: 60_000, polling: 100 },
    before,
  );
  return (await options.$eval('[data-sync-last]', (e) => e.textContent)) ?? '';
}

/** Whether the section's last line is a failure (shown as an alert). */
export async function lastSyncFailed(options: Page): Promise<boolean> {
  return options.$eval('[data-sync-last]', (e) => e.getAttribute('data-sync-last') === 'failed' && e.getAttribute('role') === 'alert');
}

/** A picture of Settings -> Sync as the learner sees it, under test-output/e2e/. */
export async function syncSectionShot(options: Page, name: string): Promise<string> {
  await options.$eval('section.sync', (e) => e.scrollIntoView({ block: 'start' }));
  return screenshot(options, name);
}

export interface LearnerData {
  /** Each card once, by id, with its due date. */
  cards: { id: string; due: number }[];
  /** Each review answer once, by id: which card, when, how. */
  logs: { id: string; cardId: string; at: number; rating: number }[];
  /** The words the learner marked themselves, as "word:state". */
  words: string[];
}

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);

/** What this profile holds of what sync carries between devices. */
export async function learnerData(options: Page): Promise<LearnerData> {
  const cards = (await storeRecords(options, 'cards')).map((c) => ({ id: String(c.id), due: Number(c.due) })).sort(byId);
  const logs = (await storeRecords(options, 'reviewLogs')).map((l) => ({ id: String(l.id), cardId: String(l.cardId), at: Number(l.at), rating: Number(l.rating) })).sort(byId);
  const learner = (await storeRecords(options, 'kv')).find((r) => r.key === 'learner')?.value as { words: Record<string, { state: string; explicit: boolean }> } | undefined;
  const words = Object.entries(learner?.words ?? {})
    .filter(([, w]) => w.explicit)
    .map(([k, w]) => `${k}:${w.state}`)
    .sort();
  return { cards, logs, words };
}
