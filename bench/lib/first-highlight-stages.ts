/**
 * Where a visit's time to first highlight went, from the entries the content script writes to
 * the page's performance timeline (platform/page-timings.ts) and the in-page probe's
 * DOMContentLoaded and first-highlight times. The stages follow one another, so they add up
 * to the measured time:
 *
 *   inject   DOMContentLoaded -> the content script starts (the browser injects it at idle)
 *   ui       -> extraction starts (the in-page controls mount beside it, not before it)
 *   extract  -> the first paragraphs are found
 *   wait     -> the message whose reply painted the first highlight is sent (earlier messages
 *               whose replies painted nothing, or a reply still in flight, are waited for here)
 *   message  that message's round trip less the background's own time: messaging both ways,
 *            validation, waking the service worker
 *   read     the background's read of the page's and learner's records
 *   embed-queue    the wait for the encoder queue's turn behind other tabs' work
 *   embed-load     the encoder's wait for its model (a load still under way at a cold start)
 *   embed-compute  the inference: tokenising and running the model
 *   embed-other    the rest of the background's embed stage: cache look-ups and writes, the
 *            messages to and from the encoder's document (and creating it, if it was not up)
 *   head, select, store   the background's other stages
 *   paint    the reply's highlights painted
 *   detect   -> the probe saw them (it looks every few ms)
 */
export const STAGES = [
  'inject',
  'ui',
  'extract',
  'wait',
  'message',
  'read',
  'embed-queue',
  'embed-load',
  'embed-compute',
  'embed-other',
  'head',
  'select',
  'store',
  'paint',
  'detect',
] as const;
export type Stage = (typeof STAGES)[number];

export interface TimelineEntry {
  name: string;
  startTime: number;
  duration: number;
}

export interface VisitStages {
  /** Ms per stage. */
  ms: Record<Stage, number>;
  /** The background's whole embed stage (its four parts above together). */
  embedMs: number;
  /** Which message's reply painted the first highlight (1 = the first sent). */
  message: number;
  /** Messages sent by then. */
  messagesBefore: number;
}

const PREFIX = 'attention-reader:';
/** Clock rounding between the probe and the timeline entries. */
const SLACK_MS = 0.5;

/**
 * The stages of one visit; `dcl` and `first` on the page's performance clock (ms since its
 * time origin). Null when the entries needed are missing (a content script without them).
 */
export function visitStages(entries: readonly TimelineEntry[], dcl: number, first: number): VisitStages | null {
  const own = new Map<string, TimelineEntry>();
  for (const e of entries) if (e.name.startsWith(PREFIX) && !own.has(e.name.slice(PREFIX.length))) own.set(e.name.slice(PREFIX.length), e);
  const at = (name: string) => own.get(name)?.startTime;
  const [start, watch, extracted] = [at('start'), at('watch'), at('extracted')];
  if (start === undefined || watch === undefined || extracted === undefined) return null;
  // The painting message: the last one painted before the probe saw a highlight.
  let n = 0;
  let sent = 0;
  for (let k = 1; own.has(`${k}:round-trip`); k++) {
    const paint = own.get(`${k}:paint`);
    if (own.get(`${k}:round-trip`)!.startTime <= first + SLACK_MS) sent = k;
    if (paint && paint.startTime + paint.duration <= first + SLACK_MS) n = k;
  }
  if (n === 0) return null;
  const trip = own.get(`${n}:round-trip`)!;
  const paint = own.get(`${n}:paint`)!;
  const stage = (name: string) => own.get(`${n}:${name}`)?.duration ?? 0;
  const replied = trip.startTime + trip.duration;
  const embed = stage('embed');
  const background = { read: stage('read'), embed, head: stage('head'), select: stage('select'), store: stage('store') };
  // The embed stage's parts; a reply without them (the cache held every vector, or an older
  // background) counts whole as embed-other.
  const [queue, load, compute] = [stage('embed-queue'), stage('embed-load'), stage('embed-compute')];
  const ms: Record<Stage, number> = {
    inject: start - dcl,
    ui: watch - start,
    extract: extracted - watch,
    wait: trip.startTime - extracted,
    // What of the round trip the background's stages do not cover (a reply without them, from
    // an older background, counts whole here).
    message: trip.duration - Object.values(background).reduce((a, b) => a + b, 0),
    read: background.read,
    'embed-queue': queue,
    'embed-load': load,
    'embed-compute': compute,
    'embed-other': embed - queue - load - compute,
    head: background.head,
    select: background.select,
    store: background.store,
    // From the reply to the end of painting (the reply's bookkeeping before it is tiny).
    paint: paint.startTime + paint.duration - replied,
    detect: first - (paint.startTime + paint.duration),
  };
  return { ms, embedMs: embed, message: n, messagesBefore: sent };
}

/** Median of each stage over visits (visits without stages left out). */
export function medianStages(visits: ReadonlyArray<VisitStages | null>, median: (xs: number[]) => number): Record<Stage, number> | null {
  const present = visits.filter((v): v is VisitStages => v !== null);
  if (present.length === 0) return null;
  return Object.fromEntries(STAGES.map((s) => [s, median(present.map((v) => v.ms[s]))])) as Record<Stage, number>;
}
