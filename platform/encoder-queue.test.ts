import { describe, expect, it } from 'vitest';
import { isCancelled } from '../lib/work-queue';
import { createEncoderQueue, type TabEventsLike } from './encoder-queue';

function fakeTabs(activeNow: Array<{ id: number; windowId: number }> = []) {
  const activated: Array<(info: { tabId: number; windowId: number }) => void> = [];
  const removed: Array<(tabId: number) => void> = [];
  const tabs: TabEventsLike = {
    onActivated: { addListener: (cb) => activated.push(cb) },
    onRemoved: { addListener: (cb) => removed.push(cb) },
    query: async () => activeNow,
  };
  return {
    tabs,
    activate: (tabId: number, windowId = 1) => activated.forEach((cb) => cb({ tabId, windowId })),
    close: (tabId: number) => removed.forEach((cb) => cb(tabId)),
    listeners: () => activated.length + removed.length,
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
    let release!: () => void;
    const running = queue.submit(9, () => new Promise<void>((r) => (release = r)));
    browser.activate(5);
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

describe('encoder queue and the browser’s tab events', () => {
  it('listens to tabs only once there is work, so an idle worker is not woken by tab switches', async () => {
    const browser = fakeTabs();
    const queue = createEncoderQueue(browser.tabs);
    expect(browser.listeners()).toBe(0);
    await queue.submit(1, async () => 'done');
    expect(browser.listeners()).toBe(2);
    await queue.submit(1, async () => 'again');
    expect(browser.listeners()).toBe(2);
  });

  it('knows the tab already in front when the first work arrives', async () => {
    const browser = fakeTabs([{ id: 4, windowId: 1 }]);
    const queue = createEncoderQueue(browser.tabs);
    const order: number[] = [];
    let release!: () => void;
    const first = queue.submit(3, () => new Promise<void>((r) => (release = r)));
    const rest = [queue.submit(3, async () => void order.push(3)), queue.submit(4, async () => void order.push(4))];
    await tick();
    release();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([4, 3]);
  });
});
