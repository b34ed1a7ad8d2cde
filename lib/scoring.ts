/**
 * Judging a page's paragraphs for one learner and choosing what to highlight.
 *
 * Each paragraph gets three numbers: information gain (bits of pointwise mutual information
 * with what the learner finds relevant, from the relevance head or the lexical fallback), fit
 * (how well its difficulty sits in the learner's readable zone) and load (expected minutes of
 * focused reading). Value = gain x fit, or fit alone while the learner has told us nothing
 * about their interests. `choose` then keeps to the learner's languages and readable zone, caps
 * the page's share of highlights, and spends the day's budget online (lib/online-knapsack.ts),
 * with the exact knapsack inside the page; every passage left out gets its reason.
 */
import { estimateDifficulty, type DifficultyEstimate } from './difficulty';
import { informationGain } from './gain';
import type { Learner, LearnerContext } from './learner';
import { difficultyFactor, loadInput, paragraphLoadMinutes } from './load';
import { pageAllowance, type DensityBounds } from './online-knapsack';
import { leftOutLine, pageNotice, type LeftOutReason, type PageNotice } from './page-notice';
import { selectHighlights, type SelectionResult } from './selection';

export interface Relevance {
  /** Calibrated P(relevant | paragraph). */
  pRelevant: number;
  /** The learner's base rate P(relevant). */
  baseRate: number;
  /** The interest or example the paragraph is closest to, for the explanation. */
  nearest?: string;
}

export interface Judgement {
  id: string;
  gainBits: number;
  fit: number;
  loadMinutes: number;
  value: number;
  /** How much slower than easy text this paragraph reads for this learner (>= 1). */
  difficultyFactor: number;
  coverage: number;
  level: string;
  /** The passage's language (BCP 47), as the page reader resolved it. */
  lang: string;
  relevance: Relevance | null;
}

export function judgeParagraph(
  paragraph: { id: string; text: string; lang?: string },
  learner: Learner,
  relevance: Relevance | null,
  ctx: LearnerContext = {},
): Judgement {
  return judgeWithDifficulty(paragraph, estimateDifficulty(paragraph.text, learner, ctx), learner, relevance);
}

/**
 * `judgeParagraph` with the paragraph's difficulty for this learner already estimated (from a
 * prepared text: lib/difficulty.ts `difficultyOfPrepared`).
 */
export function judgeWithDifficulty(
  paragraph: { id: string; lang?: string },
  difficulty: DifficultyEstimate,
  learner: Learner,
  relevance: Relevance | null,
): Judgement {
  const gainBits = relevance ? informationGain(relevance.pRelevant, relevance.baseRate) : 0;
  const fit = difficulty.fit;
  return {
    id: paragraph.id,
    gainBits,
    fit,
    loadMinutes: paragraphLoadMinutes(difficulty, learner.wordsPerMinute),
    value: relevance ? Math.max(0, gainBits) * fit : fit,
    difficultyFactor: difficultyFactor(loadInput(difficulty), learner.wordsPerMinute),
    coverage: difficulty.lexical.coverage,
    level: difficulty.level,
    lang: paragraph.lang ?? learner.targetLang,
    relevance,
  };
}

/**
 * Fit below which a passage is outside the learner's readable zone, whatever its relevance:
 * fit(0.90 coverage) is about 0.21, so a passage with more than about one word in ten likely
 * unknown is never highlighted (comprehension collapses below 90-95% coverage; Hu & Nation
 * 2000). Value is gain x fit, and a tiny fit must not pass as "some value".
 */
export const ZONE_FIT_FLOOR = 0.2;

/**
 * Gain a passage needs to count as near the learner's interests: half a bit, i.e. about 1.4
 * times as likely relevant to them as an average passage. A passage barely above the base rate
 * is about as likely off-topic as any other, and highlighting it spends attention on a coin
 * toss. Not higher: at cold start, before any feedback, the relevance head's gains for plainly
 * relevant passages are often under one bit (a fresh profile's first page about rivers, for
 * "rivers and floods", scores 0.4-0.9 bits).
 */
export const MIN_GAIN_BITS = 0.5;

export interface DayContext {
  /** The day's whole budget, minutes. */
  readonly budgetMinutes: number;
  /** Minutes of it already spoken for today, not counting this page's own highlights. */
  readonly committedMinutes: number;
  /** Value-density bounds from the learner's history (lib/online-knapsack.ts). */
  readonly bounds: DensityBounds;
  /** Most of the page's paragraphs to highlight, as a share (the density setting). */
  readonly maxShare: number;
  /** Whether the learner studies the language of a passage. */
  readonly studies: (lang: string) => boolean;
  /** The learner asked for harder passages on this page too. */
  readonly harder?: boolean;
  /** Ids highlighted already: kept when still chosen, so highlights do not flicker. */
  readonly keep?: readonly string[];
}

export interface LeftOut {
  readonly id: string;
  readonly reason: LeftOutReason;
  /** The reason in words. */
  readonly line: string;
}

export interface PageChoice {
  chosen: Array<Judgement & { tier: 1 | 2 | 3 }>;
  leftOut: LeftOut[];
  selection: SelectionResult;
  /** The bar of value per minute this page's passages had to clear (today's price of a minute). */
  bar: number;
  /** The page's line: why nothing, or fewer, were highlighted; null when there is nothing to say. */
  notice: PageNotice | null;
  /** Value per minute of every candidate (studied language, in the zone, on topic), for the history of bounds. */
  candidates: Array<{ id: string; density: number }>;
}

/** Value per minute (a passage with no load is as dense as can be). */
export function density(value: number, loadMinutes: number): number {
  return loadMinutes > 0 ? value / loadMinutes : value > 0 ? Infinity : 0;
}

/**
 * Chooses a page's highlights, in four steps, each a reason a passage can be left out:
 * 1. language: text in a language the learner does not study is not a candidate;
 * 2. zone: a passage with fit below ZONE_FIT_FLOOR is not a candidate, unless the learner asked
 *    for harder passages on this page (then it competes with its fit counted as the floor);
 *    passages not near the learner's interests (gain under MIN_GAIN_BITS) are not either;
 * 3. density: only the `maxShare` most valuable candidates of the page can be chosen;
 * 4. the day's budget: the online bar (lib/online-knapsack.ts) says how many minutes this page
 *    may spend and which passages are worth today's minutes at all; the exact knapsack
 *    (lib/selection.ts) picks the most valuable set within that.
 * Passages in `keep` (shown already) that are still candidates come first in steps 3 and 4 and
 * stay chosen: the page never takes back a highlight while the learner reads.
 */
export function choose(judgements: readonly Judgement[], day: DayContext): PageChoice {
  const leftOut: LeftOut[] = [];
  const leave = (j: Judgement, reason: LeftOutReason, detail: Parameters<typeof leftOutLine>[1] = {}) =>
    leftOut.push({ id: j.id, reason, line: leftOutLine(reason, detail) });

  const languages = new Map<string, number>();
  let aboveLevel = 0;
  const candidates: Array<{ j: Judgement; value: number }> = [];
  for (const j of judgements) {
    if (!day.studies(j.lang)) {
      languages.set(j.lang, (languages.get(j.lang) ?? 0) + 1);
      leave(j, 'other-language', { lang: j.lang });
      continue;
    }
    const onTopic = j.relevance ? j.gainBits >= MIN_GAIN_BITS : true;
    if (!onTopic) {
      leave(j, 'off-topic');
      continue;
    }
    if (j.fit < ZONE_FIT_FLOOR && !day.harder) {
      aboveLevel++;
      leave(j, 'above-level', { fit: j.fit });
      continue;
    }
    const fit = Math.max(j.fit, day.harder ? ZONE_FIT_FLOOR : 0);
    const value = j.relevance ? j.gainBits * fit : fit;
    if (value > 0) candidates.push({ j, value });
    else leave(j, 'off-topic');
  }

  // Density: the most valuable passages, those already shown first (no flicker).
  const keep = new Set(day.keep ?? []);
  const cap = Math.max(1, Math.floor(day.maxShare * judgements.length));
  const ranked = [...candidates].sort((a, b) => Number(keep.has(b.j.id)) - Number(keep.has(a.j.id)) || b.value - a.value);
  const capped = ranked.slice(0, cap);
  for (const c of ranked.slice(cap)) leave(c.j, 'density');

  // Passages already shown that are still candidates stay: the learner may be reading one (a
  // page judged in turns, its first screen first, must not take back what it painted). Their
  // minutes are spent first; the rest of the page competes for what the day allows after them.
  const held = capped.filter((c) => keep.has(c.j.id));
  const open = capped.filter((c) => !keep.has(c.j.id));
  const heldMinutes = held.reduce((sum, c) => sum + Math.max(0, c.j.loadMinutes), 0);
  // The day's bar: how many minutes this page may spend, and what is worth a minute today.
  const startBar = pageAllowance([], day.committedMinutes, day.budgetMinutes, day.bounds).bar;
  const items = open.map((c) => ({ value: c.value, load: c.j.loadMinutes }));
  const allowance = pageAllowance(items, day.committedMinutes + heldMinutes, day.budgetMinutes, day.bounds);
  const worth = open.filter((c) => density(c.value, c.j.loadMinutes) >= allowance.bar);
  for (const c of open) {
    if (density(c.value, c.j.loadMinutes) < allowance.bar) leave(c.j, 'below-bar', { density: density(c.value, c.j.loadMinutes), bar: allowance.bar });
  }
  const selection = selectHighlights(
    [...held, ...worth].map((c) => ({ id: c.j.id, value: c.value, load: c.j.loadMinutes })),
    heldMinutes + allowance.minutes,
    { keep: held.map((c) => c.j.id) },
  );
  const chosenIds = new Set(selection.chosen);
  for (const c of worth) if (!chosenIds.has(c.j.id)) leave(c.j, 'budget');

  const valueOf = new Map(candidates.map((c) => [c.j.id, c.value]));
  const picked = [...held, ...worth].filter((c) => chosenIds.has(c.j.id)).sort((a, b) => b.value - a.value);
  const chosen = picked.map((c) => ({ ...c.j, value: valueOf.get(c.j.id)!, tier: tierOf(density(c.value, c.j.loadMinutes), day.bounds) }));

  const heldByBudget = leftOut.filter((l) => l.reason === 'below-bar' || l.reason === 'budget').length;
  const otherLanguage = [...languages.values()].reduce((s, n) => s + n, 0);
  const commonest = [...languages].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const notice = pageNotice({
    paragraphs: judgements.length,
    chosen: chosen.length,
    otherLanguage,
    otherLanguageTag: commonest,
    aboveLevel,
    heldByBudget,
    budgetSpent: day.committedMinutes + selection.totalLoad >= day.budgetMinutes - 1e-9,
    ranksByRelevance: judgements.some((j) => j.relevance !== null),
    harder: day.harder ?? false,
  });
  const densities = candidates.map((c) => ({ id: c.j.id, density: density(c.value, c.j.loadMinutes) }));
  return { chosen, leftOut, selection, bar: startBar, notice, candidates: densities };
}

/**
 * Tiers say how good a passage is against what this learner is usually offered, not only
 * against the rest of the page: the strongest tier is for passages as dense in value as the
 * best tenth of recent days, the middle one for those above the median. A page of mediocre
 * passages shows them all in the faint tier.
 */
export function tierOf(valuePerMinute: number, bounds: DensityBounds): 1 | 2 | 3 {
  return valuePerMinute >= bounds.hi ? 1 : valuePerMinute >= bounds.mid ? 2 : 3;
}

/** Information gain in words: "2.0× more likely relevant to you than an average passage (+1.00 bits)". */
export function gainPhrase(gainBits: number): string {
  const ratio = Math.pow(2, gainBits);
  const times = ratio >= 1 ? `${ratio.toFixed(1)}× more` : `${(1 / ratio).toFixed(1)}× less`;
  return `${times} likely relevant to you than an average passage (${gainBits >= 0 ? '+' : ''}${gainBits.toFixed(2)} bits)`;
}

/** The learner-facing reason for a highlight, in one line; `bar` is the day's bar it cleared. */
export function reasonLine(j: Judgement, bar?: number): string {
  const parts: string[] = [];
  if (j.relevance) {
    parts.push(`${gainPhrase(j.gainBits)}${j.relevance.nearest ? `, closest to “${j.relevance.nearest}”` : ''}`);
  } else {
    parts.push('chosen for its level (tell us your interests to rank by relevance)');
  }
  parts.push(`${Math.round(j.coverage * 100)}% of its words likely known (level ${j.level}, fit ${j.fit.toFixed(2)})`);
  if (bar !== undefined && j.relevance) parts.push(`worth ${density(j.value, j.loadMinutes).toFixed(2)} bits a minute, above today’s bar of ${bar.toFixed(2)}`);
  parts.push(`about ${j.loadMinutes < 1 ? `${Math.max(1, Math.round(j.loadMinutes * 60))} s` : `${j.loadMinutes.toFixed(1)} min`} of reading`);
  return parts.join(' · ');
}
