/**
 * Which runs of page text are the article. Two questions, answered in turn:
 *
 * 1. Where is the article? Every run votes for all of its ancestors: prose (long, few links)
 *    votes for, link lists and furniture vote against. The element with the highest total is
 *    the article's container: high enough to hold all of its paragraphs, low enough to leave
 *    out the navigation, sidebars and comments around it.
 * 2. Which runs inside it are text? Prose and the short pieces that belong to it (sub-headings,
 *    list items, one-line paragraphs) stay; link lists, furniture-named parts (share bars,
 *    related stories, captions) and boilerplate phrases go.
 */
import { NameMark } from './extraction-dom';
import { Quality, judgeRun, type RunVerdict } from './extraction-judge';
import type { Frame, Run } from './extraction-runs';

/**
 * A furniture mark is a page wrapper, not furniture, when it holds this share of all prose;
 * less for the weak marks, whose words name article wrappers about as often as furniture.
 */
const WRAPPER_SHARE = 0.75;
const WEAK_WRAPPER_SHARE = 0.4;

/**
 * The constants of choosing the article that were tuned on benchmark pages, by k-fold
 * cross-validation over three sets made by different people (bench/extract.ts --cv).
 */
export interface ScoringTuning {
  /**
   * A strong furniture mark is a page wrapper, not furniture, when it holds this share of the
   * prose outside comment sections.
   */
  readonly wrapperShare: number;
  /** The same for a name with a content word beside the furniture word ("entry-meta", "post social"). */
  readonly mixedWrapperShare: number;
  /** Prose in a card (prose and a link list in one element) is a teaser when this many cards are siblings. */
  readonly minCards: number;
  /**
   * A sibling of the chosen container is taken in as more of a body split over several
   * containers when it scores at least this share of the container's score (0: never).
   */
  readonly siblingShare: number;
  /** What a short piece (not prose, not links) adds to its containers, per character, against prose's 1. */
  readonly shortVote: number;
  /**
   * A group of teaser cards inside the chosen container is left out when it holds less than
   * this share of the container's prose (0: never).
   */
  readonly teaserShare: number;
  /**
   * When the chosen container scores below this (a page with a sentence or two of prose at
   * most), the container is chosen again with the short items of lists and tables counting
   * like prose: the article may be a table (standings) or a list of short items (0: never).
   */
  readonly weakProse: number;
  /**
   * Whether the sibling test starts from the highest ancestor of the container with the same
   * score (1) or from the container itself (0).
   */
  readonly siblingClimb: number;
  /** A furniture-marked element holding this many prose runs is a wrapper whatever its share (0: never). */
  readonly wrapperParagraphs: number;
}

export const DEFAULT_TUNING: ScoringTuning = { wrapperShare: 0.75, mixedWrapperShare: 0.4, minCards: 3, siblingShare: 0.25, shortVote: 0, teaserShare: 0, weakProse: 400, siblingClimb: 1, wrapperParagraphs: 8 };

export interface Selection {
  /** The runs that make up the article, in document order. */
  readonly kept: Run[];
  /** The element judged to hold the article, if any. */
  readonly container: Element | null;
  /** For every run: whether it sits under effective furniture (used for heading context). */
  readonly furniture: boolean[];
  /** For every run, its verdict. */
  readonly verdicts: RunVerdict[];
  /** For every frame (by id): its score as a container. */
  readonly scores: Float64Array;
}

/**
 * Picks the article's runs out of all runs of the page. `frames` lists every frame after its
 * parent (as the walker makes them), so sums over subtrees are one backward pass. The runs'
 * verdicts may be passed in when they were made along the way (they are the costly part).
 */
export function selectContent(
  runs: readonly Run[],
  frames: readonly Frame[],
  verdicts: RunVerdict[] = runs.map(judgeRun),
  overrides: Partial<ScoringTuning> = {},
): Selection {
  const tuning: ScoringTuning = { ...DEFAULT_TUNING, ...overrides };
  const n = frames.length;
  // How much prose each element holds, and how many prose runs, regardless of names.
  const prose = new Float64Array(n);
  const proseRuns = new Uint32Array(n);
  for (let i = 0; i < runs.length; i++) {
    const v = verdicts[i]!;
    if (v.quality !== Quality.Prose) continue;
    const id = runs[i]!.frame.id;
    prose[id] = prose[id]! + v.weight;
    proseRuns[id] = proseRuns[id]! + 1;
  }
  // Prose in comment sections is the readers', not the article's: a furniture-named wrapper
  // around the article is recognised by its share of the prose outside them.
  const commentFrame = new Uint8Array(n);
  for (const f of frames) if (f.mark === NameMark.Comments) commentFrame[f.id] = 1;
  const underComments = inheritDown(frames, commentFrame);
  const ownProse = new Float64Array(n);
  for (let i = 0; i < runs.length; i++) {
    const id = runs[i]!.frame.id;
    if (verdicts[i]!.quality === Quality.Prose && !underComments[id]) ownProse[id] = ownProse[id]! + verdicts[i]!.weight;
  }
  sumUp(frames, prose);
  sumUp(frames, proseRuns);
  sumUp(frames, ownProse);
  const totalProse = n > 0 ? prose[0]! : 0;
  const totalOwnProse = n > 0 ? ownProse[0]! : 0;

  // A furniture mark counts unless the element is a wrapper around much of the page's prose.
  const strongFurniture = new Uint8Array(n);
  const weakFurniture = new Uint8Array(n);
  for (const f of frames) {
    if (f.parent === null) continue;
    if (f.mark === NameMark.Comments && prose[f.id]! < WRAPPER_SHARE * totalProse) strongFurniture[f.id] = 1;
    // Share bars and related lists hold a few paragraphs at most; one around a whole article
    // body is its wrapper, however much prose sits elsewhere (a long sidebar, a footer).
    if (tuning.wrapperParagraphs > 0 && proseRuns[f.id]! >= tuning.wrapperParagraphs && f.mark !== NameMark.Comments) continue;
    if (f.mark === NameMark.Furniture && ownProse[f.id]! < tuning.wrapperShare * totalOwnProse) strongFurniture[f.id] = 1;
    if (f.mark === NameMark.MixedFurniture && ownProse[f.id]! < tuning.mixedWrapperShare * totalOwnProse) strongFurniture[f.id] = 1;
    if (f.mark === NameMark.WeakFurniture && ownProse[f.id]! < WEAK_WRAPPER_SHARE * totalOwnProse) weakFurniture[f.id] = 1;
  }
  const linkRuns = new Uint32Array(n);
  for (let i = 0; i < runs.length; i++) {
    if (verdicts[i]!.quality === Quality.Links) {
      const id = runs[i]!.frame.id;
      linkRuns[id] = linkRuns[id]! + 1;
    }
  }
  sumUp(frames, linkRuns);
  // Cards: elements holding prose and a link list (a title, "read more"). Counted per parent,
  // since teasers come in runs of cards of one shape.
  const cards = new Uint32Array(n);
  for (const f of frames) {
    if (f.parent && proseRuns[f.id]! > 0 && linkRuns[f.id]! > 0) cards[f.parent.id] = cards[f.parent.id]! + 1;
  }
  // Teasers of other stories are prose too, but each sits in its own card with a link (the
  // story's title, "read more") before it meets the next one, where the paragraphs of an
  // article meet each other with nothing between. A card alone among its siblings is the
  // article under its linked title; several side by side are a list of teasers. Their votes
  // do not count towards a container unless nothing else on the page is prose (an index page
  // of excerpts).
  const teaser = (frame: Frame): boolean => {
    let item = frame;
    for (let f: Frame | null = frame; f; f = f.parent) {
      if (proseRuns[f.id]! >= 2) return f !== frame && linkRuns[item.id]! > 0 && cards[f.id]! >= tuning.minCards;
      item = f;
    }
    return false;
  };

  // If the names mislead (all prose sits under furniture-named wrappers, so nothing scores
  // above zero), trust the strong marks alone, then the text alone; if the page is all
  // teasers, let them count.
  const attempts: [marks: Uint8Array[], teasersCount: boolean][] = [
    [[strongFurniture, weakFurniture], false],
    [[strongFurniture], false],
    [[], false],
    [[], true],
  ];
  const choose = (itemVote: number): Choice => {
    const scores = new Float64Array(n);
    let furnitureFrame = new Uint8Array(n);
    let underFurniture = new Uint8Array(n);
    for (const [marks, teasersCount] of attempts) {
      furnitureFrame = new Uint8Array(n);
      for (const m of marks) for (let i = 0; i < n; i++) furnitureFrame[i] = furnitureFrame[i]! | m[i]!;
      underFurniture = inheritDown(frames, furnitureFrame);
      const isTeaser = teasersCount ? () => false : teaser;
      const container = bestContainer(runs, verdicts, underFurniture, frames, isTeaser, scores, tuning.shortVote, itemVote);
      if (container) return { container, scores, furnitureFrame, underFurniture, teasersCounted: teasersCount };
    }
    return { container: null, scores, furnitureFrame, underFurniture, teasersCounted: false };
  };
  let choice = choose(0);
  // Little prose anywhere (none, or a sentence or two): a table or a list of short items may
  // be what the page is for, so the container is chosen again with their items counting too,
  // and taken when the items weigh enough (else the page is left as it was read).
  if (tuning.weakProse > 0 && (!choice.container || choice.scores[choice.container.id]! < tuning.weakProse)) {
    const byItems = choose(1);
    if (byItems.container && byItems.scores[byItems.container.id]! >= tuning.weakProse) choice = byItems;
  }
  const { container, scores, furnitureFrame, underFurniture, teasersCounted } = choice;
  const furniture = runs.map((r) => underFurniture[r.frame.id] === 1);
  const kept: Run[] = [];
  if (!container) return { kept, container: null, furniture, verdicts, scores };

  // Inside the container, furniture counts only where it is marked below the container.
  const inside = new Uint8Array(n);
  const furnitureInside = new Uint8Array(n);
  inside[container.id] = 1;
  // A body split over sibling containers (a lead and the rest, pages of one story): siblings
  // that score well on their own are the same article's text.
  // The container is the deepest of equal scores, so the part it stands for may be an
  // ancestor that adds nothing to it (a wrapper around one part): its siblings are compared.
  let part = container;
  if (tuning.siblingClimb > 0) while (part.parent && scores[part.parent.id] === scores[container.id]) part = part.parent;
  const parent = part.parent;
  if (parent && tuning.siblingShare > 0) {
    const bar = tuning.siblingShare * scores[container.id]!;
    for (const f of frames) {
      if (f.parent === parent && f !== part && scores[f.id]! > 0 && scores[f.id]! >= bar && !underFurniture[f.id]) inside[f.id] = 1;
    }
  }
  // A group of teaser cards inside the container ("You may also like", "Breaking news") is
  // left out like furniture, unless the group is most of the container: then the cards are
  // the article (a list of items, each under its linked name).
  const teaserBar = teasersCounted ? 0 : tuning.teaserShare * prose[container.id]!;
  for (const f of frames) {
    const p = f.parent;
    if (!p || !inside[p.id]) continue;
    inside[f.id] = 1;
    const card = proseRuns[f.id]! > 0 && linkRuns[f.id]! > 0 && cards[p.id]! >= Math.max(2, tuning.minCards) && prose[p.id]! < teaserBar;
    furnitureInside[f.id] = furnitureFrame[f.id]! | furnitureInside[p.id]! | (card ? 1 : 0);
  }
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const q = verdicts[i]!.quality;
    if (q === Quality.Links || q === Quality.Boilerplate) continue;
    const id = run.frame.id;
    if (!inside[id] || furnitureInside[id]) continue;
    kept.push(run);
  }
  return { kept: trimHeadings(kept), container: container.el, furniture, verdicts, scores };
}

/** Where the article was found, and under which furniture marks. */
interface Choice {
  readonly container: Frame | null;
  readonly scores: Float64Array;
  readonly furnitureFrame: Uint8Array;
  readonly underFurniture: Uint8Array;
  readonly teasersCounted: boolean;
}

/** Adds every frame's value into its parent's, children first. */
function sumUp(frames: readonly Frame[], values: Float64Array | Uint32Array): void {
  for (let i = frames.length - 1; i > 0; i--) {
    const p = frames[i]!.parent;
    if (p) values[p.id] = values[p.id]! + values[i]!;
  }
}

/** 1 for every frame that is flagged or has a flagged ancestor. */
function inheritDown(frames: readonly Frame[], flags: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(flags.length);
  for (const f of frames) out[f.id] = flags[f.id]! | (f.parent ? out[f.parent.id]! : 0);
  return out;
}

/** What a run adds to the score of every element above it. */
function vote(v: RunVerdict, furniture: boolean, teaser: boolean, shortVote: number): number {
  switch (v.quality) {
    case Quality.Prose:
      if (furniture) return -v.weight;
      return teaser ? 0 : v.weight * (1 - v.linkDensity);
    case Quality.Short:
      // Short pieces count a little for where they are: a table or list of short items (a
      // league table, a list of facts) is text mass, even with no sentence among it.
      return furniture ? -0.5 * v.weight : teaser ? 0 : shortVote * v.weight * (1 - v.linkDensity);
    case Quality.Links:
      return -v.weight * v.linkDensity;
    case Quality.Boilerplate:
      return -v.weight;
  }
}

function bestContainer(
  runs: readonly Run[],
  verdicts: readonly RunVerdict[],
  underFurniture: Uint8Array,
  frames: readonly Frame[],
  teaser: (f: Frame) => boolean,
  scores: Float64Array,
  shortVote: number,
  itemVote: number,
): Frame | null {
  scores.fill(0);
  for (let i = 0; i < runs.length; i++) {
    const frame = runs[i]!.frame;
    const id = frame.id;
    const v = verdicts[i]!;
    // Short items of lists and tables (cells, list items) may weigh more than other short pieces.
    const short = v.quality === Quality.Short && itemVote > 0 && (frame.kind === 'list-item' || frame.kind === 'table-cell') ? itemVote : shortVote;
    scores[id] = scores[id]! + vote(v, underFurniture[id] === 1, (v.quality === Quality.Prose || (v.quality === Quality.Short && short > 0)) && teaser(frame), short);
  }
  sumUp(frames, scores);
  let best: Frame | null = null;
  let bestScore = 0;
  for (const f of frames) {
    const score = scores[f.id]!;
    // The deeper of two equal scores: the same text with less around it.
    if (score > bestScore || (best && score === bestScore && f.depth > best.depth)) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Headings stay when text follows them: a heading before any text of the article (its title)
 * or one followed only by another heading of the same or a higher level (an empty section, a
 * "Related" header whose list was dropped) is context, not content.
 */
function trimHeadings(kept: readonly Run[]): Run[] {
  const out: Run[] = [];
  let seenText = false;
  for (let i = 0; i < kept.length; i++) {
    const run = kept[i]!;
    if (run.kind !== 'heading') {
      out.push(run);
      seenText = true;
      continue;
    }
    const next = kept[i + 1];
    if (!seenText || !next) continue;
    if (next.kind === 'heading' && next.headingLevel <= run.headingLevel) continue;
    out.push(run);
  }
  return out;
}
