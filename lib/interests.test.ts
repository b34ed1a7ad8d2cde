import { describe, expect, it } from 'vitest';
import { CONTRAST_TOPICS_EN, contrastTopics, prototypeTexts } from './interests';

describe('contrastTopics', () => {
  it('has the English list for English and regional English, none for other languages', () => {
    expect(contrastTopics('en')).toBe(CONTRAST_TOPICS_EN);
    expect(contrastTopics('en-GB')).toBe(CONTRAST_TOPICS_EN);
    expect(contrastTopics('fr')).toEqual([]);
  });
});

describe('prototypeTexts', () => {
  it('deduplicates phrases, keeps examples, gives stable ids and skips contrasts the learner stated', () => {
    const a = prototypeTexts({ phrases: ['  football ', 'football', 'business'], examples: ['A long example paragraph.'], lang: 'en' });
    expect(a.interests.map((p) => p.text)).toEqual(['football', 'business', 'A long example paragraph.']);
    expect(a.interests[2]!.id).toMatch(/^example:/);
    expect(a.contrasts.map((c) => c.text)).not.toContain('business');
    expect(a.contrasts).toHaveLength(CONTRAST_TOPICS_EN.length - 1);
    const b = prototypeTexts({ phrases: ['football'], lang: 'en' });
    expect(b.interests[0]!.id).toBe(a.interests[0]!.id);
  });
});
