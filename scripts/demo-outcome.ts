/**
 * What the demo waits for after opening its page: the first highlight, or, on a page with
 * nothing for this learner, the page's line saying why (the background sends it once the whole
 * page is judged). Waiting for highlights alone made a page with none look like a failure.
 */
export type DemoOutcome = 'highlight' | 'notice' | 'timeout';

export interface OutcomeProbes {
  /** Whether the page shows a highlight now (cheap: asked often). */
  hasHighlights(): Promise<boolean>;
  /** What the background knows of the page (a message: asked less often). */
  summary(): Promise<{ known: boolean; notice: unknown }>;
}

export interface OutcomeTiming {
  timeoutMs: number;
  /** Between looks at the page's highlights. */
  pollMs?: number;
  /** Between questions to the background. */
  summaryEveryMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function waitForOutcome(probes: OutcomeProbes, timing: OutcomeTiming): Promise<DemoOutcome> {
  const now = timing.now ?? Date.now;
  const sleep = timing.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = timing.pollMs ?? 100;
  const summaryEveryMs = timing.summaryEveryMs ?? 1000;
  const deadline = now() + timing.timeoutMs;
  let nextSummary = now() + summaryEveryMs;
  for (;;) {
    if (await probes.hasHighlights()) return 'highlight';
    if (now() >= nextSummary) {
      nextSummary = now() + summaryEveryMs;
      const s = await probes.summary();
      // The line and the page's last highlights come in the same answer: look once more.
      if (s.known && s.notice !== null) return (await probes.hasHighlights()) ? 'highlight' : 'notice';
    }
    if (now() >= deadline) return 'timeout';
    await sleep(pollMs);
  }
}
