import { describe, expect, it } from 'vitest';
import type { Encoder } from './encoder';
import { predict } from './head';
import { CONTRAST_TOPICS_EN, contrastTopics, headFromInterests, prototypeTexts } from './interests';

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

describe('headFromInterests', () => {
  it('embeds interests and contrasts with the encoder and builds the head for it', async () => {
    // A toy encoder: one dimension per letter a-z, counts of letters.
    const seen: string[] = [];
    const encoder: Encoder = {
      id: 'letters',
      dimensions: 26,
      async embed(texts) {
        seen.push(...texts);
        return texts.map((t) => {
          const v = new Float32Array(26);
          for (const ch of t.toLowerCase()) {
            const i = ch.charCodeAt(0) - 97;
            if (i >= 0 && i < 26) v[i]! += 1;
          }
          return v;
        });
      },
    };
    const head = await headFromInterests(encoder, { phrases: ['zzz quiz'], lang: 'en' });
    expect(head.encoderId).toBe('letters');
    expect(head.dims).toBe(26);
    expect(head.interests.map((i) => i.text)).toEqual(['zzz quiz']);
    expect(seen).toContain('zzz quiz');
    expect(seen).toContain('travel');
    const [zesty, plain] = await encoder.embed(['zizzle fizz', 'note the rate']);
    expect(predict(head, zesty!)).toBeGreaterThan(predict(head, plain!));
  });
});
