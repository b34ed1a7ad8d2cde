/**
 * The readable text of a web page, as blocks: paragraphs, list items, quotes and prose in
 * table cells, with the headings above them as context, and without the page's furniture
 * (navigation, headers and footers, comments, related lists, share bars, cookie banners, ads,
 * hidden and off-screen text, editable regions).
 *
 * DOM types come in as parameters and layout through an injected probe, so the same code
 * runs in the content script against the live page and in Node tests against happy-dom.
 * Large pages are read in time-boxed steps (`createExtractor`), visible blocks first.
 */
import { contentHash } from './text';
import { resolveLanguage } from './language';
import { markupLayoutProbe, type LayoutProbe } from './extraction-probe';
import { Quality, judgeRun, type RunVerdict } from './extraction-judge';
import type { BlockKind, Run } from './extraction-runs';
import { selectContent, type ScoringTuning, type Selection } from './extraction-scoring';
import { Walker, type WalkOptions } from './extraction-walk';

export type { LayoutProbe } from './extraction-probe';
export { liveLayoutProbe, markupLayoutProbe } from './extraction-probe';
export type { BlockKind } from './extraction-runs';
export type { ScoringTuning } from './extraction-scoring';
export { DEFAULT_TUNING } from './extraction-scoring';
export { UI_HOST_ATTRIBUTE } from './extraction-walk';

export interface Block {
  /**
   * `contentHash` of `text`: the same paragraph has the same id on every visit (and two
   * copies of one text on a page share it).
   */
  id: string;
  /** Whitespace-normalised text. */
  text: string;
  /** BCP 47 tag: the closest `lang` attribute when it fits the text, else guessed from the script; 'und' if neither says. */
  lang: string;
  kind: BlockKind;
  /** Text of the nearest heading above the block (for a heading: of the next higher level). */
  heading?: string;
  /** The element that owns the text (a `<p>`, `<li>`..., or the `<div>` around bare text). */
  element: Element;
  /** The text nodes the text was read from, in order; build DOM Ranges from these. */
  textNodes?: readonly Text[];
  /** Sorts the blocks of one extraction into document order (not consecutive). */
  order?: number;
}

export interface ExtractOptions extends WalkOptions {
  /** Language for text that neither a `lang` attribute nor its script identifies (default 'und'). */
  readonly defaultLang?: string;
  /** Return heading blocks (default true). They are context; the article's title never is a block. */
  readonly includeHeadings?: boolean;
  /**
   * Let `createExtractor` hand out the blocks in the viewport first (default true; needs the
   * probe's `compareToViewport` or `isInViewport`). `extractBlocks` returns document order and
   * does not ask.
   */
  readonly visibleFirst?: boolean;
  /** Overrides of the scoring constants (benchmarks cross-validate them; the defaults ship). */
  readonly tuning?: Partial<ScoringTuning>;
}

/** Reads a page in slices. */
export interface Extractor {
  /**
   * Works for about `budgetMs` by `now` (default `Date.now`; pass `performance.now` for
   * sub-millisecond budgets) and returns the blocks finished in this slice. Blocks only come
   * once the whole page has been read (the article is chosen against the rest of the page),
   * the visible ones first; a step after `done` returns nothing.
   */
  step(budgetMs: number, now?: () => number): Block[];
  readonly done: boolean;
}

/** Runs judged, or blocks finished, per look at the clock. */
const CLOCK_EVERY = 32;

/** How many blocks below the first visible one are checked for being in the viewport too. */
const VIEWPORT_SCAN_MAX = 200;

/**
 * An extractor for `root` (a document, or an element to read only inside of). Without a
 * probe only the markup tells what is hidden; the content script passes
 * `liveLayoutProbe(window)`.
 */
export function createExtractor(root: Document | Element, probe: LayoutProbe = markupLayoutProbe, options: ExtractOptions = {}): Extractor {
  const walker = new Walker(root, probe, options);
  const includeHeadings = options.includeHeadings ?? true;
  const defaultLang = options.defaultLang ?? 'und';
  const verdicts: RunVerdict[] = [];
  // Phases, each resumable or short: walk (with judging), select, context, emit.
  let selection: Selection | null = null;
  let queue: Run[] | null = null;
  let headings: (string | undefined)[] = [];
  let cursor = 0;
  let done = false;

  /** Judges the runs the walk has found so far; false if the deadline came first. */
  function judge(deadline: number, now: () => number): boolean {
    const runs = walker.runs;
    while (verdicts.length < runs.length) {
      verdicts.push(judgeRun(runs[verdicts.length]!));
      if (verdicts.length % CLOCK_EVERY === 0 && now() >= deadline) return verdicts.length === runs.length;
    }
    return true;
  }

  function order(kept: Run[]): Run[] {
    if (!(options.visibleFirst ?? true)) return kept;
    const range = visibleRange(kept, probe);
    if (!range) return kept;
    // What the reader sees now comes first; the rest follows in document order.
    const [from, to] = range;
    return kept.slice(from, to).concat(kept.slice(0, from), kept.slice(to));
  }

  function toBlock(run: Run): Block {
    let lang: string | undefined;
    const block: Block = {
      id: contentHash(run.text),
      text: run.text,
      // Guessed when first asked for: telling a language from its words is the dearest part of
      // a block (a 50,000-paragraph page spent seconds of the tab's time on it), and most
      // blocks of a huge page are never sent, or only much later.
      get lang() {
        return (lang ??= resolveLanguage(run.lang, run.text, defaultLang));
      },
      kind: run.kind,
      element: run.frame.el,
      textNodes: run.nodes,
      order: run.index,
    };
    const heading = headings[run.index];
    if (heading !== undefined) block.heading = heading;
    return block;
  }

  return {
    get done() {
      return done;
    },
    step(budgetMs: number, now: () => number = Date.now): Block[] {
      const out: Block[] = [];
      if (done) return out;
      const deadline = now() + budgetMs;
      while (!walker.done || verdicts.length < walker.runs.length) {
        // Runs are judged as they are found, so that choosing the article later is only a
        // few passes over arrays.
        if (!judge(deadline, now)) return out;
        if (walker.done) break;
        walker.step(deadline, now);
        if (!walker.done) return out;
      }
      if (!selection) {
        selection = selectContent(walker.runs, walker.frames, verdicts, options.tuning);
        if (now() >= deadline) return out;
      }
      if (!queue) {
        headings = headingContext(walker.runs, selection);
        const kept = includeHeadings ? selection.kept : selection.kept.filter((r) => r.kind !== 'heading');
        queue = order(kept);
        if (now() >= deadline) return out;
      }
      while (cursor < queue.length) {
        // Repeated text (the same question asked of every interviewee) is repeated here too:
        // each copy is its own block, with the same id.
        out.push(toBlock(queue[cursor++]!));
        if (cursor % CLOCK_EVERY === 0 && now() >= deadline) return out;
      }
      done = true;
      return out;
    },
  };
}

/**
 * The stretch `[from, to)` of `kept` (in document order) that is in the viewport, if any.
 * With `compareToViewport`, a binary search finds the first block not above the viewport
 * (blocks in document order run down the page), so a huge page costs a few layout reads
 * instead of one per block.
 */
function visibleRange(kept: readonly Run[], probe: LayoutProbe): [number, number] | null {
  const compare = probe.compareToViewport?.bind(probe);
  if (compare) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(kept[mid]!.frame.el) < 0) lo = mid + 1;
      else hi = mid;
    }
    let to = lo;
    while (to < kept.length && to - lo < VIEWPORT_SCAN_MAX && compare(kept[to]!.frame.el) === 0) to++;
    return to > lo ? [lo, to] : null;
  }
  const inViewport = probe.isInViewport?.bind(probe);
  if (!inViewport) return null;
  let from = -1;
  let to = -1;
  for (let i = 0; i < kept.length; i++) {
    if (!inViewport(kept[i]!.frame.el)) {
      if (from >= 0) break;
      continue;
    }
    if (from < 0) from = i;
    to = i + 1;
  }
  return from >= 0 ? [from, to] : null;
}

/** All blocks of the page's main content, in document order, in one go. */
export function extractBlocks(root: Document | Element, probe?: LayoutProbe, options?: ExtractOptions): Block[] {
  const extractor = createExtractor(root, probe, { ...options, visibleFirst: false });
  const blocks: Block[] = [];
  while (!extractor.done) blocks.push(...extractor.step(Number.POSITIVE_INFINITY));
  return blocks.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
}

/**
 * The nearest heading above each kept run (by run index), over the whole page so that the
 * article's title (never a block itself) is the context of its first paragraphs. Headings in
 * furniture and linked headings (teasers) are not context.
 */
function headingContext(runs: readonly Run[], selection: Selection): (string | undefined)[] {
  const keep = new Uint8Array(runs.length);
  for (const r of selection.kept) keep[r.index] = 1;
  const open: (string | undefined)[] = [];
  const out = new Array<string | undefined>(runs.length);
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const heading = run.kind === 'heading';
    const level = heading ? run.headingLevel : 7;
    if (keep[i]) out[i] = nearest(open, level);
    if (heading && !selection.furniture[i] && selection.verdicts[i]!.quality !== Quality.Links) {
      open[level] = run.text;
      open.length = level + 1;
    }
  }
  return out;
}

function nearest(open: readonly (string | undefined)[], below: number): string | undefined {
  for (let l = Math.min(below - 1, open.length - 1); l >= 1; l--) {
    const h = open[l];
    if (h !== undefined) return h;
  }
  return undefined;
}
