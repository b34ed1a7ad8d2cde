import { describe, expect, it } from 'vitest';
import { CONTRAST_TOPICS_EN, contrastsFor, contrastTopics, prototypeTexts } from './interests';

describe('contrastTopics', () => {
  it('has the English list for English and regional English, none for other languages', () => {
    expect(contrastTopics('en')).toBe(CONTRAST_TOPICS_EN);
    expect(contrastTopics('en-GB')).toBe(CONTRAST_TOPICS_EN);
    expect(contrastTopics('fr')).toEqual([]);
  });
});

describe('contrastsFor', () => {
  it('leaves out the categories whose label names a stated interest, as whole words', () => {
    expect(contrastsFor(['Business'], 'en')).not.toContain('economy, business and finance');
    expect(contrastsFor(['entertainment'], 'en')).not.toContain('arts, culture, entertainment and media');
    expect(contrastsFor(['business'], 'en')).toHaveLength(CONTRAST_TOPICS_EN.length - 1);
    // A word inside another word does not name it; an interest no label names keeps them all.
    expect(contrastsFor(['art'], 'en')).toEqual(CONTRAST_TOPICS_EN);
    expect(contrastsFor(['climate policy'], 'en')).toEqual(CONTRAST_TOPICS_EN);
    expect(contrastsFor(['war', 'sport'], 'en')).toHaveLength(CONTRAST_TOPICS_EN.length - 2);
    expect(contrastsFor(['business'], 'fr')).toEqual([]);
  });
});

describe('prototypeTexts', () => {
  it('deduplicates phrases, keeps examples, gives stable ids and skips contrasts the learner stated', () => {
    const a = prototypeTexts({ phrases: ['  football ', 'football', 'education'], examples: ['A long example paragraph.'], lang: 'en' });
    expect(a.interests.map((p) => p.text)).toEqual(['football', 'education', 'A long example paragraph.']);
    expect(a.interests[2]!.id).toMatch(/^example:/);
    expect(a.contrasts.map((c) => c.text)).not.toContain('education');
    expect(a.contrasts).toHaveLength(CONTRAST_TOPICS_EN.length - 1);
    const b = prototypeTexts({ phrases: ['football'], lang: 'en' });
    expect(b.interests[0]!.id).toBe(a.interests[0]!.id);
  });
});
