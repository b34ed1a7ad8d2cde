import { describe, expect, it } from 'vitest';
import { MAX_TIMED_MESSAGES, TIMING_PREFIX, createPageTimings, type Timeline } from './page-timings';

/** A timeline on a hand-moved clock that keeps what it is given. */
function fakeTimeline() {
  let t = 0;
  const marks: Array<{ name: string; at: number }> = [];
  const measures: Array<{ name: string; start: number; end: number }> = [];
  const timeline: Timeline = {
    now: () => t,
    mark: (name) => marks.push({ name, at: t }),
    measure: (name, o) => measures.push({ name, start: o.start, end: o.end ?? o.start + (o.duration ?? 0) }),
  };
  return { timeline, marks, measures, advance: (ms: number) => (t += ms) };
}

describe('page timings', () => {
  it('measures a message from its sending to its reply and its paint, with the background stages from the sending', () => {
    const { timeline, measures, advance } = fakeTimeline();
    const timings = createPageTimings(timeline);
    advance(10);
    const m = timings.message()!;
    advance(200);
    m.replied({ readMs: 5, embedMs: 150, headMs: 8, selectMs: 4, storeMs: 6, totalMs: 175 });
    advance(1);
    m.painting();
    advance(3);
    m.painted();
    const byName = Object.fromEntries(measures.map((x) => [x.name.slice(TIMING_PREFIX.length), [x.start, x.end]]));
    expect(byName).toEqual({
      '1:round-trip': [10, 210],
      '1:read': [10, 15],
      '1:embed': [10, 160],
      '1:head': [10, 18],
      '1:select': [10, 14],
      '1:store': [10, 16],
      '1:background': [10, 185],
      '1:paint': [211, 214],
    });
  });

  it("records the embed stage's parts when the reply has them, from the sending like the other stages", () => {
    const { timeline, measures, advance } = fakeTimeline();
    const timings = createPageTimings(timeline);
    advance(10);
    const m = timings.message()!;
    advance(200);
    m.replied({ readMs: 5, embedMs: 150, headMs: 8, selectMs: 4, storeMs: 6, totalMs: 175, embedQueueMs: 20, embedLoadMs: 40, embedComputeMs: 70.5 });
    const byName = Object.fromEntries(measures.map((x) => [x.name.slice(TIMING_PREFIX.length), [x.start, x.end]]));
    expect(byName).toMatchObject({ '1:embed': [10, 160], '1:embed-queue': [10, 30], '1:embed-load': [10, 50], '1:embed-compute': [10, 80.5] });
    // A reply without them (the cache held every vector) records none.
    const n = timings.message()!;
    n.replied({ readMs: 5, embedMs: 1, headMs: 8, selectMs: 4, storeMs: 6, totalMs: 25 });
    expect(measures.filter((x) => x.name.startsWith(`${TIMING_PREFIX}2:embed-`))).toEqual([]);
  });

  it('marks the first extraction once, numbers messages, and stops after the first few', () => {
    const { timeline, marks, measures } = fakeTimeline();
    const timings = createPageTimings(timeline);
    timings.mark('start');
    timings.extracted();
    timings.extracted();
    expect(marks.map((m) => m.name)).toEqual([`${TIMING_PREFIX}start`, `${TIMING_PREFIX}extracted`]);
    for (let i = 0; i < MAX_TIMED_MESSAGES; i++) timings.message()!.replied(undefined);
    expect(timings.message()).toBeNull();
    expect(measures.map((m) => m.name).at(-1)).toBe(`${TIMING_PREFIX}${MAX_TIMED_MESSAGES}:round-trip`);
    expect(measures).toHaveLength(MAX_TIMED_MESSAGES);
  });

  it('never throws when the timeline refuses an entry, and does nothing without a timeline', () => {
    const refusing: Timeline = {
      now: () => 0,
      mark: () => {
        throw new Error('no');
      },
      measure: () => {
        throw new Error('no');
      },
    };
    const timings = createPageTimings(refusing);
    expect(() => {
      timings.mark('watch');
      timings.extracted();
      const m = timings.message()!;
      m.replied({ readMs: 0, embedMs: 0, headMs: 0, selectMs: 0, storeMs: 0, totalMs: 0 });
      m.painting();
      m.painted();
    }).not.toThrow();
    expect(createPageTimings(undefined).message()).toBeNull();
  });
});
