/**
 * Cognitive load in the one unit a learner can plan with: minutes of focused reading.
 *
 * A paragraph's load is how long this learner is expected to take over it; a review costs the
 * minutes it took. Each day has a budget of such minutes, and the day turns over at local
 * midnight or at an hour the learner chooses. The budget adapts, slowly and visibly: at most
 * one bounded step per day, every step logged with its reasons.
 */
import type { DifficultyEstimate } from './difficulty';
import { extendHistory } from './online-knapsack';

// ---------------------------------------------------------------------------------------------
// Load of a paragraph.
// ---------------------------------------------------------------------------------------------

/**
 * Extra time per distinct unknown word: stopping, guessing from context or looking it up.
 * Inferring a word from context takes a few seconds and a dictionary lookup several more;
 * 4 s is a middle figure (at 120 words per minute, as long as reading eight words).
 */
export const SECONDS_PER_UNKNOWN_WORD = 4;
/** Slowdown per unit of syntactic load above plain prose (lib/difficulty.ts: load 1 = 15-word sentences). */
export const SLOWDOWN_PER_SYNTACTIC_LOAD = 0.25;

export interface LoadInput {
  /** Running words of the paragraph. */
  readonly words: number;
  /** Expected distinct unknown words (DifficultyEstimate.lexical.distinctUnknown). */
  readonly distinctUnknown: number;
  /** DifficultyEstimate.syntax.load. */
  readonly syntacticLoad: number;
}

/** The load inputs of a difficulty estimate. */
export function loadInput(d: DifficultyEstimate): LoadInput {
  return { words: d.syntax.words, distinctUnknown: d.lexical.distinctUnknown, syntacticLoad: d.syntax.load };
}

/**
 * Expected minutes of focused reading: words at the learner's easy-text speed, slowed by
 * syntactic load above plain prose, plus a fixed cost per distinct unknown word.
 */
export function readingMinutes(input: LoadInput, wordsPerMinute: number): number {
  if (!(wordsPerMinute > 0) || !(input.words > 0)) return 0;
  const base = input.words / wordsPerMinute;
  const syntax = 1 + SLOWDOWN_PER_SYNTACTIC_LOAD * Math.max(0, input.syntacticLoad - 1);
  return base * syntax + (Math.max(0, input.distinctUnknown) * SECONDS_PER_UNKNOWN_WORD) / 60;
}

/** The load of a paragraph for a learner reading easy text at `wordsPerMinute`. */
export function paragraphLoadMinutes(d: DifficultyEstimate, wordsPerMinute: number): number {
  return readingMinutes(loadInput(d), wordsPerMinute);
}

/**
 * How many times longer than easy text this paragraph takes (>= 1): what the learner model
 * divides out of an observed reading time to update the easy-text speed.
 */
export function difficultyFactor(input: LoadInput, wordsPerMinute: number): number {
  if (!(wordsPerMinute > 0) || !(input.words > 0)) return 1;
  return readingMinutes(input, wordsPerMinute) / (input.words / wordsPerMinute);
}

// ---------------------------------------------------------------------------------------------
// The day.
// ---------------------------------------------------------------------------------------------

/**
 * The learner's day as YYYY-MM-DD. `tzOffsetMinutes` is the local offset from UTC in force at
 * `nowMs`, east positive (CET +60, New York in summer -240; in a browser,
 * `-new Date(nowMs).getTimezoneOffset()`); passing the offset in force at that instant keeps
 * the key right across daylight-saving changes. The day starts at `rolloverHour` local time
 * (0 = midnight; 4 lets a late-night session count for the day before).
 */
export function dayKey(nowMs: number, tzOffsetMinutes: number, rolloverHour = 0): string {
  const hour = Math.min(23, Math.max(0, Math.floor(Number.isFinite(rolloverHour) ? rolloverHour : 0)));
  const shifted = nowMs + tzOffsetMinutes * 60_000 - hour * 3_600_000;
  return new Date(shifted).toISOString().slice(0, 10);
}

export interface DailyLoad {
  readonly day: string;
  readonly budgetMinutes: number;
  /** readMinutes + reviewMinutes. */
  readonly consumedMinutes: number;
  readonly readMinutes: number;
  readonly reviewMinutes: number;
  /** Paragraph ids highlighted today (each once). */
  readonly highlighted: readonly string[];
  /** Paragraph ids read today (each once). */
  readonly read: readonly string[];
  /** "Too hard" feedback given today. */
  readonly tooHard: number;
  /** Observed / expected reading speed of today's readings, in order (learner.ts `speedRatio`). */
  readonly speedRatios: readonly number[];
  /**
   * Minutes of reading offered by today's highlights (each passage once). Optional: records
   * written before it existed read as 0.
   */
  readonly highlightedMinutes?: number;
  /**
   * Value per minute of the passages the learner was offered lately (newest last, carried from
   * day to day): where the day's spending bar gets its bounds (lib/online-knapsack.ts).
   * Optional: records written before it existed have no history, and the defaults apply.
   */
  readonly densities?: readonly number[];
}

export function newDailyLoad(day: string, budgetMinutes: number): DailyLoad {
  return { day, budgetMinutes, consumedMinutes: 0, readMinutes: 0, reviewMinutes: 0, highlighted: [], read: [], tooHard: 0, speedRatios: [] };
}

/**
 * Today's record: `current` if it is still today, else a fresh one with the current budget.
 * The finished day, if any, is what `adaptBudget` learns from.
 */
export function rollDay(
  current: DailyLoad | undefined,
  budgetMinutes: number,
  nowMs: number,
  tzOffsetMinutes: number,
  rolloverHour = 0,
): { today: DailyLoad; finished?: DailyLoad } {
  const day = dayKey(nowMs, tzOffsetMinutes, rolloverHour);
  if (current && current.day === day) return { today: current };
  // The history of value densities is the learner's, not the day's: it carries over.
  const fresh = newDailyLoad(day, budgetMinutes);
  const today = current?.densities?.length ? { ...fresh, densities: current.densities } : fresh;
  return { today, ...(current ? { finished: current } : {}) };
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

/**
 * A paragraph was read for `minutes` (the focused dwell measured, or its estimated load when
 * none was measured). Reading the same paragraph again adds minutes but not a second "read".
 */
export function recordRead(d: DailyLoad, paragraphId: string, minutes: number, speedRatio?: number): DailyLoad {
  const m = nonNegative(minutes);
  return {
    ...d,
    readMinutes: d.readMinutes + m,
    consumedMinutes: d.consumedMinutes + m,
    read: d.read.includes(paragraphId) ? d.read : [...d.read, paragraphId],
    speedRatios: speedRatio !== undefined && Number.isFinite(speedRatio) && speedRatio > 0 ? [...d.speedRatios, speedRatio] : d.speedRatios,
  };
}

/** Reviews cost load too: the minutes the review session took. */
export function recordReview(d: DailyLoad, minutes: number): DailyLoad {
  const m = nonNegative(minutes);
  return { ...d, reviewMinutes: d.reviewMinutes + m, consumedMinutes: d.consumedMinutes + m };
}

export function recordHighlighted(d: DailyLoad, paragraphIds: readonly string[]): DailyLoad {
  const fresh = paragraphIds.filter((id, i) => !d.highlighted.includes(id) && paragraphIds.indexOf(id) === i);
  return fresh.length ? { ...d, highlighted: [...d.highlighted, ...fresh] } : d;
}

/**
 * Passages highlighted with their loads: each new one adds its minutes to what today's
 * highlights offer (a passage shown again on a revisit costs nothing more).
 */
export function recordOffered(d: DailyLoad, highlights: ReadonlyArray<{ id: string; loadMinutes: number }>): DailyLoad {
  const seen = new Set(d.highlighted);
  let minutes = d.highlightedMinutes ?? 0;
  for (const h of highlights) {
    if (seen.has(h.id)) continue;
    seen.add(h.id);
    minutes += nonNegative(h.loadMinutes);
  }
  const marked = recordHighlighted(d, highlights.map((h) => h.id));
  return minutes === (d.highlightedMinutes ?? 0) ? marked : { ...marked, highlightedMinutes: minutes };
}

/** Value densities of the passages a page offered, added to the learner's history. */
export function recordDensities(d: DailyLoad, densities: readonly number[]): DailyLoad {
  if (densities.length === 0) return d;
  return { ...d, densities: extendHistory(d.densities, densities) };
}

/**
 * Minutes of today's budget spoken for: what was read, or what today's highlights offer if
 * that is more (pages opened in many tabs before reading any commit the budget too).
 */
export function committedMinutes(d: DailyLoad): number {
  return Math.max(d.consumedMinutes, d.highlightedMinutes ?? 0);
}

export function recordTooHard(d: DailyLoad): DailyLoad {
  return { ...d, tooHard: d.tooHard + 1 };
}

/** Minutes left today (never negative). */
export function remainingMinutes(d: DailyLoad): number {
  return Math.max(0, d.budgetMinutes - d.consumedMinutes);
}

/** Highlights shown today and not read. */
export function skippedHighlights(d: DailyLoad): number {
  const read = new Set(d.read);
  return d.highlighted.filter((id) => !read.has(id)).length;
}

// ---------------------------------------------------------------------------------------------
// Budget adaptation.
// ---------------------------------------------------------------------------------------------

export interface BudgetChange {
  readonly day: string;
  readonly fromMinutes: number;
  readonly toMinutes: number;
  readonly reasons: readonly string[];
}

export interface BudgetState {
  readonly budgetMinutes: number;
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** The last finished day adapted from: each day counts once. */
  readonly lastAdaptedDay?: string;
  /** Newest last, at most BUDGET_LOG_LENGTH entries. */
  readonly log: readonly BudgetChange[];
}

export const DEFAULT_BUDGET_MINUTES = 20;
/** Steps are small and asymmetric: backing off from overload is more urgent than asking for more. */
export const DECREASE_STEP = 0.1;
export const INCREASE_STEP = 0.05;
const BUDGET_LOG_LENGTH = 90;
/** Thresholds for the day's signals. */
const TOO_HARD_LIMIT = 2;
const SKIP_MIN_HIGHLIGHTS = 4;
const SKIP_SHARE_LIMIT = 0.6;
const SLOWDOWN_MIN_READINGS = 6;
const SLOWDOWN_RATIO_LIMIT = 0.8;
const USED_SHARE_FOR_INCREASE = 0.9;

export function createBudget(budgetMinutes = DEFAULT_BUDGET_MINUTES, minMinutes = 5, maxMinutes = 120): BudgetState {
  const lo = Math.max(0, minMinutes);
  const hi = Math.max(lo, maxMinutes);
  return { budgetMinutes: Math.min(hi, Math.max(lo, budgetMinutes)), minMinutes: lo, maxMinutes: hi, log: [] };
}

/** The learner sets the budget by hand: logged like any other change. */
export function setBudget(state: BudgetState, minutes: number, day: string): BudgetState {
  const to = Math.min(state.maxMinutes, Math.max(state.minMinutes, nonNegative(minutes)));
  if (to === state.budgetMinutes) return state;
  const change: BudgetChange = { day, fromMinutes: state.budgetMinutes, toMinutes: to, reasons: ['set by the learner'] };
  return { ...state, budgetMinutes: to, log: [...state.log, change].slice(-BUDGET_LOG_LENGTH) };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Why yesterday says the budget is too large; empty when it does not. */
export function strainReasons(d: DailyLoad): string[] {
  const reasons: string[] = [];
  if (d.tooHard >= TOO_HARD_LIMIT) reasons.push(`${d.tooHard} paragraphs marked too hard`);
  const skipped = skippedHighlights(d);
  if (d.highlighted.length >= SKIP_MIN_HIGHLIGHTS && skipped / d.highlighted.length > SKIP_SHARE_LIMIT) {
    reasons.push(`${skipped} of ${d.highlighted.length} highlights skipped`);
  }
  if (d.speedRatios.length >= SLOWDOWN_MIN_READINGS) {
    const third = Math.floor(d.speedRatios.length / 3);
    const early = mean(d.speedRatios.slice(0, third));
    const late = mean(d.speedRatios.slice(-third));
    if (early > 0 && late / early < SLOWDOWN_RATIO_LIMIT) {
      reasons.push(`reading slowed by ${Math.round((1 - late / early) * 100)}% through the day`);
    }
  }
  return reasons;
}

/**
 * Learns from a finished day, once per day. Signs of strain (too-hard feedback, most
 * highlights skipped, reading slowing through the day) lower the budget by DECREASE_STEP;
 * a day that used most of its budget without strain raises it by INCREASE_STEP; otherwise it
 * stays. The budget stays within [minMinutes, maxMinutes]; every change is logged.
 */
export function adaptBudget(state: BudgetState, finished: DailyLoad): BudgetState {
  if (state.lastAdaptedDay !== undefined && finished.day <= state.lastAdaptedDay) return state;
  const strain = strainReasons(finished);
  let factor = 1;
  let reasons = strain;
  if (strain.length > 0) factor = 1 - DECREASE_STEP;
  else if (finished.budgetMinutes > 0 && finished.consumedMinutes >= USED_SHARE_FOR_INCREASE * finished.budgetMinutes) {
    factor = 1 + INCREASE_STEP;
    reasons = [`used ${Math.round((finished.consumedMinutes / finished.budgetMinutes) * 100)}% of the budget without strain`];
  }
  const next: BudgetState = { ...state, lastAdaptedDay: finished.day };
  if (factor === 1) return next;
  // Tenths of a minute, rounded toward the old budget so that a step never exceeds its bound.
  const scaled = state.budgetMinutes * factor * 10;
  const rounded = (factor < 1 ? Math.ceil(scaled - 1e-9) : Math.floor(scaled + 1e-9)) / 10;
  const to = Math.min(state.maxMinutes, Math.max(state.minMinutes, rounded));
  if (to === state.budgetMinutes) return next;
  const change: BudgetChange = { day: finished.day, fromMinutes: state.budgetMinutes, toMinutes: to, reasons };
  return { ...next, budgetMinutes: to, log: [...state.log, change].slice(-BUDGET_LOG_LENGTH) };
}
