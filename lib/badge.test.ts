import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badgeText, badgeTitle, BADGE_MAX_COUNT, dueRefreshAt, NUDGE_GRACE_MS, nextNudgeAt, nudgeIsTimely, nudgeMessage } from './badge';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('badge text', () => {
  it('is empty when nothing is due, or when the count is not a count', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(Number.NaN)).toBe('');
  });

  it('is the due count', () => {
    expect(badgeText(1)).toBe('1');
    expect(badgeText(42)).toBe('42');
    expect(badgeText(BADGE_MAX_COUNT)).toBe(String(BADGE_MAX_COUNT));
  });

  it('abbreviates counts too wide for the badge', () => {
    expect(badgeText(BADGE_MAX_COUNT + 1)).toBe(`${BADGE_MAX_COUNT}+`);
    expect(badgeText(12_345)).toBe(`${BADGE_MAX_COUNT}+`);
  });

  it('never exceeds four characters', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => badgeText(n).length <= 4));
  });

  it('has a tooltip with the exact count', () => {
    expect(badgeTitle(0)).toMatch(/no cards due/);
    expect(badgeTitle(1)).toMatch(/1 card due/);
    expect(badgeTitle(250)).toMatch(/250 cards due/);
  });
});

describe('refresh when a card comes due', () => {
  const now = Date.UTC(2026, 0, 10, 12);

  it('is the due time when it comes before the periodic refresh', () => {
    expect(dueRefreshAt(now, now + 10 * MIN, 15)).toBe(now + 10 * MIN);
  });

  it('is left to the periodic refresh when the card comes due later', () => {
    expect(dueRefreshAt(now, now + 15 * MIN, 15)).toBeNull();
    expect(dueRefreshAt(now, now + 3 * 24 * HOUR, 15)).toBeNull();
  });

  it('is not needed for cards already due or when nothing is scheduled', () => {
    expect(dueRefreshAt(now, now - MIN, 15)).toBeNull();
    expect(dueRefreshAt(now, now, 15)).toBeNull();
    expect(dueRefreshAt(now, null, 15)).toBeNull();
  });
});

describe('next nudge time', () => {
  const utc = () => 0;
  const berlinWinter = () => 60;

  it('is today at the hour when the hour is still ahead', () => {
    const now = Date.UTC(2026, 0, 10, 9, 30);
    expect(nextNudgeAt(now, utc, 18)).toBe(Date.UTC(2026, 0, 10, 18));
  });

  it('is tomorrow at the hour once the hour has passed, or at the very hour', () => {
    expect(nextNudgeAt(Date.UTC(2026, 0, 10, 18, 1), utc, 18)).toBe(Date.UTC(2026, 0, 11, 18));
    expect(nextNudgeAt(Date.UTC(2026, 0, 10, 18), utc, 18)).toBe(Date.UTC(2026, 0, 11, 18));
  });

  it('follows the local clock, not UTC', () => {
    // 18:00 in Berlin in winter is 17:00 UTC.
    expect(nextNudgeAt(Date.UTC(2026, 0, 10, 9), berlinWinter, 18)).toBe(Date.UTC(2026, 0, 10, 17));
    // 23:30 UTC is already the next day in Berlin: the nudge is that (local) day's evening.
    expect(nextNudgeAt(Date.UTC(2026, 0, 10, 23, 30), berlinWinter, 18)).toBe(Date.UTC(2026, 0, 11, 17));
    // West of UTC: 18:00 in New York (UTC-5) is 23:00 UTC.
    expect(nextNudgeAt(Date.UTC(2026, 0, 10, 20), () => -300, 18)).toBe(Date.UTC(2026, 0, 10, 23));
  });

  it('stays at the same local hour across a daylight-saving change', () => {
    // Europe/Berlin: clocks go forward on 29 March 2026 at 01:00 UTC (+60 -> +120).
    const change = Date.UTC(2026, 2, 29, 1);
    const berlin = (at: number) => (at < change ? 60 : 120);
    const before = Date.UTC(2026, 2, 28, 18); // 19:00 local on the 28th, past the hour
    expect(nextNudgeAt(before, berlin, 18)).toBe(Date.UTC(2026, 2, 29, 16)); // 18:00 CEST
  });

  it('is always in the future, within a day and a bit, at the local hour', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.integer({ min: 0, max: 23 }),
        (now, offset, hour) => {
          const at = nextNudgeAt(now, () => offset, hour);
          const local = new Date(at + offset * MIN);
          return at > now && at <= now + 24 * HOUR && local.getUTCHours() === hour && local.getUTCMinutes() === 0;
        },
      ),
    );
  });

  it('refuses an hour that is not one', () => {
    expect(() => nextNudgeAt(0, utc, 24)).toThrow(RangeError);
    expect(() => nextNudgeAt(0, utc, 1.5)).toThrow(RangeError);
  });
});

describe('the nudge', () => {
  it('is dropped when it fires long after its time', () => {
    const at = Date.UTC(2026, 0, 10, 18);
    expect(nudgeIsTimely(at, at + 5 * MIN)).toBe(true);
    expect(nudgeIsTimely(at, at + NUDGE_GRACE_MS)).toBe(true);
    expect(nudgeIsTimely(at, at + NUDGE_GRACE_MS + 1)).toBe(false);
  });

  it('says nothing when nothing is due', () => {
    expect(nudgeMessage(0)).toBeNull();
  });

  it('names the count and a time estimate', () => {
    expect(nudgeMessage(1)).toEqual({ title: 'One card is ready for review', message: expect.stringMatching(/About 1 minute /) });
    const many = nudgeMessage(30)!;
    expect(many.title).toBe('30 cards are ready for review');
    expect(many.message).toMatch(/About 10 minutes/);
  });
});
