/**
 * The review queue on the toolbar icon: the due count as the badge, kept fresh by alarms
 * (every 15 minutes, when the next card comes due, and right after an answer or a save), and
 * a daily nudge at a local hour when cards are waiting, which the learner can switch off.
 *
 * The browser APIs (`action`, `alarms`, `notifications`) and the queue reader are injected, so
 * the same code runs in Chrome, Firefox and tests. Nothing is kept in memory between wake-ups:
 * the schedule lives in the browser's alarms, the count in IndexedDB.
 */
import { badgeText, badgeTitle, BADGE_REFRESH_MINUTES, DEFAULT_NUDGE_HOUR, dueRefreshAt, nextNudgeAt, nudgeIsTimely, nudgeMessage } from '../lib/badge';
import type { MessageType } from '../lib/protocol';
import { dueCount, type ReviewCard } from '../lib/review';
import type { ReaderDatabase } from './db';
import type { Handlers } from './messaging';
import { NEW_CARDS_PER_DAY } from './service/review';
import type { Clock } from './service/state';

export const BADGE_ALARM = 'review-badge';
/** One-shot: the next card comes due before the periodic refresh. */
export const BADGE_DUE_ALARM = 'review-badge-due';
/** One-shot, re-armed for the next day each time it fires (a period would drift across daylight-saving changes). */
export const NUDGE_ALARM = 'review-nudge';
export const NUDGE_NOTIFICATION_ID = 'review-nudge';
/** The review page's accent, so the badge reads as part of the same product. */
export const BADGE_COLOR = '#2f5fd0';

/** Messages after which the due count may have changed. */
export const QUEUE_CHANGING_MESSAGES = ['snippet.save', 'review.rate', 'review.undo', 'review.suspendCard', 'review.deleteCard', 'data.restored', 'data.deleteAll'] as const satisfies readonly MessageType[];

export interface AlarmLike {
  name: string;
  scheduledTime: number;
}

/** The part of `browser.alarms` used here. */
export interface AlarmsLike {
  create(name: string, info: { when?: number; delayInMinutes?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<AlarmLike | undefined | null>;
  clear(name: string): Promise<boolean>;
  onAlarm: { addListener(cb: (alarm: AlarmLike) => void): void };
}

/** The part of `browser.action` (Chrome MV3) or `browser.browserAction` (Firefox MV2) used here. */
export interface ActionLike {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setBadgeBackgroundColor(details: { color: string }): Promise<void> | void;
  setTitle(details: { title: string }): Promise<void> | void;
}

/** How many cards are due now, and when the next one (not yet due) comes due. */
export interface QueueStatus {
  due: number;
  nextDue: number | null;
}

export interface Nudge {
  /** The learner's switch, read each time the nudge is about to show. */
  enabled(): Promise<boolean>;
  show(text: { title: string; message: string }): Promise<void>;
}

export interface BadgeDeps {
  action: ActionLike;
  alarms: AlarmsLike;
  queue(): Promise<QueueStatus>;
  clock: Clock;
  /** Absent where notifications are not available: then there is no nudge, only the badge. */
  nudge?: Nudge;
  nudgeHour?: number;
  /** Where failures go (they never reach a message handler). */
  log?: (message: string, error: unknown) => void;
}

export interface Badge {
  /** Recomputes the badge now; never rejects. Concurrent calls run one after another. */
  refresh(): Promise<void>;
  /** Settles once the alarms are armed and the first refresh is done (tests wait on it). */
  ready: Promise<void>;
}

/**
 * Starts the badge: listens to its alarms (synchronously, so an alarm that wakes the service
 * worker finds the listener), arms them if the browser lost them, and shows the count.
 */
export function startBadge(deps: BadgeDeps): Badge {
  const { action, alarms, clock } = deps;
  const log = deps.log ?? ((message, error) => console.warn(`[attention-reader] ${message}`, error));
  const hour = deps.nudgeHour ?? DEFAULT_NUDGE_HOUR;
  let chain: Promise<void> = Promise.resolve();

  async function refreshOnce(): Promise<void> {
    const status = await deps.queue();
    await action.setBadgeText({ text: badgeText(status.due) });
    await action.setTitle({ title: badgeTitle(status.due) });
    const at = dueRefreshAt(clock.now(), status.nextDue, BADGE_REFRESH_MINUTES);
    if (at !== null) await alarms.create(BADGE_DUE_ALARM, { when: at });
  }

  function refresh(): Promise<void> {
    const run = chain.then(refreshOnce).catch((e: unknown) => log('could not update the review badge', e));
    chain = run;
    return run;
  }

  async function armNudge(): Promise<void> {
    await alarms.create(NUDGE_ALARM, { when: nextNudgeAt(clock.now(), clock.tzOffsetMinutes, hour) });
  }

  async function nudgeFired(scheduledTime: number): Promise<void> {
    await armNudge();
    const nudge = deps.nudge;
    if (!nudge || !nudgeIsTimely(scheduledTime, clock.now())) return;
    if (!(await nudge.enabled())) return;
    const text = nudgeMessage((await deps.queue()).due);
    if (text) await nudge.show(text);
  }

  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === BADGE_ALARM || alarm.name === BADGE_DUE_ALARM) void refresh();
    else if (alarm.name === NUDGE_ALARM) void nudgeFired(alarm.scheduledTime).catch((e: unknown) => log('could not show the review nudge', e));
  });

  const ready = (async () => {
    try {
      await action.setBadgeBackgroundColor({ color: BADGE_COLOR });
      // Re-creating an existing periodic alarm would restart its countdown at every wake-up.
      if (!(await alarms.get(BADGE_ALARM))) await alarms.create(BADGE_ALARM, { delayInMinutes: BADGE_REFRESH_MINUTES, periodInMinutes: BADGE_REFRESH_MINUTES });
      if (!deps.nudge) await alarms.clear(NUDGE_ALARM);
      else if (!(await alarms.get(NUDGE_ALARM))) await armNudge();
    } catch (e) {
      log('could not arm the review alarms', e);
    }
    await refresh();
  })();

  return { refresh, ready };
}

/**
 * `handlers` with a badge refresh after every successful message that can change the due
 * count (a save makes cards, an answer or undo moves one, a restore or delete replaces all).
 * The reply does not wait for the badge.
 */
export function withBadgeRefresh<K extends MessageType>(handlers: Handlers<K>, refresh: () => Promise<void>): Handlers<K> {
  const wrapped = { ...handlers } as Record<string, (payload: unknown, sender: unknown) => Promise<unknown>>;
  for (const type of QUEUE_CHANGING_MESSAGES) {
    const handler = wrapped[type];
    if (!handler) continue;
    wrapped[type] = async (payload, sender) => {
      const reply = await handler(payload, sender);
      void refresh();
      return reply;
    };
  }
  return wrapped as unknown as Handlers<K>;
}

/** The queue as the review page sees it: due cards (new ones capped per day) and the next due time. */
export async function readQueueStatus(db: ReaderDatabase, now: number): Promise<QueueStatus> {
  const tx = db.transaction('cards', 'readonly');
  const byDue = tx.store.index('by-due');
  const due = (await byDue.getAll(IDBKeyRange.upperBound(now))) as unknown as ReviewCard[];
  let nextDue: number | null = null;
  for (let cursor = await byDue.openCursor(IDBKeyRange.lowerBound(now, true)); cursor; cursor = await cursor.continue()) {
    if (!cursor.value.suspended) {
      nextDue = cursor.value.due;
      break;
    }
  }
  await tx.done;
  return { due: dueCount(due, now, { newLimit: NEW_CARDS_PER_DAY }), nextDue };
}

/** The part of `browser.notifications` used here. */
export interface NotificationsLike {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string }): Promise<string>;
  clear(id: string): Promise<boolean>;
  onClicked: { addListener(cb: (id: string) => void): void };
}

/**
 * A 64×64 PNG of a review card, for the nudge: Chrome refuses a notification without an
 * icon, and this keeps the nudge working before the extension ships icon files.
 */
export const NUDGE_ICON_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAArElEQVR42u3byQ2AMAwEQDqiEmqgZURDUAHijBzsWckF7HzyiD0MIrcyzsvW85Qt3gzib8U/hfh7+VcIWco/QshW/hZC1vKXEUoDZC9/ilAaoEr5QwQAAAAAAPBgohMK0EtCAHoLAAAAAAAAAABAPMA6tR0AAAAAAOAZBAAAAAAAAAAAiAMo/zHia8znKAAAAADYFbQpal/YtribAVcj7oZcjrkfdEGavrgkzQ7LL4IgWbhr2gAAAABJRU5ErkJggg==';

/**
 * The nudge as a system notification; clicking it opens the review page. Registers its click
 * listener at once (call it while the service worker starts).
 */
export function notificationNudge(
  notifications: NotificationsLike,
  options: { enabled(): Promise<boolean>; openReview(): unknown; iconUrl?: string },
): Nudge {
  notifications.onClicked.addListener((id) => {
    if (id !== NUDGE_NOTIFICATION_ID) return;
    void options.openReview();
    void notifications.clear(id);
  });
  return {
    enabled: options.enabled,
    async show({ title, message }) {
      await notifications.create(NUDGE_NOTIFICATION_ID, { type: 'basic', iconUrl: options.iconUrl ?? NUDGE_ICON_URL, title, message });
    },
  };
}
