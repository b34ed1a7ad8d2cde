import { describe, expect, it } from 'vitest';
import { axisMax, axisTicks, HISTORY_DAYS, lastDays, totals } from './history';

const record = (day: string, consumedMinutes: number, reviewMinutes = 0, highlighted = 0) => ({ day, consumedMinutes, reviewMinutes, highlighted });

describe('lastDays', () => {
  it('gives 14 calendar days ending today, zero where nothing was recorded', () => {
    const days = lastDays([record('2026-11-28', 12, 2, 5), record('2026-11-20', 7)], '2026-11-28');
    expect(days).toHaveLength(HISTORY_DAYS);
    expect(days[0]!.day).toBe('2026-11-15');
    expect(days.at(-1)).toEqual({ day: '2026-11-28', readingMinutes: 10, reviewMinutes: 2, totalMinutes: 12, highlighted: 5, isToday: true });
    expect(days.find((d) => d.day === '2026-11-20')!.readingMinutes).toBe(7);
    expect(days.find((d) => d.day === '2026-11-21')).toMatchObject({ totalMinutes: 0, highlighted: 0, isToday: false });
    expect(days.filter((d) => d.isToday)).toHaveLength(1);
  });

  it('crosses month and year ends, and leaves out records outside the window', () => {
    const days = lastDays([record('2026-12-20', 4), record('2027-01-03', 9), record('2027-01-04', 99)], '2027-01-03');
    expect(days.map((d) => d.day).slice(0, 2)).toEqual(['2026-12-21', '2026-12-22']);
    expect(days.reduce((s, d) => s + d.totalMinutes, 0)).toBe(9);
  });

  it('never draws negative reading when reviews exceed the consumed total of a damaged record', () => {
    const [day] = lastDays([record('2026-11-28', 1, 3)], '2026-11-28', 1);
    expect(day).toMatchObject({ readingMinutes: 0, reviewMinutes: 3, totalMinutes: 3 });
  });

  it('gives nothing for a day it cannot read', () => {
    expect(lastDays([], 'yesterday')).toEqual([]);
  });
});

describe('axis', () => {
  it('tops the axis at a round number above both the busiest day and the budget', () => {
    const days = lastDays([record('2026-11-28', 23)], '2026-11-28');
    expect(axisMax(days, 20)).toBe(30);
    expect(axisMax(days, 35)).toBe(40);
    expect(axisMax(lastDays([], '2026-11-28'), 0)).toBe(6);
    expect(axisMax(lastDays([record('2026-11-28', 101)], '2026-11-28'), 20)).toBe(120);
  });

  it('labels every tick with whole minutes, whatever the data', () => {
    for (let top = 0; top <= 2000; top += 0.5) {
      const max = axisMax(lastDays([record('2026-11-28', top)], '2026-11-28'), 0);
      expect(max).toBeGreaterThanOrEqual(top);
      // Not wasteful: the bars use more than a third of the height.
      if (top > 6) expect(top / max).toBeGreaterThan(1 / 3);
      for (const tick of axisTicks(max)) expect(Number.isInteger(tick), `${top} -> ${max}`).toBe(true);
    }
  });

  it('splits the axis into equal ticks from zero', () => {
    expect(axisTicks(30)).toEqual([0, 15, 30]);
    expect(axisTicks(40, 4)).toEqual([0, 10, 20, 30, 40]);
  });
});

describe('totals', () => {
  it('sums minutes and finds the busiest day', () => {
    const sum = totals(lastDays([record('2026-11-27', 30, 10), record('2026-11-28', 5)], '2026-11-28'));
    expect(sum).toMatchObject({ totalMinutes: 35, reviewMinutes: 10, activeDays: 2 });
    expect(sum.busiest!.day).toBe('2026-11-27');
    expect(totals(lastDays([], '2026-11-28')).busiest).toBeUndefined();
  });
});
