/**
 * One queue for expensive work shared by many pages (the encoder): jobs run one at a time,
 * the most urgent first, and a page that goes away takes its waiting jobs with it.
 *
 * Why not just call the encoder from each page's handler: ten tabs restored at once would each
 * start a batch, the encoder would work through them in arrival order, and the page the learner
 * is looking at would wait behind pages nobody is reading, some of them already closed.
 *
 * Urgency is asked of `priority(owner)` when a job is picked, not when it is queued, so a tab
 * the learner switches to moves ahead of work queued before the switch. Equal urgency runs in
 * arrival order. A job already running is not interrupted (an encoder call cannot be); only
 * waiting jobs are cancelled: all of an owner's (a tab closed), or those of an owner with
 * another tag (the tab moved on to another page, and its work for the old one is moot).
 */

/** Who a job is for (a tab id); undefined for work nobody can cancel (the learner's interests). */
export type Owner = number | undefined;

export class CancelledError extends Error {
  override name = 'CancelledError';
}

export function isCancelled(e: unknown): boolean {
  return e instanceof CancelledError || (e instanceof Error && e.name === 'CancelledError');
}

export interface WorkQueue {
  /** Queues `run` (tagged, e.g. with the page it is for); resolves or rejects with its outcome, or rejects with CancelledError. */
  submit<T>(owner: Owner, run: () => Promise<T>, tag?: string): Promise<T>;
  /**
   * Drops the waiting jobs of `owner` (their promises reject with CancelledError), all of them
   * or, given `keepTag`, those with another tag; how many.
   */
  cancel(owner: number, reason?: string, keepTag?: string): number;
  /** Jobs waiting (not counting the one running). */
  readonly waiting: number;
}

interface Waiting {
  owner: Owner;
  tag: string | undefined;
  seq: number;
  start(): void;
  reject(e: unknown): void;
}

export function createWorkQueue(priority: (owner: Owner) => number = () => 0): WorkQueue {
  const waiting: Waiting[] = [];
  let running = false;
  let seq = 0;

  function next(): void {
    if (running || waiting.length === 0) return;
    let best = 0;
    for (let i = 1; i < waiting.length; i++) {
      const a = waiting[i]!;
      const b = waiting[best]!;
      const pa = priority(a.owner);
      const pb = priority(b.owner);
      if (pa > pb || (pa === pb && a.seq < b.seq)) best = i;
    }
    const [job] = waiting.splice(best, 1);
    running = true;
    job!.start();
  }

  return {
    submit<T>(owner: Owner, run: () => Promise<T>, tag?: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          owner,
          tag,
          seq: seq++,
          reject,
          start: () => {
            // A job that throws synchronously or rejects frees the queue all the same.
            Promise.resolve()
              .then(run)
              .then(resolve, reject)
              .finally(() => {
                running = false;
                next();
              });
          },
        });
        next();
      });
    },
    cancel(owner, reason = 'the page was closed', keepTag) {
      let dropped = 0;
      for (let i = waiting.length - 1; i >= 0; i--) {
        const job = waiting[i]!;
        if (job.owner !== owner || (keepTag !== undefined && job.tag === keepTag)) continue;
        waiting.splice(i, 1);
        job.reject(new CancelledError(`Cancelled: ${reason}`));
        dropped++;
      }
      return dropped;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
