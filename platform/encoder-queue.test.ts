import { describe, expect, it } from 'vitest';
import { isCancelled } from '../lib/work-queue';
import { createEncoderQueue, type TabEventsLike } from './encoder-queue';

function fakeTabs() {
  const activated: Array<(info: { tabId: number; windowId: number }) => void> = [];
  const removed: Array<(tabId: number) => void> = [];
  const tabs: TabEventsLike = {
    onActivated: { addListener: (cb) => activated.push(cb) },
    onRemoved: { addListener: (cb) => removed.push(cb) },
  };
  return {
    tabs,
    activate: (tabId: number, windowId = 1) => activated.forEach((cb) => cb({ tabId, windowId })),
    close: (tabId: number) => removed.forEach((cb) => cb(tabId)),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('encoder queue', () => {
  it('runs the front tab’s work before work queued earlier for background tabs', async () => {
    const browser = fakeTabs();
    const queue = createEncoderQueue(browser.tabs);
    const order: string[] = [];
    let release!: () => void;
    const job = (name: string, wait = false) => () => {
      order.push(name);
      return wait ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    };
    const all = [queue.submit(1, job('tab1 batch1', true)), queue.submit(1, job('tab1 batch2')), queue.submit(2, job('tab2 batch1'))];
    await tick();
    browser.activate(2);
    release();
    await Promise.all(all);
    expect(order).toEqual(['tab1 batch1', 'tab2 batch1', 'tab1 batch2']);
  });

  it('drops a closed tab’s waiting work and forgets it as the front tab', async () => {
    const browser = fakeTabs();
    const queue = createEncoderQueue(browser.tabs);
    browser.activate(5);
    let release!: () => void;
    const running = queue.submit(9, () => new Promise<void>((r) => (release = r)));
    const ran: number[] = [];
    const waiting = [queue.submit(5, async () => void ran.push(5)), queue.submit(5, async () => void ran.push(5)), queue.submit(6, async () => void ran.push(6))];
    await tick();
    browser.close(5);
    expect(queue.waiting).toBe(1);
    release();
    const outcomes = await Promise.allSettled([running, ...waiting]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'done' : isCancelled(o.reason) ? 'cancelled' : 'failed'))).toEqual(['done', 'cancelled', 'cancelled', 'done']);
    expect(ran).toEqual([6]);
  });
});
