/**
 * The background's answers to the `sync.*` messages, and automatic sync: an alarm every
 * SYNC_PERIOD_MINUTES while sync is on (it outlives the service worker), created when sync
 * is turned on and cleared when it is stopped. The work is platform/sync/link.ts's.
 */
import type { Handlers } from '../messaging';
import { configureSync, runSync, stopSync, syncStatus, type SyncLinkDeps } from './link';

export const SYNC_ALARM = 'sync';
export const SYNC_PERIOD_MINUTES = 30;

export type SyncMessage = 'sync.configure' | 'sync.now' | 'sync.status' | 'sync.stop';

export interface SyncAlarmsLike {
  create(name: string, info: { delayInMinutes?: number; periodInMinutes?: number }): Promise<void> | void;
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
      return stopSync(deps);
    },
  };
}

/** Syncs on the alarm; an alarm left from a link since forgotten (all data deleted) is cleared. */
export function startSyncAlarm(deps: SyncHandlerDeps): void {
  deps.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== SYNC_ALARM) return;
    void (async () => {
      if (!(await syncStatus(deps)).configured) {
        await deps.alarms.clear(SYNC_ALARM);
        return;
      }
      await syncAndTell(deps);
    })().catch((e: unknown) => console.warn('[attention-reader] automatic sync failed', e));
  });
}
