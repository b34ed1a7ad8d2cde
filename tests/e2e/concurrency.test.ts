/**
 * Two tabs at once: both send pages to judge, feedback, reading time and word marks with no
 * pause between messages, so the background handles them interleaved. Shared state (today's
 * load, the learner's words, the relevance head and its replay buffer, the event log) must
 * end up holding every update: a read-modify-write outside one transaction would lose some.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, type MessageType, type RequestOf } from '../../lib/protocol';
import { launch, sendFrom, type Session } from './harness';
import { ask, openExtensionPage, storeRecords } from './lib/extension-pages';

let session: Session;
let tabs: [Page, Page];

beforeAll(async () => {
  session = await launch();
  tabs = [await openExtensionPage(session), await openExtensionPage(session)];
  // Interests make every judged paragraph carry a relevance the head can learn from.
  await ask(tabs[0], 'settings.update', { patch: { interests: ['rivers and water'], onboarded: true } });
});

afterAll(async () => {
  await session?.close().catch(() => {});
});

const TOPICS = ['river', 'harbour', 'railway', 'orchard', 'glacier', 'market'];
const paragraphText = (tab: number, page: number, i: number) =>
  `Tab ${tab} page ${page}: the ${TOPICS[(page + i) % TOPICS.length]} described in paragraph ${i} changed slowly over many years, as the town around it grew.`;

type Message = { [T in MessageType]: { type: T; payload: RequestOf<T> } }[MessageType];

/** Everything one tab sends: 3 pages, then feedback, reading time and word marks on them. */
function burst(tab: number): { pages: Message[]; events: Message[]; feedback: number; dwellMs: number; words: string[] } {
  const pages: Message[] = [];
  const ids: string[] = [];
  for (let page = 0; page < 3; page++) {
    const paragraphs = Array.from({ length: 5 }, (_, i) => ({ id: `t${tab}-p${page}-${i}`, text: paragraphText(tab, page, i), lang: 'en' }));
    ids.push(...paragraphs.map((p) => p.id));
    pages.push({ type: 'page.paragraphs', payload: { url: `https://tab${tab}.example/page${page}`, title: `Page ${page}`, lang: 'en', paragraphs, shown: [] } });
  }
  const events: Message[] = [];
  const words: string[] = [];
  let dwellMs = 0;
  for (let k = 0; k < 10; k++) {
    const paragraphId = ids[k]!;
    events.push({ type: 'feedback.give', payload: { eventId: `t${tab}-fb-${k}`, paragraphId, kind: k % 2 === 0 ? 'relevant' : 'not-relevant', url: `https://tab${tab}.example/page0` } });
    // Short glances at unhighlighted paragraphs: reading time only, no relevance signal.
    const visibleMs = 300 + 37 * k + tab;
    dwellMs += visibleMs;
    events.push({ type: 'reading.dwell', payload: { url: `https://tab${tab}.example/page0`, events: [{ eventId: `t${tab}-dw-${k}`, paragraphId, visibleMs, highlighted: false }] } });
    const word = `${TOPICS[k % TOPICS.length]}${tab}x${k}`;
    words.push(word);
    events.push({ type: 'word.mark', payload: { eventId: `t${tab}-wm-${k}`, word, lang: 'en', state: 'known' } });
  }
  return { pages, events, feedback: 10, dwellMs, words };
}

/** Sends every message at once from one tab and returns the replies (no await between sends). */
function sendAll(page: Page, messages: Message[]): Promise<Array<{ ok: boolean; error?: string }>> {
  return Promise.all(messages.map((m) => sendFrom(page, envelope(m.type, m.payload as never)) as Promise<{ ok: boolean; error?: string }>));
}

interface HeadCore {
  positives: number;
  negatives: number;
  updates: number;
}

async function sharedState(page: Page) {
  const kv = await storeRecords(page, 'kv');
  const value = (key: string) => kv.find((r) => r.key === key)?.value as Record<string, unknown> | undefined;
  const daily = (await storeRecords(page, 'daily')) as Array<{ readMinutes: number; highlighted: string[] }>;
  const events = (await storeRecords(page, 'events')) as Array<{ kind: string }>;
  return {
    head: value('head') as HeadCore | undefined,
    replay: (await storeRecords(page, 'replay')).length,
    words: Object.keys((value('learner')?.words as Record<string, unknown> | undefined) ?? {}),
    readMinutes: daily.reduce((s, d) => s + d.readMinutes, 0),
    highlighted: new Set(daily.flatMap((d) => d.highlighted)),
    events: events.reduce<Record<string, number>>((c, e) => ({ ...c, [e.kind]: (c[e.kind] ?? 0) + 1 }), {}),
    pages: (await storeRecords(page, 'pages')).length,
  };
}

describe('two tabs sending at once', () => {
  it('loses no update to the learner, today’s load, the head or the event log', async () => {
    const bursts = [burst(1), burst(2)];
    // Pages first (both tabs at once), so that feedback has judged paragraphs to refer to.
    const pageReplies = await Promise.all([sendAll(tabs[0], bursts[0]!.pages), sendAll(tabs[1], bursts[1]!.pages)]);
    expect(pageReplies.flat().filter((r) => !r.ok)).toEqual([]);
    const highlightIds = pageReplies.flat().flatMap((r) => ((r as { value?: { highlights: Array<{ id: string }> } }).value?.highlights ?? []).map((h) => h.id));

    const before = await sharedState(tabs[0]);
    expect(before.pages).toBe(6);
    // Every highlight either tab was given is in today's record: none was overwritten.
    for (const id of highlightIds) expect(before.highlighted.has(id), id).toBe(true);

    const replies = await Promise.all([sendAll(tabs[0], bursts[0]!.events), sendAll(tabs[1], bursts[1]!.events)]);
    expect(replies.flat().filter((r) => !r.ok)).toEqual([]);

    const after = await sharedState(tabs[1]);
    const feedback = bursts[0]!.feedback + bursts[1]!.feedback;
    expect(after.events).toMatchObject({ feedback, dwell: 20, word: 20 });
    // Each relevant / not-relevant label has weight 1 and one replay example.
    expect(after.head!.positives + after.head!.negatives - (before.head!.positives + before.head!.negatives)).toBeCloseTo(feedback, 9);
    expect(after.head!.updates - before.head!.updates).toBe(feedback);
    expect(after.replay - before.replay).toBe(feedback);
    expect(after.words).toEqual(expect.arrayContaining([...bursts[0]!.words, ...bursts[1]!.words]));
    expect(after.readMinutes - before.readMinutes).toBeCloseTo((bursts[0]!.dwellMs + bursts[1]!.dwellMs) / 60_000, 9);
  });
});
