/**
 * Reading time per paragraph: how long each paragraph was on screen while the tab was
 * visible and focused.
 *
 * Wall time is shared among the paragraphs visible together (two paragraphs on screen for
 * ten seconds get five each), so that the sum over paragraphs is the time actually spent
 * reading and today's load is not counted twice.
 */

export interface DwellSample {
  paragraphId: string;
  visibleMs: number;
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
        if (entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= (entry.rootBounds?.height ?? Infinity) / 3)) visible.add(id);
        else visible.delete(id);
      }
    },
    { threshold: [0, 0.25, 0.5, 0.75, 1] },
  );
  const onVisibility = () => tick();
  env.doc.addEventListener('visibilitychange', onVisibility);
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
      for (const [paragraphId, ms] of accumulated) if (ms >= 1) out.push({ paragraphId, visibleMs: Math.round(ms) });
      accumulated.clear();
      return out;
    },
    stop() {
      clearInterval(timer);
      observer.disconnect();
      env.doc.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
