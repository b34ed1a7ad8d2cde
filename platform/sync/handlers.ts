/**
 * The background's answers to the `sync.*` messages, and automatic sync:
 * - an alarm every SYNC_PERIOD_MINUTES while sync is on, created when sync is turned on and
 *   cleared when it is stopped;
 * - a one-off alarm SYNC_AFTER_CHANGE_MINUTES after the learner changes something that
 *   syncs (a save, an answer, a word mark, a setting, a relevance label), so the other
 *   devices see it within minutes rather than at the next half hour. It is not moved by
 *   later changes: a learner answering cards for twenty minutes syncs every few minutes,
 *   not once at the end. Alarms outlive the service worker; a timer would not.
 * The work is platform/sync/link.ts's.
 */
import type { MessageType } from '../../lib/protocol';
import type { Handlers } from '../messaging';
import { configureSync, runSync, stopSync, syncStatus, type SyncLinkDeps } from './link';

export const SYNC_ALARM = 'sync';
export const SYNC_PERIOD_MINUTES = 30;
export const SYNC_SOON_ALARM = 'sync-soon';
/** Two minutes: a burst of changes goes in one segment, and Chrome's alarms allow no less than 30 s. */
export const SYNC_AFTER_CHANGE_MINUTES = 2;

/** Messages whose handling changes data that syncs (lib/sync-outbox.ts). Reading and dwell do not: they wait for the periodic sync. */
export const SYNC_CHANGING_MESSAGES = [
  'snippet.save',
  'review.rate',
  'review.undo',
  'review.suspendCard',
  'review.deleteCard',
  'review.editCard',
  'word.mark',
  'settings.update',
  'feedback.give',
  'language.study',
  'data.restored',
] as const satisfies readonly MessageType[];

export type SyncMessage = 'sync.configure' | 'sync.now' | 'sync.status' | 'sync.stop';

export interface SyncAlarmsLike {
  create(name: string, info: { delayInMinutes?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<{ name: string } | undefined | null>;
  clear(name: string): Promise<boolean> | void;
  onAlarm: { addListener(cb: (alarm: { name: string }) => void): void };
}

export interface SyncHandlerDeps extends SyncLinkDeps {
  alarms: SyncAlarmsLike;
  /** After a sync that completed (cards may have changed: the badge is brought up to date). */
  onSynced?(): void;
}

async function syncAndTell(deps: SyncHandlerDeps) {
  const status = await runSync(deps);
  if (status.last?.ok) deps.onSynced?.();
  return status;
}

export function createSyncHandlers(deps: SyncHandlerDeps): Handlers<SyncMessage> {
  return {
    'sync.configure': async (req) => {
      const status = await configureSync(deps, req);
      await deps.alarms.create(SYNC_ALARM, { delayInMinutes: SYNC_PERIOD_MINUTES, periodInMinutes: SYNC_PERIOD_MINUTES });
      return status;
    },
    'sync.now': () => syncAndTell(deps),
    'sync.status': () => syncStatus(deps),
    'sync.stop': async () => {
      await deps.alarms.clear(SYNC_ALARM);
      await deps.alarms.clear(SYNC_SOON_ALARM);
      return stopSync(deps);
    },
  };
}

/**
 * `handlers` with a sync scheduled after each message of SYNC_CHANGING_MESSAGES that was
 * handled without error, while sync is on. An alarm already pending is left as it is.
 */
export function withSyncAfterChanges<K extends MessageType>(handlers: Handlers<K>, deps: SyncHandlerDeps): Handlers<K> {
  const wrapped = { ...handlers } as Record<string, (payload: unknown, sender: unknown) => Promise<unknown>>;
  const schedule = async () => {
    if (await deps.alarms.get(SYNC_SOON_ALARM)) return;
    if (!(await syncStatus(deps)).configured) return;
    await deps.alarms.create(SYNC_SOON_ALARM, { delayInMinutes: SYNC_AFTER_CHANGE_MINUTES });
  };
  for (const type of SYNC_CHANGING_MESSAGES) {
    const handler = wrapped[type];
    if (!handler) continue;
    wrapped[type] = async (payload, sender) => {
      const reply = await handler(payload, sender);
      void schedule().catch((e: unknown) => console.warn('[attention-reader] could not schedule a sync', e));
      return reply;
    };
  }
  return wrapped as unknown as Handlers<K>;
}

/** Syncs on the alarms; an alarm left from a link since forgotten (all data deleted) is cleared. */
export function startSyncAlarm(deps: SyncHandlerDeps): void {
  deps.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== SYNC_ALARM && alarm.name !== SYNC_SOON_ALARM) return;
    void (async () => {
      if (!(await syncStatus(deps)).configured) {
        await deps.alarms.clear(alarm.name);
        return;
      }
      await syncAndTell(deps);
    })().catch((e: unknown) => console.warn('[attention-reader] automatic sync failed', e));
  });
}
