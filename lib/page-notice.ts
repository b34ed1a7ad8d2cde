/**
 * The one line a page shows about its highlights, and why passages were left out. A learner
 * must be able to tell "nothing here for you" from "broken": when a page gets no highlights the
 * line always says why, and when it gets some, it speaks only of what the learner can act on
 * (harder passages they may want, budget that held passages back, another language).
 *
 * A notice is structured (reason code, text, optional action) so that the page and the popup
 * say the same thing and the page can offer the action as a button.
 */
import { languageName } from './language';

/** Why a passage was not highlighted. */
export const LEFT_OUT_REASONS = ['other-language', 'above-level', 'off-topic', 'below-bar', 'budget', 'density'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export const NOTICE_CODES = ['paused', 'other-language', 'above-level', 'budget', 'nothing-relevant'] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

export type NoticeAction = { kind: 'show-harder' } | { kind: 'add-language'; lang: string };

export interface PageNotice {
  code: NoticeCode;
  text: string;
  action: NoticeAction | null;
}

/** What the notice is made from: counts of passages by why they were left out. */
export interface NoticeFacts {
  readonly paragraphs: number;
  readonly chosen: number;
  /** Passages in a language not studied, and the commonest such language. */
  readonly otherLanguage: number;
  readonly otherLanguageTag: string | null;
  /** Passages above the learner's level that are on their interests (all, in level-only mode). */
  readonly aboveLevel: number;
  /** In-zone passages worth reading held back by today's budget (its bar or its end). */
  readonly heldByBudget: number;
  /** Whether today's budget is used up. */
  readonly budgetSpent: boolean;
  /** The learner stated interests or gave feedback (relevance ranks passages). */
  readonly ranksByRelevance: boolean;
  /** Harder passages were asked for on this page already. */
  readonly harder: boolean;
}

const passages = (n: number) => `${n} passage${n === 1 ? '' : 's'}`;
const are = (n: number) => (n === 1 ? 'is' : 'are');

export const PAUSED_NOTICE: PageNotice = { code: 'paused', text: 'Highlighting is paused on this site.', action: null };

function languageNotice(f: NoticeFacts, whole: boolean): PageNotice {
  const tag = f.otherLanguageTag ?? 'und';
  const name = languageName(tag);
  const text = whole
    ? `This page is in ${name}, which is not among the languages you study: nothing highlighted.`
    : `${passages(f.otherLanguage)} ${are(f.otherLanguage)} in ${name}, which you do not study.`;
  return { code: 'other-language', text, action: tag === 'und' ? null : { kind: 'add-language', lang: tag } };
}

function aboveLevelNotice(f: NoticeFacts): PageNotice {
  const what = f.ranksByRelevance ? `${passages(f.aboveLevel)} on your interests` : passages(f.aboveLevel);
  const lead = f.chosen === 0 ? 'Nothing highlighted: ' : '';
  return { code: 'above-level', text: `${lead}${what} ${are(f.aboveLevel)} above your level.`, action: f.harder ? null : { kind: 'show-harder' } };
}

function budgetNotice(f: NoticeFacts): PageNotice {
  const n = f.heldByBudget;
  let text: string;
  if (f.chosen === 0) {
    text = f.budgetSpent
      ? `Today’s reading budget is spent: ${passages(n)} worth reading ${are(n)} not highlighted.`
      : `Today’s reading budget is kept for better passages: ${passages(n)} worth reading ${are(n)} not highlighted.`;
  } else {
    text = f.budgetSpent ? `Today’s reading budget held back ${passages(n)} more worth reading.` : `Today’s reading budget keeps ${passages(n)} more for better pages.`;
  }
  return { code: 'budget', text, action: null };
}

/**
 * The page's line, or null when there is nothing the learner needs told. With no highlights it
 * names the first reason that applies: another language (most of the page), the budget,
 * passages above the level, and otherwise that nothing is near the learner's interests.
 */
export function pageNotice(f: NoticeFacts): PageNotice | null {
  if (f.paragraphs === 0) return null;
  if (f.chosen === 0) {
    if (f.otherLanguage > 0 && f.otherLanguage * 2 >= f.paragraphs) return languageNotice(f, true);
    if (f.heldByBudget > 0) return budgetNotice(f);
    if (f.aboveLevel > 0) return aboveLevelNotice(f);
    if (f.otherLanguage > 0) return languageNotice(f, false);
    return {
      code: 'nothing-relevant',
      text: f.ranksByRelevance ? 'Nothing on this page is near your interests.' : 'Nothing on this page is worth highlighting for you.',
      action: null,
    };
  }
  if (f.aboveLevel > 0 && !f.harder) return aboveLevelNotice(f);
  if (f.heldByBudget > 0) return budgetNotice(f);
  if (f.otherLanguage > 0) return languageNotice(f, false);
  return null;
}

/** A passage's reason for being left out, in words (the demo's report, the page summary). */
export function leftOutLine(reason: LeftOutReason, detail: { lang?: string; fit?: number; density?: number; bar?: number } = {}): string {
  switch (reason) {
    case 'other-language':
      return `in ${languageName(detail.lang ?? 'und')}, a language you do not study`;
    case 'above-level':
      return `above your level (fit ${(detail.fit ?? 0).toFixed(2)}: too many words you likely do not know)`;
    case 'off-topic':
      return 'not near your interests';
    case 'below-bar':
      return `worth ${(detail.density ?? 0).toFixed(2)} per minute, below today’s bar of ${(detail.bar ?? 0).toFixed(2)}: budget kept for better passages`;
    case 'budget':
      return 'did not fit in what today’s budget allows this page';
    case 'density':
      return 'the page already has as many highlights as your density setting allows';
  }
}
