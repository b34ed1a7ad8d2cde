import { describe, expect, it } from 'vitest';
import { createLearner, markWord } from './learner';
import { cardsFromSnippet, createScheduler, type ReviewCard, type ReviewLogEntry } from './review';
import { DEFAULT_SETTINGS } from './settings';
import { createSnippet } from './snippet';
import { planApply, type LocalForApply } from './sync-apply';
import { emptySyncState, mergeEvent, type SyncEvent, type SyncState } from './sync-log';
import { outgoingEvents, type LocalRecords } from './sync-outbox';
import { syncView } from './sync-view';

const T0 = Date.UTC(2026, 6, 1, 9);
const HOUR = 3600_000;
const scheduler = createScheduler();
const snippet = createSnippet({ passage: 'The curlew called across the mudflats at dawn.', marks: ['curlew'], url: 'https://example.org/c', title: 'c', lang: 'en', createdAt: T0 });
const [card] = cardsFromSnippet(snippet, T0) as [ReviewCard];
const learner = createLearner({ targetLang: 'en', nativeLang: 'de', now: T0 });

function stateOf(events: SyncEvent[]): SyncState {
  const s = emptySyncState();
  for (const e of events) mergeEvent(s, e);
  return s;
}

/** What a device sent: its records turned into events, and the stamps it keeps. */
function sentBy(local: LocalRecords, device: string) {
  let n = 0;
  return outgoingEvents(local, new Map(), { device, now: T0 + HOUR, newId: () => `${device}-${++n}` });
}

const records = (over: Partial<LocalRecords> = {}): LocalRecords => ({ cards: [card], reviewLogs: [], snippets: [snippet], words: [], settings: DEFAULT_SETTINGS as unknown as Record<string, unknown>, examples: [], ...over });
const forApply = (over: Partial<LocalForApply> = {}): LocalForApply => ({ cards: [card], reviewLogs: [], snippets: [snippet], learner, settings: DEFAULT_SETTINGS as unknown as Record<string, unknown>, ...over });

describe('applying the merged view to the stores', () => {
  it('takes another device\'s answer into a card this device has not answered since it last sent', () => {
    const mine = sentBy(records(), 'laptop');
    const { card: answered, log } = scheduler.rate(card, 3, T0 + 2 * HOUR, 3000);
    const theirs = sentBy(records({ cards: [answered], reviewLogs: [log] }), 'desktop');
    const state = stateOf([...mine.events, ...theirs.events]);
    const plan = planApply(syncView(state, scheduler), state, forApply(), mine.stamps);
    expect(plan.putCards).toEqual([answered]);
    expect(plan.putLogs).toEqual([log]);
    expect(plan.heldBack).toEqual([]);
    expect(plan.stamps.get(`review:${log.id}`)).toBe('1');
  });

  it('holds back a card answered here since the last send: its schedule is not rolled back', () => {
    const mine = sentBy(records(), 'laptop');
    const { card: answeredHere, log: mineLog } = scheduler.rate(card, 4, T0 + 3 * HOUR, 3000);
    const { card: answeredThere, log: theirLog } = scheduler.rate(card, 1, T0 + 2 * HOUR, 3000);
    const theirs = sentBy(records({ cards: [answeredThere], reviewLogs: [theirLog] }), 'desktop');
    const state = stateOf([...mine.events, ...theirs.events]);
    const plan = planApply(syncView(state, scheduler), state, forApply({ cards: [answeredHere], reviewLogs: [mineLog] }), mine.stamps);
    expect(plan.putCards).toEqual([]);
    expect(plan.heldBack).toEqual([card.id]);
    expect(plan.deleteLogs).toEqual([]);
  });

  it('word marks: the later one wins, here as in the merge', () => {
    const older = markWord(learner, 'curlew', 'learning', T0 + HOUR);
    const newer = markWord(learner, 'curlew', 'ignored', T0 + 9 * HOUR);
    const state = stateOf([{ id: 'w', device: 'desktop', at: T0 + 5 * HOUR, kind: 'word', key: 'curlew', form: 'curlew', state: 'known' }]);
    const view = syncView(state, scheduler);
    const taken = planApply(view, state, forApply({ learner: older }), new Map([['x', 'y']]));
    expect(taken.learner!.words.curlew).toMatchObject({ state: 'known', explicit: true, updatedAt: T0 + 5 * HOUR, knownAt: T0 + 5 * HOUR });
    const kept = planApply(view, state, forApply({ learner: newer }), new Map([['x', 'y']]));
    expect(kept.learner).toBeNull();
    expect(kept.heldBack).toEqual(['word:curlew']);
  });

  it('settings: a field changed here since it was sent is held back; a joining device takes the account\'s', () => {
    const state = stateOf([{ id: 's', device: 'desktop', at: T0, kind: 'setting', field: 'budgetMinutes', value: 45 }]);
    const view = syncView(state, scheduler);
    const changedHere = { ...DEFAULT_SETTINGS, budgetMinutes: 25 } as unknown as Record<string, unknown>;
    const sent = new Map([['setting:budgetMinutes', String(DEFAULT_SETTINGS.budgetMinutes)]]);
    expect(planApply(view, state, forApply({ settings: changedHere }), sent)).toMatchObject({ settingsPatch: null, heldBack: ['setting:budgetMinutes'] });
    expect(planApply(view, state, forApply(), sent).settingsPatch).toEqual({ budgetMinutes: 45 });
    expect(planApply(view, state, forApply({ settings: changedHere }), new Map()).settingsPatch).toEqual({ budgetMinutes: 45 });
  });

  it('a card deleted elsewhere goes, with its answers; an answer undone elsewhere goes', () => {
    const { card: answered, log } = scheduler.rate(card, 3, T0 + 2 * HOUR, 3000);
    const local = records({ cards: [answered], reviewLogs: [log] });
    const mine = sentBy(local, 'laptop');
    const undone = stateOf([...mine.events, { id: 'u', device: 'desktop', at: T0 + 3 * HOUR, kind: 'review-undo', reviewId: `review:${log.id}` }]);
    const plan = planApply(syncView(undone, scheduler), undone, forApply({ cards: [answered], reviewLogs: [log] }), mine.stamps);
    expect(plan.deleteLogs).toEqual([log.id]);
    expect(plan.putCards.map((c) => c.schedule.reps)).toEqual([0]);
    const deleted = stateOf([...mine.events, { id: 'd', device: 'desktop', at: T0 + 3 * HOUR, kind: 'card-delete', cardId: card.id }]);
    const gone = planApply(syncView(deleted, scheduler), deleted, forApply({ cards: [answered], reviewLogs: [log] as ReviewLogEntry[] }), mine.stamps);
    expect(gone.deleteCards).toEqual([card.id]);
    expect(gone.deleteLogs).toEqual([log.id]);
  });
});
