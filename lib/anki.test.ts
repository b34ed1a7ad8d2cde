import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSnippet, type SnippetInput } from './snippet.ts';
import { cardsFromSnippet, editCard, type ReviewCard } from './review.ts';
import {
  ANKI_CONNECT_URL,
  ANKI_SETTING_LABELS,
  DEFAULT_NOTE_TYPES,
  ankiFields,
  ankiTags,
  callAnkiConnect,
  clozeMarkup,
  delimitedField,
  describeAnkiFailure,
  escapeHtml,
  interpretAnkiReply,
  pushToAnki,
  sourceLink,
  toAnkiText,
  defuseFormula,
  type AnkiConnectRequest,
  type AnkiFetch,
  type AnkiNoteTypes,
} from './anki.ts';

/** The note types of an Anki whose interface language is German. */
const GERMAN: AnkiNoteTypes = {
  cloze: { modelName: 'Lückentext', textField: 'Text', extraField: 'Rückseite Extra' },
  basic: { modelName: 'Einfach', frontField: 'Vorderseite', backField: 'Rückseite' },
};
const GERMAN_ANKI = { Lückentext: ['Text', 'Rückseite Extra'], Einfach: ['Vorderseite', 'Rückseite'] };

const T0 = 1_700_000_000_000;
const ORIGIN = 'chrome-extension://abcdefghijklmnop';

function cards(over: Partial<SnippetInput> = {}): ReviewCard[] {
  const snippet = createSnippet({
    passage: 'Die Katze schläft auf dem Sofa. Es regnet heute.',
    url: 'https://example.org/tiere?a=1&b=2',
    title: 'Tiere <3',
    lang: 'de',
    createdAt: T0,
    marks: ['Katze'],
    ...over,
  });
  return cardsFromSnippet(snippet, T0);
}
const clozeCard = () => cards()[0]!;
const gistCard = () => cards({ marks: [] })[0]!;

/** RFC 4180 reader, to check that exported lines split back into the intended fields. */
function readDelimited(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

describe('field content', () => {
  it('escapes HTML, braces and line breaks in page text', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & {{c1::x}}\nnext`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; &#123;&#123;c1::x&#125;&#125;<br>next',
    );
  });

  it('hides the word as {{c1::…}} and nothing in the page text can add a cloze', () => {
    expect(clozeMarkup(clozeCard() as Extract<ReviewCard, { kind: 'cloze' }>)).toBe('Die {{c1::Katze}} schläft auf dem Sofa.');
    const tricky = editCard(clozeCard(), { text: 'a {{c2::b}} c::d <b>e</b>', cloze: { start: 12, end: 16 } }, T0);
    const markup = clozeMarkup(tricky as Extract<ReviewCard, { kind: 'cloze' }>);
    expect(markup.match(/\{\{/gu)).toHaveLength(1);
    expect(markup).toContain('{{c1::c&#58;&#58;d}}');
    expect(markup).not.toContain('<b>');
  });

  it('links the source only for http(s) pages, with the address escaped', () => {
    expect(sourceLink({ url: 'https://example.org/?a=1&b="2"', title: 'T' })).toBe(
      '<a href="https://example.org/?a=1&amp;b=%222%22">T</a>',
    );
    expect(sourceLink({ url: 'javascript:alert(1)', title: 'Evil' })).toBe('Evil');
    expect(sourceLink({ url: 'https://example.org/x', title: '' })).toBe('<a href="https://example.org/x">example.org</a>');
  });

  it('fills cloze cards into Cloze notes and gist cards into Basic notes, or the named note types', () => {
    const c = ankiFields(clozeCard());
    expect(c.modelName).toBe('Cloze');
    expect(Object.keys(c.fields)).toEqual(['Text', 'Back Extra']);
    expect(c.fields['Back Extra']).toContain('<a href="https://example.org/tiere?a=1&amp;b=2">Tiere &lt;3</a>');
    const g = ankiFields(gistCard());
    expect(g.modelName).toBe('Basic');
    expect(g.fields['Front']).toContain('Recall the gist: ');
    expect(g.fields['Back']).toContain('Die Katze schläft auf dem Sofa. Es regnet heute.');
    const german = ankiFields(clozeCard(), {
      cloze: { modelName: 'Lückentext', textField: 'Text', extraField: 'Rückseite Extra' },
      basic: { modelName: 'Einfach', frontField: 'Vorderseite', backField: 'Rückseite' },
    });
    expect(german.modelName).toBe('Lückentext');
    expect(Object.keys(german.fields)).toEqual(['Text', 'Rückseite Extra']);
  });

  it("puts a card's saved meaning, escaped, first in the cloze note's extra field", () => {
    const card = { ...(clozeCard() as Extract<ReviewCard, { kind: 'cloze' }>), sense: { lemma: 'Katze', pos: 'noun', gloss: 'a <small> cat' } };
    expect(ankiFields(card).fields['Back Extra']!.startsWith('Katze (noun): a &lt;small&gt; cat<br><br>')).toBe(true);
  });

  it('tags every note, without spaces inside a tag', () => {
    const card = editCard(clozeCard(), { tags: ['Tiere'] }, T0);
    expect(ankiTags(card, ['my deck'])).toEqual(['attention-reader', 'lang::de', 'Tiere', 'my_deck']);
  });
});

describe('text export', () => {
  it('writes Anki file headers and one line per card: id, note type, deck, two fields, tags', () => {
    const text = toAnkiText([clozeCard(), gistCard()], 'tsv', { deck: 'Deutsch' });
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '#separator:tab',
      '#html:true',
      '#guid column:1',
      '#notetype column:2',
      '#deck column:3',
      '#tags column:6',
    ]);
    const rows = readDelimited(lines.slice(6).join('\n'), '\t');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual([clozeCard().id, 'Cloze', 'Deutsch', 'Die {{c1::Katze}} schläft auf dem Sofa.', ankiFields(clozeCard()).values[1], 'attention-reader lang::de']);
    expect(rows[1]![1]).toBe('Basic');
  });

  it("names the learner's note types in the note type column", () => {
    const text = toAnkiText([clozeCard(), gistCard()], 'csv', { deck: 'Sprachen::Deutsch', noteTypes: GERMAN });
    const rows = readDelimited(text.split('\n').slice(6).join('\n'), ',');
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['Lückentext', 'Sprachen::Deutsch'],
      ['Einfach', 'Sprachen::Deutsch'],
    ]);
  });

  it('keeps every field intact whatever the learner wrote, in TSV and CSV', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', '\t', '"', '\n', '\r', ' ', '<', '&', '#') }), fc.constantFrom<'tsv' | 'csv'>('tsv', 'csv'), (note, format) => {
        const card = editCard(clozeCard(), { note }, T0);
        const text = toAnkiText([card], format, { deck: 'A, "B"\tC' });
        const body = text.split('\n').slice(6).join('\n');
        const rows = readDelimited(body, format === 'tsv' ? '\t' : ',');
        expect(rows).toHaveLength(1);
        expect(rows[0]).toEqual([card.id, 'Cloze', 'A, "B"\tC', defuseFormula(ankiFields(card).values[0], true), defuseFormula(ankiFields(card).values[1], true), 'attention-reader lang::de']);
      }),
    );
  });

  it('leaves no cell a spreadsheet would run as a formula, and Anki shows the same text', () => {
    const formulas = ['=HYPERLINK("https://evil.example","click")', '=CHAR(61)&CHAR(49)', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1'];
    for (const format of ['tsv', 'csv'] as const) {
      for (const formula of formulas) {
        const card = cards({ passage: `${formula} Die Katze schläft.`, marks: [] })[0]!;
        expect(ankiFields(card).values.some((v) => /^[=+\-@]/u.test(v)), formula).toBe(true);
        const text = toAnkiText([editCard(card, { tags: ['-x'] }, T0)], format, { deck: '=Deck', noteTypes: { cloze: { ...GERMAN.cloze, modelName: '@Cloze' }, basic: { ...GERMAN.basic, modelName: '+Basic' } } });
        const rows = readDelimited(text.split('\n').slice(6).join('\n'), format === 'tsv' ? '\t' : ',');
        for (const cell of rows[0]!) expect(cell, `${format}: ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r]/u);
        // The note's fields are HTML in Anki: an entity for the first character reads the same.
        const raw = ankiFields(card).values;
        expect(rows[0]![3]).toBe(defuseFormula(raw[0], true));
        expect(rows[0]![4]).toBe(defuseFormula(raw[1], true));
      }
    }
    expect(defuseFormula('=1+1', true)).toBe('&#61;1+1');
    expect(defuseFormula('=1+1', false)).toBe("'=1+1");
    expect(defuseFormula('Die Katze', true)).toBe('Die Katze');
  });

  it('quotes a field only when it must', () => {
    expect(delimitedField('plain', ',')).toBe('plain');
    expect(delimitedField('a,b', ',')).toBe('"a,b"');
    expect(delimitedField('say "hi"', '\t')).toBe('"say ""hi"""');
    expect(delimitedField('a\tb', ',')).toBe('a\tb');
  });
});

describe('AnkiConnect requests and replies', () => {
  it('sends version 6 addNotes requests: deck, note type, fields, tags, no duplicates', async () => {
    const anki = fakeAnki();
    expect(await pushToAnki([clozeCard()], { fetch: anki.fetch, deck: 'Deutsch', tags: ['x'], apiKey: 'k' })).toMatchObject({ ok: true, added: 1 });
    const request = anki.calls.find((c) => c.action === 'addNotes');
    expect(request).toEqual({
      action: 'addNotes',
      version: 6,
      key: 'k',
      params: {
        notes: [
          {
            deckName: 'Deutsch',
            modelName: 'Cloze',
            fields: ankiFields(clozeCard()).fields,
            tags: ['attention-reader', 'lang::de', 'x'],
            options: { allowDuplicate: false, duplicateScope: 'deck' },
          },
        ],
      },
    });
  });

  it('reads replies: results, Anki errors, refusals and strangers', () => {
    expect(interpretAnkiReply(200, '{"result":[1],"error":null}')).toEqual({ ok: true, result: [1] });
    expect(interpretAnkiReply(200, '{"result":null,"error":"model was not found: Cloze"}')).toEqual({
      ok: false,
      failure: { kind: 'anki', error: 'model was not found: Cloze' },
    });
    expect(interpretAnkiReply(403, '')).toEqual({ ok: false, failure: { kind: 'forbidden' } });
    expect(interpretAnkiReply(500, 'oops')).toEqual({ ok: false, failure: { kind: 'http', status: 500 } });
    expect(interpretAnkiReply(200, '<html>')).toEqual({ ok: false, failure: { kind: 'malformed' } });
    expect(interpretAnkiReply(200, '{"result":1}')).toEqual({ ok: false, failure: { kind: 'malformed' } });
  });

  it('explains failures in words the learner can act on', () => {
    const unreachable = describeAnkiFailure({ kind: 'unreachable' }, { origin: ORIGIN });
    expect(unreachable).toMatch(/Open Anki/u);
    expect(unreachable).toMatch(/AnkiConnect/u);
    const forbidden = describeAnkiFailure({ kind: 'forbidden' }, { origin: ORIGIN });
    expect(forbidden).toContain(`"${ORIGIN}"`);
    expect(forbidden).toContain('webCorsOriginList');
    expect(describeAnkiFailure({ kind: 'anki', error: 'model was not found: Cloze' })).toMatch(/no note type called "Cloze".*your language/su);
    expect(describeAnkiFailure({ kind: 'anki', error: 'valid api key must be provided' })).toMatch(/API key/u);
    expect(describeAnkiFailure({ kind: 'anki', error: 'collection is not available' })).toMatch(/profile/u);
    expect(describeAnkiFailure({ kind: 'anki', error: 'something new' })).toBe('Anki reported: something new');
  });

  it('names the setting to change when Anki lacks the deck or a note type', () => {
    const context = { deck: 'Deutsch', noteTypes: GERMAN };
    const cloze = describeAnkiFailure({ kind: 'anki', error: 'model was not found: Lückentext' }, context);
    expect(cloze).toContain('no note type called "Lückentext"');
    expect(cloze).toContain(`"${ANKI_SETTING_LABELS.clozeModel}"`);
    expect(cloze).not.toContain(ANKI_SETTING_LABELS.basicModel);
    const basic = describeAnkiFailure({ kind: 'anki', error: 'model was not found: Einfach' }, context);
    expect(basic).toContain(`"${ANKI_SETTING_LABELS.basicModel}"`);
    expect(basic).not.toContain(ANKI_SETTING_LABELS.clozeModel);
    // One name for both note types: both settings are named.
    const shared = { cloze: { ...GERMAN.cloze, modelName: 'Mine' }, basic: { ...GERMAN.basic, modelName: 'Mine' } };
    const both = describeAnkiFailure({ kind: 'anki', error: 'model was not found: Mine' }, { noteTypes: shared });
    expect(both).toContain(`"${ANKI_SETTING_LABELS.clozeModel}" and "${ANKI_SETTING_LABELS.basicModel}"`);
    expect(describeAnkiFailure({ kind: 'anki', error: 'deck was not found: Deutsch' }, context)).toMatch(/no deck called "Deutsch".*"Deck"/su);
    const fields = describeAnkiFailure({
      kind: 'missing-fields',
      modelName: 'Einfach',
      missing: [{ setting: 'basicBack', field: 'Back' }],
      available: ['Vorderseite', 'Rückseite'],
    });
    expect(fields).toBe(
      `Anki's note type "Einfach" has no field called "Back". Its fields are "Vorderseite", "Rückseite". ` +
        `Enter the field names Anki shows (Tools → Manage Note Types → Fields) as "${ANKI_SETTING_LABELS.basicBack}" in this extension's settings, under Anki → Note types.`,
    );
  });

  it('posts JSON to 127.0.0.1:8765 and turns network errors into messages, never throwing', async () => {
    const sent: { url: string; body: string; method: string }[] = [];
    const ok: AnkiFetch = async (url, init) => {
      sent.push({ url, body: init.body, method: init.method });
      return { status: 200, text: async () => '{"result":6,"error":null}' };
    };
    expect(await callAnkiConnect({ action: 'version', version: 6 }, { fetch: ok })).toEqual({ ok: true, result: 6 });
    expect(sent).toEqual([{ url: ANKI_CONNECT_URL, body: '{"action":"version","version":6}', method: 'POST' }]);

    const refused: AnkiFetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const down = await callAnkiConnect({ action: 'version', version: 6 }, { fetch: refused, origin: ORIGIN });
    expect(down).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
    expect(!down.ok && down.error).toMatch(/Could not reach Anki/u);

    const slow: AnkiFetch = async () => {
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    };
    expect(await callAnkiConnect({ action: 'version', version: 6 }, { fetch: slow })).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });
});

/** A stand-in for the AnkiConnect add-on: answers the actions pushToAnki uses. */
function fakeAnki(
  options: {
    permission?: 'granted' | 'denied' | 'unsupported';
    requireApikey?: boolean;
    /** How many notes Anki has already: the first this many that canAddNotes is asked about, over all its requests. */
    existing?: number;
    status?: number;
    /** The note types this Anki has, with their fields; 'unsupported' for an AnkiConnect without modelFieldNames. */
    models?: Record<string, string[]> | 'unsupported';
    /** AnkiConnect before 2021 answered null for a missing note type. */
    oldMissingModel?: boolean;
  } = {},
) {
  const models = options.models ?? { Cloze: ['Text', 'Back Extra'], Basic: ['Front', 'Back'] };
  const calls: AnkiConnectRequest[] = [];
  let nextId = 1000;
  let asked = 0;
  const fetch: AnkiFetch = async (_url, init) => {
    const request = JSON.parse(init.body) as AnkiConnectRequest;
    calls.push(request);
    const reply = (result: unknown, error: string | null = null) => ({ status: options.status ?? 200, text: async () => JSON.stringify({ result, error }) });
    const notes = (request.params?.['notes'] ?? []) as unknown[];
    switch (request.action) {
      case 'requestPermission':
        if (options.permission === 'unsupported') return reply(null, 'unsupported action');
        return reply(options.permission === 'denied' ? { permission: 'denied' } : { permission: 'granted', requireApikey: options.requireApikey ?? false, version: 6 });
      case 'createDeck':
        return reply(1);
      case 'modelFieldNames': {
        if (models === 'unsupported') return reply(null, 'unsupported action');
        const name = request.params?.['modelName'] as string;
        const fields = Object.hasOwn(models, name) ? models[name] : undefined;
        if (fields) return reply(fields);
        return options.oldMissingModel ? reply(null) : reply(null, `model was not found: ${name}`);
      }
      case 'canAddNotes':
        // As AnkiConnect does: a note of a missing note type is a plain `false`, as if Anki had it.
        return reply(
          notes.map((n) => {
            const modelName = (n as { modelName: string }).modelName;
            return asked++ >= (options.existing ?? 0) && (models === 'unsupported' || Object.hasOwn(models, modelName));
          }),
        );
      case 'addNotes':
        return reply(notes.map(() => nextId++));
      default:
        return reply(null, 'unsupported action');
    }
  };
  return { fetch, calls };
}

describe('pushToAnki', () => {
  it('asks permission, makes the deck, leaves out notes Anki already has and adds the rest', async () => {
    const anki = fakeAnki({ existing: 1 });
    const all = [...cards({ marks: ['Katze', 'regnet'] }), gistCard()];
    const result = await pushToAnki(all, { fetch: anki.fetch, deck: 'Deutsch' });
    expect(result).toEqual({ ok: true, added: 2, skipped: 1, noteIds: [1000, 1001] });
    expect(anki.calls.map((c) => c.action)).toEqual(['requestPermission', 'createDeck', 'modelFieldNames', 'modelFieldNames', 'canAddNotes', 'addNotes']);
    expect(anki.calls[1]!.params).toEqual({ deck: 'Deutsch' });
    expect(anki.calls.slice(2, 4).map((c) => c.params)).toEqual([{ modelName: 'Cloze' }, { modelName: 'Basic' }]);
    expect((anki.calls[5]!.params!['notes'] as unknown[]).length).toBe(2);
  });

  it("puts the notes into the learner's deck and note types, with their field names", async () => {
    const anki = fakeAnki({ models: GERMAN_ANKI });
    const result = await pushToAnki([clozeCard(), gistCard()], { fetch: anki.fetch, deck: ' Sprachen::Deutsch ', noteTypes: GERMAN });
    expect(result).toMatchObject({ ok: true, added: 2 });
    expect(anki.calls[1]!.params).toEqual({ deck: 'Sprachen::Deutsch' });
    const added = anki.calls.find((c) => c.action === 'addNotes')!.params!['notes'] as { deckName: string; modelName: string; fields: Record<string, string> }[];
    expect(added.map((n) => [n.deckName, n.modelName, Object.keys(n.fields)])).toEqual([
      ['Sprachen::Deutsch', 'Lückentext', ['Text', 'Rückseite Extra']],
      ['Sprachen::Deutsch', 'Einfach', ['Vorderseite', 'Rückseite']],
    ]);
  });

  it('asks only about the note types the cards need, and matches field names ignoring case as AnkiConnect does', async () => {
    const anki = fakeAnki({ models: { Cloze: ['text', 'BACK EXTRA'] } });
    expect(await pushToAnki([clozeCard()], { fetch: anki.fetch })).toMatchObject({ ok: true, added: 1 });
    expect(anki.calls.filter((c) => c.action === 'modelFieldNames').map((c) => c.params)).toEqual([{ modelName: 'Cloze' }]);
  });

  it('stops before adding when Anki lacks a note type, naming the setting (AnkiConnect would say "already there")', async () => {
    for (const oldMissingModel of [false, true]) {
      const anki = fakeAnki({ models: GERMAN_ANKI, oldMissingModel });
      const result = await pushToAnki([clozeCard(), gistCard()], { fetch: anki.fetch });
      expect(result).toEqual({ ok: false, error: expect.stringContaining('no note type called "Cloze"'), added: 0 });
      expect(!result.ok && result.error).toContain(`"${ANKI_SETTING_LABELS.clozeModel}"`);
      expect(anki.calls.some((c) => c.action === 'canAddNotes' || c.action === 'addNotes')).toBe(false);
    }
    const basicOnly = await pushToAnki([gistCard()], { fetch: fakeAnki({ models: { Cloze: ['Text', 'Back Extra'] } }).fetch, noteTypes: DEFAULT_NOTE_TYPES });
    expect(!basicOnly.ok && basicOnly.error).toContain(`"${ANKI_SETTING_LABELS.basicModel}"`);
  });

  it('stops before adding when the note type lacks a field the settings name, listing the fields it has', async () => {
    const anki = fakeAnki({ models: { ...GERMAN_ANKI, Einfach: ['Vorderseite', 'Rückseite'] } });
    const noteTypes = { ...GERMAN, basic: { modelName: 'Einfach', frontField: 'Front', backField: 'Rückseite' } };
    const result = await pushToAnki([clozeCard(), gistCard()], { fetch: anki.fetch, noteTypes });
    expect(result).toMatchObject({ ok: false, added: 0 });
    const error = result.ok ? '' : result.error;
    expect(error).toContain('"Einfach" has no field called "Front"');
    expect(error).toContain('"Vorderseite", "Rückseite"');
    expect(error).toContain(`"${ANKI_SETTING_LABELS.basicFront}"`);
    expect(error).not.toContain(ANKI_SETTING_LABELS.basicBack);
    expect(anki.calls.some((c) => c.action === 'addNotes')).toBe(false);
  });

  it('adds without the check where AnkiConnect does not know modelFieldNames', async () => {
    const anki = fakeAnki({ models: 'unsupported' });
    expect(await pushToAnki([clozeCard(), gistCard()], { fetch: anki.fetch })).toMatchObject({ ok: true, added: 2 });
  });

  it('sends large exports in batches, checking each batch with canAddNotes just before adding it', async () => {
    const anki = fakeAnki();
    const many = Array.from({ length: 250 }, (_, i) => ({ ...gistCard(), id: `c_${i}` }));
    const result = await pushToAnki(many, { fetch: anki.fetch });
    expect(result).toMatchObject({ ok: true, added: 250, skipped: 0 });
    const batches = anki.calls
      .filter((c) => c.action === 'canAddNotes' || c.action === 'addNotes')
      .map((c) => [c.action, (c.params!['notes'] as unknown[]).length]);
    expect(batches).toEqual([
      ['canAddNotes', 100],
      ['addNotes', 100],
      ['canAddNotes', 100],
      ['addNotes', 100],
      ['canAddNotes', 50],
      ['addNotes', 50],
    ]);
  });

  it('skips the addNotes request of a batch Anki has all of, and adds the new notes of the others', async () => {
    const anki = fakeAnki({ existing: 120 });
    const many = Array.from({ length: 150 }, (_, i) => ({ ...gistCard(), id: `c_${i}` }));
    const result = await pushToAnki(many, { fetch: anki.fetch });
    expect(result).toMatchObject({ ok: true, added: 30, skipped: 120 });
    const batches = anki.calls
      .filter((c) => c.action === 'canAddNotes' || c.action === 'addNotes')
      .map((c) => [c.action, (c.params!['notes'] as unknown[]).length]);
    expect(batches).toEqual([
      ['canAddNotes', 100],
      ['canAddNotes', 50],
      ['addNotes', 30],
    ]);
  });

  it('stops with a clear message when permission is denied, a key is missing, or Anki is closed', async () => {
    const denied = await pushToAnki([clozeCard()], { fetch: fakeAnki({ permission: 'denied' }).fetch, origin: ORIGIN });
    expect(denied).toMatchObject({ ok: false, added: 0 });
    expect(!denied.ok && denied.error).toMatch(/did not allow/u);

    const keyless = await pushToAnki([clozeCard()], { fetch: fakeAnki({ requireApikey: true }).fetch });
    expect(!keyless.ok && keyless.error).toMatch(/API key/u);

    const forbidden = await pushToAnki([clozeCard()], { fetch: fakeAnki({ status: 403 }).fetch, origin: ORIGIN });
    expect(!forbidden.ok && forbidden.error).toContain(ORIGIN);

    const closed = await pushToAnki([clozeCard()], {
      fetch: async () => {
        throw new TypeError('NetworkError when attempting to fetch resource.');
      },
    });
    expect(!closed.ok && closed.error).toMatch(/Could not reach Anki/u);
  });

  it('works with an AnkiConnect too old to know requestPermission, and sends the API key', async () => {
    const anki = fakeAnki({ permission: 'unsupported' });
    expect(await pushToAnki([clozeCard()], { fetch: anki.fetch, apiKey: 'secret' })).toMatchObject({ ok: true, added: 1 });
    expect(anki.calls.slice(1).every((c) => c.key === 'secret')).toBe(true);
  });

  it('does nothing for no cards', async () => {
    const anki = fakeAnki();
    expect(await pushToAnki([], { fetch: anki.fetch })).toEqual({ ok: true, added: 0, skipped: 0, noteIds: [] });
    expect(anki.calls).toHaveLength(0);
  });
});
