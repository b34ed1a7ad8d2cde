/**
 * What the toolbar icon says about the review queue, and when the daily nudge is due.
 *
 * The badge is a quiet, always-visible count: the number of cards due now, nothing at all
 * when there are none (an empty badge asks for nothing). The nudge is the one louder signal,
 * at most once a day, at a local hour, and only when something is waiting.
 */

/** Counts above this are shown as "99+": the badge has room for about four narrow characters. */
export const BADGE_MAX_COUNT = 99;

/** How often the badge is recomputed even when nothing was rated or saved (cards come due by themselves). */
export const BADGE_REFRESH_MINUTES = 15;

/** Local hour of the daily nudge: early evening, when reading is done and a few minutes remain. */
export const DEFAULT_NUDGE_HOUR = 18;

/**
 * A nudge that fires this late (the browser was closed or asleep at nudge time) is dropped:
 * yesterday evening's reminder arriving at breakfast is noise, not a nudge.
 */
export const NUDGE_GRACE_MS = 3 * 3_600_000;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

function validCount(due: number): number {
  return Number.isFinite(due) && due > 0 ? Math.floor(due) : 0;
}

/** The badge text for `due` cards: "" at zero, the number up to 99, then "99+". */
export function badgeText(due: number): string {
  const n = validCount(due);
  if (n === 0) return '';
  return n > BADGE_MAX_COUNT ? `${BADGE_MAX_COUNT}+` : String(n);
}

/** The icon's tooltip: the exact count in words (the badge may have abbreviated it). */
export function badgeTitle(due: number, appName = 'Attention Reader'): string {
  const n = validCount(due);
  if (n === 0) return `${appName} — no cards due for review`;
  return `${appName} — ${n} ${n === 1 ? 'card' : 'cards'} due for review`;
}

/**
 * When to recompute the badge because a card comes due before the next periodic refresh
 * (an "Again" answer returns a card within minutes), or null when the periodic refresh
 * comes first or nothing is scheduled. A due time already past needs no extra refresh: the
 * refresh that is asking has counted it.
 */
export function dueRefreshAt(now: number, nextDue: number | null, periodMinutes = BADGE_REFRESH_MINUTES): number | null {
  if (nextDue === null || !Number.isFinite(nextDue) || nextDue <= now) return null;
  return nextDue < now + periodMinutes * MINUTE_MS ? nextDue : null;
}

/**
 * The next time strictly after `now` at which the local clock shows `hour`:00.
 * `tzOffsetMinutes(at)` is the local offset from UTC (east positive) in force at `at`; asking
 * it at the candidate time keeps the nudge at the same local hour across daylight-saving changes.
 */
export function nextNudgeAt(now: number, tzOffsetMinutes: (at: number) => number, hour = DEFAULT_NUDGE_HOUR): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`A nudge hour is 0 to 23, not ${hour}.`);
  const localNow = now + tzOffsetMinutes(now) * MINUTE_MS;
  const localMidnight = Math.floor(localNow / DAY_MS) * DAY_MS;
  // Today's and the next two days' candidates: the first one after `now` wins (two days of
  // slack cover an offset that moved the candidate back across `now`).
  for (let day = 0; day < 3; day++) {
    const local = localMidnight + day * DAY_MS + hour * HOUR_MS;
    const guess = local - tzOffsetMinutes(local) * MINUTE_MS;
    // Re-ask the offset at the instant itself: near a change the first guess used the wrong side's offset.
    const at = local - tzOffsetMinutes(guess) * MINUTE_MS;
    if (at > now) return at;
  }
  // Unreachable with any real offset function; a day from now is still a sensible answer.
  return now + DAY_MS;
}

/** Whether a nudge scheduled for `scheduledAt` and firing at `now` still makes sense. */
export function nudgeIsTimely(scheduledAt: number, now: number, graceMs = NUDGE_GRACE_MS): boolean {
  return now - scheduledAt <= graceMs;
}

/** The nudge's words, or null when there is nothing to nudge about. */
export function nudgeMessage(due: number): { title: string; message: string } | null {
  const n = validCount(due);
  if (n === 0) return null;
  // Rough but honest: a cloze card takes well under half a minute once it is familiar.
  const minutes = Math.max(1, Math.round((n * 20) / 60));
  return {
    title: n === 1 ? 'One card is ready for review' : `${n} cards are ready for review`,
    message: `About ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} keeps today's words fresh. Click to start.`,
  };
}
