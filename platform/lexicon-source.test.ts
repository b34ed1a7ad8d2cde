import { describe, expect, it, vi } from 'vitest';
import { createLexicon, type FrequencyList, type Lexicon } from '../lib/vocabulary';
import { createLexiconSource, type ImportedFrequencies } from './lexicon-source';

const shippedEnglish = createLexicon({ lang: 'en', words: ['the', 'of', 'and'] } as FrequencyList);

interface Imported {
  id: string;
  revision: string;
  lang: string;
  words: string[];
  order: number;
}

function fakeStore(initial: Imported[]) {
  let dictionaries = initial;
  const reads = { lists: 0 };
  const store: ImportedFrequencies = {
    async listDictionaries() {
      return dictionaries.map((d) => ({ id: d.id, revision: d.revision, order: d.order, importedAt: 1, counts: { frequencies: d.words.length } }));
    },
    async frequencyRanks(language) {
      reads.lists++;
      const d = [...dictionaries].sort((a, b) => a.order - b.order).find((x) => x.lang === language.split('-')[0]);
      return d ? { list: { lang: d.lang, words: d.words } as FrequencyList } : undefined;
    },
  };
  return { store, reads, set: (next: Imported[]) => (dictionaries = next) };
}

function source(target: { lang: string }, store: ImportedFrequencies, shipped: Lexicon | undefined = shippedEnglish) {
  return createLexiconSource({ targetLanguage: async () => target.lang, shipped: async () => shipped, imported: store });
}

describe('the word list of the target language', () => {
  it('is the shipped list for English when nothing is imported, and none for another language', async () => {
    const target = { lang: 'en' };
    const lexicon = source(target, fakeStore([]).store);
    expect(await lexicon()).toBe(shippedEnglish);
    target.lang = 'fr';
    expect(await lexicon()).toBeUndefined();
  });

  it('is the imported list of the target language, ranked in its order', async () => {
    const { store } = fakeStore([{ id: 'fr1', revision: '1', lang: 'fr', words: ['le', 'de', 'chat'], order: 0 }]);
    const lexicon = await source({ lang: 'fr-FR' }, store)();
    expect(lexicon?.lang).toBe('fr');
    expect(lexicon?.formRank('chat')).toBe(3);
  });

  it('prefers an imported English list to the shipped one', async () => {
    const { store } = fakeStore([{ id: 'en1', revision: '1', lang: 'en', words: ['cat', 'the'], order: 0 }]);
    const lexicon = await source({ lang: 'en' }, store)();
    expect(lexicon?.formRank('cat')).toBe(1);
  });

  it('reads the list once while nothing changes, and again when a dictionary is imported or the language changes', async () => {
    const fake = fakeStore([{ id: 'fr1', revision: '1', lang: 'fr', words: ['le'], order: 0 }]);
    const target = { lang: 'fr' };
    const lexicon = source(target, fake.store);
    await lexicon();
    await lexicon();
    expect(fake.reads.lists).toBe(1);
    fake.set([{ id: 'fr1', revision: '2', lang: 'fr', words: ['chat', 'le'], order: 0 }]);
    expect((await lexicon())?.formRank('chat')).toBe(1);
    expect(fake.reads.lists).toBe(2);
    target.lang = 'en';
    expect(await lexicon()).toBe(shippedEnglish);
  });

  it('falls back to the shipped list when the imported dictionaries cannot be read, and says so', async () => {
    const broken: ImportedFrequencies = {
      listDictionaries: () => Promise.reject(new Error('database gone')),
      frequencyRanks: () => Promise.reject(new Error('database gone')),
    };
    const told = vi.fn();
    const lexicon = createLexiconSource({ targetLanguage: async () => 'en', shipped: async () => shippedEnglish, imported: broken, onImportedUnavailable: told });
    expect(await lexicon()).toBe(shippedEnglish);
    expect(told).toHaveBeenCalled();
  });
});
