/**
 * `review.export` and `review.pushAnki` against a real (fake-indexeddb) database filled by
 * the background's own save handler, and a fake AnkiConnect behind an injected fetch.
 */
import { describe, expect, it } from 'vitest';
import { ANKI_SETTING_LABELS, DEFAULT_DECK, DEFAULT_NOTE_TYPES, type AnkiFetch, type AnkiNoteTypes } from '../../lib/anki';
import { applySettingsPatch, DEFAULT_SETTINGS, type SettingsPatch } from '../../lib/settings';
import { openReaderDB } from '../db';
import { exportBackup, importBackup } from './data';
import type { ServiceDeps } from './deps';
import { handleSnippetSave } from './events';
import { exportFileName, handlePushAnki, handleReviewExport } from './export';
import { KEYS, readSettingsTx, type Clock } from './state';

/** A backup as the file the learner downloads: its pieces joined. */
async function exportJson(deps: Parameters<typeof exportBackup>[0]): Promise<{ fileName: string; json: string }> {
  const { fileName, parts } = await exportBackup(deps);
  return { fileName, json: parts.join('') };
}

let dbCount = 0;
const NOW = Date.UTC(2026, 10, 28, 23, 30); // 23:30 UTC: already the 29th one hour east

function setup(tzOffset = 0) {
  const name = `export-${dbCount++}`;
  const clock: Clock = { now: () => NOW, tzOffsetMinutes: () => tzOffset };
  // The save handler never asks the encoder; the export handlers never touch it either.
  const deps = { db: () => openReaderDB({ name }), clock, lexicon: async () => undefined, encoder: undefined as unknown as ServiceDeps['encoder'] } satisfies ServiceDeps;
  return deps;
}

const RIVER = 'Most people have never seen the culvert under their street. It was built a century ago.';

async function saveWord(deps: ServiceDeps, word: string, eventId = `save-${word}`) {
  return handleSnippetSave(deps, {
    eventId,
    url: 'https://news.example/river?id=1&lang=en',
    title: 'Rivers & "tunnels"',
    lang: 'en',
    text: RIVER,
    context: RIVER,
    paragraphId: null,
    markedWords: [word],
  });
}

async function savePassage(deps: ServiceDeps) {
  const text = 'Engineers will publish a full report in the autumn, comparing three plans.';
  return handleSnippetSave(deps, { eventId: 'save-passage', url: 'https://news.example/report', title: 'Report', lang: 'en', text, context: '', paragraphId: null, markedWords: [] });
}

/** The note types of an Anki whose interface language is German. */
const GERMAN: AnkiNoteTypes = {
  cloze: { modelName: 'Lückentext', textField: 'Text', extraField: 'Rückseite Extra' },
  basic: { modelName: 'Einfach', frontField: 'Vorderseite', backField: 'Rückseite' },
};
const GERMAN_ANKI = { Lückentext: ['Text', 'Rückseite Extra'], Einfach: ['Vorderseite', 'Rückseite'] };

/** Stores settings as the settings page would have saved them. */
async function saveSettings(deps: ServiceDeps, patch: SettingsPatch) {
  const db = await deps.db();
  await db.put('kv', { key: KEYS.settings, value: applySettingsPatch(DEFAULT_SETTINGS, patch) });
}

/** Data lines of an Anki text file (its headers start with "#"). */
const rows = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
/** A field as Anki reads it: a quoted field loses its quotes, doubled quotes become one. */
const unquote = (field: string) => (field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field);

describe('review.export', () => {
  it('writes every card as a line Anki imports, with cloze markup, tags and the source link', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    await savePassage(deps);
    const out = await handleReviewExport(deps, { format: 'tsv' });
    expect(out.cards).toBe(2);
    expect(out.text).toMatch(/^#separator:tab\n#html:true\n/);
    const lines = rows(out.text).map((l) => l.split('\t').map(unquote));
    expect(lines).toHaveLength(2);
    const cloze = lines.find((l) => l[1] === 'Cloze');
    const gist = lines.find((l) => l[1] === 'Basic');
    expect(cloze![3]).toContain('the {{c1::culvert}} under their street');
    // The page's link and title, escaped: "&" and quotes cannot break out of the field.
    expect(cloze![4]).toContain('<a href="https://news.example/river?id=1&amp;lang=en">Rivers &amp; &quot;tunnels&quot;</a>');
    expect(cloze![5]!.split(' ')).toEqual(expect.arrayContaining(['attention-reader', 'lang::en']));
    expect(gist![4]).toContain('Engineers will publish a full report');
  });

  it('keeps a card once however often its word is saved', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert', 'first');
    await saveWord(deps, 'culvert', 'second');
    const out = await handleReviewExport(deps, { format: 'tsv' });
    expect(rows(out.text)).toHaveLength(1);
  });

  it('writes comma-separated files too, quoting fields that hold commas', async () => {
    const deps = setup();
    await savePassage(deps);
    const out = await handleReviewExport(deps, { format: 'csv' });
    expect(out.text).toMatch(/^#separator:comma\n/);
    expect(out.fileName).toMatch(/\.csv$/);
    expect(rows(out.text)[0]).toContain(',"Engineers will publish a full report in the autumn, comparing three plans.<br><br>');
  });

  it('names the file by the learner’s local day', async () => {
    expect((await handleReviewExport(setup(0), { format: 'tsv' })).fileName).toBe('attention-reader-cards-2026-11-28.tsv');
    expect((await handleReviewExport(setup(60), { format: 'tsv' })).fileName).toBe('attention-reader-cards-2026-11-29.tsv');
    expect(exportFileName(NOW, -300, 'csv')).toBe('attention-reader-cards-2026-11-28.csv');
  });

  it("puts the cards into the learner's deck and note types", async () => {
    const deps = setup();
    await saveSettings(deps, { ankiDeck: 'Sprachen::Englisch', ankiNoteTypes: GERMAN });
    await saveWord(deps, 'culvert');
    await savePassage(deps);
    const out = await handleReviewExport(deps, { format: 'tsv' });
    const lines = rows(out.text).map((l) => l.split('\t').map(unquote));
    expect(lines.map((l) => [l[1], l[2]]).sort()).toEqual([
      ['Einfach', 'Sprachen::Englisch'],
      ['Lückentext', 'Sprachen::Englisch'],
    ]);
  });

  it('is a file with headers only when there are no cards yet', async () => {
    const out = await handleReviewExport(setup(), { format: 'tsv' });
    expect(out.cards).toBe(0);
    expect(rows(out.text)).toEqual([]);
  });
});

/**
 * A fake AnkiConnect: grants permission, knows which notes it holds, adds new ones. Given
 * `models`, it answers modelFieldNames from them (else it is an AnkiConnect without that action).
 */
function fakeAnki(options: { status?: number; permission?: 'granted' | 'denied'; models?: Record<string, string[]>; apiKey?: string } = {}) {
  const collection: string[] = [];
  const actions: string[] = [];
  const added: { deckName: string; modelName: string; fields: Record<string, string> }[] = [];
  let nextId = 1000;
  const fetch: AnkiFetch = async (url, init) => {
    expect(url).toBe('http://127.0.0.1:8765');
    const { action, params, key: sentKey } = JSON.parse(init.body) as {
      action: string;
      key?: string;
      params?: { modelName?: string; notes?: { deckName: string; modelName: string; fields: Record<string, string> }[] };
    };
    actions.push(action);
    // With "apiKey" set in its config, AnkiConnect refuses every action but requestPermission without it.
    if (options.apiKey && action !== 'requestPermission' && sentKey !== options.apiKey) return { status: 200, text: async () => JSON.stringify({ result: null, error: 'valid api key must be provided' }) };
    const reply = (result: unknown) => ({ status: options.status ?? 200, text: async () => JSON.stringify({ result, error: null }) });
    const key = (n: { fields: Record<string, string> }) => Object.values(n.fields)[0]!;
    switch (action) {
      case 'requestPermission':
        return reply({ permission: options.permission ?? 'granted', requireApikey: Boolean(options.apiKey), version: 6 });
      case 'createDeck':
        return reply(1);
      case 'modelFieldNames': {
        if (!options.models) break;
        const fields = Object.hasOwn(options.models, params!.modelName!) ? options.models[params!.modelName!] : undefined;
        return fields ? reply(fields) : { status: 200, text: async () => JSON.stringify({ result: null, error: `model was not found: ${params!.modelName}` }) };
      }
      case 'canAddNotes':
        return reply(params!.notes!.map((n) => !collection.includes(key(n))));
      case 'addNotes':
        return reply(
          params!.notes!.map((n) => {
            collection.push(key(n));
            added.push(n);
            return nextId++;
          }),
        );
    }
    return { status: 200, text: async () => JSON.stringify({ result: null, error: 'unsupported action' }) };
  };
  return { fetch, collection, actions, added };
}

describe('review.pushAnki', () => {
  it('adds every card to Anki, and only new ones on the next push', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    await savePassage(deps);
    const anki = fakeAnki();
    expect(await handlePushAnki(deps, { fetch: anki.fetch })).toEqual({ ok: true, added: 2, skipped: 0, deck: 'Attention Reader' });
    expect(anki.collection.some((f) => f.includes('{{c1::culvert}}'))).toBe(true);
    await saveWord(deps, 'street');
    expect(await handlePushAnki(deps, { fetch: anki.fetch })).toEqual({ ok: true, added: 1, skipped: 2, deck: 'Attention Reader' });
    expect(anki.collection).toHaveLength(3);
  });

  it('sends the API key AnkiConnect asks for, and says where to enter it when it is missing', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    const locked = fakeAnki({ apiKey: 'k3y-from-config' });
    const refused = await handlePushAnki(deps, { fetch: locked.fetch });
    expect(refused).toMatchObject({ ok: false, added: 0 });
    expect(refused.ok ? '' : refused.error).toMatch(/API key.*"AnkiConnect API key" in this extension's settings, under Anki/);
    await saveSettings(deps, { ankiApiKey: 'k3y-from-config' });
    expect(await handlePushAnki(deps, { fetch: locked.fetch })).toEqual({ ok: true, added: 1, skipped: 0, deck: 'Attention Reader' });
    expect(locked.collection).toHaveLength(1);
  });

  it("sends the cards to the learner's deck and note types, with their field names", async () => {
    const deps = setup();
    await saveSettings(deps, { ankiDeck: 'Sprachen::Englisch', ankiNoteTypes: GERMAN });
    await saveWord(deps, 'culvert');
    await savePassage(deps);
    const anki = fakeAnki({ models: GERMAN_ANKI });
    expect(await handlePushAnki(deps, { fetch: anki.fetch })).toEqual({ ok: true, added: 2, skipped: 0, deck: 'Sprachen::Englisch' });
    expect(anki.added.map((n) => [n.deckName, n.modelName, Object.keys(n.fields).join(' / ')]).sort()).toEqual([
      ['Sprachen::Englisch', 'Einfach', 'Vorderseite / Rückseite'],
      ['Sprachen::Englisch', 'Lückentext', 'Text / Rückseite Extra'],
    ]);
  });

  it('tells the learner which setting to change when Anki has no such note type or field', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    // The defaults name English note types; this Anki speaks German.
    const missingModel = await handlePushAnki(deps, { fetch: fakeAnki({ models: GERMAN_ANKI }).fetch });
    expect(missingModel).toEqual({ ok: false, error: expect.stringContaining('no note type called "Cloze"'), added: 0 });
    expect(!missingModel.ok && missingModel.error).toContain(`"${ANKI_SETTING_LABELS.clozeModel}"`);

    await saveSettings(deps, { ankiNoteTypes: { ...GERMAN, cloze: { ...GERMAN.cloze, extraField: 'Back Extra' } } });
    const anki = fakeAnki({ models: GERMAN_ANKI });
    const missingField = await handlePushAnki(deps, { fetch: anki.fetch });
    expect(missingField).toEqual({ ok: false, error: expect.stringContaining('has no field called "Back Extra"'), added: 0 });
    expect(!missingField.ok && missingField.error).toContain(`"${ANKI_SETTING_LABELS.clozeExtra}"`);
    expect(anki.added).toEqual([]);
  });

  it('does not call Anki when there is nothing to send', async () => {
    const anki = fakeAnki();
    expect(await handlePushAnki(setup(), { fetch: anki.fetch })).toEqual({ ok: true, added: 0, skipped: 0, deck: 'Attention Reader' });
    expect(anki.actions).toEqual([]);
  });

  it('says how to start Anki when nothing answers, naming this extension for the CORS fix', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    const refused: AnkiFetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const out = await handlePushAnki(deps, { fetch: refused, origin: 'chrome-extension://abcdef' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatch(/Could not reach Anki at 127\.0\.0\.1:8765/);
    expect(out.error).toContain('"chrome-extension://abcdef"');
    expect(out.added).toBe(0);
  });

  it('gives up with a clear message when Anki does not answer in time', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    const hanging: AnkiFetch = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const out = await handlePushAnki(deps, { fetch: hanging, timeoutMs: 30 });
    expect(out).toEqual({ ok: false, error: expect.stringMatching(/did not answer in time/), added: 0 });
  });

  it('passes on a refusal in words the learner can act on', async () => {
    const deps = setup();
    await saveWord(deps, 'culvert');
    const denied = await handlePushAnki(deps, { fetch: fakeAnki({ permission: 'denied' }).fetch });
    expect(denied).toEqual({ ok: false, error: expect.stringMatching(/did not allow this extension/), added: 0 });
    const forbidden = await handlePushAnki(deps, { fetch: fakeAnki({ status: 403 }).fetch, origin: 'chrome-extension://abcdef' });
    expect(forbidden).toEqual({ ok: false, error: expect.stringMatching(/webCorsOriginList/), added: 0 });
  });
});

describe('Anki settings in a backup', () => {
  it('come back from a restore, and a backup without them restores the defaults', async () => {
    const source = setup();
    await saveSettings(source, { ankiDeck: 'Sprachen::Englisch', ankiNoteTypes: GERMAN, budgetMinutes: 35 });
    const { json } = await exportJson(source);

    const target = setup();
    await importBackup(target, { json });
    const restored = await readSettingsTx((await target.db()).transaction('kv'));
    expect([restored.ankiDeck, restored.ankiNoteTypes, restored.budgetMinutes]).toEqual(['Sprachen::Englisch', GERMAN, 35]);

    // A backup written before these settings existed: the same file without them.
    const older = JSON.parse(json) as { stores: { kv: { key: string; value: Record<string, unknown> }[] } };
    const settings = older.stores.kv.find((r) => r.key === KEYS.settings)!.value;
    delete settings['ankiDeck'];
    delete settings['ankiNoteTypes'];
    const another = setup();
    await importBackup(another, { json: JSON.stringify(older) });
    const defaults = await readSettingsTx((await another.db()).transaction('kv'));
    expect([defaults.ankiDeck, defaults.ankiNoteTypes, defaults.budgetMinutes]).toEqual([DEFAULT_DECK, DEFAULT_NOTE_TYPES, 35]);
  });

  it('refuse a backup whose Anki names are not names', async () => {
    const source = setup();
    await saveSettings(source, { ankiDeck: 'Deutsch' });
    const backup = JSON.parse((await exportJson(source)).json) as { stores: { kv: { key: string; value: Record<string, unknown> }[] } };
    backup.stores.kv.find((r) => r.key === KEYS.settings)!.value['ankiDeck'] = 'Deutsch\tSpanisch';
    await expect(importBackup(setup(), { json: JSON.stringify(backup) })).rejects.toThrow(/Nothing was changed/);
  });
});
