import { describe, expect, it } from 'vitest';
import { waitForOutcome, type OutcomeProbes } from '../../scripts/demo-outcome';

/** A page whose highlights and notice appear at given times, on a fake clock. */
function scripted(highlightAt: number | null, noticeAt: number | null) {
  let t = 0;
  let summaries = 0;
  const probes: OutcomeProbes = {
    hasHighlights: async () => highlightAt !== null && t >= highlightAt,
    summary: async () => {
      summaries++;
      return { known: noticeAt !== null && t >= noticeAt, notice: noticeAt !== null && t >= noticeAt ? { code: 'above-level' } : null };
    },
  };
  const timing = { timeoutMs: 10_000, now: () => t, sleep: async (ms: number) => void (t += ms) };
  return { probes, timing, elapsed: () => t, summaries: () => summaries };
}

describe('waitForOutcome', () => {
  it('returns at the first highlight, within one poll', async () => {
    const page = scripted(2_350, null);
    expect(await waitForOutcome(page.probes, page.timing)).toBe('highlight');
    expect(page.elapsed()).toBeGreaterThanOrEqual(2_350);
    expect(page.elapsed()).toBeLessThan(2_350 + 100);
  });

  it('returns the notice of a page with nothing to highlight, without waiting for the timeout', async () => {
    const page = scripted(null, 4_200);
    expect(await waitForOutcome(page.probes, page.timing)).toBe('notice');
    expect(page.elapsed()).toBeLessThan(4_200 + 1_100);
  });

  it('counts a notice that came with highlights as a highlight', async () => {
    // The last answer brings the line and the page's highlights together: they are painted
    // between the look at the page and the question to the background.
    let painted = false;
    const probes: OutcomeProbes = {
      hasHighlights: async () => painted,
      summary: async () => {
        painted = true;
        return { known: true, notice: { code: 'budget' } };
      },
    };
    let t = 0;
    expect(await waitForOutcome(probes, { timeoutMs: 10_000, now: () => t, sleep: async (ms) => void (t += ms) })).toBe('highlight');
  });

  it('times out on a page where neither comes, asking the background about once a second', async () => {
    const page = scripted(null, null);
    expect(await waitForOutcome(page.probes, page.timing)).toBe('timeout');
    expect(page.elapsed()).toBeGreaterThanOrEqual(10_000);
    expect(page.summaries()).toBeGreaterThanOrEqual(9);
    expect(page.summaries()).toBeLessThanOrEqual(11);
  });
});
