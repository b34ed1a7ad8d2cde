// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../lib/yomitan';
import { createDictionaryStore, type DictionaryStore } from '../../platform/dictionary-store';
import { index, row, tinyDictionary, zipOf } from '../../tests/unit/yomitan-fixtures';
import { createDictionariesApi } from './dictionaries-api';
import { DictionariesSection } from './DictionariesSection';

let container: HTMLElement;
let store: DictionaryStore;
let n = 0;

async function settle(rounds = 12) {
  for (let i = 0; i < rounds; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
}

let imports = 0;

/** Mounts the section over a real store (in-memory IndexedDB); `imports` counts the files that reached it. */
async function mount(maxFileBytes = DEFAULT_LIMITS.maxZipBytes) {
  store = createDictionaryStore({ name: `section-test-${n++}` });
  const api = createDictionariesApi(store, maxFileBytes);
  imports = 0;
  const counted = { ...api, importDictionary: (...args: Parameters<typeof api.importDictionary>) => (imports++, api.importDictionary(...args)) };
  container = document.createElement('div');
  document.body.append(container);
  await act(async () => render(<DictionariesSection api={counted} />, container));
  await settle();
}
afterEach(() => {
  render(null, container);
  container.remove();
  store.close();
});

const text = () => (container.textContent ?? '').replace(/\s+/g, ' ');
const titles = () => [...container.querySelectorAll('[data-dictionary]')].map((li) => li.getAttribute('data-dictionary'));
const refusal = () => container.querySelector('[data-dictionary-import="refused"]')?.textContent ?? null;

async function pick(bytes: Uint8Array, name = 'dictionary.zip') {
  const input = container.querySelector<HTMLInputElement>('#dictionary-file')!;
  Object.defineProperty(input, 'files', { value: [new File([new Uint8Array(bytes)], name, { type: 'application/zip' })], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  // The import waits on IndexedDB and on a timer between files.
  for (let i = 0; i < 20 && !/Imported|Nothing was changed/.test(text()); i++) await settle();
}

function button(label: string): HTMLButtonElement {
  const b = [...container.querySelectorAll('button')].find((x) => x.getAttribute('aria-label') === label || x.textContent === label);
  if (!b) throw new Error(`no button "${label}" in: ${text()}`);
  return b;
}
async function click(b: HTMLButtonElement) {
  await act(async () => b.click());
  await settle();
}

describe('the Dictionaries section', () => {
  it('imports a file and lists it with its languages and size', async () => {
    await mount();
    expect(text()).toContain('No dictionaries imported yet.');
    await pick(zipOf(tinyDictionary({ targetLanguage: 'fr' })));
    expect(refusal()).toBeNull();
    expect(text()).toContain('Imported “Tiny English”: 4 entries.');
    expect(imports).toBe(1);
    expect(titles()).toEqual(['Tiny English']);
    expect(text()).toContain('English → French · 4 entries');
  });

  it('shows why a file is refused, in one line, and leaves the list as it was', async () => {
    await mount();
    await pick(zipOf(tinyDictionary()));
    await pick(zipOf({ ...tinyDictionary({}, 'Broken'), 'term_bank_1.json': [row('a', 'b' as unknown as unknown[])] }));
    expect(refusal()).toBe('Nothing was changed. term_bank_1.json, entry 1: glossary must be a list.');
    expect(titles()).toEqual(['Tiny English']);
    expect(await store.listDictionaries()).toHaveLength(1);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await mount(100);
    await pick(zipOf(tinyDictionary()));
    expect(refusal()).toMatch(/^Nothing was changed\. This dictionary is larger than the extension accepts: the file is \d{3} bytes, the limit is 100 bytes\.$/);
    expect(imports).toBe(0);
    expect(await store.listDictionaries()).toEqual([]);
  });

  it('moves dictionaries up and down, and removes one after a confirmation', async () => {
    await mount();
    await pick(zipOf(tinyDictionary()));
    await pick(zipOf({ 'index.json': index({ title: 'Second' }), 'term_bank_1.json': [row('bank', ['to tilt'])] }));
    expect(titles()).toEqual(['Tiny English', 'Second']);
    expect(button('Move Tiny English up').disabled).toBe(true);
    await click(button('Move Second up'));
    expect(titles()).toEqual(['Second', 'Tiny English']);
    expect((await store.lookupImported(['bank']))[0]!.dictionary.title).toBe('Second');
    await click(button('Move Second down'));
    expect(titles()).toEqual(['Tiny English', 'Second']);

    await click(button('Remove Tiny English…'));
    expect(text()).toContain('Remove “Tiny English” from this browser?');
    await click(button('Cancel'));
    expect(titles()).toEqual(['Tiny English', 'Second']);
    await click(button('Remove Tiny English…'));
    await click(button('Yes, remove it'));
    expect(titles()).toEqual(['Second']);
    expect((await store.listDictionaries()).map((d) => d.title)).toEqual(['Second']);
  });
});
