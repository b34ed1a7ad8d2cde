/**
 * A block's language is guessed only when it is first asked for, and then once: a huge page
 * reads tens of thousands of blocks, and only those sent to the background need one.
 */
import { Window } from 'happy-dom';
import { describe, expect, it, vi } from 'vitest';

const guesses = vi.hoisted(() => ({ count: 0 }));
vi.mock('./language', async (original) => {
  const real = await original<typeof import('./language')>();
  return {
    ...real,
    resolveLanguage: (...args: Parameters<typeof real.resolveLanguage>) => {
      guesses.count++;
      return real.resolveLanguage(...args);
    },
  };
});

const { createExtractor } = await import('./extraction');

function page(body: string): Document {
  const window = new Window({ url: 'https://example.com/article' });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`);
  return doc;
}

const english = (n: number) => `Paragraph ${n} of the story explains, in plain words, what happened in the town council meeting and why the vote surprised everyone.`;
const french = (n: number) => `Le paragraphe ${n} de cette histoire explique, avec des mots simples, ce qui s'est passé pendant la réunion du conseil et pourquoi le vote a surpris tout le monde.`;

function readAll(doc: Document) {
  const extractor = createExtractor(doc);
  const blocks = [];
  while (!extractor.done) blocks.push(...extractor.step(50));
  return blocks;
}

describe('extraction: a block language, when asked', () => {
  it('guesses no language while reading the page, one per block asked, and each only once', () => {
    const doc = page(`<article>${Array.from({ length: 200 }, (_, i) => `<p>${i % 2 ? french(i) : english(i)}</p>`).join('')}</article>`);
    guesses.count = 0;
    const blocks = readAll(doc);
    expect(blocks).toHaveLength(200);
    expect(guesses.count).toBe(0);
    expect(blocks[0]!.lang).toBe('en');
    expect(blocks[1]!.lang).toBe('fr');
    expect(blocks[1]!.lang).toBe('fr');
    expect(guesses.count).toBe(2);
  });

  it('still takes a lang attribute that fits the text', () => {
    const doc = page(`<article lang="de">${Array.from({ length: 3 }, (_, i) => `<p>Absatz ${i}: Die Geschichte erklärt in einfachen Worten, was in der Sitzung des Stadtrats geschah und warum die Abstimmung alle überraschte.</p>`).join('')}</article>`);
    expect(readAll(doc).map((b) => b.lang)).toEqual(['de', 'de', 'de']);
  });
});
