/**
 * What a reading signal means for the learner's state: the rules that turn dwell time and
 * difficulty feedback into today's load, the learner model and relevance evidence. Pure, so
 * the background only stores what these return.
 */
import type { RelevanceFeedback } from './head';
import { applyParagraphRead, setVocabularySize, type Learner, type LearnerContext } from './learner';
import { recordRead, recordTooHard, type DailyLoad } from './load';

/** A paragraph counts as read when it was attended for at least this share of its expected reading time. */
export const READ_SHARE = 0.5;
/** Attended for this multiple of the expected time or more: a weak sign of interest. */
export const LONG_DWELL_SHARE = 1.5;
/**
 * A highlighted paragraph was passed over when the learner scrolled it away after it had been
 * on screen (wall time, not the time shared with the rest of the screen) for less than this
 * share of its expected reading time: far faster than this learner reads it...
 */
export const SKIP_SHARE = 0.25;
/** ...if it was on screen at all for this long (not merely flashed past on the way elsewhere). */
export const SKIP_MIN_VISIBLE_MS = 1_000;
/** Multiplicative step of the vocabulary estimate per "too hard" / "too easy". */
export const VOCABULARY_STEP = 0.06;

export interface DwellOutcome {
  today: DailyLoad;
  learner: Learner;
  /** Relevance evidence implied by the dwell, if any. */
  signal: Extract<RelevanceFeedback, 'long-dwell' | 'skipped-highlight'> | null;
  read: boolean;
}

/**
 * Applies one dwell sample. Every attended minute counts into today's load (it was spent);
 * only a paragraph attended long enough counts as read and teaches the learner model (speed,
 * implicit word knowledge).
 */
export function applyDwell(
  state: { today: DailyLoad; learner: Learner },
  paragraph: { id: string; text: string; loadMinutes: number; difficultyFactor: number; highlighted: boolean; passedMs?: number },
  visibleMs: number,
  now: number,
  ctx: LearnerContext = {},
): DwellOutcome {
  const minutes = Math.max(0, visibleMs) / 60_000;
  const expected = Math.max(paragraph.loadMinutes, 1 / 60);
  const share = minutes / expected;
  const read = share >= READ_SHARE;
  let today: DailyLoad;
  let learner = state.learner;
  if (read) {
    today = recordRead(state.today, paragraph.id, minutes, share > 0 ? 1 / share : undefined);
    learner = applyParagraphRead(learner, { text: paragraph.text, dwellMs: visibleMs, difficultyFactor: paragraph.difficultyFactor, now }, ctx);
  } else {
    today = { ...state.today, readMinutes: state.today.readMinutes + minutes, consumedMinutes: state.today.consumedMinutes + minutes };
  }
  // Only a pass (scrolled away, platform/dwell.ts) is evidence of skipping: little shared time
  // means the screen held many paragraphs, not that this one was passed over.
  const passed = paragraph.passedMs;
  const skipped = paragraph.highlighted && passed !== undefined && passed >= SKIP_MIN_VISIBLE_MS && passed < SKIP_SHARE * expected * 60_000;
  const signal = share >= LONG_DWELL_SHARE ? 'long-dwell' : skipped ? 'skipped-highlight' : null;
  return { today, learner, signal, read };
}

/**
 * "Too hard" / "too easy" on a passage: the learner knows fewer / more words than we assumed,
 * so the vocabulary estimate moves one small step; "too hard" also counts as strain for the
 * budget's adaptation.
 */
export function applyDifficultyFeedback(
  state: { today: DailyLoad; learner: Learner },
  kind: 'too-hard' | 'too-easy',
  now: number,
): { today: DailyLoad; learner: Learner } {
  const factor = kind === 'too-hard' ? 1 - VOCABULARY_STEP : 1 + VOCABULARY_STEP;
  return {
    today: kind === 'too-hard' ? recordTooHard(state.today) : state.today,
    learner: setVocabularySize(state.learner, state.learner.vocabularySize * factor, now),
  };
}
