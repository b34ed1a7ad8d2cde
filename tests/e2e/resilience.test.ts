/**
 * The MV3 service worker may be stopped at any moment. Twenty forced stops at random points
 * while feedback, reading time, saves and review answers are being sent: every event the
 * background acknowledged is in IndexedDB exactly once, retried events are not applied twice,
 * and the learned head and the review queue are intact.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, type MessageType, type RequestOf } from '../../lib/protocol';
import { seededRandom } from '../../lib/random';
import { ROOT, launch, sendFrom, serve, stopServiceWorker, type Session } from './harness';
import { openExtensionPage, storeRecords } from './lib/extension-pages';
import { waitForHighlights } from './lib/page-probes';

let server: Awaited<ReturnType<typeof serve>>;
let session: Session;
let control: Page;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
  session = await launch();
  control = await openExtensionPage(session);
});

afterAll(async () => {
  await session?.close().catch(() => {});
  await server?.close();
});

interface Reply {
  ok: boolean;
  value?: Record<string, unknown>;
  error?: string;
}

/** One attempt to deliver a message; a stopped worker shows up as a rejection or no reply. */
async function attempt<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<Reply | null> {
  try {
    const reply = (await sendFrom(control, envelope(type, payload))) as Reply | undefined;
    return reply?.ok ? reply : null;
  } catch {
    return null;
  }
}

/** Delivers like the content script's outbox: the same event id until acknowledged. */
async function deliver<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<{ reply: Reply; attempts: number }> {
  for (let attempts = 1; attempts <= 50; attempts++) {
    const reply = await attempt(type, payload);
    if (reply) return { reply, attempts };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${type} was never acknowledged`);
}

interface HeadCounts {
  updates: number;
}

/** The learned head's count of updates, read from the extension's IndexedDB. */
async function headUpdates(): Promise<number> {
  const head = (await storeRecords(control, 'kv')).find((r) => r.key === 'head')?.value as HeadCounts | undefined;
  if (!head) throw new Error('no head record in kv');
  return head.updates;
}

describe('a service worker stopped at random moments', () => {
  it('loses no acknowledged event and applies none twice over 20 forced stops', async () => {
    // A page the background has judged, so feedback and dwell have paragraphs to refer to.
    const page = await session.browser.newPage();
    await page.goto(`${server.origin}/article.html`);
    await waitForHighlights(page, 60_000);
    type Judged = Array<{ id: string; text: string }>;
    const summary = (await deliver('page.summary', { url: page.url() })).reply.value as { highlights: Judged; leftOut: Judged };
    // Every paragraph judged counts, highlighted or left out (the density setting highlights a few).
    const paragraphs = [...summary.highlights, ...summary.leftOut];
    expect(paragraphs.length).toBeGreaterThan(3);
    await page.close();

    const acknowledged: Array<{ kind: string; eventId: string }> = [];
    let retried = 0;
    let rated = 0;
    const random = seededRandom(12345);
    let resendsChecked = 0;

    for (let stop = 0; stop < 20; stop++) {
      const p = paragraphs[stop % paragraphs.length]!;
      const eventId = `ev-${stop}`;
      // Read before the stop is scheduled, so the read does not eat into its random delay.
      const updatesBeforeFeedback = stop % 4 === 0 ? await headUpdates() : null;
      // Stop the worker a random few milliseconds after the event starts on its way.
      const stopping = new Promise((r) => setTimeout(r, Math.floor(random() * 40))).then(() => stopServiceWorker(session));
      let result: { reply: Reply; attempts: number };
      switch (stop % 4) {
        case 0: {
          result = await deliver('feedback.give', { eventId, paragraphId: p.id, kind: stop % 8 === 0 ? 'relevant' : 'not-relevant', url: 'https://stops.example/' });
          // The first delivery is learned from once, so the count below can tell a second time.
          expect(await headUpdates(), `head updates after ${eventId}`).toBe(updatesBeforeFeedback! + 1);
          break;
        }
        case 1:
          result = await deliver('reading.dwell', { url: 'https://stops.example/', events: [{ eventId, paragraphId: p.id, visibleMs: 20_000, highlighted: true }] });
          break;
        case 2:
          result = await deliver('snippet.save', { eventId, url: `https://stops.example/${stop}`, title: 'Stops', lang: 'en', text: p.text, context: p.text, paragraphId: p.id, markedWords: [] });
          break;
        default: {
          const due = (await deliver('review.due', {})).reply.value as { items: Array<{ card: { id: string } }> };
          const card = due.items[0];
          if (!card) {
            result = await deliver('ping', {});
            break;
          }
          result = await deliver('review.rate', { eventId, cardId: card.card.id, rating: 3, durationMs: 5_000 });
          rated++;
        }
      }
      await stopping;
      if (result.attempts > 1) retried++;
      if (stop % 4 !== 3 || rated > 0) acknowledged.push({ kind: ['feedback', 'dwell', 'save', 'review'][stop % 4]!, eventId });
      // Send the same event once more after the stop, as a retry whose first reply was lost
      // would: the background says it is a duplicate and the head does not learn from it again.
      if (stop % 4 === 0) {
        const updatesBefore = await headUpdates();
        const resent = await deliver('feedback.give', { eventId, paragraphId: p.id, kind: stop % 8 === 0 ? 'relevant' : 'not-relevant', url: 'https://stops.example/' });
        expect(resent.reply.value, `re-sent ${eventId}`).toEqual({ duplicate: true });
        expect(await headUpdates(), `head updates around the re-sent ${eventId}`).toBe(updatesBefore);
        resendsChecked++;
      }
    }

    const stores = {
      events: await storeRecords(control, 'events'),
      snippets: await storeRecords(control, 'snippets'),
      cards: await storeRecords(control, 'cards'),
      reviewLogs: await storeRecords(control, 'reviewLogs'),
      kv: await storeRecords(control, 'kv'),
    };
    const events = stores.events as unknown as Array<{ eventId: string; kind: string }>;
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const expected = acknowledged.filter((a) => a.kind !== 'review' || rated > 0);
    for (const a of expected) expect(byId.get(a.eventId)?.eventId, `${a.kind} ${a.eventId}`).toBe(a.eventId);
    // Exactly once: no event id twice, and one snippet per distinct save.
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(stores.snippets).toHaveLength(5);
    expect(stores.cards).toHaveLength(5);
    expect(stores.reviewLogs).toHaveLength(rated);
    // The head saw each feedback once (five feedback events, each sent twice): checked around
    // every re-send above, by its update count.
    const head = (stores.kv as unknown as Array<{ key: string; value: { positives: number; negatives: number } }>).find((k) => k.key === 'head')?.value;
    expect(head).toBeDefined();
    const feedbackEvents = events.filter((e) => e.kind === 'feedback').length;
    expect(feedbackEvents).toBe(5);
    expect(resendsChecked).toBe(5);
    console.info(`[resilience] 20 forced stops; ${expected.length} acknowledged events checked; ${retried} needed a retry; ${rated} review answers`);
  });
});
