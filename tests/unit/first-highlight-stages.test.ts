import { describe, expect, it } from 'vitest';
import { STAGES, medianStages, visitStages, type TimelineEntry } from '../../bench/lib/first-highlight-stages';
import { median } from '../../bench/lib/stats';

const mark = (name: string, at: number): TimelineEntry => ({ name: `attention-reader:${name}`, startTime: at, duration: 0 });
const measure = (name: string, start: number, end: number): TimelineEntry => ({ name: `attention-reader:${name}`, startTime: start, duration: end - start });

/** A page: DCL at 100, script at 130, controls up at 150, paragraphs at 170; message 1 painted nothing useful before message 2. */
function timeline(): TimelineEntry[] {
  return [
    { name: 'someone-else:start', startTime: 0, duration: 0 },
    mark('start', 130),
    mark('watch', 150),
    mark('extracted', 170),
    measure('1:round-trip', 171, 400),
    measure('1:read', 171, 181),
    measure('1:embed', 171, 371),
    measure('1:head', 171, 176),
    measure('1:select', 171, 174),
    measure('1:store', 171, 179),
    measure('1:background', 171, 398),
    measure('1:paint', 400.5, 402),
    measure('2:round-trip', 402, 700),
    measure('2:read', 402, 406),
    measure('2:embed', 402, 652),
    measure('2:embed-queue', 402, 442),
    measure('2:embed-load', 402, 502),
    measure('2:embed-compute', 402, 482),
    measure('2:head', 402, 412),
    measure('2:select', 402, 408),
    measure('2:store', 402, 420),
    measure('2:background', 402, 690),
    measure('2:paint', 701, 705),
    measure('3:round-trip', 706, 900),
  ];
}

describe('first-highlight stages', () => {
  it("takes the message painted just before the probe saw a highlight, and its stages add up to DOMContentLoaded -> first highlight", () => {
    const s = visitStages(timeline(), 100, 708)!;
    expect(s.message).toBe(2);
    expect(s.messagesBefore).toBe(3);
    expect(s.ms).toEqual({
      inject: 30,
      ui: 20,
      extract: 20,
      wait: 232,
      message: 10,
      read: 4,
      'embed-queue': 40,
      'embed-load': 100,
      'embed-compute': 80,
      'embed-other': 30,
      head: 10,
      select: 6,
      store: 18,
      paint: 5,
      detect: 3,
    });
    expect(s.embedMs).toBe(250);
    const sum = STAGES.reduce((a, k) => a + s.ms[k], 0);
    expect(sum).toBeCloseTo(708 - 100, 9);
  });

  it('takes the first message when its paint came before the highlight was seen', () => {
    const s = visitStages(timeline(), 100, 405)!;
    expect(s.message).toBe(1);
    // Message 1's reply had no split of its embed stage (its vectors came from the cache): all of it is embed-other.
    expect(s.embedMs).toBe(200);
    expect(s.ms).toMatchObject({ 'embed-queue': 0, 'embed-load': 0, 'embed-compute': 0, 'embed-other': 200 });
    expect(s.ms.message).toBe(229 - 226);
    expect(s.ms.detect).toBe(3);
  });

  it('counts a round trip whole as message when the reply had no background stages', () => {
    const bare = timeline().filter((e) => !/:(read|embed|embed-queue|embed-load|embed-compute|head|select|store|background)$/.test(e.name));
    expect(visitStages(bare, 100, 708)!.ms).toMatchObject({ message: 298, 'embed-other': 0, 'embed-compute': 0, read: 0 });
  });

  it('is null without the marks or before any paint', () => {
    expect(visitStages(timeline().filter((e) => !e.name.endsWith(':watch')), 100, 708)).toBeNull();
    expect(visitStages(timeline(), 100, 300)).toBeNull();
  });

  it('takes medians stage by stage, leaving out visits without stages', () => {
    const a = visitStages(timeline(), 100, 708)!;
    const b = visitStages(timeline(), 100, 405)!;
    const c = visitStages(timeline(), 90, 710)!;
    const m = medianStages([a, null, b, c], median)!;
    expect(m['embed-compute']).toBe(80);
    expect(m['embed-other']).toBe(30);
    expect(m.inject).toBe(30);
    expect(m.detect).toBe(3);
    expect(medianStages([null], median)).toBeNull();
  });
});
