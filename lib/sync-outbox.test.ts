import { describe, expect, it } from 'vitest';
import { cardsFromSnippet, createScheduler, editCard, type ReviewCard, type ReviewLogEntry } from './review';
import { DEFAULT_SETTINGS } from './settings';
import { createSnippet } from './snippet';
import { emptySyncState, mergeEvent } from './sync-log';
import { SYNCED_SETTINGS, outgoingEvents, reviewEventId, type LocalRecords } from './sync-outbox';
import { syncView } from './sync-view';

const T0 = Date.UTC(2026, 3, 1, 9);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const scheduler = createScheduler({ requestRetention: 0.9 });

/** A device's records as the review service would leave them: cards made from saves, answered over days. */
function recordsOfADevice(): { cards: ReviewCard[]; logs: ReviewLogEntry[]; local: LocalRecords } {
  const snippet = createSnippet({
    passage: 'The heron waited in the shallows. Its patience was rewarded with a small fish.',
    marks: ['heron', 'patience'],
    url: 'https://example.org/birds',
    title: 'Birds',
    lang: 'en',
    createdAt: T0,
  });
  let cards = cardsFromSnippet(snippet, T0);
  const logs: ReviewLogEntry[] = [];
  const answers: [number, 1 | 2 | 3 | 4][] = [[10 * MIN, 3], [DAY, 1], [DAY + 15 * MIN, 3], [4 * DAY, 4]];
  for (const [offset, rating] of answers) {
    cards = cards.map((c, i) => {
      const { card, log } = scheduler.rate(c, i === 0 ? rating : 3, T0 + offset + i * 1000, 4000);
      logs.push(log);
      return card;
    });
  }
  const local: LocalRecords = {
    cards,
    reviewLogs: logs,
    snippets: [snippet],
    words: [{ key: 'heron', form: 'heron', state: 'learning', at: T0 }],
    settings: { ...DEFAULT_SETTINGS, budgetMinutes: 35, ankiApiKey: 'secret-on-this-computer', onboarded: true },
    examples: [{ paragraphId: 'p1', encoderId: 'use-lite-int8', embedding: [0.6, -0.8, 0], label: 1, weight: 1, text: 'The heron waited.' }],
  };
  return { cards, logs, local };
}

function ids() {
  let n = 0;
  return () => `laptop-${++n}`;
}

describe('sync outbox: what a device tells the others', () => {
  it('another device rebuilds exactly this device\'s cards, schedules and review log from its events', () => {
    const { cards, logs, local } = recordsOfADevice();
    const { events } = outgoingEvents(local, new Map(), { device: 'laptop', now: T0 + 5 * DAY, newId: ids() });
    const state = emptySyncState();
    for (const e of events) mergeEvent(state, e);
    const view = syncView(state, scheduler);
    expect(view.cards).toEqual([...cards].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(view.reviewLogs.map((l) => [l.id, l.rating, l.at, l.stability])).toEqual(
      [...logs].sort((a, b) => a.at - b.at).map((l) => [l.id, l.rating, l.at, l.stability]),
    );
    expect(view.snippets).toEqual(local.snippets);
    expect(view.words.map((w) => [w.key, w.state])).toEqual([['heron', 'learning']]);
  });

  it('sends only the settings that follow the learner, never the device\'s own', () => {
    const { local } = recordsOfADevice();
    const { events } = outgoingEvents(local, new Map(), { device: 'laptop', now: T0, newId: ids() });
    const fields = events.flatMap((e) => (e.kind === 'setting' ? [e.field] : []));
    expect(fields.sort()).toEqual([...SYNCED_SETTINGS].sort());
    expect(fields).not.toContain('ankiApiKey');
    expect(fields).not.toContain('onboarded');
  });

  it('sends nothing twice, and then only what changed', () => {
    const { local, cards } = recordsOfADevice();
    const context = { device: 'laptop', now: T0 + 5 * DAY, newId: ids() };
    const first = outgoingEvents(local, new Map(), context);
    expect(outgoingEvents(local, first.stamps, context).events).toEqual([]);
    const edited = editCard(cards[0]!, { note: 'a grey wading bird' }, T0 + 6 * DAY);
    const next: LocalRecords = {
      ...local,
      cards: [edited, ...cards.slice(1)],
      settings: { ...local.settings, density: 'many' },
      words: [{ key: 'heron', form: 'heron', state: 'known', at: T0 + 6 * DAY }],
    };
    const second = outgoingEvents(next, first.stamps, context);
    expect(second.events.map((e) => e.kind).sort()).toEqual(['card', 'setting', 'word']);
    expect(second.events.find((e) => e.kind === 'setting')).toMatchObject({ field: 'density', value: 'many' });
  });

  it('an answer undone here is sent as an undo of the same event; a deleted card as one deletion, its answers without undos', () => {
    const { local, logs, cards } = recordsOfADevice();
    const context = { device: 'laptop', now: T0 + 5 * DAY, newId: ids() };
    const first = outgoingEvents(local, new Map(), context);
    const latest = logs.filter((l) => l.cardId === cards[0]!.id).at(-1)!;
    const undone = outgoingEvents({ ...local, reviewLogs: logs.filter((l) => l !== latest) }, first.stamps, context);
    expect(undone.events).toEqual([{ id: expect.any(String), device: 'laptop', at: context.now, kind: 'review-undo', reviewId: reviewEventId(latest) }]);
    expect(first.events.some((e) => e.kind === 'review' && e.id === reviewEventId(latest))).toBe(true);

    const gone = cards[1]!;
    const deleted = outgoingEvents({ ...local, cards: [cards[0]!], reviewLogs: logs.filter((l) => l.cardId !== gone.id) }, first.stamps, context);
    expect(deleted.events).toEqual([{ id: expect.any(String), device: 'laptop', at: context.now, kind: 'card-delete', cardId: gone.id }]);
    expect(outgoingEvents({ ...local, cards: [cards[0]!], reviewLogs: logs.filter((l) => l.cardId !== gone.id) }, deleted.stamps, context).events).toEqual([]);
  });
});
