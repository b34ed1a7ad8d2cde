import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Block, LayoutProbe } from '../lib/extraction';
import { watchPage, type PageWatcher, type WatcherTimers } from './page-watcher';

/** Timers on a manual clock: nothing runs until the test advances time. */
function manualTimers() {
  let now = 0;
  let seq = 0;
  const tasks = new Map<number, { at: number; fn: () => void }>();
  const timers: WatcherTimers = {
    setTimeout(fn, ms) {
      tasks.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout(handle) {
      tasks.delete(handle as number);
    },
    now: () => now,
  };
  function advance(ms: number): void {
    const end = now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of tasks) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      tasks.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    }
    now = end;
  }
  return { timers, advance, pending: () => tasks.size };
}

const para = (n: number) =>
  `Paragraph ${n} of the live page tells of something that happened today, in words long enough to be prose.`;

/** Lets happy-dom deliver mutation records (it queues them like a browser does). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchPage', () => {
  let watcher: PageWatcher | undefined;
  afterEach(() => watcher?.stop());

  function setup(body: string, probe?: LayoutProbe) {
    const window = new Window({ url: 'https://example.com/' });
    const doc = window.document as unknown as Document;
    doc.write(`<html><body>${body}</body></html>`);
    const clock = manualTimers();
    const reports: Block[][] = [];
    watcher = watchPage(doc, { onBlocks: (b) => reports.push(b), timers: clock.timers, debounceMs: 400, maxWaitMs: 2000, probe });
    return { doc, clock, reports, article: doc.querySelector('article')! };
  }

  function addParagraph(doc: Document, parent: Element, n: number): void {
    const p = doc.createElement('p');
    p.textContent = para(n);
    parent.append(p);
  }

  it('reports the blocks of the page once at start', () => {
    const { reports } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    expect(reports.flat().map((b) => b.text)).toEqual([para(1), para(2)]);
  });

  it('re-extracts after the page has been quiet for the debounce time, reporting only new blocks', async () => {
    const { doc, clock, reports, article } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    reports.length = 0;
    addParagraph(doc, article, 3);
    await settle();
    clock.advance(399);
    expect(reports).toEqual([]);
    clock.advance(1);
    expect(reports.flat().map((b) => b.text)).toEqual([para(3)]);
  });

  it('folds a burst of mutations into one extraction', async () => {
    const { doc, clock, reports, article } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    reports.length = 0;
    for (const n of [3, 4, 5]) {
      addParagraph(doc, article, n);
      await settle();
      clock.advance(300);
    }
    expect(reports).toEqual([]);
    clock.advance(400);
    expect(reports.length).toBe(1);
    expect(reports[0]!.map((b) => b.text)).toEqual([para(3), para(4), para(5)]);
  });

  it('does not let a stream of mutations put extraction off for longer than maxWait', async () => {
    const { doc, clock, reports, article } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    reports.length = 0;
    for (let n = 3; n < 12; n++) {
      addParagraph(doc, article, n);
      await settle();
      clock.advance(300);
    }
    expect(reports.length).toBeGreaterThan(0);
  });

  it('never reports a block twice, even when the page changes around it', async () => {
    const { doc, clock, reports, article } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    reports.length = 0;
    article.className = 'story expanded';
    const p = article.firstElementChild!;
    p.remove();
    article.append(p);
    await settle();
    clock.advance(1000);
    expect(reports).toEqual([]);
    addParagraph(doc, article, 3);
    await settle();
    clock.advance(1000);
    expect(reports.flat().map((b) => b.text)).toEqual([para(3)]);
  });

  it('ignores our own UI: neither its insertion nor changes inside it trigger extraction', async () => {
    let probes = 0;
    const probe: LayoutProbe = {
      isHidden: () => {
        probes++;
        return false;
      },
    };
    const { doc, clock, reports } = setup(`<article class="story"><p>${para(1)}</p><p>${para(2)}</p></article>`, probe);
    const before = probes;
    reports.length = 0;
    const host = doc.createElement('div');
    host.setAttribute('data-attention-reader-ui', '');
    doc.body.append(host);
    await settle();
    addParagraph(doc, host, 7);
    host.setAttribute('class', 'open');
    await settle();
    clock.advance(5000);
    expect(probes).toBe(before);
    expect(reports).toEqual([]);
  });

  it('runs a long extraction in slices through the timers', () => {
    const window = new Window({ url: 'https://example.com/' });
    const doc = window.document as unknown as Document;
    doc.write(`<html><body><article>${Array.from({ length: 2000 }, (_, i) => `<p>${para(i)}</p>`).join('')}</article></body></html>`);
    const clock = manualTimers();
    // Every clock reading costs 1 ms of the slice: the watcher must yield many times.
    let t = 0;
    let yields = 0;
    const timers: WatcherTimers = {
      ...clock.timers,
      setTimeout: (fn, ms) => {
        yields++;
        return clock.timers.setTimeout(fn, ms);
      },
      now: () => ++t,
    };
    const reports: Block[][] = [];
    watcher = watchPage(doc, { onBlocks: (b) => reports.push(b), timers, sliceMs: 2 });
    expect(watcher.busy).toBe(true);
    expect(reports).toEqual([]);
    clock.advance(0);
    expect(watcher.busy).toBe(false);
    expect(yields).toBeGreaterThan(5);
    expect(reports.flat().length).toBe(2000);
  });

  it('stops reporting once stopped', async () => {
    const { doc, clock, reports, article } = setup(`<article><p>${para(1)}</p><p>${para(2)}</p></article>`);
    reports.length = 0;
    watcher!.stop();
    addParagraph(doc, article, 3);
    await settle();
    clock.advance(5000);
    expect(reports).toEqual([]);
  });
});
