/**
 * Reading time per paragraph: how long each paragraph was on screen while the tab was
 * visible and focused.
 *
 * Wall time is shared among the paragraphs visible together (two paragraphs on screen for
 * ten seconds get five each), so that the sum over paragraphs is the time actually spent
 * reading and today's load is not counted twice.
 *
 * Shared time says how long a screen was read, not whether any one paragraph on it was
 * skipped: nine short paragraphs left in view for fifteen seconds get under two seconds each,
 * though every one of them could have been read. Evidence of skipping is a PASS: the
 * paragraph came into view and left it again because the learner scrolled, and the wall
 * time it spent on screen meanwhile (not shared) is reported with the sample. A paragraph
 * still on screen, or one that left the screen without a scroll (content above it grew, the
 * page was resized), was not passed over.
 */

export interface DwellSample {
  paragraphId: string;
  visibleMs: number;
  /**
   * Present when the paragraph was scrolled out of view since the last take and is not on
   * screen now: the wall time of its longest stay on screen before a scroll took it away.
   */
  passedMs?: number;
}

export interface DwellTracker {
  observe(paragraphId: string, element: Element): void;
  /** Time accumulated since the last take, per paragraph, and resets it. */
  take(): DwellSample[];
  stop(): void;
}

export interface DwellEnv {
  doc: Document;
  now(): number;
  IntersectionObserver: typeof IntersectionObserver;
  /** Tick interval for sharing time among visible paragraphs. */
  tickMs?: number;
}

export function createDwellTracker(env: DwellEnv): DwellTracker {
  const visible = new Set<string>();
  const idOf = new WeakMap<Element, string>();
  const accumulated = new Map<string, number>();
  /** When each visible paragraph came into view, and the scroll count then. */
  const entered = new Map<string, { at: number; scrolls: number }>();
  /** Longest pass per paragraph since the last take. */
  const passes = new Map<string, number>();
  let scrolls = 0;
  let last = env.now();

  const attending = () => env.doc.visibilityState === 'visible' && env.doc.hasFocus();

  function tick() {
    const t = env.now();
    const elapsed = t - last;
    last = t;
    if (!attending() || visible.size === 0 || elapsed <= 0) return;
    // A long gap means the machine slept or the tab was frozen: do not count it as reading.
    const share = Math.min(elapsed, 60_000) / visible.size;
    for (const id of visible) accumulated.set(id, (accumulated.get(id) ?? 0) + share);
  }

  const observer = new env.IntersectionObserver(
    (entries) => {
      tick();
      for (const entry of entries) {
        const id = idOf.get(entry.target);
        if (!id) continue;
        // Half of a paragraph on screen, or a paragraph taller than the screen filling a third of it.
        if (entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= (entry.rootBounds?.height ?? Infinity) / 3)) {
          if (!visible.has(id)) entered.set(id, { at: env.now(), scrolls });
          visible.add(id);
        } else if (visible.delete(id)) {
          const since = entered.get(id);
          entered.delete(id);
          // Scrolled away (a scroll happened while it was in view), not moved by the page.
          if (since && scrolls > since.scrolls && attending()) passes.set(id, Math.max(passes.get(id) ?? 0, env.now() - since.at));
        }
      }
    },
    { threshold: [0, 0.25, 0.5, 0.75, 1] },
  );
  const onVisibility = () => tick();
  // Capturing catches the scrolling of inner containers too (scroll events do not bubble).
  const onScroll = () => void scrolls++;
  env.doc.addEventListener('visibilitychange', onVisibility);
  env.doc.addEventListener('scroll', onScroll, { capture: true, passive: true });
  const timer = setInterval(tick, env.tickMs ?? 1000);

  return {
    observe(paragraphId, element) {
      if (idOf.has(element)) return;
      idOf.set(element, paragraphId);
      observer.observe(element);
    },
    take() {
      tick();
      const out: DwellSample[] = [];
      for (const [paragraphId, ms] of accumulated) {
        if (ms < 1) continue;
        const passed = passes.get(paragraphId);
        // Back on screen since: whatever the pass meant, it is being read now.
        out.push(passed === undefined || visible.has(paragraphId) ? { paragraphId, visibleMs: Math.round(ms) } : { paragraphId, visibleMs: Math.round(ms), passedMs: Math.round(passed) });
      }
      accumulated.clear();
      passes.clear();
      return out;
    },
    stop() {
      clearInterval(timer);
      observer.disconnect();
      env.doc.removeEventListener('visibilitychange', onVisibility);
      env.doc.removeEventListener('scroll', onScroll, { capture: true });
    },
  };
}
