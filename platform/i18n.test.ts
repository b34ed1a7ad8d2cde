import { describe, expect, it } from 'vitest';
import english from '../public/_locales/en/messages.json';
import { formatMessage, formatNumber, plural, t, type MessageKey } from './i18n';

describe('t', () => {
  it('falls back to the English messages outside the extension, with substitutions', () => {
    expect(t('gaugeLabel', ['3', '20'])).toBe('3 of 20 minutes used today');
    expect(t('stepCount', [2, 4])).toBe('Step 2 of 4');
    expect(t('saveError', 'quota exceeded')).toBe('Not saved: quota exceeded');
  });

  it('follows the browser’s substitution rules: named placeholders, $1..$9 and $$', () => {
    const entry = { message: 'Costs $$$1 for $WHO$ ($2)', placeholders: { who: { content: '$3' } } };
    expect(formatMessage(entry, ['5', 'today', 'Ana'])).toBe('Costs $5 for Ana (today)');
    expect(formatMessage({ message: 'missing $2' }, ['a'])).toBe('missing ');
  });

  it('chooses the plural form by the messages’ language', () => {
    expect(plural('reviewsDue', 1)).toBe('card due for review');
    expect(plural('reviewsDue', 0)).toBe('cards due for review');
    expect(plural('placementUnreliable', 1)).toMatch(/^You ticked 1 made-up word,/);
    expect(plural('placementUnreliable', 1234)).toMatch(/^You ticked 1,234 made-up words,/);
    expect(plural('pageHighlighted', 1, ['0'])).toBe('0 of its 1 passage highlighted');
    expect(plural('pageHighlighted', 12, ['3'])).toBe('3 of its 12 passages highlighted');
  });

  it('formats numbers in the messages’ locale', () => {
    expect(formatNumber(12_000)).toBe('12,000');
    expect(formatNumber(0.25, { maximumFractionDigits: 1 })).toBe('0.3');
  });
});

describe('the English messages', () => {
  const entries = Object.entries(english) as Array<[MessageKey, { message: string }]>;

  it('name their locale and use only valid message names', () => {
    expect(english.locale.message).toBe('en');
    for (const [key] of entries) expect(key).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('number their substitutions from $1 without gaps (a translator sees what each one is)', () => {
    for (const [key, { message }] of entries) {
      const used = [...message.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((m) => Number(m[1]));
      const highest = Math.max(0, ...used);
      for (let n = 1; n <= highest; n++) expect(used, `${key} uses $${highest} but not $${n}`).toContain(n);
    }
  });

  it('give every plural a _one and an _other form', () => {
    const bases = new Set(entries.map(([k]) => k).filter((k) => /_(one|other)$/.test(k)).map((k) => k.replace(/_(one|other)$/, '')));
    for (const base of bases) {
      expect(Object.hasOwn(english, `${base}_one`), base).toBe(true);
      expect(Object.hasOwn(english, `${base}_other`), base).toBe(true);
    }
  });
});
