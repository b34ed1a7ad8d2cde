// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ANKI_SETTING_LABELS, DEFAULT_DECK, DEFAULT_NOTE_TYPES, describeAnkiFailure } from '../../lib/anki';
import type { DashboardOut, LearnerSummaryOut } from '../../lib/protocol';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../lib/settings';
import { levelForVocabulary, VOCABULARY_BY_LEVEL, type FrequencyList } from '../../lib/vocabulary';
import type { OptionsApi } from './api';
import { OptionsApp } from './OptionsApp';
import { fakeSites } from '../../tests/unit/fake-sites';

/**
 * A ranked list of 5,000 made-up but well-formed words (consonant-vowel syllables, no
 * inflection-like endings), so that every band of the placement test has fair items.
 */
function wordList(): FrequencyList {
  const consonants = 'bdfgklmnprtvz';
  const vowels = 'aiou';
  const words: string[] = [];
  for (let i = 0; words.length < 5000; i++) {
    let n = i;
    let w = '';
    for (let s = 0; s < 3; s++) {
      w += consonants[n % consonants.length]! + vowels[Math.floor(n / consonants.length) % vowels.length]!;
      n = Math.floor(n / (consonants.length * vowels.length));
    }
    words.push(w);
  }
  return { lang: 'en', words };
}
const LIST = wordList();
const RANK = new Map(LIST.words.map((w, i) => [w, i + 1]));

function fakeApi(start: Partial<Settings> = {}, failures: { import?: string } = {}) {
  let settings: Settings = { ...DEFAULT_SETTINGS, ...start };
  let vocabularySize = 5000;
  const sites = fakeSites();
  const calls = { patches: [] as SettingsPatch[], sizes: [] as number[], downloads: [] as string[], imports: [] as string[], deletes: 0, forgets: 0, ...sites.calls };
  const summary = (): LearnerSummaryOut => ({ targetLang: settings.targetLang, vocabularySize, level: levelForVocabulary(vocabularySize), wordsPerMinute: 120, knownWords: 3, learningWords: 4, knownThisWeek: 1 });
  const api: OptionsApi = {
    getSettings: async () => settings,
    updateSettings: async (patch) => {
      calls.patches.push(patch);
      settings = applySettingsPatch(settings, patch);
      return settings;
    },
    getLearner: async () => summary(),
    setVocabulary: async (size) => {
      calls.sizes.push(size);
      vocabularySize = size;
      return summary();
    },
    loadWordList: async () => LIST,
    getDashboard: async () => ({ scorer: 'encoder', scorerNote: 'on-device language model (wasm)' }) as DashboardOut,
    exportData: async () => ({ fileName: 'attention-reader-backup-2026-11-28.json', parts: ['{"format":', '"attention-reader-backup"}'], chars: 36 }),
    importData: async (json) => {
      calls.imports.push(json);
      if (failures.import) throw new Error(failures.import);
      settings = { ...settings, onboarded: true };
      return { restored: { daily: 3, paragraphs: 40, snippets: 2, cards: 5 } };
    },
    // The first forget finds 12 judgements; after it there is nothing left to forget.
    forgetLearning: async () => (calls.forgets++ === 0 ? 12 : 0),
    deleteAll: async () => {
      calls.deletes++;
      settings = DEFAULT_SETTINGS;
    },
    download: (fileName) => calls.downloads.push(fileName),
    seed: () => 42,
    sites: sites.api,
  };
  return { api, calls, current: () => settings, grant: sites.grant };
}

let container: HTMLElement;
let hash = '';
async function settle() {
  for (let i = 0; i < 8; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
}
async function mount(api: OptionsApi, at = '') {
  hash = at;
  container = document.createElement('div');
  document.body.append(container);
  await act(async () => render(<OptionsApp api={api} location={{ hash: at, setHash: (h) => (hash = h) }} />, container));
  await settle();
}
afterEach(() => {
  render(null, container);
  container.remove();
});

const $ = <E extends Element = HTMLElement>(sel: string) => container.querySelector<E>(sel);
const text = () => container.textContent ?? '';
function button(name: RegExp): HTMLButtonElement {
  const b = [...container.querySelectorAll('button')].find((x) => name.test(x.textContent ?? ''));
  if (!b) throw new Error(`no button ${name} in: ${text().slice(0, 300)}`);
  return b;
}
async function click(name: RegExp) {
  await act(async () => button(name).click());
  await settle();
}
async function change(sel: string, value: string) {
  const el = $<HTMLInputElement | HTMLSelectElement>(sel)!;
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}
async function check(el: HTMLInputElement) {
  await act(async () => el.click());
}

describe('onboarding', () => {
  it('walks through languages, a word check, interests and the daily budget, saving each step', async () => {
    const { api, calls, current } = fakeApi();
    await mount(api, '#welcome');
    expect($('h1')!.textContent).toMatch(/Welcome/);
    expect($('[aria-current="step"]')!.textContent).toBe('Languages');

    await change('#native-lang', 'pt');
    await click(/^Next$/);
    expect(calls.patches[0]).toEqual({ targetLang: 'en', nativeLang: 'pt' });
    expect(document.activeElement?.id).toBe('step-heading');
    expect($('#step-heading')!.textContent).toBe('Your level');

    // Tick exactly the real words among the 4,000 most frequent.
    const boxes = [...container.querySelectorAll<HTMLInputElement>('.word-grid input')];
    expect(boxes.length).toBe(4 * 5 + 12); // a 5,000-word list has four bands of 5 words; 12 made-up words
    for (const box of boxes) {
      const word = box.nextElementSibling!.textContent!;
      if ((RANK.get(word) ?? Infinity) <= 4000) await check(box);
    }
    await settle();
    await click(/Show my level/);
    expect(calls.sizes).toEqual([4000]);
    expect(text()).toMatch(/You know about 4,000 English words: level B1\./);
    expect($('[data-level]')!.textContent).toBe('Level B1 saved (about 4,000 words).');
    await click(/^Next$/);

    const lines = ['rivers', '  city   planning ', '', 'Rivers', 'football'];
    const area = $<HTMLTextAreaElement>('#interests')!;
    await act(async () => {
      area.value = lines.join('\n');
      area.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(/^Next$/);
    expect(calls.patches.at(-1)).toEqual({ interests: ['rivers', 'city planning', 'football'] });

    await change('#budget', '200');
    expect($<HTMLInputElement>('#budget')!.value).toBe('120');
    await change('#budget', '25');
    await check($<HTMLInputElement>('input[name="density"][value="many"]')!);
    await settle();
    await click(/^Finish$/);
    expect(calls.patches.at(-1)).toEqual({ budgetMinutes: 25, density: 'many', onboarded: true });
    expect(current()).toMatchObject({ nativeLang: 'pt', interests: ['rivers', 'city planning', 'football'], budgetMinutes: 25, density: 'many', onboarded: true });
    expect($('#step-heading')!.textContent).toBe('You are set up');
    expect(document.activeElement?.id).toBe('step-heading');
    // The last screen asks where to read: nothing is granted until the learner says so.
    expect(calls.requested).toEqual([]);
    expect($('.sites')!.textContent).toMatch(/Not on for any site yet/);
    await click(/Turn on for all sites/);
    expect(calls.requested).toEqual([['*://*/*']]);
    expect($('.sites')!.getAttribute('data-sites')).toBe('all');
    await click(/See all settings/);
    expect(hash).toBe('');
    expect($('h1')!.textContent).toMatch(/settings/);
  });

  it('does not save a level the word check cannot trust, unless asked to', async () => {
    const { api, calls } = fakeApi();
    await mount(api, '#welcome');
    await click(/^Next$/);
    for (const box of container.querySelectorAll<HTMLInputElement>('.word-grid input')) await check(box);
    await settle();
    await click(/Show my level/);
    expect(calls.sizes).toEqual([]);
    expect(text()).toMatch(/You ticked 12 made-up words, so this estimate is rough/);
    await click(/Try again with other words/);
    expect(container.querySelectorAll('.word-grid input:checked')).toHaveLength(0);
    await click(/Skip, and choose my level/);
    await check($<HTMLInputElement>('input[name="level"][value="C1"]')!);
    await settle();
    await click(/Use this level/);
    expect(calls.sizes).toEqual([VOCABULARY_BY_LEVEL.C1]);
    expect($('[data-level]')!.getAttribute('data-level')).toBe('C1');
  });

  it('says plainly, where the language is chosen, what works for it', async () => {
    const { api } = fakeApi();
    await mount(api, '#welcome');
    const support = () => $('#target-lang-support')!;
    expect($('#target-lang')!.getAttribute('aria-describedby')).toBe('target-lang-support');
    expect(support().dataset.languageSupport).toBe('full');
    expect(support().textContent).toMatch(/English.*word list.*word check.*bundled on-device model/);
    await change('#target-lang', 'fr');
    expect(support().dataset.languageSupport).toBe('reading-only');
    expect(support().textContent).toMatch(/^For French \(français\): the word list, the word check and the bundled relevance model are English only\./);
    expect(support().textContent).toMatch(/learned from your own reading/);
  });

  it('offers only the level picker for a language without a word check', async () => {
    const { api, calls } = fakeApi();
    await mount(api, '#welcome');
    await change('#target-lang', 'de');
    await click(/^Next$/);
    expect(calls.patches[0]).toMatchObject({ targetLang: 'de' });
    expect($('.word-grid')).toBeNull();
    expect(text()).toMatch(/The word check is available for English only; for German/);
    await check($<HTMLInputElement>('input[name="level"][value="A2"]')!);
    await settle();
    await click(/Use this level/);
    expect(calls.sizes).toEqual([VOCABULARY_BY_LEVEL.A2]);
  });

  it('refuses too many interests with a message tied to the field', async () => {
    const { api, calls } = fakeApi();
    await mount(api, '#welcome');
    await click(/^Next$/);
    await click(/^Next$/);
    const area = $<HTMLTextAreaElement>('#interests')!;
    await act(async () => {
      area.value = Array.from({ length: 21 }, (_, i) => `topic ${i}`).join('\n');
      area.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(/^Next$/);
    expect($('#interests-error')!.textContent).toBe('Please keep to 20 interests or fewer.');
    expect($('#interests')!.getAttribute('aria-invalid')).toBe('true');
    expect(calls.patches.some((p) => 'interests' in p)).toBe(false);
  });

  it('is shown to a learner who has not finished it, whatever the address', async () => {
    await mount(fakeApi().api, '');
    expect($('h1')!.textContent).toMatch(/Welcome/);
    render(null, container);
    container.remove();
    await mount(fakeApi({ onboarded: true }).api, '');
    expect($('h1')!.textContent).toMatch(/settings/);
  });
});

describe('settings page', () => {
  it('saves a change when it is made and says so', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    await change('#budget', '30');
    expect(calls.patches).toEqual([{ budgetMinutes: 30 }]);
    expect($('#daily-heading')!.parentElement!.textContent).toMatch(/Saved\./);
    await change('#rollover', '6');
    expect(calls.patches.at(-1)).toEqual({ rolloverHour: 6 });
    await change('#retention', '85');
    expect(calls.patches.at(-1)).toEqual({ desiredRetention: 0.85 });
    expect($('output')!.textContent).toBe('85%');
  });

  it('lists the sites turned on one by one and turns each off, or all sites', async () => {
    const { api, calls, grant } = fakeApi({ onboarded: true });
    grant(['*://b.example/*', '*://a.example/*', 'http://127.0.0.1:8765/*']);
    await mount(api);
    // AnkiConnect's address is not a site the extension reads, so it is not listed.
    expect([...container.querySelectorAll('.site-list li span')].map((e) => e.textContent)).toEqual(['a.example', 'b.example']);
    await click(/Turn off for a\.example/);
    expect(calls.removed).toEqual([['*://a.example/*']]);
    expect([...container.querySelectorAll('.site-list li span')].map((e) => e.textContent)).toEqual(['b.example']);
    grant(['*://*/*']);
    await click(/Turn off for b\.example/);
    expect($('.sites')!.textContent).toMatch(/On for all sites/);
    await click(/Turn off for all sites/);
    expect(calls.removed.at(-1)).toEqual(['*://*/*']);
    expect($('.sites')!.textContent).toMatch(/Not on for any site yet/);
  });

  it('says so when the browser refuses to turn all sites on, and lists nothing new', async () => {
    const { api } = fakeApi({ onboarded: true });
    api.sites.requestSites = async () => false;
    await mount(api);
    await click(/Turn on for all sites/);
    expect($('.sites [role="alert"]')!.textContent).toMatch(/Still off/);
    expect($('.sites')!.getAttribute('data-sites')).toBe('0');
  });

  it('forgets what feedback taught only after confirmation, and says how much', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    await click(/Forget what my feedback taught/);
    expect(calls.forgets).toBe(0);
    expect(document.activeElement?.textContent).toBe('Forget it');
    await click(/^Cancel$/);
    expect(calls.forgets).toBe(0);
    await click(/Forget what my feedback taught/);
    await click(/^Forget it$/);
    expect(calls.forgets).toBe(1);
    expect($('.forget-learning [role="status"]')!.textContent).toMatch(/what 12 judgements taught/);
    // Asked again with nothing left to forget, it says so rather than "0 judgements".
    await click(/Forget what my feedback taught/);
    await click(/^Forget it$/);
    expect($('.forget-learning [role="status"]')!.textContent).toMatch(/nothing to forget/);
  });

  it('shows the bundled model in use and larger models as not available', async () => {
    await mount(fakeApi({ onboarded: true }).api);
    const models = [...container.querySelectorAll<HTMLInputElement>('input[name="model"]')];
    expect(models.map((m) => [m.checked, m.disabled])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect($('#model-heading')!.parentElement!.textContent).toMatch(/USE-lite, 8 MB, English, on-device.*Not available yet\..*Status: on-device language model \(wasm\)/);
  });

  it('says how much space the data takes, and saves how long pages are kept', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount({ ...api, storageUsed: async () => 5 * 1024 * 1024 });
    expect($('[data-storage-used]')!.textContent).toBe('The extension’s data takes 5 MB on this device.');
    expect($<HTMLInputElement>('#keep-pages-days')!.value).toBe('180');
    await change('#keep-pages-days', '30');
    expect(calls.patches).toContainEqual({ keepPagesDays: 30 });
    await change('#keep-pages-days', '3');
    expect(calls.patches.filter((p) => 'keepPagesDays' in p)).toEqual([{ keepPagesDays: 30 }]);
  });

  it('downloads a backup', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    await click(/Download backup/);
    expect(calls.downloads).toEqual(['attention-reader-backup-2026-11-28.json']);
    expect(text()).toMatch(/Downloaded attention-reader-backup-2026-11-28\.json \(1 kB\)\./);
  });

  async function chooseFile(content: string) {
    const input = $<HTMLInputElement>('#import-file')!;
    const file = new File([content], 'backup.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
  }

  it('restores a backup only after confirmation, and shows a refusal as the extension gives it', async () => {
    const { api, calls } = fakeApi({ onboarded: true }, { import: 'Nothing was changed. The backup file is cut short.' });
    await mount(api);
    await chooseFile('{"format":');
    expect(calls.imports).toEqual([]);
    expect(text()).toMatch(/Replace everything stored now with the backup “backup\.json”\?/);
    await click(/Replace with backup/);
    expect(calls.imports).toEqual(['{"format":']);
    expect($('[data-import="refused"]')!.textContent).toBe('The backup was not restored. Nothing was changed. The backup file is cut short.');
    expect($('[data-import="refused"]')!.getAttribute('role')).toBe('alert');
  });

  it('reports what a restore brought back', async () => {
    const { api } = fakeApi({ onboarded: true });
    await mount(api);
    await chooseFile('{}');
    await click(/Replace with backup/);
    expect(text()).toMatch(/Restored: 3 days of reading, 40 passages, 2 snippets, 5 review cards\./);
  });

  it('deletes everything only after confirmation, then starts the first run again', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    await click(/Delete everything…/);
    expect(calls.deletes).toBe(0);
    await click(/^Cancel$/);
    expect(calls.deletes).toBe(0);
    await click(/Delete everything…/);
    expect($('[role="alertdialog"]')!.textContent).toMatch(/cannot be undone/);
    await click(/Yes, delete everything/);
    expect(calls.deletes).toBe(1);
    expect(hash).toBe('#welcome');
    expect($('h1')!.textContent).toMatch(/Welcome/);
    expect($('.notice')!.textContent).toMatch(/Everything was deleted/);
  });
});

describe('Anki settings', () => {
  const GERMAN = {
    cloze: { modelName: 'Lückentext', textField: 'Text', extraField: 'Rückseite Extra' },
    basic: { modelName: 'Einfach', frontField: 'Vorderseite', backField: 'Rückseite' },
  };
  const section = () => $('#anki-heading')!.closest('section')!;
  const input = (id: string) => $<HTMLInputElement>(`#${id}`)!;
  const hint = (id: string) => $(`#${input(id).getAttribute('aria-describedby')!.split(' ')[0]}`)!.textContent;

  it('shows the deck and, under "Note types", each name with its default', async () => {
    await mount(fakeApi({ onboarded: true }).api);
    expect(input('anki-deck').value).toBe(DEFAULT_DECK);
    expect(hint('anki-deck')).toMatch(/Default: Attention Reader$/);
    const details = section().querySelector('details')!;
    expect(details.querySelector('summary')!.textContent).toBe('Note types');
    expect(details.open).toBe(false);
    const inside = (id: string) => details.contains(input(id));
    expect(['anki-cloze-model', 'anki-cloze-text', 'anki-cloze-extra', 'anki-basic-model', 'anki-basic-front', 'anki-basic-back'].every(inside)).toBe(true);
    expect(inside('anki-deck')).toBe(false);
    expect(hint('anki-cloze-extra')).toBe('Default: Back Extra');
    expect(hint('anki-basic-model')).toBe('Default: Basic');
    expect(input('anki-basic-front').value).toBe('Front');
  });

  it('labels each field as the messages about a missing deck, note type or field name it', async () => {
    await mount(fakeApi({ onboarded: true }).api);
    const labels = [...section().querySelectorAll('label')].map((l) => l.textContent);
    expect(labels).toEqual(expect.arrayContaining(Object.values(ANKI_SETTING_LABELS)));
    // The fix-it step of a push names one of these labels, under this section's heading.
    const advice = describeAnkiFailure({ kind: 'anki', error: 'model was not found: Cloze' }, { noteTypes: DEFAULT_NOTE_TYPES });
    expect(advice).toContain(`"${$('label[for="anki-cloze-model"]')!.textContent}"`);
    expect(advice).toContain(`under ${$('#anki-heading')!.textContent} → ${section().querySelector('summary')!.textContent}`);
  });

  it('keeps the AnkiConnect API key in a password field, saved when left, refused with a space', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    expect(input('anki-api-key').type).toBe('password');
    await change('#anki-api-key', '  k3y-from-config ');
    expect(calls.patches).toEqual([{ ankiApiKey: 'k3y-from-config' }]);
    await change('#anki-api-key', 'two words');
    expect(calls.patches).toHaveLength(1);
    expect(input('anki-api-key').getAttribute('aria-invalid')).toBe('true');
    expect(section().querySelector('[role="alert"]')!.textContent).toMatch(/no spaces/);
  });

  it('saves a name when the field is left, trimmed, and says so', async () => {
    const { api, calls, current } = fakeApi({ onboarded: true });
    await mount(api);
    await change('#anki-deck', '  Sprachen::Englisch ');
    expect(calls.patches).toEqual([{ ankiDeck: 'Sprachen::Englisch' }]);
    expect(input('anki-deck').value).toBe('Sprachen::Englisch');
    expect(section().querySelector('.card-head')!.textContent).toMatch(/Saved\./);
    await change('#anki-cloze-model', 'Lückentext');
    expect(calls.patches.at(-1)).toEqual({ ankiNoteTypes: { ...DEFAULT_NOTE_TYPES, cloze: { ...DEFAULT_NOTE_TYPES.cloze, modelName: 'Lückentext' } } });
    await change('#anki-basic-back', 'Rückseite');
    expect(current().ankiNoteTypes).toEqual({ cloze: { ...DEFAULT_NOTE_TYPES.cloze, modelName: 'Lückentext' }, basic: { ...DEFAULT_NOTE_TYPES.basic, backField: 'Rückseite' } });
    // Leaving a field unchanged sends nothing.
    const sent = calls.patches.length;
    await change('#anki-basic-back', 'Rückseite ');
    expect(calls.patches).toHaveLength(sent);
  });

  it('takes a blank field as its default', async () => {
    const { api, calls } = fakeApi({ onboarded: true, ankiDeck: 'Deutsch', ankiNoteTypes: GERMAN });
    await mount(api);
    await change('#anki-deck', '   ');
    await change('#anki-cloze-extra', '');
    expect(calls.patches).toEqual([{ ankiDeck: DEFAULT_DECK }, { ankiNoteTypes: { ...GERMAN, cloze: { ...GERMAN.cloze, extraField: 'Back Extra' } } }]);
    expect(input('anki-deck').value).toBe(DEFAULT_DECK);
  });

  it('opens the note types for a learner who changed them', async () => {
    await mount(fakeApi({ onboarded: true, ankiNoteTypes: GERMAN }).api);
    expect(section().querySelector('details')!.open).toBe(true);
    expect(input('anki-cloze-model').value).toBe('Lückentext');
  });

  it('says at the field what is wrong with a name, and sends nothing', async () => {
    const { api, calls } = fakeApi({ onboarded: true });
    await mount(api);
    await change('#anki-basic-back', 'front');
    const error = $('#anki-basic-back-error')!;
    expect(error.textContent).toBe('The two fields of a note type need different names.');
    expect(error.getAttribute('role')).toBe('alert');
    expect(input('anki-basic-back').getAttribute('aria-invalid')).toBe('true');
    expect(input('anki-basic-back').getAttribute('aria-describedby')).toContain('anki-basic-back-error');
    await change('#anki-deck', 'Deutsch\tSpanisch');
    expect($('#anki-deck-error')!.textContent).toBe('Names cannot contain tabs, line breaks or other control characters.');
    await change('#anki-cloze-model', 'x'.repeat(101));
    expect($('#anki-cloze-model-error')!.textContent).toBe('Please keep this name to 100 characters or fewer.');
    expect(calls.patches).toEqual([]);
    // Fixed, the error goes and the name is saved.
    await change('#anki-cloze-model', 'Lückentext');
    expect($('#anki-cloze-model-error')!.textContent).toBe('');
    expect(input('anki-cloze-model').hasAttribute('aria-invalid')).toBe(false);
    expect(calls.patches).toHaveLength(1);
  });

  it("resets the deck and note types to Anki's defaults, dropping refused drafts", async () => {
    // The basic note type is already the default: resetting must clear its refused draft anyway.
    const { api, calls, current } = fakeApi({ onboarded: true, ankiDeck: 'Deutsch', ankiNoteTypes: { ...GERMAN, basic: DEFAULT_NOTE_TYPES.basic } });
    await mount(api);
    await change('#anki-basic-front', 'back');
    expect($('#anki-basic-front-error')!.textContent).not.toBe('');
    expect(input('anki-basic-front').value).toBe('back');
    await click(/Reset to Anki's defaults/);
    expect(calls.patches).toEqual([{ ankiDeck: DEFAULT_DECK, ankiNoteTypes: DEFAULT_NOTE_TYPES }]);
    expect([current().ankiDeck, current().ankiNoteTypes]).toEqual([DEFAULT_DECK, DEFAULT_NOTE_TYPES]);
    expect([input('anki-deck').value, input('anki-cloze-model').value, input('anki-basic-front').value]).toEqual([DEFAULT_DECK, 'Cloze', 'Front']);
    expect($('#anki-basic-front-error')!.textContent).toBe('');
    expect(section().querySelector('.card-head')!.textContent).toMatch(/Saved\./);
  });
});
