import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { DEFAULT_DECK, DEFAULT_NOTE_TYPES, type AnkiNoteTypes } from './anki';
import {
  ANKI_NAME_LIMITS,
  BUNDLED_ENCODER_ID,
  checkAnkiName,
  DEFAULT_SETTINGS,
  SettingsPatchSchema,
  SettingsSchema,
  applySettingsPatch,
  maxHighlightShare,
  studiesLanguage,
  studyLanguagePatch,
  isPaused,
  pauseSitePatch,
  readSettings,
  siteOf,
} from './settings';

describe('settings', () => {
  it('reads nothing as the defaults', () => {
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });
  it('keeps valid stored values and merges new defaults in', () => {
    const { onboarded: _dropped, ...older } = { ...DEFAULT_SETTINGS, budgetMinutes: 45 };
    expect(readSettings(older)).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45 });
  });
  it('falls back to the defaults when stored data is corrupt', () => {
    expect(readSettings({ ...DEFAULT_SETTINGS, budgetMinutes: -3 })).toEqual(DEFAULT_SETTINGS);
  });
  it('applies a patch and refuses an invalid one', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { interests: ['  rivers '] }).interests).toEqual(['rivers']);
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { rolloverHour: 25 })).toThrow();
  });
  it('caps the share of a page highlighted at 30% by default, less for few and more for many', () => {
    expect(maxHighlightShare(DEFAULT_SETTINGS.density)).toBe(0.3);
    expect(maxHighlightShare('few')).toBeLessThan(maxHighlightShare('normal'));
    expect(maxHighlightShare('normal')).toBeLessThan(maxHighlightShare('many'));
    expect(maxHighlightShare('many')).toBeLessThanOrEqual(0.5);
  });
  describe('studied languages', () => {
    it('studies the target language, regional tags included, and undetermined text', () => {
      expect(studiesLanguage(DEFAULT_SETTINGS, 'en-GB')).toBe(true);
      expect(studiesLanguage(DEFAULT_SETTINGS, 'und')).toBe(true);
      expect(studiesLanguage(DEFAULT_SETTINGS, 'fr')).toBe(false);
    });
    it('adds a language once, by its primary tag, and then studies it', () => {
      const patch = studyLanguagePatch(DEFAULT_SETTINGS, 'fr-CA');
      expect(patch).toEqual({ studiedLanguages: ['fr'] });
      const next = applySettingsPatch(DEFAULT_SETTINGS, patch);
      expect(studiesLanguage(next, 'fr')).toBe(true);
      expect(studyLanguagePatch(next, 'fr')).toEqual({});
    });
    it('reads settings stored before the field existed', () => {
      const { studiedLanguages: _, ...old } = DEFAULT_SETTINGS;
      expect(readSettings(old).studiedLanguages).toEqual([]);
    });
  });
  describe('encoderId', () => {
    it('defaults to the bundled USE-lite int8 encoder', () => {
      expect(DEFAULT_SETTINGS.encoderId).toBe('use-lite-int8');
      expect(BUNDLED_ENCODER_ID).toBe('use-lite-int8');
    });
    it('gives settings stored before the choice existed the default, keeping their other values', () => {
      const { encoderId: _absent, ...older } = { ...DEFAULT_SETTINGS, budgetMinutes: 45, interests: ['rivers'] };
      expect(readSettings(older)).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45, interests: ['rivers'] });
      // A backup written by an older version validates too (the schema fills the default).
      expect(v.parse(SettingsSchema, older).encoderId).toBe(BUNDLED_ENCODER_ID);
    });
    it('keeps a stored choice and accepts a patch naming a downloadable model', () => {
      const chosen = 'Xenova/paraphrase-multilingual-MiniLM-L12-v2:q8';
      expect(readSettings({ ...DEFAULT_SETTINGS, encoderId: chosen }).encoderId).toBe(chosen);
      expect(applySettingsPatch(DEFAULT_SETTINGS, { encoderId: chosen }).encoderId).toBe(chosen);
    });
    it('refuses an encoder id that is no id', () => {
      expect(() => applySettingsPatch(DEFAULT_SETTINGS, { encoderId: '../../etc/passwd?x' })).toThrow();
      expect(() => applySettingsPatch(DEFAULT_SETTINGS, { encoderId: '' })).toThrow();
    });
  });
});

describe('pausing', () => {
  it('pauses one site by host name, or every site', () => {
    const onSite = applySettingsPatch(DEFAULT_SETTINGS, pauseSitePatch(DEFAULT_SETTINGS, 'news.example', true));
    expect(isPaused(onSite, 'https://news.example/a?b')).toBe(true);
    expect(isPaused(onSite, 'https://other.example/')).toBe(false);
    const resumed = applySettingsPatch(onSite, pauseSitePatch(onSite, 'news.example', false));
    expect(isPaused(resumed, 'https://news.example/a')).toBe(false);
    expect(isPaused({ ...DEFAULT_SETTINGS, pausedEverywhere: true }, 'https://other.example/')).toBe(true);
  });
  it('has no site for addresses without a host', () => {
    expect(siteOf('about:blank')).toBeNull();
    expect(siteOf('not a url')).toBeNull();
    expect(isPaused({ ...DEFAULT_SETTINGS, pausedSites: ['x'] }, 'file:///x')).toBe(false);
  });
});

describe('Anki deck and note types', () => {
  const GERMAN: AnkiNoteTypes = {
    cloze: { modelName: 'Lückentext', textField: 'Text', extraField: 'Rückseite Extra' },
    basic: { modelName: 'Einfach', frontField: 'Vorderseite', backField: 'Rückseite' },
  };
  const withNoteTypes = (change: (t: AnkiNoteTypes) => void): AnkiNoteTypes => {
    const copy = structuredClone(GERMAN);
    change(copy);
    return copy;
  };

  it("default to the extension's deck and Anki's English note types", () => {
    expect(DEFAULT_SETTINGS.ankiDeck).toBe(DEFAULT_DECK);
    expect(DEFAULT_SETTINGS.ankiNoteTypes).toEqual(DEFAULT_NOTE_TYPES);
    expect(DEFAULT_NOTE_TYPES.cloze.modelName).toBe('Cloze');
  });

  it('are filled in for settings and backups written before they existed', () => {
    const { ankiDeck: _deck, ankiNoteTypes: _types, ...older } = { ...DEFAULT_SETTINGS, budgetMinutes: 45 };
    expect(readSettings(older)).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45 });
    const parsed = v.parse(SettingsSchema, older);
    expect([parsed.ankiDeck, parsed.ankiNoteTypes]).toEqual([DEFAULT_DECK, DEFAULT_NOTE_TYPES]);
  });

  it('keep what the learner chose, trimmed, subdecks included', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { ankiDeck: '  Sprachen::Deutsch ', ankiNoteTypes: withNoteTypes((t) => (t.basic.backField = ' Rückseite ')) });
    expect(next.ankiDeck).toBe('Sprachen::Deutsch');
    expect(next.ankiNoteTypes).toEqual(GERMAN);
    expect(readSettings(next)).toEqual(next);
    // A patch that changes something else leaves them alone.
    expect(applySettingsPatch(next, { budgetMinutes: 30 }).ankiNoteTypes).toEqual(GERMAN);
  });

  it('keep an AnkiConnect API key of printable characters only, empty by default', () => {
    expect(DEFAULT_SETTINGS.ankiApiKey).toBe('');
    expect(applySettingsPatch(DEFAULT_SETTINGS, { ankiApiKey: ' s3cr3t-KEY_1 ' }).ankiApiKey).toBe('s3cr3t-KEY_1');
    for (const ankiApiKey of ['two words', 'tab\tkey', 'ключ', 'k'.repeat(201)]) expect(() => applySettingsPatch(DEFAULT_SETTINGS, { ankiApiKey }), ankiApiKey).toThrow();
    const { ankiApiKey: _key, ...older } = DEFAULT_SETTINGS;
    expect(readSettings(older).ankiApiKey).toBe('');
  });

  it('refuse empty, overlong and control-character names', () => {
    for (const ankiDeck of ['', '   ', 'a\tb', 'a\nb', 'x\u0000', 'x\ud800y', 'd'.repeat(ANKI_NAME_LIMITS.deck + 1)]) {
      expect(() => applySettingsPatch(DEFAULT_SETTINGS, { ankiDeck }), JSON.stringify(ankiDeck)).toThrow();
    }
    expect(applySettingsPatch(DEFAULT_SETTINGS, { ankiDeck: 'd'.repeat(ANKI_NAME_LIMITS.deck) }).ankiDeck).toHaveLength(ANKI_NAME_LIMITS.deck);
    // Characters that are unusual but not control characters are names like any other.
    expect(applySettingsPatch(DEFAULT_SETTINGS, { ankiDeck: '日本語 “quotes” & <b>' }).ankiDeck).toBe('日本語 “quotes” & <b>');
    const bad: AnkiNoteTypes[] = [
      withNoteTypes((t) => (t.cloze.modelName = '')),
      withNoteTypes((t) => (t.cloze.textField = 'a\rb')),
      withNoteTypes((t) => (t.basic.frontField = 'f'.repeat(ANKI_NAME_LIMITS.field + 1))),
      withNoteTypes((t) => (t.basic.modelName = 'm'.repeat(ANKI_NAME_LIMITS.noteType + 1))),
    ];
    for (const ankiNoteTypes of bad) expect(() => applySettingsPatch(DEFAULT_SETTINGS, { ankiNoteTypes })).toThrow();
  });

  it('refuse one field name for both fields of a note type, whatever its case', () => {
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { ankiNoteTypes: withNoteTypes((t) => (t.cloze.extraField = 'TEXT')) })).toThrow();
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { ankiNoteTypes: withNoteTypes((t) => (t.basic.backField = 'vorderseite')) })).toThrow();
    // The same name in the two note types is fine: they are different note types.
    const same = withNoteTypes((t) => (t.basic.frontField = 'Text'));
    expect(applySettingsPatch(DEFAULT_SETTINGS, { ankiNoteTypes: same }).ankiNoteTypes.basic.frontField).toBe('Text');
  });

  it('refuse a note type with a field missing or one too many', () => {
    const { backField: _dropped, ...partial } = GERMAN.basic;
    expect(v.safeParse(SettingsPatchSchema, { ankiNoteTypes: { ...GERMAN, basic: partial } }).success).toBe(false);
    expect(v.safeParse(SettingsPatchSchema, { ankiNoteTypes: { ...GERMAN, basic: { ...GERMAN.basic, hint: 'x' } } }).success).toBe(false);
    expect(v.safeParse(SettingsPatchSchema, { ankiNoteTypes: { cloze: GERMAN.cloze } }).success).toBe(false);
  });
});

describe('reading stored settings', () => {
  it('replaces only the setting that no longer validates, keeping the others', () => {
    const stored = { ...DEFAULT_SETTINGS, interests: ['rivers'], ankiDeck: 'Deutsch', ankiNoteTypes: { cloze: DEFAULT_NOTE_TYPES.cloze } };
    expect(readSettings(stored)).toEqual({ ...DEFAULT_SETTINGS, interests: ['rivers'], ankiDeck: 'Deutsch' });
  });
  it('drops a setting this version does not know', () => {
    expect(readSettings({ ...DEFAULT_SETTINGS, budgetMinutes: 45, fromTheFuture: true })).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45 });
  });
});

describe('checkAnkiName', () => {
  it('trims a good name and says what is wrong with a bad one', () => {
    expect(checkAnkiName('  Lückentext ', 100)).toEqual({ ok: true, name: 'Lückentext' });
    expect(checkAnkiName(' \t ', 100)).toEqual({ ok: false, problem: 'empty' });
    expect(checkAnkiName('abcdef', 5)).toEqual({ ok: false, problem: 'too-long' });
    expect(checkAnkiName('a\u0007b', 100)).toEqual({ ok: false, problem: 'control' });
  });
});
