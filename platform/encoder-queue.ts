/**
 * The encoder's one queue (lib/work-queue.ts), told about tabs by the browser: the tab in
 * front of each window goes first, and a closed tab's waiting work is dropped. Tab ids and
 * these events need no "tabs" permission.
 *
 * The tab listeners are added when the first job arrives, not when the worker starts: only
 * listeners added while the worker script first runs wake a stopped worker, and waking it on
 * every tab switch and close in the browser, to manage a queue that is empty, would be waste.
 * While there is work, the worker is running and the listeners hear every event.
 */
import { createWorkQueue, type Owner, type WorkQueue } from '../lib/work-queue';

export interface TabEventsLike {
  onActivated: { addListener(cb: (info: { tabId: number; windowId: number }) => void): void };
  onRemoved: { addListener(cb: (tabId: number) => void): void };
  query(filter: { active: true }): Promise<Array<{ id?: number; windowId?: number }>>;
}

/** Urgency of an owner's work: the tab the learner looks at, then work for no tab, then the rest. */
export const FRONT_TAB = 2;
export const NO_TAB = 1;
export const BACKGROUND_TAB = 0;

export function createEncoderQueue(tabs: TabEventsLike): WorkQueue {
  const front = new Map<number, number>(); // window id -> its front tab
  const priority = (owner: Owner): number => (owner === undefined ? NO_TAB : [...front.values()].includes(owner) ? FRONT_TAB : BACKGROUND_TAB);
  const queue = createWorkQueue(priority);
  let listening = false;

  function listen(): void {
    if (listening) return;
    listening = true;
    tabs.onActivated.addListener(({ tabId, windowId }) => front.set(windowId, tabId));
    tabs.onRemoved.addListener((tabId) => {
      queue.cancel(tabId, 'the tab was closed');
      for (const [windowId, id] of front) if (id === tabId) front.delete(windowId);
    });
    // The tabs in front now; switches from here on come through onActivated.
    void tabs.query({ active: true }).then(
      (active) => {
        for (const t of active) if (t.id !== undefined && t.windowId !== undefined && !front.has(t.windowId)) front.set(t.windowId, t.id);
      },
      (e: unknown) => console.warn('[attention-reader] could not tell which tabs are in front', e),
    );
  }

  return {
    submit(owner, run, tag) {
      listen();
      return queue.submit(owner, run, tag);
    },
    cancel: (owner, reason, keepTag) => queue.cancel(owner, reason, keepTag),
    get waiting() {
      return queue.waiting;
    },
  };
}
