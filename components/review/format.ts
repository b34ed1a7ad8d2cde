/** Small formatting helpers for the review page. */

import { normaliseWhitespace } from '../../lib/text';

/** "0:07", "12:30", "1:02:03": elapsed study time, never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The page address when it is safe to use as a link (http or https), else undefined:
 * a stored `javascript:` URL must never become a clickable link.
 */
export function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When a card is due, in words for the learner: "now", "in 5 minutes", "in 3 hours", or
 * "in 12 days, on 5 March 2026" (past a day the date says more than a count of days does).
 * `timeZone` is for tests; the page uses the learner's own.
 */
export function describeDue(due: number, now: number, timeZone?: string): string {
  const wait = due - now;
  if (!(wait > 0)) return 'now';
  const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
  // Rounded up below an hour, so a card never reads as due "in 0 minutes" while it is not.
  if (wait < HOUR) return relative.format(Math.ceil(wait / MINUTE), 'minute');
  if (wait < DAY) return relative.format(Math.min(23, Math.round(wait / HOUR)), 'hour');
  const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(due);
  return `${relative.format(Math.round(wait / DAY), 'day')}, on ${date}`;
}

/** The start of a card's text for a one-line message, cut at a word where it can be. */
export function excerpt(text: string, maxChars = 60): string {
  const flat = normaliseWhitespace(text);
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars - 1);
  // A cut that ends just before a space already ends at a word.
  const space = flat[cut.length] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`;
}
