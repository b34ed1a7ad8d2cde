import { describe, expect, it } from 'vitest';
import { mapInSlices } from './slices';

/** A fake clock that advances `costMs` per item run, and counts the yields. */
function fakeScheduler(costMs: number, sliceMs?: number) {
  let t = 0;
  const log: string[] = [];
  return {
    scheduler: {
      now: () => t,
      yield: async () => {
        log.push('yield');
      },
      ...(sliceMs === undefined ? {} : { sliceMs }),
    },
    tick: () => {
      t += costMs;
    },
    log,
  };
}

describe('mapInSlices', () => {
  it('returns what map returns, in order', async () => {
    const { scheduler, tick } = fakeScheduler(1);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const out = await mapInSlices(items, (x, i) => (tick(), x * 2 + i), scheduler);
    expect(out).toEqual(items.map((x, i) => x * 2 + i));
  });

  it('yields once a slice has used its time, and lets other work run between slices', async () => {
    const { scheduler, tick, log } = fakeScheduler(1, 16);
    const items = Array.from({ length: 100 }, (_, i) => i);
    await mapInSlices(items, (x) => (tick(), log.push(`item ${x}`), x), scheduler);
    const yields = log.filter((l) => l === 'yield').length;
    // 100 items of 1 ms in slices of 16 ms: a yield after every 16th item, none after the last.
    expect(yields).toBe(6);
    expect(log.indexOf('yield')).toBe(16);
    expect(log.at(-1)).toBe('item 99');
  });

  it('does not yield when the work is quick', async () => {
    const { scheduler, log } = fakeScheduler(0);
    await mapInSlices(Array.from({ length: 1000 }, (_, i) => i), (x) => x, scheduler);
    expect(log).toEqual([]);
  });

  it('really lets queued work run between slices', async () => {
    let t = 0;
    const order: string[] = [];
    const scheduler = { now: () => t, yield: () => new Promise<void>((r) => setTimeout(r, 0)), sliceMs: 5 };
    setTimeout(() => order.push('other message'), 0);
    await mapInSlices(Array.from({ length: 16 }, (_, i) => i), (x) => {
      t += 1;
      order.push(`item ${x}`);
      return x;
    }, scheduler);
    expect(order.indexOf('other message')).toBeGreaterThan(0);
    expect(order.indexOf('other message')).toBeLessThan(order.length - 1);
  });

  it('handles no items', async () => {
    const { scheduler } = fakeScheduler(1);
    expect(await mapInSlices([], (x) => x, scheduler)).toEqual([]);
  });
});
