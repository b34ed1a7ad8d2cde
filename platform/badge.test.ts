import { describe, expect, it, vi } from 'vitest';
import { BADGE_REFRESH_MINUTES, NUDGE_GRACE_MS } from '../lib/badge';
import { createSnippet } from '../lib/snippet';
import { cardsFromSnippet, type ReviewCard } from '../lib/review';
import {
  BADGE_ALARM,
  BADGE_COLOR,
  BADGE_DUE_ALARM,
  NUDGE_ALARM,
  NUDGE_ICON_URL,
  NUDGE_NOTIFICATION_ID,
  notificationNudge,
  readQueueStatus,
  startBadge,
  QUEUE_CHANGING_MESSAGES,
  withBadgeRefresh,
  type AlarmLike,
  type AlarmsLike,
  type Nudge,
  type NotificationsLike,
  type QueueStatus,
} from './badge';
import { openReaderDB, type CardRecord } from './db';
import type { Handlers } from './messaging';
import { NEW_CARDS_PER_DAY } from './service/review';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 9); // 09:00 UTC, a UTC learner

function fakeAlarms(existing: AlarmLike[] = []) {
  const alarms = new Map<string, AlarmLike & { periodInMinutes?: number }>(existing.map((a) => [a.name, a]));
  let listener: ((a: AlarmLike) => void) | undefined;
  const created: string[] = [];
  const api: AlarmsLike = {
    create(name, info) {
      created.push(name);
      const when = info.when ?? clock.now() + (info.delayInMinutes ?? info.periodInMinutes ?? 0) * MIN;
      alarms.set(name, { name, scheduledTime: when, ...(info.periodInMinutes ? { periodInMinutes: info.periodInMinutes } : {}) });
    },
    async get(name) {
      return alarms.get(name);
    },
    async clear(name) {
      return alarms.delete(name);
    },
    onAlarm: { addListener: (cb) => void (listener = cb) },
  };
  return {
    api,
    alarms,
    created,
    /** Fires the alarm as the browser would, at `clock.now()`. */
    async fire(name: string, scheduledTime = clock.now()) {
      listener!({ name, scheduledTime });
      await settle();
    },
  };
}

function fakeAction() {
  const state = { text: 'unset', title: 'unset', color: 'unset' };
  return {
    state,
    api: {
      async setBadgeText({ text }: { text: string }) {
        state.text = text;
      },
      async setTitle({ title }: { title: string }) {
        state.title = title;
      },
      async setBadgeBackgroundColor({ color }: { color: string }) {
        state.color = color;
      },
    },
  };
}

let now = T0;
const clock = { now: () => now, tzOffsetMinutes: () => 0 };

async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

function setup(options: { status?: QueueStatus; existing?: AlarmLike[]; nudge?: Nudge | null } = {}) {
  now = T0;
  let status: QueueStatus = options.status ?? { due: 3, nextDue: null };
  const alarms = fakeAlarms(options.existing);
  const action = fakeAction();
  const shown: { title: string; message: string }[] = [];
  let nudgeOn = true;
  const nudge: Nudge = {
    enabled: async () => nudgeOn,
    show: async (text) => void shown.push(text),
  };
  const log = vi.fn();
  const badge = startBadge({
    action: action.api,
    alarms: alarms.api,
    clock,
    queue: async () => status,
    ...(options.nudge === null ? {} : { nudge: options.nudge ?? nudge }),
    log,
  });
  return {
    badge,
    alarms,
    action,
    shown,
    log,
    setStatus: (s: QueueStatus) => void (status = s),
    switchNudge: (on: boolean) => void (nudgeOn = on),
  };
}

describe('the review badge', () => {
  it('shows the due count in its colour, with the count in words as the tooltip', async () => {
    const { badge, action } = setup({ status: { due: 3, nextDue: null } });
    await badge.ready;
    expect(action.state).toEqual({ text: '3', title: expect.stringMatching(/3 cards due/), color: BADGE_COLOR });
  });

  it('is empty when nothing is due', async () => {
    const { badge, action } = setup({ status: { due: 0, nextDue: null } });
    await badge.ready;
    expect(action.state.text).toBe('');
  });

  it('arms a periodic refresh and the evening nudge', async () => {
    const { badge, alarms } = setup();
    await badge.ready;
    expect(alarms.alarms.get(BADGE_ALARM)).toMatchObject({ periodInMinutes: BADGE_REFRESH_MINUTES, scheduledTime: T0 + BADGE_REFRESH_MINUTES * MIN });
    expect(alarms.alarms.get(NUDGE_ALARM)?.scheduledTime).toBe(Date.UTC(2026, 0, 10, 18));
  });

  it('keeps alarms the browser still has, so a wake-up does not restart their countdown', async () => {
    const existing = [
      { name: BADGE_ALARM, scheduledTime: T0 + 2 * MIN },
      { name: NUDGE_ALARM, scheduledTime: T0 + 60 * MIN },
    ];
    const { badge, alarms } = setup({ existing });
    await badge.ready;
    expect(alarms.created).toEqual([]);
    expect(alarms.alarms.get(BADGE_ALARM)?.scheduledTime).toBe(T0 + 2 * MIN);
  });

  it('recounts when its alarm fires', async () => {
    const { badge, alarms, action, setStatus } = setup({ status: { due: 3, nextDue: null } });
    await badge.ready;
    setStatus({ due: 7, nextDue: null });
    await alarms.fire(BADGE_ALARM);
    expect(action.state.text).toBe('7');
    setStatus({ due: 0, nextDue: null });
    await alarms.fire(BADGE_DUE_ALARM);
    expect(action.state.text).toBe('');
  });

  it('asks to be woken when a card comes due before the periodic refresh', async () => {
    const { badge, alarms } = setup({ status: { due: 0, nextDue: T0 + 10 * MIN } });
    await badge.ready;
    expect(alarms.alarms.get(BADGE_DUE_ALARM)?.scheduledTime).toBe(T0 + 10 * MIN);
  });

  it('leaves a card due later to the periodic refresh', async () => {
    const { badge, alarms } = setup({ status: { due: 0, nextDue: T0 + 3 * 24 * 60 * MIN } });
    await badge.ready;
    expect(alarms.alarms.has(BADGE_DUE_ALARM)).toBe(false);
  });

  it('applies refreshes in the order they were asked for', async () => {
    now = T0;
    const alarms = fakeAlarms();
    const action = fakeAction();
    const answers = [
      { due: 1, delay: 0 }, // first refresh (start)
      { due: 5, delay: 30 }, // slow
      { due: 9, delay: 0 }, // fast, asked for last: the truth
    ];
    let call = 0;
    const badge = startBadge({
      action: action.api,
      alarms: alarms.api,
      clock,
      queue: async () => {
        const a = answers[call++]!;
        await new Promise((r) => setTimeout(r, a.delay));
        return { due: a.due, nextDue: null };
      },
    });
    await badge.ready;
    await Promise.all([badge.refresh(), badge.refresh()]);
    expect(action.state.text).toBe('9');
  });

  it('reports a failed count without rejecting, and recovers on the next refresh', async () => {
    now = T0;
    const alarms = fakeAlarms();
    const action = fakeAction();
    const log = vi.fn();
    let fail = true;
    const badge = startBadge({
      action: action.api,
      alarms: alarms.api,
      clock,
      log,
      queue: async () => {
        if (fail) throw new Error('database closed');
        return { due: 2, nextDue: null };
      },
    });
    await expect(badge.ready).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/badge/), expect.any(Error));
    fail = false;
    await badge.refresh();
    expect(action.state.text).toBe('2');
  });
});

describe('the daily nudge', () => {
  it('shows once its time comes when cards are due, and re-arms for the next day', async () => {
    const { badge, alarms, shown } = setup({ status: { due: 4, nextDue: null } });
    await badge.ready;
    now = Date.UTC(2026, 0, 10, 18);
    await alarms.fire(NUDGE_ALARM, now);
    expect(shown).toEqual([{ title: '4 cards are ready for review', message: expect.stringMatching(/minute/) }]);
    expect(alarms.alarms.get(NUDGE_ALARM)?.scheduledTime).toBe(Date.UTC(2026, 0, 11, 18));
  });

  it('stays quiet when switched off, but keeps its schedule for when it is switched on', async () => {
    const { badge, alarms, shown, switchNudge } = setup({ status: { due: 4, nextDue: null } });
    await badge.ready;
    switchNudge(false);
    now = Date.UTC(2026, 0, 10, 18);
    await alarms.fire(NUDGE_ALARM, now);
    expect(shown).toEqual([]);
    expect(alarms.alarms.get(NUDGE_ALARM)?.scheduledTime).toBe(Date.UTC(2026, 0, 11, 18));
    switchNudge(true);
    now = Date.UTC(2026, 0, 11, 18);
    await alarms.fire(NUDGE_ALARM, now);
    expect(shown).toHaveLength(1);
  });

  it('stays quiet when nothing is due', async () => {
    const { badge, alarms, shown } = setup({ status: { due: 0, nextDue: null } });
    await badge.ready;
    now = Date.UTC(2026, 0, 10, 18);
    await alarms.fire(NUDGE_ALARM, now);
    expect(shown).toEqual([]);
  });

  it('drops a nudge that fires hours late (browser closed at nudge time)', async () => {
    const { badge, alarms, shown } = setup({ status: { due: 4, nextDue: null } });
    await badge.ready;
    const scheduled = Date.UTC(2026, 0, 10, 18);
    now = scheduled + NUDGE_GRACE_MS + MIN;
    await alarms.fire(NUDGE_ALARM, scheduled);
    expect(shown).toEqual([]);
    expect(alarms.alarms.get(NUDGE_ALARM)?.scheduledTime).toBe(Date.UTC(2026, 0, 11, 18));
  });

  it('is not armed where there is no way to show it', async () => {
    const { badge, alarms } = setup({ nudge: null, existing: [{ name: NUDGE_ALARM, scheduledTime: T0 + MIN }] });
    await badge.ready;
    expect(alarms.alarms.has(NUDGE_ALARM)).toBe(false);
  });

  it('is a notification that opens the review page when clicked', async () => {
    const created: { id: string; options: { iconUrl: string; title: string; message: string } }[] = [];
    const cleared: string[] = [];
    let onClick: ((id: string) => void) | undefined;
    const notifications: NotificationsLike = {
      async create(id, options) {
        created.push({ id, options });
        return id;
      },
      async clear(id) {
        cleared.push(id);
        return true;
      },
      onClicked: { addListener: (cb) => void (onClick = cb) },
    };
    const openReview = vi.fn();
    const nudge = notificationNudge(notifications, { enabled: async () => true, openReview });
    await nudge.show({ title: '2 cards are ready for review', message: 'About 1 minute.' });
    expect(created).toEqual([{ id: NUDGE_NOTIFICATION_ID, options: { type: 'basic', iconUrl: NUDGE_ICON_URL, title: '2 cards are ready for review', message: 'About 1 minute.' } }]);
    onClick!('someone-else');
    expect(openReview).not.toHaveBeenCalled();
    onClick!(NUDGE_NOTIFICATION_ID);
    expect(openReview).toHaveBeenCalledTimes(1);
    expect(cleared).toEqual([NUDGE_NOTIFICATION_ID]);
  });

  it('ships an icon that is a real PNG', () => {
    const bytes = Buffer.from(NUDGE_ICON_URL.split(',')[1]!, 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(bytes.readUInt32BE(16)).toBe(64); // width in the IHDR chunk
  });
});

describe('refreshing after the queue changes', () => {
  type K = 'snippet.save' | 'review.rate' | 'ping';
  function handlers(fail = false): Handlers<K> {
    return {
      'snippet.save': async () => ({ snippetId: 's1', cardsCreated: 1, duplicate: false }),
      'review.rate': async () => {
        if (fail) throw new Error('card gone');
        return { nextDue: 1, duplicate: false };
      },
      ping: async () => ({ ok: true as const }),
    };
  }
  const sender = { id: 'ext' };
  const rate = { eventId: 'e1', cardId: 'c1', rating: 3 as const, durationMs: 1000 };

  it('refreshes after a save or an answer, with the reply unchanged', async () => {
    const refresh = vi.fn(async () => {});
    const wrapped = withBadgeRefresh(handlers(), refresh);
    await expect(wrapped['review.rate'](rate, sender)).resolves.toEqual({ nextDue: 1, duplicate: false });
    expect(refresh).toHaveBeenCalledTimes(1);
    const save = { eventId: 'e2', url: 'https://a.example/', title: 'A', lang: 'en', text: 'word', context: '', paragraphId: null, markedWords: [] };
    await wrapped['snippet.save'](save, sender);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('counts suspending, unsuspending and deleting a card as queue changes', () => {
    // A due card suspended or deleted leaves the count; one unsuspended may join it.
    expect(QUEUE_CHANGING_MESSAGES).toEqual(expect.arrayContaining(['review.suspendCard', 'review.deleteCard']));
  });

  it('leaves other messages alone', async () => {
    const refresh = vi.fn(async () => {});
    await withBadgeRefresh(handlers(), refresh).ping({}, sender);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('does not refresh when the message failed, and passes the failure on', async () => {
    const refresh = vi.fn(async () => {});
    await expect(withBadgeRefresh(handlers(true), refresh)['review.rate'](rate, sender)).rejects.toThrow('card gone');
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('reading the queue', () => {
  let dbCount = 0;
  const base = cardsFromSnippet(
    createSnippet({ passage: 'The river runs under the street.', url: 'https://a.example/', title: 'River', lang: 'en', createdAt: T0 - 60 * MIN, marks: ['river'] }),
    T0 - 60 * MIN,
  )[0]!;
  function card(id: string, due: number, over: { suspended?: boolean; state?: 0 | 2 } = {}): ReviewCard {
    return { ...base, id, due, suspended: over.suspended ?? false, schedule: { ...base.schedule, state: over.state ?? 2 } };
  }

  async function dbWith(cards: ReviewCard[]) {
    const db = await openReaderDB({ name: `badge-${dbCount++}` });
    for (const c of cards) await db.put('cards', c as unknown as CardRecord);
    return db;
  }

  it('counts due cards, leaves out suspended ones, and finds the next due time', async () => {
    const db = await dbWith([
      card('a', T0 - MIN),
      card('b', T0),
      card('c', T0 - MIN, { suspended: true }),
      card('d', T0 + 5 * MIN, { suspended: true }),
      card('e', T0 + 8 * MIN),
      card('f', T0 + 20 * MIN),
    ]);
    expect(await readQueueStatus(db, T0)).toEqual({ due: 2, nextDue: T0 + 8 * MIN });
  });

  it('caps new cards at the daily limit, as the review page does', async () => {
    const fresh = Array.from({ length: NEW_CARDS_PER_DAY + 5 }, (_, i) => card(`n${i}`, T0 - MIN, { state: 0 }));
    const db = await dbWith([...fresh, card('r', T0 - MIN)]);
    expect(await readQueueStatus(db, T0)).toEqual({ due: NEW_CARDS_PER_DAY + 1, nextDue: null });
  });

  it('is empty for an empty queue', async () => {
    const db = await dbWith([]);
    expect(await readQueueStatus(db, T0)).toEqual({ due: 0, nextDue: null });
  });
});
