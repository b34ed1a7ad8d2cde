/**
 * The encoder's one queue (lib/work-queue.ts), told about tabs by the browser: the tab in
 * front of each window goes first, and a closed tab's waiting work is dropped. Tab ids and
 * these two events need no "tabs" permission.
 */
import { createWorkQueue, type Owner, type WorkQueue } from '../lib/work-queue';

export interface TabEventsLike {
  onActivated: { addListener(cb: (info: { tabId: number; windowId: number }) => void): void };
  onRemoved: { addListener(cb: (tabId: number) => void): void };
}

/** Urgency of an owner's work: the tab the learner looks at, then work for no tab, then the rest. */
export const FRONT_TAB = 2;
export const NO_TAB = 1;
export const BACKGROUND_TAB = 0;

export function createEncoderQueue(tabs: TabEventsLike): WorkQueue {
  // Front tab per window. Unknown until the learner switches tabs after the worker started;
  // until then every tab is equally urgent, which is the order pages asked in.
  const front = new Map<number, number>();
  const priority = (owner: Owner): number => (owner === undefined ? NO_TAB : [...front.values()].includes(owner) ? FRONT_TAB : BACKGROUND_TAB);
  const queue = createWorkQueue(priority);
  tabs.onActivated.addListener(({ tabId, windowId }) => front.set(windowId, tabId));
  tabs.onRemoved.addListener((tabId) => {
    queue.cancel(tabId, 'the tab was closed');
    for (const [windowId, id] of front) if (id === tabId) front.delete(windowId);
  });
  return queue;
}
