/**
 * Editing, suspending and deleting single cards through the background's handlers, against a
 * real (fake-indexeddb) database: what is stored afterwards, what `review.due` then offers,
 * and what is deliberately left alone (review logs, snippets, the schedule).
 */
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../lib/protocol';
import { CardError } from '../../lib/review';
import { openReaderDB } from '../db';
import type { RemoteEncoder } from '../offscreen-client';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { createEncoderTier } from './relevance';

let dbCount = 0;
const sender = { id: 'ext' };

/** These handlers never embed; an encoder that fails loudly proves it. */
const unusedEncoder: RemoteEncoder = {
  embed: async () => {
    throw new Error('the card handlers must not call the encoder');
  },
  status: async () => ({ ready: false, encoderId: null, backend: 'none', error: null }),
  ensure: async () => {},
};

async function setup() {
  const name = `cards-${dbCount++}`;
  let now = Date.UTC(2026, 10, 28, 12);
  const deps: ServiceDeps = {
    db: () => openReaderDB({ name }),
    clock: { now: () => now, tzOffsetMinutes: () => 0 },
    encoder: createEncoderTier(unusedEncoder, 1000),
    lexicon: async () => undefined,
  };
  const handlers = createHandlers(deps);
  // Two marked words: two cloze cards from one snippet.
  const saved = await handlers['snippet.save'](
    {
      eventId: 'save-1',
      url: 'https://news.example/river',
      title: 'River',
      lang: 'en',
      text: 'The river under the street floods every spring. The old tunnel is too small for the water.',
      context: 'The river under the street floods every spring. The old tunnel is too small for the water.',
      paragraphId: 'p0',
      markedWords: ['floods', 'tunnel'],
    },
    sender,
  );
  const due = await handlers['review.due']({}, sender);
  expect(due.total).toBe(2);
  const ids = due.items.map((i) => i.card.id);
  return { handlers, deps, snippetId: saved.snippetId, ids, advance: (ms: number) => (now += ms) };
}

async function storedCard(deps: ServiceDeps, id: string) {
  return (await deps.db()).get('cards', id);
}

describe('review.editCard', () => {
  it('stores the new note and tags, keeps the schedule, and shows the note on the answer side', async () => {
    const { handlers, deps, ids, advance } = await setup();
    const id = ids[0]!;
    const before = await storedCard(deps, id);
    advance(60_000);
    const { card } = await handlers['review.editCard']({ cardId: id, note: 'überschwemmen = to flood', tags: ['weather words', 'b1'] }, sender);
    expect(card.note).toBe('überschwemmen = to flood');
    expect(card.tags).toEqual(['weather_words', 'b1']);
    expect(card.updatedAt).toBe(before!.updatedAt as number + 60_000);
    const stored = await storedCard(deps, id);
    expect(stored).toEqual(card);
    expect(stored!.due).toBe(before!.due);
    expect(stored!.schedule).toEqual(before!.schedule);
    const item = (await handlers['review.due']({}, sender)).items.find((i) => i.card.id === id)!;
    expect(item.back).toContain('überschwemmen = to flood');
  });

  it('changes only what the edit names', async () => {
    const { handlers, ids } = await setup();
    await handlers['review.editCard']({ cardId: ids[0]!, tags: ['river'] }, sender);
    const { card } = await handlers['review.editCard']({ cardId: ids[0]!, note: 'a note' }, sender);
    expect(card.tags).toEqual(['river']);
    expect(card.note).toBe('a note');
  });

  it('refuses an unknown card with a clear error and stores nothing', async () => {
    const { handlers, deps } = await setup();
    const attempt = handlers['review.editCard']({ cardId: 'c_missing', note: 'x' }, sender);
    await expect(attempt).rejects.toBeInstanceOf(CardError);
    await expect(attempt).rejects.toThrow(/no card c_missing/);
    expect(await storedCard(deps, 'c_missing')).toBeUndefined();
  });

  it('refuses an edit lib/review.ts refuses (too many tags), leaving the card as it was', async () => {
    const { handlers, deps, ids } = await setup();
    const before = await storedCard(deps, ids[0]!);
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    await expect(handlers['review.editCard']({ cardId: ids[0]!, tags }, sender)).rejects.toThrow(/at most 20 tags/);
    expect(await storedCard(deps, ids[0]!)).toEqual(before);
  });
});

describe('review.suspendCard', () => {
  it('takes the card out of review.due, keeps its due time, and puts it back when unsuspended', async () => {
    const { handlers, deps, ids } = await setup();
    const [first, second] = ids as [string, string];
    const before = await storedCard(deps, first);
    const { card } = await handlers['review.suspendCard']({ cardId: first, suspended: true }, sender);
    expect(card.suspended).toBe(true);
    expect((await storedCard(deps, first))!.suspended).toBe(true);
    const due = await handlers['review.due']({}, sender);
    expect(due.items.map((i) => i.card.id)).toEqual([second]);
    expect(due.total).toBe(1);
    const back = await handlers['review.suspendCard']({ cardId: first, suspended: false }, sender);
    expect(back.card.suspended).toBe(false);
    expect(back.card.due).toBe(before!.due);
    expect((await handlers['review.due']({}, sender)).items.map((i) => i.card.id).sort()).toEqual([...ids].sort());
  });

  it('refuses an unknown card with a clear error', async () => {
    const { handlers } = await setup();
    await expect(handlers['review.suspendCard']({ cardId: 'c_missing', suspended: true }, sender)).rejects.toThrow(/no card c_missing/);
  });
});

describe('review.suspended', () => {
  it('lists only the suspended cards, drawn as review.due draws them, newest suspension first', async () => {
    const { handlers, ids, advance } = await setup();
    const [first, second] = ids as [string, string];
    expect(await handlers['review.suspended']({}, sender)).toEqual({ items: [] });
    const dueItems = (await handlers['review.due']({}, sender)).items;

    await handlers['review.suspendCard']({ cardId: first, suspended: true }, sender);
    advance(60_000);
    await handlers['review.suspendCard']({ cardId: second, suspended: true }, sender);
    const { items } = await handlers['review.suspended']({}, sender);
    expect(items.map((i) => i.card.id)).toEqual([second, first]);
    for (const item of items) {
      const shownInQueue = dueItems.find((d) => d.card.id === item.card.id)!;
      expect([item.front, item.back]).toEqual([shownInQueue.front, shownInQueue.back]);
      expect(item.card.suspended).toBe(true);
    }
    expect(items[0]!.front).toContain('[…]');
    // What the handler answers is what the protocol lets through to the review page.
    expect(parseReply('review.suspended', { ok: true, value: { items } })).toEqual({ ok: true, value: { items } });
  });

  it('drops a card once it is unsuspended, and review.due offers it again', async () => {
    const { handlers, ids } = await setup();
    const [first, second] = ids as [string, string];
    await handlers['review.suspendCard']({ cardId: first, suspended: true }, sender);
    await handlers['review.suspendCard']({ cardId: second, suspended: true }, sender);
    expect((await handlers['review.due']({}, sender)).total).toBe(0);
    await handlers['review.suspendCard']({ cardId: first, suspended: false }, sender);
    expect((await handlers['review.suspended']({}, sender)).items.map((i) => i.card.id)).toEqual([second]);
    expect((await handlers['review.due']({}, sender)).items.map((i) => i.card.id)).toEqual([first]);
  });

  it('shows a suspended card with its current note on the answer side', async () => {
    const { handlers, ids } = await setup();
    await handlers['review.suspendCard']({ cardId: ids[0]!, suspended: true }, sender);
    await handlers['review.editCard']({ cardId: ids[0]!, note: 'Durchlass = culvert' }, sender);
    const [item] = (await handlers['review.suspended']({}, sender)).items;
    expect(item!.card.note).toBe('Durchlass = culvert');
    expect(item!.back).toContain('Durchlass = culvert');
  });
});

describe('review.deleteCard', () => {
  it('removes the card, keeps its review logs and its snippet, and leaves the other card', async () => {
    const { handlers, deps, ids, snippetId } = await setup();
    const [first, second] = ids as [string, string];
    await handlers['review.rate']({ eventId: 'r1', cardId: first, rating: 3, durationMs: 5000 }, sender);
    const db = await deps.db();
    expect(await db.getAllFromIndex('reviewLogs', 'by-card', first)).toHaveLength(1);

    expect(await handlers['review.deleteCard']({ cardId: first }, sender)).toEqual({ deleted: true });
    expect(await storedCard(deps, first)).toBeUndefined();
    expect(await storedCard(deps, second)).toBeDefined();
    expect(await db.getAllFromIndex('reviewLogs', 'by-card', first)).toHaveLength(1);
    expect(await db.get('snippets', snippetId)).toBeDefined();
    expect((await handlers['review.due']({}, sender)).items.map((i) => i.card.id)).toEqual([second]);
  });

  it('answers deleted: false for a card that is not there (a retried delete is harmless)', async () => {
    const { handlers, ids } = await setup();
    expect(await handlers['review.deleteCard']({ cardId: ids[0]! }, sender)).toEqual({ deleted: true });
    expect(await handlers['review.deleteCard']({ cardId: ids[0]! }, sender)).toEqual({ deleted: false });
    expect(await handlers['review.deleteCard']({ cardId: 'c_missing' }, sender)).toEqual({ deleted: false });
  });

  it('makes a later edit of the deleted card fail clearly', async () => {
    const { handlers, ids } = await setup();
    await handlers['review.deleteCard']({ cardId: ids[0]! }, sender);
    await expect(handlers['review.editCard']({ cardId: ids[0]!, note: 'late' }, sender)).rejects.toThrow(/no card/);
  });
});
