/**
 * Long loops in time slices. The background answers every message of every tab on one
 * thread: judging a huge page's 2,000 paragraphs in one synchronous stretch (segmenting each
 * into words and sentences) holds up every other reply (a popup's, another tab's first
 * screen) for as long. `mapInSlices` works through the items for about `sliceMs` at a time
 * and lets the event loop run between slices, so other messages are answered in between.
 * The clock and the yield come in (tests pass fakes; the background passes its own).
 */

export interface SliceScheduler {
  /** A monotonic clock, ms. */
  now(): number;
  /** Resolves once other queued work (messages, timers) has had its turn. */
  yield(): Promise<void>;
  /** Work between two yields, ms (default 10). */
  sliceMs?: number;
}

/** How many items run between looks at the clock: reading it costs more than a cheap item. */
const CLOCK_EVERY = 8;

/** `items.map(fn)`, yielding between slices of about `sliceMs`; the same results, in order. */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R, scheduler: SliceScheduler): Promise<R[]> {
  const sliceMs = Math.max(0, scheduler.sliceMs ?? 10);
  const out: R[] = new Array(items.length);
  let sliceStart = scheduler.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i]!, i);
    if ((i + 1) % CLOCK_EVERY === 0 && i + 1 < items.length && scheduler.now() - sliceStart >= sliceMs) {
      await scheduler.yield();
      sliceStart = scheduler.now();
    }
  }
  return out;
}
