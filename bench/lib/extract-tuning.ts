/**
 * The candidate tunings of the extractor that bench/extract.ts cross-validates. The first is
 * always the shipped defaults (`{}`); the others move one or two constants from them. The
 * list is short because every page is read once per candidate (a full set takes an hour on
 * two cores): the constants that moved no set in samples of 70 pages are left out.
 */
import type { ScoringTuning } from '../../lib/extraction';

export const TUNING_CANDIDATES: readonly Partial<ScoringTuning>[] = [
  {},
  { wrapperShare: 0.5 },
  { mixedWrapperShare: 0.75 },
  { minCards: 2 },
  { siblingShare: 0 },
  { siblingShare: 0.5 },
  { shortVote: 0 },
  { shortVote: 0.4 },
  { teaserShare: 0.5 },
  { weakProse: 0 },
  { weakProse: 200 },
  { siblingClimb: 0 },
  { wrapperParagraphs: 0 },
  { wrapperParagraphs: 15 },
  { weakProse: 0, siblingClimb: 0, wrapperParagraphs: 0 },
];

/** A candidate in a few words, for the bench's table. */
export function describeTuning(t: Partial<ScoringTuning>): string {
  const entries = Object.entries(t);
  return entries.length === 0 ? 'defaults' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}
