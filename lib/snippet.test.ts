import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { normaliseWhitespace } from './text.ts';
import {
  MAX_PASSAGE_CHARS,
  MAX_TITLE_CHARS,
  SnippetError,
  SnippetSchema,
  createSnippet,
  mergeSnippets,
  passageAround,
  normaliseWithOffsets,
  snippetId,
  type SnippetInput,
} from './snippet.ts';

const PASSAGE = 'Der Hund läuft schnell. Die Katze schläft auf dem Sofa. Es regnet heute.';

function input(over: Partial<SnippetInput> = {}): SnippetInput {
  return { passage: PASSAGE, url: 'https://example.org/a', title: 'Tiere', lang: 'de', createdAt: 1_700_000_000_000, ...over };
}

const span = (text: string, word: string) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length });

describe('normaliseWithOffsets', () => {
  it('produces exactly normaliseWhitespace, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', '\u00a0', '\u200b', '\ufeff', 'é') }), (raw) => {
        expect(normaliseWithOffsets(raw).text).toBe(normaliseWhitespace(raw));
      }),
    );
  });

  it('maps each non-space character of the raw text onto the same character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('x', 'y', ' ', '\n', '\u00a0') }), (raw) => {
        const { text, offsets } = normaliseWithOffsets(raw);
        for (let i = 0; i < raw.length; i++) {
          if (!/\s/u.test(raw[i]!)) expect(text[offsets[i]!]).toBe(raw[i]);
        }
      }),
    );
  });
});

describe('createSnippet', () => {
  it('keeps the sentence around the selection, with the page, language and time', () => {
    const s = createSnippet(input({ selection: span(PASSAGE, 'Katze') }));
    expect(s.context).toBe('Die Katze schläft auf dem Sofa.');
    expect(s.passage.slice(s.contextStart, s.contextStart + s.context.length)).toBe(s.context);
    expect(s).toMatchObject({ url: 'https://example.org/a', title: 'Tiere', lang: 'de', createdAt: 1_700_000_000_000, marks: [] });
  });

  it('widens the context to every sentence the selection touches', () => {
    const sel = { start: PASSAGE.indexOf('schnell'), end: PASSAGE.indexOf('Katze') + 5 };
    expect(createSnippet(input({ selection: sel })).context).toBe('Der Hund läuft schnell. Die Katze schläft auf dem Sofa.');
  });

  it('maps a selection made in un-normalised page text onto the normalised passage', () => {
    const raw = '  Der Hund\n läuft.\n\n  Die   Katze schläft.  ';
    const s = createSnippet(input({ passage: raw, selection: span(raw, 'Katze'), marks: [span(raw, 'Hund')] }));
    expect(s.passage).toBe('Der Hund läuft. Die Katze schläft.');
    expect(s.context).toBe('Die Katze schläft.');
    expect(s.marks).toEqual([{ text: 'Hund', start: 4, end: 8 }]);
  });

  it('accepts the selected text instead of offsets', () => {
    const raw = 'Der Hund läuft.\n Die Katze\n schläft. Es regnet.';
    const s = createSnippet(input({ passage: raw, selection: 'Katze  schläft', marks: ['Katze'] }));
    expect(s.context).toBe('Die Katze schläft.');
    expect(() => createSnippet(input({ selection: 'Elefant' }))).toThrow(/not part of the passage/u);
    expect(() => createSnippet(input({ selection: '  ' }))).toThrow(/not part of the passage/u);
  });

  it('finds marked words as whole words, ignoring case, preferring the selection', () => {
    const text = 'Die Katze sieht eine katze. Katzenfutter ist teuer.';
    const s = createSnippet(input({ passage: text, selection: span(text, 'eine katze'), marks: ['KATZE'] }));
    expect(s.marks).toEqual([{ text: 'katze', start: text.indexOf('katze'), end: text.indexOf('katze') + 5 }]);
    // Whole words only: "Katzenfutter" is not "Katze".
    const t2 = 'Katzenfutter. Eine Katze.';
    expect(createSnippet(input({ passage: t2, marks: ['katze'] })).marks[0]!.start).toBe(t2.indexOf('Katze.'));
  });

  it('marks phrases and drops duplicate marks', () => {
    const s = createSnippet(input({ marks: ['auf dem Sofa', 'auf  dem sofa', span(PASSAGE, 'auf dem Sofa')] }));
    expect(s.marks).toEqual([{ text: 'auf dem Sofa', ...span(PASSAGE, 'auf dem Sofa') }]);
  });

  it('without a selection, takes the sentences holding the marks as context', () => {
    const s = createSnippet(input({ marks: ['regnet'] }));
    expect(s.context).toBe('Es regnet heute.');
  });

  it('without a selection or marks, keeps the whole passage as context', () => {
    expect(createSnippet(input()).context).toBe(PASSAGE);
  });

  it('refuses an over-long passage with a message that says so, instead of cutting it', () => {
    const long = 'Wort '.repeat(MAX_PASSAGE_CHARS / 4);
    expect(() => createSnippet(input({ passage: long }))).toThrow(SnippetError);
    expect(() => createSnippet(input({ passage: long }))).toThrow(/at most 5000/u);
    expect(createSnippet(input({ passage: 'a'.repeat(MAX_PASSAGE_CHARS) })).passage).toHaveLength(MAX_PASSAGE_CHARS);
  });

  it('refuses empty passages, absent words, bad spans, URLs, languages and times', () => {
    expect(() => createSnippet(input({ passage: ' \n ' }))).toThrow(/empty/u);
    expect(() => createSnippet(input({ marks: ['Elefant'] }))).toThrow(/"Elefant" does not occur/u);
    expect(() => createSnippet(input({ selection: { start: 5, end: 999 } }))).toThrow(/outside the passage/u);
    expect(() => createSnippet(input({ selection: { start: 5, end: 2 } }))).toThrow(SnippetError);
    expect(() => createSnippet(input({ marks: [{ start: 3, end: 4 }] }))).toThrow(/empty/u);
    expect(() => createSnippet(input({ url: 'javascript:alert(1)' }))).toThrow(/javascript:/u);
    expect(() => createSnippet(input({ url: 'not a url' }))).toThrow(/not a valid URL/u);
    expect(() => createSnippet(input({ lang: 'not a language!' }))).toThrow(/language tag/u);
    expect(() => createSnippet(input({ createdAt: Number.NaN }))).toThrow(/creation time/u);
    expect(() => createSnippet(input({ marks: Array.from({ length: 51 }, () => 'Hund') }))).toThrow(/At most 50/u);
  });

  it('canonicalises the language tag, accepting the common underscore form', () => {
    expect(createSnippet(input({ lang: 'pt_br' })).lang).toBe('pt-BR');
  });

  it('shortens an over-long title with an ellipsis', () => {
    const s = createSnippet(input({ title: 'T'.repeat(1000) }));
    expect(s.title).toHaveLength(MAX_TITLE_CHARS);
    expect(s.title.endsWith('…')).toBe(true);
  });

  it('names the same page and passage with the same id, and keeps a paragraph id', () => {
    const a = createSnippet(input({ paragraphId: 'p1' }));
    const b = createSnippet(input({ createdAt: 5, marks: ['Hund'] }));
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(snippetId('https://example.org/a', PASSAGE));
    expect(createSnippet(input({ url: 'https://example.org/b' })).id).not.toBe(a.id);
    expect(a.paragraphId).toBe('p1');
    expect('paragraphId' in b).toBe(false);
  });

  it('makes snippets that satisfy the stored-record schema and survive JSON', () => {
    const s = createSnippet(input({ selection: span(PASSAGE, 'Sofa'), marks: ['Hund', 'regnet'], paragraphId: 'p9' }));
    expect(v.safeParse(SnippetSchema, JSON.parse(JSON.stringify(s))).success).toBe(true);
  });
});

describe('mergeSnippets', () => {
  it('unites the marks and context of two saves of one passage, keeping id and creation time', () => {
    const first = createSnippet(input({ marks: ['Hund'], createdAt: 10 }));
    const second = createSnippet(input({ marks: ['regnet', 'Hund'], createdAt: 20 }));
    const merged = mergeSnippets(first, second);
    expect(merged.marks.map((m) => m.text)).toEqual(['Hund', 'regnet']);
    expect(merged.context).toBe(PASSAGE);
    expect(merged.createdAt).toBe(10);
    expect(merged.id).toBe(first.id);
  });

  it('refuses to merge different passages', () => {
    const a = createSnippet(input());
    const b = createSnippet(input({ passage: 'Ganz anders.' }));
    expect(() => mergeSnippets(a, b)).toThrow(SnippetError);
  });
});

describe('SnippetSchema', () => {
  it('refuses a snippet whose context or marks do not match its passage', () => {
    const s = createSnippet(input({ marks: ['Hund'] }));
    expect(v.safeParse(SnippetSchema, { ...s, context: 'erfunden' }).success).toBe(false);
    expect(v.safeParse(SnippetSchema, { ...s, marks: [{ text: 'Katze', start: 4, end: 8 }] }).success).toBe(false);
    expect(v.safeParse(SnippetSchema, { ...s, extra: 1 }).success).toBe(false);
  });
});

describe('passageAround: the limit applies to the selection, not the paragraph', () => {
  const sentence = (i: number) => `Sentence number ${i} tells of the river and the town beside it.`;
  const paragraph = Array.from({ length: 100 }, (_, i) => sentence(i)).join(' ');

  it('keeps a paragraph within the limit whole', () => {
    expect(passageAround(sentence(1), 'river', 'en')).toEqual({ passage: sentence(1), selection: 'river' });
  });

  it('keeps whole sentences around a selection in a longer paragraph, and the result makes a snippet', () => {
    expect(paragraph.length).toBeGreaterThan(6000);
    const chosen = `${sentence(60)} ${sentence(61)}`;
    const kept = passageAround(paragraph, chosen, 'en');
    expect(kept.passage.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(kept.passage.length).toBeGreaterThan(MAX_PASSAGE_CHARS - 2 * sentence(99).length);
    expect(kept.passage).toContain(chosen);
    expect(kept.passage.startsWith('Sentence number')).toBe(true);
    expect(kept.passage.endsWith('beside it.')).toBe(true);
    const snippet = createSnippet({ passage: kept.passage, selection: kept.selection, url: 'https://example.org/', title: 't', lang: 'en', createdAt: 1 });
    expect(snippet.context).toBe(chosen);
  });

  it('finds a selection near the end of the paragraph', () => {
    const kept = passageAround(paragraph, sentence(99), 'en');
    expect(kept.passage.endsWith(sentence(99))).toBe(true);
  });

  it('cuts one sentence longer than the limit around the selection', () => {
    const long = `${'word '.repeat(1500)}target ${'word '.repeat(1500)}`;
    const kept = passageAround(long, 'target', 'en');
    expect(kept.passage.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(kept.passage).toContain('target');
  });

  it('refuses a selection itself longer than the limit, saying so', () => {
    const chosen = paragraph.slice(0, MAX_PASSAGE_CHARS + 10).trim();
    expect(chosen.length).toBeGreaterThan(MAX_PASSAGE_CHARS);
    expect(() => passageAround(paragraph, chosen, 'en')).toThrow(`The selection is ${chosen.length} characters long; a snippet holds at most 5000. Select a shorter part.`);
  });
});
