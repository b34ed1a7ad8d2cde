// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardOut, ResponseOf } from '../../lib/protocol';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../lib/settings';
import type { ModelApi, OptionsApi } from './api';
import { ModelSection } from './ModelSection';

const MINI = 'Xenova/all-MiniLM-L6-v2';
const MINI_ENC = `${MINI}:q8`;
const MULTI = 'Xenova/paraphrase-multilingual-MiniLM-L12-v2';
const Q8_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
const SHA = 'a'.repeat(64);
const stored = (modelId: string, names: string[], complete: boolean) => ({ modelId, files: names.map((file) => ({ file, size: 5_750_000, sha256: SHA })), complete });

/** A model API whose answers the test sets, recording every call; downloads finish when the test says. */
function fakeModels() {
  const state = {
    list: { models: [], download: null, notice: null } as ResponseOf<'model.list'>,
    listError: null as string | null,
    calls: [] as string[],
    imports: [] as { modelId: string; files: string[]; required: readonly string[] }[],
    importError: null as string | null,
    finish: null as null | ((error?: string) => void),
  };
  const models: ModelApi = {
    list: async () => {
      state.calls.push('list');
      if (state.listError) throw new Error(state.listError);
      return structuredClone(state.list);
    },
    download: (encoderId) => {
      state.calls.push(`download ${encoderId}`);
      return new Promise((resolve, reject) => {
        state.finish = (error) => (error ? reject(new Error(error)) : resolve({ encoderId, files: [] }));
      });
    },
    remove: async (modelId) => {
      state.calls.push(`remove ${modelId}`);
      state.list = { ...state.list, models: state.list.models.filter((m) => m.modelId !== modelId) };
      return { removed: 4 };
    },
    importFolder: async (modelId, files, required) => {
      state.imports.push({ modelId, files: files.map((f) => f.name), required });
      if (state.importError) throw new Error(state.importError);
      return { stored: required.length };
    },
  };
  return { models, state };
}

function fakeApi(models: ModelApi | undefined, start: Partial<Settings> = {}) {
  let settings: Settings = { ...DEFAULT_SETTINGS, ...start };
  const patches: SettingsPatch[] = [];
  const api = {
    updateSettings: async (patch: SettingsPatch) => {
      patches.push(patch);
      settings = applySettingsPatch(settings, patch);
      return settings;
    },
    getDashboard: async () => ({ scorer: 'encoder', scorerNote: 'on-device language model (wasm)' }) as DashboardOut,
    ...(models ? { models } : {}),
  } as unknown as OptionsApi;
  return { api, patches, current: () => settings };
}

let container: HTMLElement;
async function settle(rounds = 8) {
  for (let i = 0; i < rounds; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
}
async function wait(ms: number) {
  await act(async () => await new Promise((r) => setTimeout(r, ms)));
  await settle();
}

/** Mounts the section; each settings change re-renders it, as the settings page does. */
async function mount(fake: ReturnType<typeof fakeApi>, pollMs = 20) {
  container = document.createElement('div');
  document.body.append(container);
  const draw = () => render(<ModelSection api={fake.api} settings={fake.current()} onSettings={() => void draw()} pollMs={pollMs} />, container);
  await act(async () => draw());
  await settle();
}
afterEach(() => {
  render(null, container);
  container.remove();
});

const text = () => (container.textContent ?? '').replace(/\s+/g, ' ');
const row = (modelId: string) => container.querySelector<HTMLElement>(`[data-model="${modelId}"]`)!;
const radio = (encoderId: string) => container.querySelector<HTMLInputElement>(`input[name="model"][value="${encoderId}"]`)!;
function button(within: HTMLElement, name: RegExp): HTMLButtonElement {
  const b = [...within.querySelectorAll('button')].find((x) => name.test(x.textContent ?? ''));
  if (!b) throw new Error(`no button ${name} in: ${within.textContent}`);
  return b;
}
async function click(el: HTMLElement) {
  await act(async () => el.click());
  await settle();
}

describe('ModelSection', () => {
  it('lists the bundled model and the downloadable ones, which cannot be chosen before they are on the device', async () => {
    const { models } = fakeModels();
    await mount(fakeApi(models));
    expect(text()).toMatch(/Universal Sentence Encoder lite, 7\.3 MB, en/);
    expect(text()).toMatch(/all-MiniLM-L6-v2, 23 MB, en/);
    expect(text()).toMatch(/paraphrase-multilingual-MiniLM-L12-v2, 118 MB, multilingual \(50\+ languages\)/);
    expect(radio('use-lite-int8').checked).toBe(true);
    expect(radio(MINI_ENC).disabled).toBe(true);
    // The reason is said, and tied to the disabled choice.
    const reason = container.querySelector(`#${radio(MINI_ENC).getAttribute('aria-describedby')}`)!;
    expect(reason.textContent).toMatch(/Not on this device\. Download it or import its folder to use it\./);
    expect(text()).toMatch(/Downloaded from huggingface\.co only when you press Download/);
  });

  it('downloads only on the button, shows the bytes while it runs, then lets the learner choose the model', async () => {
    const { models, state } = fakeModels();
    const fake = fakeApi(models);
    await mount(fake);
    expect(state.calls.filter((c) => c.startsWith('download'))).toEqual([]);

    await click(button(row(MINI), /Download \(23 MB\)/));
    expect(state.calls).toContain(`download ${MINI_ENC}`);
    // The host reports progress; the page polls it.
    state.list = { ...state.list, download: { encoderId: MINI_ENC, loadedBytes: 5_500_000, totalBytes: 23_000_000 } };
    await wait(60);
    const bar = row(MINI).querySelector('progress')!;
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['5500000', '23000000']);
    expect(row(MINI).textContent).toMatch(/Downloading: 5\.5 of 23 MB/);
    // One download at a time: the other model's button is disabled, and says why.
    const other = button(row(MULTI), /Download/);
    expect(other.disabled).toBe(true);
    expect(container.querySelector(`#${other.getAttribute('aria-describedby')}`)!.textContent).toMatch(/Another model is downloading/);

    state.list = { ...state.list, download: { encoderId: MINI_ENC, loadedBytes: 17_250_000, totalBytes: 23_000_000 } };
    await wait(60);
    expect(row(MINI).textContent).toMatch(/Downloading: 17\.3 of 23 MB/);
    const polls = state.calls.filter((c) => c === 'list').length;

    state.list = { models: [stored(MINI, Q8_FILES, true)], download: null, notice: null };
    await act(async () => state.finish!());
    await settle();
    expect(row(MINI).querySelector('progress')).toBeNull();
    expect(row(MINI).textContent).toMatch(/Downloaded and checked/);
    expect(row(MINI).textContent).toMatch(/On this device \(23 MB\)\./);
    // Polling stops with the download.
    const after = state.calls.filter((c) => c === 'list').length;
    await wait(80);
    expect(after).toBeGreaterThan(polls);
    expect(state.calls.filter((c) => c === 'list').length).toBe(after);

    expect(radio(MINI_ENC).disabled).toBe(false);
    await click(radio(MINI_ENC));
    expect(fake.patches).toEqual([{ encoderId: MINI_ENC }]);
    expect(radio(MINI_ENC).checked).toBe(true);
    expect(text()).toMatch(/Saved\. Pages you read from now on are scored with this model\./);
  });

  it('says in words when a download fails', async () => {
    const { models, state } = fakeModels();
    await mount(fakeApi(models));
    await click(button(row(MINI), /Download/));
    await act(async () => state.finish!('HTTP 503 from huggingface.co'));
    await settle();
    const alert = row(MINI).querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe('That did not work: HTTP 503 from huggingface.co');
    expect(button(row(MINI), /Download/).disabled).toBe(false);
  });

  it('imports a picked folder for that model, and says when the folder is refused', async () => {
    const { models, state } = fakeModels();
    await mount(fakeApi(models));
    const input = row(MULTI).querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(input.hasAttribute('webkitdirectory')).toBe(true);
    const pick = async (names: string[]) => {
      Object.defineProperty(input, 'files', { configurable: true, value: names.map((n) => new File(['x'], n)) });
      await act(async () => void input.dispatchEvent(new Event('change', { bubbles: true })));
      await settle();
    };
    await pick(['config.json', 'model_quantized.onnx']);
    expect(state.imports).toEqual([{ modelId: MULTI, files: ['config.json', 'model_quantized.onnx'], required: Q8_FILES }]);
    expect(row(MULTI).textContent).toMatch(/Imported 4 files\./);

    state.importError = 'the chosen folder lacks tokenizer.json';
    await pick(['config.json']);
    expect(row(MULTI).querySelector('[role="alert"]')!.textContent).toBe('That did not work: the chosen folder lacks tokenizer.json');
  });

  it('removes the chosen model and returns the choice to the bundled one', async () => {
    const { models, state } = fakeModels();
    state.list = { models: [stored(MINI, Q8_FILES, true)], download: null, notice: null };
    const fake = fakeApi(models, { encoderId: MINI_ENC });
    await mount(fake);
    expect(radio(MINI_ENC).checked).toBe(true);
    await click(button(row(MINI), /Remove/));
    expect(state.calls).toContain(`remove ${MINI}`);
    expect(fake.patches).toEqual([{ encoderId: 'use-lite-int8' }]);
    expect(radio('use-lite-int8').checked).toBe(true);
    expect(row(MINI).textContent).toMatch(/Removed 4 files\./);
    expect(row(MINI).textContent).toMatch(/Not on this device\./);
  });

  it('shows an incomplete model, the host’s notice, and a list that cannot be read', async () => {
    const { models, state } = fakeModels();
    state.list = { models: [stored(MULTI, ['config.json'], false)], download: null, notice: 'paraphrase-multilingual-MiniLM-L12-v2 is not on this device yet' };
    await mount(fakeApi(models, { encoderId: `${MULTI}:q8` }));
    expect(row(MULTI).textContent).toMatch(/Incomplete: 1 of 4 files on this device/);
    expect(radio(`${MULTI}:q8`).disabled).toBe(true);
    expect(text()).toMatch(/Note: paraphrase-multilingual-MiniLM-L12-v2 is not on this device yet/);

    state.listError = 'offscreen document unavailable';
    render(null, container);
    container.remove();
    await mount(fakeApi(models));
    expect(container.querySelector('[role="alert"]')!.textContent).toMatch(/Downloaded models cannot be listed right now: offscreen document unavailable/);
  });

  it('without a model API offers only the bundled model', async () => {
    await mount(fakeApi(undefined));
    const radios = [...container.querySelectorAll<HTMLInputElement>('input[name="model"]')];
    expect(radios.map((r) => [r.checked, r.disabled])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(text()).toMatch(/Not available yet\./);
  });
});
