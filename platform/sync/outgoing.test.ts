import { describe, expect, it } from 'vitest';
import { createLearner, learnerWordKey, markWord } from '../../lib/learner';
import { cardsFromSnippet, createScheduler } from '../../lib/review';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { createSnippet } from '../../lib/snippet';
import { emptySyncState, mergeSegment, parseSegment } from '../../lib/sync-log';
import { syncView } from '../../lib/sync-view';
import { openReaderDB, type CardRecord, type ReviewLogRecord, type SnippetRecord } from '../db';
import { KEYS } from '../service/state';
import { OUTBOX_KEY, confirmSegment, nextOutgoingSegment } from './outgoing';

const T0 = Date.UTC(2026, 4, 2, 10);
let dbCount = 0;

async function deviceWithRecords() {
  const db = await openReaderDB({ name: `sync-outgoing-${++dbCount}` });
  const snippet = createSnippet({ passage: 'A kestrel hovered above the verge, tail fanned.', marks: ['kestrel'], url: 'https://example.org/k', title: 'Kestrel', lang: 'en', createdAt: T0 });
  const [card] = cardsFromSnippet(snippet, T0);
  const { card: answered, log } = createScheduler({ requestRetention: DEFAULT_SETTINGS.desiredRetention }).rate(card!, 3, T0 + 60_000, 3000);
  const learner = markWord(createLearner({ targetLang: 'en', nativeLang: 'de', now: T0 }), 'verge', 'known', T0 + 1000);
  await db.put('snippets', snippet as unknown as SnippetRecord);
  await db.put('cards', answered as unknown as CardRecord);
  await db.put('reviewLogs', log as unknown as ReviewLogRecord);
  await db.put('kv', { key: KEYS.settings, value: { ...DEFAULT_SETTINGS, targetLang: 'en', nativeLang: 'de', onboarded: true } });
  await db.put('kv', { key: KEYS.learner, value: learner });
  return { db, answered, learner };
}

const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};

describe('the outgoing sync segment kept in IndexedDB', () => {
  it('holds this device\'s records as events that rebuild its card elsewhere', async () => {
    const { db, answered } = await deviceWithRecords();
    const segment = await nextOutgoingSegment(db, { device: 'laptop', now: T0 + 120_000, newId: ids() });
    expect(segment!.seq).toBe(1);
    // It is a valid segment as another device will check it.
    const parsed = parseSegment(JSON.parse(JSON.stringify(segment)));
    expect(parsed.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['card', 'review', 'snippet', 'word', 'setting']));
    const state = emptySyncState();
    mergeSegment(state, parsed);
    const view = syncView(state, createScheduler({ requestRetention: DEFAULT_SETTINGS.desiredRetention }));
    expect(view.cards).toEqual([answered]);
    expect(view.words.map((w) => [w.key, w.state])).toEqual([['verge', 'known']]);
  });

  it('an unconfirmed upload is retried with the very same segment; after confirming, only changes make a new one', async () => {
    const { db, learner } = await deviceWithRecords();
    const context = { device: 'laptop', now: T0 + 120_000, newId: ids() };
    const first = await nextOutgoingSegment(db, context);
    // The upload failed: the next attempt gets the same number and the same events.
    expect(await nextOutgoingSegment(db, { ...context, newId: ids() })).toEqual(first);
    await confirmSegment(db, 'laptop', 2); // not the pending one: ignored
    expect(await nextOutgoingSegment(db, context)).toEqual(first);
    await confirmSegment(db, 'laptop', 1);
    expect(await nextOutgoingSegment(db, context)).toBeNull();
    await db.put('kv', { key: KEYS.learner, value: markWord(learner, 'hovered', 'learning', T0 + 200_000) });
    const second = await nextOutgoingSegment(db, context);
    expect(second!.seq).toBe(2);
    expect(second!.events.map((e) => (e.kind === 'word' ? `${e.key}:${e.state}` : e.kind))).toEqual([`${learnerWordKey(learner, 'hovered')}:learning`]);
    expect(((await db.get('kv', OUTBOX_KEY))!.value as { pending: unknown }).pending).toEqual(second);
  });
});
