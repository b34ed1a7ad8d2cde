/**
 * Issue #9: a learner's database from the previous schema version opens after an upgrade, in
 * real Chromium IndexedDB. The version-2 database is made in the extension's own origin by the
 * previous release's code (the first two of the append-only MIGRATIONS, through the product's
 * `openReaderDB`), filled with records of the shapes version 2 wrote, and then opened by the
 * background as it runs after the update, which upgrades it to version 4 (the head's replay
 * examples move from `kv` into their own store; an empty store of dictionary look-ups is added). Also: an upgrade that fails half-way leaves
 * version 2 exactly as it was, and the real upgrade then succeeds.
 *
 * The page-side work is tests/e2e/lib/upgrade-probe.ts, bundled and evaluated in the popup page.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, extensionUrl, launch, type Session } from './harness';
import { backgroundRunning, stopBackgroundQuietly } from './lib/background-stop';
import { ask, openExtensionPage } from './lib/extension-pages';
import { bundleForPage, loadBundle } from './lib/page-bundle';
import type * as UpgradeProbe from './lib/upgrade-probe';
import type { SeededVersionTwo, StoreSnapshot } from './lib/upgrade-probe';

const PROBE = '__upgradeProbe';
const VERSION_TWO_STORES = ['cards', 'daily', 'embeddings', 'events', 'kv', 'pages', 'paragraphs', 'reviewLogs', 'snippets'];
const REPLAY_EXAMPLES = 7;

type Probe = typeof UpgradeProbe;
type ProbeCall = 'seedVersionTwo' | 'snapshot' | 'readHead' | 'interruptedUpgrade';

let session: Session;
let page: Page;
let bundle: string;

beforeAll(async () => {
  bundle = bundleForPage(join(ROOT, 'tests/e2e/lib/upgrade-probe.ts'), PROBE);
  session = await launch();
  page = await openExtensionPage(session, 'popup.html');
  // The popup asks the background for its figures as it opens; once they are drawn it sends
  // nothing more, so a stopped background stays stopped until the test's own message.
  await page.waitForSelector('[data-gauge]');
  await loadBundle(page, bundle, PROBE);
});

afterAll(async () => {
  await session?.close().catch(() => {});
});

function probe<K extends ProbeCall>(name: K, ...args: Parameters<Probe[K]>): Promise<Awaited<ReturnType<Probe[K]>>> {
  return page.evaluate(
    (global, fn, rest) => (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[global]![fn]!(...rest),
    PROBE,
    name,
    args as unknown[],
  ) as Promise<Awaited<ReturnType<Probe[K]>>>;
}

interface KvRecord {
  key: string;
  value: Record<string, unknown>;
}

interface EncodedExample {
  id: string;
  embedding: number[];
  label: number;
  weight: number;
  at: number;
  logit: number;
}

/**
 * Replaces the extension's database with a version-2 one made by the previous release's code.
 * The background is stopped first (quietly, see lib/background-stop.ts): its connection would
 * close itself on the delete (see `blocking` in platform/db.ts), and its next start must be
 * the first open of the new database.
 */
async function previousRelease(seed: number): Promise<{ seeded: SeededVersionTwo; before: StoreSnapshot }> {
  await stopBackgroundQuietly(session, page);
  await closeEncoderDocument();
  const seeded = await probe('seedVersionTwo', seed);
  const before = await probe('snapshot');
  expect(backgroundRunning(session), 'the background started again before the test asked it anything').toBe(false);
  expect(before.version).toBe(2);
  expect(Object.keys(before.stores)).toEqual(VERSION_TWO_STORES);
  // Every store holds something, so "unchanged" below compares real records.
  for (const store of VERSION_TWO_STORES) expect(before.stores[store]!.length, store).toBeGreaterThan(0);
  expect((before.stores.embeddings as Array<{ vector: { $typed: string } }>).map((r) => r.vector.$typed)).toEqual(['Float32Array', 'Float32Array']);
  const head = (before.stores.kv as KvRecord[]).find((r) => r.key === 'head')!.value;
  expect(head.replay).toHaveLength(REPLAY_EXAMPLES);
  expect(head).toEqual(seeded.head);
  return { seeded, before };
}

/**
 * The encoder's worker reads the learner's choice of encoder from the same database, and so
 * opens (and upgrades) it: a warm-up the background started before it was stopped could do
 * that seconds later, between the seeding and the snapshot. Closing the offscreen document
 * ends that worker; the background makes a new one when it next needs the encoder.
 */
async function closeEncoderDocument(): Promise<void> {
  await page.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { offscreen: { closeDocument(): Promise<void> } } }).chrome;
    await chrome.offscreen.closeDocument().catch(() => undefined);
  });
}

function kvByKey(snapshot: StoreSnapshot): Map<string, KvRecord> {
  return new Map((snapshot.stores.kv as KvRecord[]).map((r) => [r.key, r]));
}

describe('a database of the previous schema version (2)', () => {
  it('is upgraded to version 4 by the background, the head’s replay examples moved, an empty look-up store added and every other record unchanged', async () => {
    const { seeded, before } = await previousRelease(1);

    // Any message makes the background open the database, which upgrades it. review.due
    // only reads, so whatever changed in the database changed in the upgrade.
    const due = await ask(page, 'review.due', {});

    const after = await probe('snapshot');
    expect(after.version).toBe(4);
    expect(Object.keys(after.stores)).toEqual([...VERSION_TWO_STORES, 'replay', 'lookups'].sort());
    expect(after.stores.lookups).toEqual([]);
    for (const store of VERSION_TWO_STORES.filter((s) => s !== 'kv')) expect(after.stores[store], store).toEqual(before.stores[store]);

    // kv: the head lost its replay array and nothing else; every other singleton is as it was.
    const kvBefore = kvByKey(before);
    const kvAfter = kvByKey(after);
    expect([...kvAfter.keys()].sort()).toEqual([...kvBefore.keys()].sort());
    for (const [key, record] of kvBefore) if (key !== 'head') expect(kvAfter.get(key), key).toEqual(record);
    const { replay: examples, ...core } = kvBefore.get('head')!.value as { replay: EncodedExample[] } & Record<string, unknown>;
    expect(kvAfter.get('head')!.value).not.toHaveProperty('replay');
    expect(kvAfter.get('head')!.value).toEqual(core);

    // replay: one record per example, in arrival order, its embedding a Float32Array of the same values.
    expect(examples).toHaveLength(REPLAY_EXAMPLES);
    expect(after.stores.replay).toEqual(
      examples.map((e) => ({
        key: [e.at, e.id, e.label, 0],
        id: e.id,
        label: e.label,
        weight: e.weight,
        at: e.at,
        logit: e.logit,
        embedding: { $typed: 'Float32Array', values: e.embedding.map(Math.fround) },
      })),
    );
    expect(examples[0]!.embedding).toHaveLength(512);

    // Read back as the background reads it, the head is the one version 2 stored.
    expect(await probe('readHead')).toEqual(seeded.head);

    // The learner's saved work is there for the popup and the review page.
    const cards = new Map((before.stores.cards as Array<{ id: string }>).map((c) => [c.id, c]));
    expect(seeded.dueCardIds).toHaveLength(1);
    expect(seeded.laterCardIds).toHaveLength(1);
    expect(due.items.map((i) => i.card.id)).toEqual(seeded.dueCardIds);
    expect(due.items[0]!.card).toEqual(cards.get(seeded.dueCardIds[0]!));
    const dashboard = await ask(page, 'dashboard.get', {});
    expect(dashboard).toMatchObject({ day: seeded.today, snippets: 1, cardsDue: 1, paragraphsRead: seeded.readToday, budgetMinutes: seeded.budgetMinutes });
    expect(dashboard.history.map((d) => d.day)).toEqual((before.stores.daily as Array<{ day: string }>).map((d) => d.day));

    const review = await session.browser.newPage();
    try {
      await review.goto(extensionUrl(session, 'review.html'));
      await review.waitForSelector('.review-app[aria-busy="false"]');
      const card = due.items[0]!.card;
      if (card.kind !== 'cloze') throw new Error(`the seeded due card is a ${card.kind} card, expected cloze`);
      expect(await review.$eval('.review-count', (e) => e.textContent)).toBe('1 of 1');
      expect(await review.$eval('.review-text', (e) => e.textContent)).toBe(`${card.text.slice(0, card.cloze.start)}blank[…]${card.text.slice(card.cloze.end)}`);
    } finally {
      await review.close();
    }
  });

  it('whose upgrade fails half-way stays at version 2 with every record, and the real upgrade then succeeds', async () => {
    const { seeded, before } = await previousRelease(2);

    const failed = await probe('interruptedUpgrade');
    expect(failed.name).toBe('StorageError');
    expect(failed.message).toBe(
      'Upgrading the reading database from version 2 to 3 failed at step 3 (disk detached). Nothing was changed: the database is still at version 2 with all its data.',
    );
    // The step had really moved part of the data before it failed.
    expect(failed.movedRecords).toBe(Math.ceil(REPLAY_EXAMPLES / 2));
    expect(failed.rewroteHead).toBe(true);

    const untouched = await probe('snapshot');
    expect(untouched.version).toBe(2);
    expect(untouched.stores).toEqual(before.stores);

    await ask(page, 'review.due', {});
    const upgraded = await probe('snapshot');
    expect(upgraded.version).toBe(4);
    expect(upgraded.stores.replay).toHaveLength(REPLAY_EXAMPLES);
    expect(await probe('readHead')).toEqual(seeded.head);
    for (const store of VERSION_TWO_STORES.filter((s) => s !== 'kv')) expect(upgraded.stores[store], store).toEqual(before.stores[store]);
    expect((await ask(page, 'dashboard.get', {})).snippets).toBe(1);
  });
});
