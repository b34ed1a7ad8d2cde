// @vitest-environment happy-dom
/**
 * The Sync section over a fake api: access to the server's host is asked before anything is
 * sent, a refused prompt leaves sync off, the fields have labels, the last sync's line shows,
 * a failure is an alert, and the password and passphrase never show once sync is on.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { accessPattern, type SyncApi, type SyncStatusOut } from './sync-api';
import { SyncSection } from './SyncSection';

let container: HTMLElement;
async function settle(rounds = 8) {
  for (let i = 0; i < rounds; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
}
afterEach(() => {
  render(null, container);
  container.remove();
});

const OFF: SyncStatusOut = { configured: false, url: null, user: null, last: null };

function fakeApi(grant: boolean, outcome: { ok: boolean; line: string }) {
  const calls: string[] = [];
  let status = OFF;
  const api: SyncApi = {
    status: async () => status,
    requestAccess: async (origin) => (calls.push(`access ${origin}`), grant),
    configure: async (input) => (calls.push(`configure ${input.url} ${input.user}`), (status = { configured: true, url: input.url, user: input.user, last: null })),
    syncNow: async () => (calls.push('now'), (status = { ...status, last: { at: Date.UTC(2026, 0, 2, 3, 4), ...outcome } })),
    stop: async () => (calls.push('stop'), (status = OFF)),
  };
  return { api, calls };
}

async function mount(api: SyncApi) {
  container = document.createElement('div');
  document.body.append(container);
  await act(async () => render(<SyncSection api={api} />, container));
  await settle();
}

/** Types into the field labelled `label` (found through its label, as assistive technology does). */
async function fill(label: string, value: string) {
  const labelEl = [...container.querySelectorAll('label')].find((l) => l.textContent === label);
  const input = container.querySelector<HTMLInputElement>(`#${labelEl!.getAttribute('for')}`)!;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function turnOn() {
  await fill('Server address', 'https://cloud.example.org:8443/dav/ana');
  await fill('User name', 'ana');
  await fill('Password or app token', 'tok-SECRET');
  await fill('Sync passphrase', 'passphrase-SECRET');
  await act(async () => container.querySelector<HTMLButtonElement>('button[type=submit]')!.click());
  await settle();
}

describe('Settings -> Sync', () => {
  it('asks access to the server first, turns sync on, syncs once, and shows the line but no secret', async () => {
    const { api, calls } = fakeApi(true, { ok: true, line: 'Nothing new from your other devices; this device’s changes sent.' });
    await mount(api);
    expect(container.textContent).toContain('Sync is off');
    await turnOn();
    expect(container.querySelector('[role=alert]')?.textContent ?? null).toBeNull();
    expect(calls).toEqual(['access https://cloud.example.org:8443', 'configure https://cloud.example.org:8443/dav/ana/ ana', 'now']);
    const text = container.textContent ?? '';
    expect(text).toContain('Sync is on with https://cloud.example.org:8443/dav/ana/ as ana.');
    expect(container.querySelector('[data-sync-last="ok"]')?.textContent).toMatch(/^Last sync .*: Nothing new from your other devices/);
    expect(container.innerHTML).not.toContain('SECRET');
    await act(async () => [...container.querySelectorAll('button')].find((b) => b.textContent === 'Stop syncing')!.click());
    await settle();
    expect(calls.at(-1)).toBe('stop');
    expect(container.textContent).toContain('Sync stopped');
  });

  it('a refused prompt sends nothing and says why; a failed sync is an alert', async () => {
    const refused = fakeApi(false, { ok: true, line: '' });
    await mount(refused.api);
    await turnOn();
    expect(refused.calls).toEqual(['access https://cloud.example.org:8443']);
    expect(container.querySelector('[role=alert]')?.textContent).toContain('was not given');
    render(null, container);
    container.remove();

    const failing = fakeApi(true, { ok: false, line: 'Wrong sync passphrase: nothing was merged.' });
    await mount(failing.api);
    await turnOn();
    expect(container.querySelector('[data-sync-last="failed"]')?.getAttribute('role')).toBe('alert');
    expect(container.querySelector('[data-sync-last="failed"]')?.textContent).toContain('Wrong sync passphrase');
  });

  it('an address that is not http(s) is refused before any prompt', async () => {
    const { api, calls } = fakeApi(true, { ok: true, line: '' });
    await mount(api);
    await fill('Server address', 'ftp://example.org/');
    await fill('Sync passphrase', 'long enough passphrase');
    await act(async () => container.querySelector<HTMLButtonElement>('button[type=submit]')!.click());
    await settle();
    expect(calls).toEqual([]);
    expect(container.querySelector('[role=alert]')?.textContent).toMatch(/https/);
  });

  it('asks access for the server host only, on every port', () => {
    expect(accessPattern('http://127.0.0.1:41234')).toBe('http://127.0.0.1/*');
    expect(accessPattern('https://cloud.example.org')).toBe('https://cloud.example.org/*');
  });
});
