import { afterEach, describe, expect, it } from 'vitest';
import { createLexicon } from '../lib/vocabulary';
import { DictionaryRefused, readYomitanZip, DEFAULT_LIMITS, type RefusalKind } from '../lib/yomitan';
import { frequencyList, index, row, tinyDictionary, zipOf } from '../tests/unit/yomitan-fixtures';
import { openReaderDB } from './db';
import { createDictionaryStore, DictionaryStoreError, openDictionaryDatabase, storeDictionary, type DictionaryStore, type DictionaryStoreOptions } from './dictionary-store';
import { handleDeleteAll } from './service/data';
import type { ServiceDeps } from './service/deps';

let n = 0;
const opened: DictionaryStore[] = [];

function freshStore(options: DictionaryStoreOptions = {}): { store: DictionaryStore; name: string } {
  const name = `dictionaries-test-${n++}`;
  let id = 0;
  let clock = 1000;
  const store = createDictionaryStore({ name, newId: () => `d${++id}`, now: () => clock++, ...options });
  opened.push(store);
  return { store, name };
}

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** Every record of every store, read through a connection of its own. */
async function contents(name: string): Promise<Record<string, unknown[]>> {
  const db = await openDictionaryDatabase(name);
  const out: Record<string, unknown[]> = {};
  for (const store of ['dictionaries', 'terms', 'frequencies'] as const) out[store] = await db.getAll(store);
  db.close();
  return out;
}

/** The rows of a store's chunks, in order. */
const rowsIn = (records: unknown[] | undefined) => (records ?? []).flatMap((c) => (c as { rows: Array<{ term: string }> }).rows);

const japanese = () =>
  zipOf({
    'index.json': index({ title: 'Tiny Japanese', sourceLanguage: 'ja' }),
    'term_bank_1.json': [row('川', ['river'], { reading: 'かわ', tags: 'n' }), row('皮', ['skin; leather'], { reading: 'かわ', score: -1 })],
  });

describe('importing and looking up', () => {
  it('imports a dictionary, lists it with counts and languages, and looks a word up with its definitions and tags', async () => {
    const { store, name } = freshStore();
    const progress: string[] = [];
    const record = await store.importDictionary(zipOf(tinyDictionary({ attribution: 'CC BY-SA' })), (p) => progress.push(`${p.stage} ${p.done}/${p.total}`));
    expect(record).toEqual({
      id: 'd1',
      title: 'Tiny English',
      revision: '1',
      format: 3,
      sourceLanguage: 'en',
      targetLanguage: 'en',
      attribution: 'CC BY-SA',
      counts: { terms: 4, frequencies: 0, kanji: 0 },
      order: 0,
      importedAt: 1000,
    });
    expect(await store.listDictionaries()).toEqual([record]);
    expect(progress[0]).toMatch(/^checking /);
    expect(progress.at(-1)).toBe('writing 4/4');
    expect(rowsIn((await contents(name)).terms)).toHaveLength(4);

    // Higher score first within a dictionary; the reading is absent when it is the term.
    expect(await store.lookupImported(['bank'])).toEqual([
      { dictionary: { id: 'd1', title: 'Tiny English' }, term: 'bank', definitions: ['a place that keeps money'], tags: ['n', 'fin'] },
      { dictionary: { id: 'd1', title: 'Tiny English' }, term: 'bank', definitions: ['the land alongside a river'], tags: ['n'] },
    ]);
    expect(await store.lookupImported(['Harbour'])).toEqual([{ dictionary: { id: 'd1', title: 'Tiny English' }, term: 'harbour', definitions: ['a sheltered port'], tags: ['n'] }]);
    expect(await store.lookupImported(['ocean', '  '])).toEqual([]);
  });

  it('answers by term or by reading, forms in the order given, dictionaries in the learner’s order', async () => {
    const { store } = freshStore();
    await store.importDictionary(zipOf(tinyDictionary()));
    await store.importDictionary(zipOf({ ...tinyDictionary({}, 'Second English'), 'term_bank_1.json': [row('bank', ['to tilt an aircraft'], { tags: 'v' }), row('banks', ['plural of bank'])] }));
    await store.importDictionary(japanese());

    const titles = async (forms: string[]) => (await store.lookupImported(forms)).map((e) => `${e.dictionary.title}: ${e.term}: ${e.definitions[0]}`);
    expect(await titles(['banks', 'bank'])).toEqual([
      'Tiny English: bank: a place that keeps money',
      'Tiny English: bank: the land alongside a river',
      'Second English: banks: plural of bank',
      'Second English: bank: to tilt an aircraft',
    ]);
    const reading = await store.lookupImported(['かわ']);
    expect(reading.map((e) => [e.term, e.reading, e.definitions[0]])).toEqual([
      ['川', 'かわ', 'river'],
      ['皮', 'かわ', 'skin; leather'],
    ]);

    const [tiny, second, jp] = await store.listDictionaries();
    const reordered = await store.reorderDictionaries([second!.id, tiny!.id]);
    expect(reordered.map((d) => [d.title, d.order])).toEqual([['Second English', 0], ['Tiny English', 1], ['Tiny Japanese', 2]]);
    expect((await store.listDictionaries()).map((d) => d.id)).toEqual([second!.id, tiny!.id, jp!.id]);
    expect((await titles(['bank']))[0]).toBe('Second English: bank: to tilt an aircraft');
  });

  it('removes a dictionary with all its rows, leaving the others', async () => {
    const { store, name } = freshStore();
    const first = await store.importDictionary(zipOf(tinyDictionary()));
    await store.importDictionary(japanese());
    await store.removeDictionary(first.id);
    const after = await contents(name);
    expect(after.dictionaries).toHaveLength(1);
    expect(rowsIn(after.terms).map((t) => t.term)).toEqual(['川', '皮']);
    expect(await store.lookupImported(['bank'])).toEqual([]);
  });

  it('replaces a dictionary imported again under the same title, in one step and in its place', async () => {
    const { store, name } = freshStore();
    await store.importDictionary(zipOf(tinyDictionary()));
    await store.importDictionary(japanese());
    const updated = await store.importDictionary(zipOf({ 'index.json': index({ revision: '2' }), 'term_bank_1.json': [row('river', ['a stream of water, revised'])] }));
    expect(updated).toMatchObject({ title: 'Tiny English', revision: '2', order: 0, counts: { terms: 1 } });
    expect((await store.listDictionaries()).map((d) => `${d.title} ${d.revision}`)).toEqual(['Tiny English 2', 'Tiny Japanese 1']);
    expect(rowsIn((await contents(name)).terms)).toHaveLength(3);
    expect((await store.lookupImported(['river'])).map((e) => e.definitions[0])).toEqual(['a stream of water, revised']);
    expect(await store.lookupImported(['bank'])).toEqual([]);
  });

  it('gives an imported frequency list as ranked words for its language, the first list in the learner’s order', async () => {
    const { store } = freshStore();
    expect(await store.frequencyRanks('en')).toBeUndefined();
    const ranks = await store.importDictionary(zipOf(frequencyList(['The', 'of', 'and', 'the'])));
    expect(ranks.counts).toEqual({ terms: 0, frequencies: 4, kanji: 0 });
    expect(await store.frequencyRanks('en-GB')).toEqual({ dictionary: { id: ranks.id, title: 'Tiny frequencies' }, list: { lang: 'en-GB', words: ['the', 'of', 'and'] } });
    expect(await store.frequencyRanks('fr')).toBeUndefined();
    // What difficulty judging takes: the product's Lexicon over the list.
    const lexicon = createLexicon((await store.frequencyRanks('en'))!.list);
    expect([lexicon.formRank('the'), lexicon.formRank('and'), lexicon.formRank('zebra'), lexicon.size]).toEqual([1, 3, undefined, 3]);

    const counts = await store.importDictionary(
      zipOf({ 'index.json': index({ title: 'Counted', frequencyMode: 'occurrence-based' }), 'term_meta_bank_1.json': [['rare', 'freq', 3], ['common', 'freq', 900], ['middling', 'freq', 40]] }),
    );
    expect((await store.frequencyRanks('en'))!.dictionary.title).toBe('Tiny frequencies');
    await store.reorderDictionaries([counts.id]);
    expect((await store.frequencyRanks('en'))!.list.words).toEqual(['common', 'middling', 'rare']);
  });

  it('keeps rows in chunks and finds a word in any of them, also across a chunk’s end', async () => {
    const { store, name } = freshStore();
    const rows = Array.from({ length: 600 }, (_, i) => row(`w${i}`, [`meaning ${i}`]));
    rows[256] = row('w255', ['second meaning of w255'], { score: -1 });
    await store.importDictionary(zipOf({ 'index.json': index(), 'term_bank_1.json': rows }));
    const chunks = (await contents(name)).terms as Array<{ chunk: number; terms: string[]; rows: unknown[] }>;
    expect(chunks.map((c) => c.rows.length)).toEqual([256, 256, 88]);
    expect(chunks[1]!.terms[0]).toBe('w255');
    expect((await store.lookupImported(['w255'])).map((e) => e.definitions[0])).toEqual(['meaning 255', 'second meaning of w255']);
    expect((await store.lookupImported(['w599'])).map((e) => e.definitions[0])).toEqual(['meaning 599']);
    expect((await store.lookupImported(['w59'])).map((e) => e.definitions[0])).toEqual(['meaning 59']);
  });

  it('clears every dictionary', async () => {
    const { store, name } = freshStore();
    await store.importDictionary(zipOf(tinyDictionary()));
    await store.importDictionary(zipOf(frequencyList(['a', 'b'])));
    await store.clear();
    expect(await contents(name)).toEqual({ dictionaries: [], terms: [], frequencies: [] });
  });
});

describe('a refused or failed import changes nothing', () => {
  async function refusedUnchanged(bytes: Uint8Array, kind: RefusalKind, message: RegExp, options: DictionaryStoreOptions = {}) {
    const { store, name } = freshStore(options);
    await store.importDictionary(zipOf(tinyDictionary({}, 'Already there')));
    const before = await contents(name);
    const error = await store.importDictionary(bytes).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DictionaryRefused);
    expect((error as DictionaryRefused).kind).toBe(kind);
    expect((error as Error).message).toMatch(message);
    expect(await contents(name)).toEqual(before);
    expect(rowsIn(before.terms)).toHaveLength(4);
  }

  const good = zipOf(tinyDictionary());

  it('a truncated zip', () => refusedUnchanged(good.slice(0, good.length - 100), 'not-yomitan', /not a zip archive/));
  it('a dictionary over the size limit', () => {
    const large = zipOf({ ...tinyDictionary(), 'term_bank_3.json': Array.from({ length: 400 }, (_, i) => row(`word${i}`, [`meaning number ${i}`])) });
    expect([good.length < 2048, large.length > 2048]).toEqual([true, true]);
    return refusedUnchanged(large, 'too-large', /larger than the extension accepts: the file is \d+ KB, the limit is 2 KB/, { limits: { ...DEFAULT_LIMITS, maxZipBytes: 2048 } });
  });
  it('malformed JSON', () => refusedUnchanged(zipOf({ ...tinyDictionary(), 'term_bank_2.json': '[[' }), 'malformed', /term_bank_2\.json is not valid JSON/));
  it('an entry of the wrong shape', () => refusedUnchanged(zipOf({ ...tinyDictionary(), 'term_bank_2.json': [row('x', ['y']), ['x']] }), 'malformed', /term_bank_2\.json, entry 2: must be a list of 8 items/));
  it('a missing index', () => refusedUnchanged(zipOf({ 'term_bank_1.json': [row('x', ['y'])] }), 'not-yomitan', /index\.json is missing/));
  it('format 1', () => refusedUnchanged(zipOf({ ...tinyDictionary(), 'index.json': index({ format: 1 }) }), 'old-format', /format 1/));
  it('a bad file under the title of one already imported (the old one stays)', () =>
    refusedUnchanged(zipOf({ ...tinyDictionary({}, 'Already there'), 'term_bank_1.json': [row('x', 'y' as unknown as unknown[])] }), 'malformed', /glossary must be a list/));

  it('a failure while writing aborts the whole import, replacement included', async () => {
    const { store, name } = freshStore();
    await store.importDictionary(zipOf(tinyDictionary()));
    await store.importDictionary(japanese());
    const before = await contents(name);
    const checked = await readYomitanZip(zipOf({ 'index.json': index({ revision: '2' }), 'term_bank_1.json': Array.from({ length: 500 }, (_, i) => row(`w${i}`, ['d'])) }));
    // Row 300 cannot be stored (a function cannot be cloned into IndexedDB): the browser's
    // answer to a full disk or a closed tab is the same aborted transaction.
    (checked.terms[300]!.definitions as unknown[]).push(() => 'not storable');
    const db = await openDictionaryDatabase(name);
    await expect(storeDictionary(db, checked, { id: 'new', importedAt: 5 })).rejects.toThrow(DictionaryStoreError);
    await expect(storeDictionary(db, checked, { id: 'new', importedAt: 5 })).rejects.toThrow(/^Nothing was changed: the dictionary could not be saved/);
    db.close();
    expect(await contents(name)).toEqual(before);
    expect((await store.lookupImported(['bank'])).length).toBe(2);
  });
});

describe('Delete everything', () => {
  it('removes the imported dictionaries with the learner’s data', async () => {
    const { store, name } = freshStore();
    await store.importDictionary(zipOf(tinyDictionary()));
    const readerName = `reader-for-${name}`;
    const reader = await openReaderDB({ name: readerName });
    await reader.put('kv', { key: 'settings', value: { budgetMinutes: 25 } });
    const deps = { db: async () => reader } as unknown as ServiceDeps;
    expect(await handleDeleteAll(deps, store)).toEqual({ ok: true });
    expect(await contents(name)).toEqual({ dictionaries: [], terms: [], frequencies: [] });
    expect(await reader.getAll('kv')).toEqual([]);
    reader.close();
  });
});
