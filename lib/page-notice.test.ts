import { describe, expect, it } from 'vitest';
import { LEFT_OUT_REASONS, leftOutLine, pageNotice, type NoticeFacts } from './page-notice';

const none: NoticeFacts = {
  paragraphs: 10,
  chosen: 0,
  otherLanguage: 0,
  otherLanguageTag: null,
  aboveLevel: 0,
  heldByBudget: 0,
  budgetSpent: false,
  ranksByRelevance: true,
  harder: false,
};

describe('pageNotice', () => {
  it('says nothing about an empty page, or a page whose highlights need no comment', () => {
    expect(pageNotice({ ...none, paragraphs: 0 })).toBeNull();
    expect(pageNotice({ ...none, chosen: 3 })).toBeNull();
  });

  it('always says why when nothing is highlighted, first reason first', () => {
    expect(pageNotice({ ...none, otherLanguage: 6, otherLanguageTag: 'it', heldByBudget: 2, aboveLevel: 2 })?.code).toBe('other-language');
    expect(pageNotice({ ...none, otherLanguage: 2, otherLanguageTag: 'it', heldByBudget: 2, aboveLevel: 2 })?.code).toBe('budget');
    expect(pageNotice({ ...none, otherLanguage: 2, otherLanguageTag: 'it', aboveLevel: 2 })?.code).toBe('above-level');
    expect(pageNotice({ ...none, otherLanguage: 2, otherLanguageTag: 'it' })?.code).toBe('other-language');
    expect(pageNotice(none)).toEqual({ code: 'nothing-relevant', text: 'Nothing on this page is near your interests.', action: null });
    expect(pageNotice({ ...none, ranksByRelevance: false })?.text).toBe('Nothing on this page is worth highlighting for you.');
  });

  it('names the language and offers to add it, unless it is unknown', () => {
    const n = pageNotice({ ...none, otherLanguage: 10, otherLanguageTag: 'pt' })!;
    expect(n.text).toBe('This page is in Portuguese, which is not among the languages you study: nothing highlighted.');
    expect(n.action).toEqual({ kind: 'add-language', lang: 'pt' });
    expect(pageNotice({ ...none, otherLanguage: 10, otherLanguageTag: 'und' })!.action).toBeNull();
  });

  it('counts passages above the level in one line and offers harder passages, once', () => {
    expect(pageNotice({ ...none, chosen: 2, aboveLevel: 6 })).toEqual({ code: 'above-level', text: '6 passages on your interests are above your level.', action: { kind: 'show-harder' } });
    expect(pageNotice({ ...none, aboveLevel: 1, ranksByRelevance: false })!.text).toBe('Nothing highlighted: 1 passage is above your level.');
    expect(pageNotice({ ...none, chosen: 2, aboveLevel: 6, harder: true })).toBeNull();
  });

  it('speaks of the budget only when it held passages back, and tells a spent budget from one kept for later', () => {
    expect(pageNotice({ ...none, heldByBudget: 3, budgetSpent: true })!.text).toMatch(/spent: 3 passages worth reading are not highlighted/);
    expect(pageNotice({ ...none, heldByBudget: 1 })!.text).toMatch(/kept for better passages: 1 passage worth reading is not highlighted/);
    expect(pageNotice({ ...none, chosen: 2, heldByBudget: 2 })!.text).toMatch(/keeps 2 passages more for better pages/);
  });
});

describe('leftOutLine', () => {
  it('gives every reason its own words', () => {
    const lines = LEFT_OUT_REASONS.map((r) => leftOutLine(r, { lang: 'fr', fit: 0.01, density: 0.5, bar: 1.2 }));
    expect(new Set(lines).size).toBe(LEFT_OUT_REASONS.length);
    expect(lines[0]).toMatch(/French/);
    expect(leftOutLine('below-bar', { density: 0.5, bar: 1.2 })).toMatch(/0\.50 per minute, below today’s bar of 1\.20/);
  });
});
