/**
 * CPU time of a call in a page, read from a Chrome trace. Wall-clock time on a machine shared
 * with other jobs measures the other jobs too; the main thread's CPU time for the call (the
 * trace's `tdur` of the EvaluateScript around it) does not. The call marks itself with
 * `console.timeStamp(label)`, which lands in the trace inside that EvaluateScript. One trace
 * per call keeps traces small: Chrome drops events once its trace buffer is full.
 */
import type { Page } from 'puppeteer-core';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  /** Thread (CPU) clock, microseconds. */
  tts?: number;
  dur?: number;
  tdur?: number;
  tid: number;
  args?: { data?: { message?: string } };
}

export interface CallTiming<T> {
  readonly value: T;
  /** Main-thread CPU milliseconds of the call. */
  readonly cpuMs: number;
  /** Wall-clock milliseconds of the call, as the trace saw it. */
  readonly wallMs: number;
}

/** Evaluates `expression` (which must call `console.timeStamp(label)`) under a trace. */
export async function timedEvaluate<T>(page: Page, expression: string, label: string): Promise<CallTiming<T>> {
  await page.tracing.start({ categories: CATEGORIES });
  let value: T;
  let buffer: Uint8Array | undefined;
  try {
    value = (await page.evaluate(expression)) as T;
    // The span of the call closes after its result is sent; a second call makes sure it has
    // closed before the trace stops.
    await page.evaluate('0');
  } finally {
    buffer = await page.tracing.stop();
  }
  const parsed = JSON.parse(Buffer.from(buffer ?? new Uint8Array()).toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mark = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === label);
  if (!mark) throw new Error(`the trace of ${expression} has no mark ${label}`);
  const around = evaluateSpans(events).find((e) => e.tid === mark.tid && e.ts <= mark.ts && mark.ts <= e.ts + e.dur);
  if (!around) throw new Error(`the trace of ${expression} has no EvaluateScript around its mark`);
  return { value, cpuMs: around.tdur / 1000, wallMs: around.dur / 1000 };
}

interface Span {
  tid: number;
  ts: number;
  dur: number;
  tdur: number;
}

/**
 * EvaluateScript spans with wall and thread durations. Chrome writes a span either as one
 * complete event ('X') or as a begin ('B') and an end ('E') on the same thread; an end event
 * carries no name, so begins and ends are paired by nesting per thread.
 */
function evaluateSpans(events: readonly TraceEvent[]): Span[] {
  const spans: Span[] = [];
  const open = new Map<number, (TraceEvent | null)[]>();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.name === 'EvaluateScript' && e.dur !== undefined && e.tdur !== undefined) {
      spans.push({ tid: e.tid, ts: e.ts, dur: e.dur, tdur: e.tdur });
    } else if (e.ph === 'B') {
      const stack = open.get(e.tid) ?? [];
      stack.push(e.name === 'EvaluateScript' ? e : null);
      open.set(e.tid, stack);
    } else if (e.ph === 'E') {
      const begin = open.get(e.tid)?.pop();
      if (begin && begin.tts !== undefined && e.tts !== undefined) {
        spans.push({ tid: e.tid, ts: begin.ts, dur: e.ts - begin.ts, tdur: e.tts - begin.tts });
      }
    }
  }
  return spans;
}
