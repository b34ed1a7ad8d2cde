/**
 * The popup's 14-day history, shaped for a chart: one entry per calendar day ending today
 * (days without a record are days without reading, shown as zero rather than left out, so
 * that the bars keep their dates), split into reading and review minutes, with a y-axis
 * scale in round numbers.
 */
import type { DashboardOut } from '../../lib/protocol';

export const HISTORY_DAYS = 14;
const DAY_MS = 24 * 3600_000;

export interface HistoryDay {
  /** YYYY-MM-DD */
  readonly day: string;
  readonly readingMinutes: number;
  readonly reviewMinutes: number;
  readonly totalMinutes: number;
  readonly highlighted: number;
  readonly isToday: boolean;
}

function dayStart(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) ? t : undefined;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function minutes(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

/** The `count` days ending with `today`, oldest first, from whatever records the history has. */
export function lastDays(history: DashboardOut['history'], today: string, count = HISTORY_DAYS): HistoryDay[] {
  const end = dayStart(today);
  if (end === undefined) return [];
  const byDay = new Map(history.map((h) => [h.day, h]));
  const out: HistoryDay[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const day = dayOf(end - i * DAY_MS);
    const h = byDay.get(day);
    const reviewMinutes = minutes(h?.reviewMinutes ?? 0);
    // Consumed includes reviews; what remains is reading.
    const readingMinutes = Math.max(0, minutes(h?.consumedMinutes ?? 0) - reviewMinutes);
    out.push({ day, readingMinutes, reviewMinutes, totalMinutes: readingMinutes + reviewMinutes, highlighted: h?.highlighted ?? 0, isToday: i === 0 });
  }
  return out;
}

/**
 * The top of the y axis: the smallest "nice" number at or above both the busiest day and the
 * budget line (so neither is clipped), at least 6 minutes. Nice numbers are even, so that the
 * middle tick is a whole number of minutes too: 6, 8, 10, 12, 16, 20, 30, 40, 60, 80, 100...
 */
export function axisMax(days: readonly HistoryDay[], budgetMinutes: number): number {
  const top = Math.max(6, minutes(budgetMinutes), ...days.map((d) => d.totalMinutes));
  const power = Math.pow(10, Math.floor(Math.log10(top)));
  for (const step of [1, 1.2, 1.6, 2, 3, 4, 6, 8]) {
    const candidate = Math.round(step * power);
    if (candidate >= top - 1e-9 && candidate % 2 === 0) return candidate;
  }
  return 10 * power;
}

/** Tick values from 0 to `max` inclusive, `parts` equal steps. */
export function axisTicks(max: number, parts = 2): number[] {
  return Array.from({ length: parts + 1 }, (_, i) => (max * i) / parts);
}

export interface HistoryTotals {
  readonly totalMinutes: number;
  readonly reviewMinutes: number;
  readonly activeDays: number;
  /** The day with the most minutes, or undefined when nothing was read. */
  readonly busiest: HistoryDay | undefined;
}

export function totals(days: readonly HistoryDay[]): HistoryTotals {
  let busiest: HistoryDay | undefined;
  for (const d of days) if (d.totalMinutes > 0 && (!busiest || d.totalMinutes > busiest.totalMinutes)) busiest = d;
  return {
    totalMinutes: days.reduce((s, d) => s + d.totalMinutes, 0),
    reviewMinutes: days.reduce((s, d) => s + d.reviewMinutes, 0),
    activeDays: days.filter((d) => d.totalMinutes > 0).length,
    busiest,
  };
}
