import { describe, expect, it, vi } from 'vitest';
import type { Dictionary, DictionaryEntry, Sense } from '../lib/dictionary';
import { createDictionaryHost, createExtensionDictionaryHost, dictionaryCovers } from './dictionary-host';

function sense(id: string, pos: Sense['pos'], rank: number, gloss: string, examples: string[] = []): Sense {
  return { id, pos, rank, gloss, examples, synonyms: [], lemma: 'bank' };
}

const SLOPE = sense('bank.n.1', 'noun', 1, 'sloping land beside a body of water such as a river', ['they sat on the river bank']);
const MONEY = sense('bank.n.2', 'noun', 0, 'a financial institution that accepts deposits of money', ['he cashed a check at the bank']);
const TILT = sense('bank.v.1', 'verb', 0, 'tip laterally, of an aircraft');
const ENTRIES: DictionaryEntry[] = [
  { lemma: 'bank', pos: 'noun', senses: [MONEY, SLOPE] },
  { lemma: 'bank', pos: 'verb', senses: [TILT] },
];

/** A word-count encoder: texts sharing words get close vectors. */
function bagOfWords(texts: string[]): number[][] {
  return texts.map((t) => {
    const v = new Array<number>(64).fill(0);
    for (const w of t.toLowerCase().match(/[a-z]+/g) ?? []) {
      let h = 0;
      for (const c of w) h = (h * 31 + c.charCodeAt(0)) % 64;
      v[h]! += 1;
    }
    return v;
  });
}

function host(over: { embed?: (texts: string[]) => Promise<{ encoderId: string; vectors: number[][] }>; load?: () => Promise<string> } = {}) {
  const dictionary: Dictionary = { language: 'en', lookup: (w) => (w.toLowerCase().startsWith('bank') ? ENTRIES : []) };
  const loadAsset = vi.fn(over.load ?? (async () => 'asset'));
  const parse = vi.fn(() => dictionary);
  const embed = vi.fn(over.embed ?? (async (texts: string[]) => ({ encoderId: 'enc-a', vectors: bagOfWords(texts) })));
  return { host: createDictionaryHost({ loadAsset, parse, embed }), loadAsset, parse, embed };
}

describe('dictionary host', () => {
  it('puts the sense that fits the sentence first, for each sentence', async () => {
    const { host: h } = host();
    const river = await h.lookup({ word: 'bank', sentence: 'We sat on the bank of the river and watched the water.', lang: 'en' });
    const money = await h.lookup({ word: 'bank', sentence: 'She put her money in the bank and asked about deposits.', lang: 'en' });
    expect(river.ranked).toBe(true);
    expect(river.senses[0]!.id).toBe('bank.n.1');
    expect(money.senses[0]!.id).toBe('bank.n.2');
    expect(river.senses.map((s) => s.id).sort()).toEqual(['bank.n.1', 'bank.n.2', 'bank.v.1']);
    expect(river.senses.reduce((a, s) => a + s.probability, 0)).toBeCloseTo(1, 6);
  });

  it('puts the part of speech the word before points to first, the others after at probability 0', async () => {
    const { host: h } = host();
    // The verb's gloss shares the most words with this sentence, but "the" makes "bank" a noun.
    const reply = await h.lookup({ word: 'bank', sentence: 'The plane had to tip laterally near the bank of an aircraft hangar.', lang: 'en' });
    expect(reply.senses.map((s) => s.pos)).toEqual(['noun', 'noun', 'verb']);
    expect(reply.senses[2]!.probability).toBe(0);
    expect(reply.senses[0]!.probability + reply.senses[1]!.probability).toBeCloseTo(1, 6);
    const unhinted = await h.lookup({ word: 'bank', sentence: 'Planes bank: they tip laterally, as an aircraft does.', lang: 'en' });
    expect(unhinted.senses[0]!.id).toBe('bank.v.1');
  });

  it('loads and parses the asset once, on the first look-up', async () => {
    const { host: h, loadAsset, parse } = host();
    expect(loadAsset).not.toHaveBeenCalled();
    await h.lookup({ word: 'bank', sentence: 'a river bank', lang: 'en' });
    await h.lookup({ word: 'banks', sentence: 'two river banks', lang: 'en-GB' });
    expect(loadAsset).toHaveBeenCalledTimes(1);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('embeds a sense once per encoder: a second look-up embeds only its sentence', async () => {
    const { host: h, embed } = host();
    await h.lookup({ word: 'bank', sentence: 'a river bank', lang: 'en' });
    expect(embed.mock.calls[0]![0]).toHaveLength(4);
    await h.lookup({ word: 'bank', sentence: 'the bank of the river', lang: 'en' });
    expect(embed.mock.calls[1]![0]).toEqual(['the bank of the river']);
  });

  it('embeds the senses again when another encoder answers', async () => {
    let id = 'enc-a';
    const { host: h, embed } = host({ embed: async (texts) => ({ encoderId: id, vectors: bagOfWords(texts) }) });
    await h.lookup({ word: 'bank', sentence: 'a river bank', lang: 'en' });
    id = 'enc-b';
    const reply = await h.lookup({ word: 'bank', sentence: 'a river bank', lang: 'en' });
    expect(embed).toHaveBeenCalledTimes(3);
    expect(embed.mock.calls[2]![0]).toHaveLength(4);
    expect(reply.senses[0]!.id).toBe('bank.n.1');
  });

  it("falls back to the dictionary's order, saying why, when the encoder fails", async () => {
    const { host: h } = host({ embed: async () => Promise.reject(new Error('model not loaded')) });
    const reply = await h.lookup({ word: 'bank', sentence: 'a river bank', lang: 'en' });
    expect(reply.ranked).toBe(false);
    expect(reply.note).toContain('model not loaded');
    expect(reply.senses).toHaveLength(3);
  });

  it('answers no senses for an unknown word, and says the dictionary is English only for other languages', async () => {
    const { host: h, loadAsset } = host();
    expect(await h.lookup({ word: 'blorp', sentence: 'x', lang: 'en' })).toEqual({ senses: [], ranked: false, note: null });
    const fr = await h.lookup({ word: 'banque', sentence: 'la banque', lang: 'fr' });
    expect(fr.senses).toEqual([]);
    expect(fr.note).toMatch(/English only/);
    expect(loadAsset).toHaveBeenCalledTimes(1);
  });

  it('tries the asset again after a failed load', async () => {
    let fail = true;
    const { host: h } = host({ load: async () => (fail ? Promise.reject(new Error('gone')) : 'asset') });
    const first = await h.lookup({ word: 'bank', sentence: 'river', lang: 'en' });
    expect(first.note).toContain('gone');
    fail = false;
    const second = await h.lookup({ word: 'bank', sentence: 'river bank', lang: 'en' });
    expect(second.senses.length).toBe(3);
  });

  it("fetches the asset from the extension's own files", async () => {
    const fetchFile = vi.fn(async () => ({ ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) }));
    const h = createExtensionDictionaryHost((p) => `chrome-extension://id${p}`, async () => ({ encoderId: 'e', vectors: [] }), fetchFile);
    const reply = await h.lookup({ word: 'bank', sentence: 'river', lang: 'en' });
    expect(fetchFile).toHaveBeenCalledWith('chrome-extension://id/dictionary/wordnet-en.txt');
    expect(reply.note).toContain('HTTP 404');
  });

  it('covers English and text of unknown language only', () => {
    expect(dictionaryCovers('en-US')).toBe(true);
    expect(dictionaryCovers('und')).toBe(true);
    expect(dictionaryCovers('de')).toBe(false);
  });
});
