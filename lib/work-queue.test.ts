import { describe, expect, it } from 'vitest';
import { CancelledError, createWorkQueue, isCancelled, type Owner } from './work-queue';

/** A job the test finishes by hand, recording when it started. */
function manualJob(log: string[], name: string) {
  let finish!: (v: string) => void;
  let fail!: (e: unknown) => void;
  const run = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve, reject) => {
      finish = () => resolve(name);
      fail = reject;
    });
  };
  return { run, finish: () => finish(name), fail: (e: unknown) => fail(e) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('work queue', () => {
  it('runs one job at a time, in arrival order when equally urgent', async () => {
    const log: string[] = [];
    const queue = createWorkQueue();
    const a = manualJob(log, 'a');
    const b = manualJob(log, 'b');
    const c = manualJob(log, 'c');
    const results = [queue.submit(1, a.run), queue.submit(2, b.run), queue.submit(3, c.run)];
    await tick();
    expect(log).toEqual(['start a']);
    expect(queue.waiting).toBe(2);
    a.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    await tick();
    c.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('picks the most urgent waiting job, asking for urgency when it picks', async () => {
    const log: string[] = [];
    let front: Owner = 2;
    const queue = createWorkQueue((owner) => (owner === front ? 2 : owner === undefined ? 1 : 0));
    const first = manualJob(log, 'first');
    const background = manualJob(log, 'tab1');
    const interests = manualJob(log, 'interests');
    const visible = manualJob(log, 'tab3');
    void queue.submit(1, first.run);
    void queue.submit(1, background.run);
    void queue.submit(undefined, interests.run);
    void queue.submit(3, visible.run);
    await tick();
    // The learner switches to tab 3 while tab 1's first job runs.
    front = 3;
    first.finish();
    await tick();
    visible.finish();
    await tick();
    interests.finish();
    await tick();
    background.finish();
    await tick();
    expect(log).toEqual(['start first', 'start tab3', 'start interests', 'start tab1']);
  });

  it('cancels the waiting jobs of a closed tab, not its running one nor anyone else’s', async () => {
    const log: string[] = [];
    const queue = createWorkQueue();
    const running = manualJob(log, 'running');
    const gone1 = manualJob(log, 'gone1');
    const other = manualJob(log, 'other');
    const gone2 = manualJob(log, 'gone2');
    const outcomes = [queue.submit(7, running.run), queue.submit(7, gone1.run), queue.submit(8, other.run), queue.submit(7, gone2.run)].map((p) =>
      p.then(
        (v) => `ok ${v}`,
        (e: unknown) => (isCancelled(e) ? 'cancelled' : `failed ${String(e)}`),
      ),
    );
    await tick();
    expect(queue.cancel(7)).toBe(2);
    expect(queue.cancel(99)).toBe(0);
    running.finish();
    await tick();
    other.finish();
    expect(await Promise.all(outcomes)).toEqual(['ok running', 'cancelled', 'ok other', 'cancelled']);
    expect(log).toEqual(['start running', 'start other']);
  });

  it('drops only the waiting jobs of a tab that carry another tag, when the tab moves on to another page', async () => {
    const log: string[] = [];
    const queue = createWorkQueue();
    const running = manualJob(log, 'running');
    const outcomes = [
      queue.submit(7, running.run, 'old'),
      queue.submit(7, manualJob(log, 'old page').run, 'old'),
      queue.submit(7, async () => 'new page', 'new'),
      queue.submit(8, async () => 'other tab', 'old'),
    ].map((p) => p.then((v) => `ok ${v}`, (e: unknown) => (isCancelled(e) ? 'cancelled' : 'failed')));
    await tick();
    expect(queue.cancel(7, 'the tab moved on', 'new')).toBe(1);
    running.finish();
    expect(await Promise.all(outcomes)).toEqual(['ok running', 'cancelled', 'ok new page', 'ok other tab']);
  });

  it('keeps going after a job fails or throws before returning a promise', async () => {
    const queue = createWorkQueue();
    const failing = queue.submit(1, () => Promise.reject(new Error('model crashed')));
    const throwing = queue.submit(1, () => {
      throw new Error('bad input');
    });
    const fine = queue.submit(1, async () => 'fine');
    await expect(failing).rejects.toThrow('model crashed');
    await expect(throwing).rejects.toThrow('bad input');
    expect(await fine).toBe('fine');
  });

  it('tells a cancellation apart from a failure', () => {
    expect(isCancelled(new CancelledError('Cancelled: the page was closed'))).toBe(true);
    expect(isCancelled(new Error('model crashed'))).toBe(false);
    expect(isCancelled('CancelledError')).toBe(false);
  });
});
