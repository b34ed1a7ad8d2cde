/**
 * Word look-ups through the background's handlers, against a real (fake-indexeddb) database:
 * the card's data, one record per look-up, the learner evidence, and the history.
 */
import { describe, expect, it, vi } from 'vitest';
import { knownAfterLookups } from '../../lib/learner';
import type { DictionaryLookupOut, RequestOf } from '../../lib/protocol';
import { openReaderDB } from '../db';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { createEncoderTier } from './relevance';
import { handleWordLookup } from './lookup';
import { KEYS, type Clock } from './state';

let dbCount = 0;
const sender = { id: 'ext' };
const RIVER: DictionaryLookupOut = {
  senses: [
    { id: 'bank.n.1', lemma: 'bank', pos: 'noun', gloss: 'sloping land beside a body of water', examples: ['they sat on the bank'], synonyms: [], probability: 0.8 },
    { id: 'bank.n.2', lemma: 'bank', pos: 'noun', gloss: 'a financial institution', examples: [], synonyms: ['depository financial institution'], probability: 0.2 },
  ],
  ranked: true,
  note: null,
};

function setup(over: Partial<ServiceDeps> = {}) {
  const name = `lookup-${dbCount++}`;
  let now = Date.UTC(2026, 11, 3, 9);
  const clock: Clock = { now: () => now, tzOffsetMinutes: () => 0 };
  const lookupWord = vi.fn(async () => RIVER);
  const deps: ServiceDeps = { db: () => openReaderDB({ name }), clock, encoder: createEncoderTier(null, 100), lexicon: async () => undefined, lookupWord, ...over };
  return { deps, handlers: createHandlers(deps), lookupWord, advance: (ms: number) => (now += ms) };
}

const request = (eventId: string, over: Partial<RequestOf<'word.lookup'>> = {}): RequestOf<'word.lookup'> => ({
  eventId,
  word: 'bank',
  sentence: 'We sat on the bank of the river.',
  lang: 'en',
  url: 'https://news.example/river',
  title: 'River',
  ...over,
});

async function learnerWord(deps: ServiceDeps, key: string) {
  const db = await deps.db();
  const learner = (await db.get('kv', KEYS.learner))?.value as { words: Record<string, { state: string; lookups: number }> } | undefined;
  return learner?.words[key];
}

describe('word.lookup', () => {
  it("answers the dictionary's senses, asks it with the word, sentence and language, and records the look-up", async () => {
    const { deps, handlers, lookupWord } = setup();
    const reply = await handlers['word.lookup'](request('l1'), sender);
    expect(reply).toMatchObject({ ranked: true, duplicate: false, imported: [] });
    expect(reply.senses[0]!.id).toBe('bank.n.1');
    expect(lookupWord).toHaveBeenCalledWith({ word: 'bank', sentence: 'We sat on the bank of the river.', lang: 'en' });
    const history = await handlers['lookup.history']({ limit: 10 }, sender);
    expect(history.total).toBe(1);
    expect(history.items[0]).toMatchObject({ id: 'l1', word: 'bank', lemma: 'bank', pos: 'noun', senseId: 'bank.n.1', url: 'https://news.example/river', title: 'River' });
    expect(await learnerWord(deps, 'bank')).toMatchObject({ state: 'learning', lookups: 1 });
  });

  it('records a look-up once however often its card asks again', async () => {
    const { deps, handlers } = setup();
    await handlers['word.lookup'](request('same'), sender);
    const again = await handlers['word.lookup'](request('same'), sender);
    expect(again.duplicate).toBe(true);
    expect(again.senses).toHaveLength(2);
    expect((await handlers['lookup.history']({ limit: 10 }, sender)).total).toBe(1);
    expect((await learnerWord(deps, 'bank'))!.lookups).toBe(1);
  });

  it('counts a second look-up of the word as more evidence it is not known', async () => {
    const { deps, handlers, advance } = setup();
    await handlers['word.lookup'](request('a'), sender);
    advance(60_000);
    await handlers['word.lookup'](request('b', { word: 'banks' }), sender);
    expect((await learnerWord(deps, 'bank'))!.lookups).toBe(2);
    expect(knownAfterLookups(2)).toBeLessThan(knownAfterLookups(1));
    const history = await handlers['lookup.history']({ limit: 10 }, sender);
    expect(history.items.map((r) => r.id)).toEqual(['b', 'a']);
    expect((await handlers['lookup.history']({ limit: 1 }, sender)).items.map((r) => r.id)).toEqual(['b']);
  });

  it('records a look-up in another language without touching the learner model', async () => {
    const { deps, handlers } = setup({ lookupWord: async () => ({ senses: [], ranked: false, note: 'The bundled dictionary is English only.' }) });
    const reply = await handlers['word.lookup'](request('fr', { word: 'banque', lang: 'fr' }), sender);
    expect(reply.note).toMatch(/English only/);
    expect(await learnerWord(deps, 'banque')).toBeUndefined();
    expect((await handlers['lookup.history']({ limit: 5 }, sender)).items[0]).toMatchObject({ word: 'banque', lemma: null, senseId: null });
  });

  it('answers without senses, saying why, when the dictionary fails or is too slow', async () => {
    const failing = setup({ lookupWord: async () => Promise.reject(new Error('offscreen gone')) });
    expect((await failing.handlers['word.lookup'](request('x'), sender)).note).toContain('offscreen gone');
    const slow = setup({ lookupWord: () => new Promise(() => {}) });
    const reply = await handleWordLookup(slow.deps, request('y'), 20);
    expect(reply.senses).toEqual([]);
    expect(reply.note).toContain('no answer');
  });

  it("adds the imported dictionaries' entries for the word and its lemma, cut to the message's limits", async () => {
    const lookupImported = vi.fn(async () => [{ dictionary: { id: 'd1', title: 'My dictionary' }, term: 'bank', definitions: ['x'.repeat(5000)], tags: ['n'] }]);
    const { handlers } = setup({ lookupImported });
    const reply = await handlers['word.lookup'](request('i', { word: 'Banks' }), sender);
    expect(lookupImported).toHaveBeenCalledWith(['Banks', 'banks', 'bank']);
    expect(reply.imported[0]!.definitions[0]!.length).toBe(2000);
  });

  it('is refused on a paused site, recording nothing', async () => {
    const { handlers } = setup();
    await handlers['settings.update']({ patch: { pausedSites: ['news.example'] } }, sender);
    await expect(handlers['word.lookup'](request('p'), sender)).rejects.toThrow(/paused/);
    expect((await handlers['lookup.history']({ limit: 5 }, sender)).total).toBe(0);
  });
});
