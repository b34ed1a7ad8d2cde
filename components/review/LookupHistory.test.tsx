// @vitest-environment happy-dom
/**
 * "Words you looked up" on the review page: read when opened, newest first as given, and the
 * whole history downloaded as CSV or JSON.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { lookupRecord } from '../../lib/lookup.ts';
import { LookupHistory, LOOKUPS_LISTED } from './LookupHistory.tsx';

const AT = Date.UTC(2026, 11, 3, 9);
const records = [
  lookupRecord({ id: 'b', at: AT + 1000, word: 'banks', lang: 'en', sentence: 'The banks were closed.', url: 'https://a.example/', title: 'Money', chosen: { id: 'bank.n.2', lemma: 'bank', pos: 'noun', gloss: 'a financial institution' } }),
  lookupRecord({ id: 'a', at: AT, word: 'blorp', lang: 'en', sentence: 'A blorp.', url: 'https://b.example/', title: '', chosen: null }),
];

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
});

async function mount(load = vi.fn(async (limit: number) => ({ items: records.slice(0, limit), total: records.length }))) {
  const save = vi.fn<(name: string, text: string, type: string) => void>();
  container = document.createElement('div');
  document.body.append(container);
  await act(() => render(<LookupHistory api={{ load }} now={() => AT} save={save} />, container!));
  return { load, save, root: container.querySelector('details')! };
}

async function open(root: HTMLDetailsElement) {
  root.open = true;
  await act(async () => {
    root.dispatchEvent(new Event('toggle'));
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe('LookupHistory', () => {
  it('reads the look-ups when opened and lists them with their meaning, sentence and page', async () => {
    const { load, root } = await mount();
    expect(load).not.toHaveBeenCalled();
    await open(root);
    expect(load).toHaveBeenCalledWith(LOOKUPS_LISTED);
    expect(root.querySelector('summary')!.textContent).toBe('Words you looked up (2)');
    const items = [...root.querySelectorAll('.review-lookup')];
    expect(items.map((i) => i.querySelector('.review-lookup-word')!.textContent)).toEqual(['banks', 'blorp']);
    expect(items[0]!.textContent).toContain('(bank) noun');
    expect(items[0]!.textContent).toContain('a financial institution');
    expect(items[0]!.textContent).toContain('The banks were closed.');
    expect(items[1]!.querySelector('.review-lookup-source')!.textContent).toBe('https://b.example/');
  });

  it('downloads every look-up as CSV or JSON and says so', async () => {
    const { root, save } = await mount();
    const button = (name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === name)!;
    await act(async () => {
      button('Download as CSV').click();
      await new Promise((r) => setTimeout(r, 0));
    });
    await act(async () => {
      button('Download as JSON').click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(save.mock.calls.map((c) => c[0])).toEqual(['attention-reader-lookups-2026-12-03.csv', 'attention-reader-lookups-2026-12-03.json']);
    expect(save.mock.calls[0]![1].split('\r\n')[1]).toContain(',banks,bank,noun,a financial institution,');
    expect(JSON.parse(save.mock.calls[1]![1]).lookups).toHaveLength(2);
    expect(root.querySelector('[role="status"]')!.textContent).toBe('Downloaded 2 look-ups as attention-reader-lookups-2026-12-03.json.');
  });

  it('says when the history could not be read', async () => {
    const { root } = await mount(vi.fn(async () => Promise.reject(new Error('database closed'))));
    await open(root);
    expect(root.querySelector('[role="status"]')!.textContent).toBe('Your look-ups could not be read: database closed');
  });
});
