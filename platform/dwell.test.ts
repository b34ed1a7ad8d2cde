import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { createDwellTracker } from './dwell';

/** An IntersectionObserver the test drives: `set(el, visible)` reports an element entering or leaving. */
function fakeObserver() {
  let callback: IntersectionObserverCallback = () => {};
  const Observer = class {
    constructor(cb: IntersectionObserverCallback) {
      callback = cb;
    }
    observe() {}
    disconnect() {}
  } as unknown as typeof IntersectionObserver;
  const set = (target: Element, visible: boolean) =>
    callback(
      [{ target, isIntersecting: visible, intersectionRatio: visible ? 1 : 0, intersectionRect: { height: visible ? 100 : 0 }, rootBounds: { height: 800 } } as unknown as IntersectionObserverEntry],
      {} as IntersectionObserver,
    );
  return { Observer, set };
}

function setup() {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.hasFocus = () => true;
  let t = 0;
  const io = fakeObserver();
  const tracker = createDwellTracker({ doc, now: () => t, IntersectionObserver: io.Observer, tickMs: 1e9 });
  const paragraphs = Array.from({ length: 9 }, (_, i) => {
    const p = doc.createElement('p');
    doc.body.appendChild(p);
    tracker.observe(`p${i}`, p);
    return p;
  });
  const scroll = () => doc.dispatchEvent(new window.Event('scroll') as unknown as Event);
  return { tracker, paragraphs, io, scroll, advance: (ms: number) => (t += ms) };
}

describe('dwell tracker', () => {
  it('shares time among the paragraphs on screen and reports no pass for a screen left in view', () => {
    const { tracker, paragraphs, io, advance } = setup();
    for (const p of paragraphs) io.set(p, true);
    advance(15_000);
    const samples = tracker.take();
    expect(samples).toHaveLength(9);
    for (const s of samples) {
      expect(s.visibleMs).toBe(Math.round(15_000 / 9));
      expect(s.passedMs).toBeUndefined();
    }
    tracker.stop();
  });

  it('reports a pass with its wall time on screen when a scroll takes a paragraph away', () => {
    const { tracker, paragraphs, io, scroll, advance } = setup();
    io.set(paragraphs[0]!, true);
    io.set(paragraphs[1]!, true);
    advance(1_200);
    scroll();
    io.set(paragraphs[0]!, false);
    advance(3_000);
    const byId = new Map(tracker.take().map((s) => [s.paragraphId, s]));
    expect(byId.get('p0')).toEqual({ paragraphId: 'p0', visibleMs: 600, passedMs: 1_200 });
    // Still on screen: being read, not passed.
    expect(byId.get('p1')!.passedMs).toBeUndefined();
    tracker.stop();
  });

  it('does not call a paragraph passed when it left the screen without a scroll (the page moved it)', () => {
    const { tracker, paragraphs, io, advance } = setup();
    io.set(paragraphs[0]!, true);
    advance(1_200);
    io.set(paragraphs[0]!, false);
    expect(tracker.take()[0]!.passedMs).toBeUndefined();
    tracker.stop();
  });

  it('forgets a pass once the paragraph is back on screen', () => {
    const { tracker, paragraphs, io, scroll, advance } = setup();
    io.set(paragraphs[0]!, true);
    advance(1_000);
    scroll();
    io.set(paragraphs[0]!, false);
    scroll();
    io.set(paragraphs[0]!, true);
    advance(5_000);
    expect(tracker.take()[0]!.passedMs).toBeUndefined();
    tracker.stop();
  });
});
