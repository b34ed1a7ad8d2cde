/**
 * Where the time to a page's first highlights goes, written to the page's performance
 * timeline as User Timing entries named `attention-reader:…`, where `npm run
 * bench:first-highlight` reads them (bench/lib/first-highlight-stages.ts):
 *
 *   marks     start      the content script began
 *             watch      its extraction of the page began (the in-page controls are up)
 *             extracted  the first paragraphs were found
 *   measures  N:round-trip             message N (1, 2, …) sent to the background -> its reply
 *             N:read, N:embed, N:head,  the background's stages for message N (its reply's
 *             N:select, N:store,          `timings`), as durations starting when N was sent
 *             N:background
 *             N:embed-queue,           the parts of N:embed, when the encoder was asked: the wait
 *             N:embed-load,              for the encoder queue's turn, for the model to be ready,
 *             N:embed-compute            and the inference (same convention)
 *             N:paint                  the reply's highlights painted
 *
 * Only a document's first MAX_TIMED_MESSAGES messages are recorded, so a page that keeps
 * growing never fills its timeline; each entry costs microseconds. Recording never throws:
 * a timeline that refuses an entry only loses that entry.
 */
import type { PageTimingsOut } from '../lib/protocol';

export const TIMING_PREFIX = 'attention-reader:';
export const MAX_TIMED_MESSAGES = 20;

/** The part of `Performance` used here. */
export interface Timeline {
  now(): number;
  mark(name: string): unknown;
  measure(name: string, options: { start: number; end?: number; duration?: number }): unknown;
}

/** One message's timing, from its sending to its paint. */
export interface MessageTiming {
  /** The reply arrived; `timings` are the background's stages, when it sent them. */
  replied(timings: PageTimingsOut | undefined): void;
  /** Call around painting the reply's highlights. */
  painting(): void;
  painted(): void;
}

export interface PageTimings {
  mark(name: 'start' | 'watch'): void;
  /** Paragraphs were found; only the first call marks. */
  extracted(): void;
  /** A message to the background is being sent; null past the first MAX_TIMED_MESSAGES. */
  message(): MessageTiming | null;
}

const BACKGROUND_STAGES = [
  ['read', 'readMs'],
  ['embed', 'embedMs'],
  ['head', 'headMs'],
  ['select', 'selectMs'],
  ['store', 'storeMs'],
  ['background', 'totalMs'],
  ['embed-queue', 'embedQueueMs'],
  ['embed-load', 'embedLoadMs'],
  ['embed-compute', 'embedComputeMs'],
] as const satisfies ReadonlyArray<readonly [string, keyof PageTimingsOut]>;

export const NO_PAGE_TIMINGS: PageTimings = { mark: () => {}, extracted: () => {}, message: () => null };

export function createPageTimings(timeline: Timeline | undefined): PageTimings {
  if (!timeline) return NO_PAGE_TIMINGS;
  const quietly = (record: () => unknown) => {
    try {
      record();
    } catch {
      // A timeline that refuses an entry loses that entry, nothing else.
    }
  };
  let messages = 0;
  let extracted = false;
  return {
    mark: (name) => quietly(() => timeline.mark(TIMING_PREFIX + name)),
    extracted() {
      if (extracted) return;
      extracted = true;
      quietly(() => timeline.mark(`${TIMING_PREFIX}extracted`));
    },
    message() {
      if (messages >= MAX_TIMED_MESSAGES) return null;
      const n = ++messages;
      const name = (stage: string) => `${TIMING_PREFIX}${n}:${stage}`;
      const sentAt = timeline.now();
      let paintFrom = sentAt;
      return {
        replied(timings) {
          quietly(() => timeline.measure(name('round-trip'), { start: sentAt, end: timeline.now() }));
          if (!timings) return;
          for (const [stage, field] of BACKGROUND_STAGES) {
            const duration = timings[field];
            // The embed stage's parts come only from a background that asked the encoder.
            if (duration !== undefined) quietly(() => timeline.measure(name(stage), { start: sentAt, duration }));
          }
        },
        painting() {
          paintFrom = timeline.now();
        },
        painted() {
          quietly(() => timeline.measure(name('paint'), { start: paintFrom, end: timeline.now() }));
        },
      };
    },
  };
}
