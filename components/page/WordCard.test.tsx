// @vitest-environment happy-dom
/**
 * The word card as the learner sees it: the meaning that fits first, the others collapsed
 * after a few, imported entries, the buttons and what they send, keyboard closing, and a
 * dialog that is labelled.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { SenseOut } from '../../lib/protocol';
import { OTHER_SENSES_SHOWN, WordCard, type WordCardAction, type WordCardState } from './WordCard';

const sense = (i: number, gloss: string, pos: SenseOut['pos'] = 'noun'): SenseOut => ({
  id: `bank.n.${i}`,
  lemma: 'bank',
  pos,
  gloss,
  examples: i === 1 ? ['they pulled the canoe up on the bank'] : [],
  synonyms: i === 1 ? ['riverside'] : [],
  probability: i === 1 ? 0.7 : 0.3 / 7,
});

const STATE: WordCardState = {
  open: true,
  lookupId: 'l1',
  word: 'banks',
  sentence: 'We sat on the banks of the river.',
  lang: 'en',
  anchor: { left: 100, top: 100, right: 140, bottom: 118 },
  focus: false,
  data: {
    senses: [sense(1, 'sloping land beside a body of water'), ...[2, 3, 4, 5, 6, 7].map((i) => sense(i, `meaning ${i}`))],
    ranked: true,
    note: null,
    imported: [{ dictionary: { id: 'd', title: 'My glossary' }, term: 'bank', definitions: ['Ufer'], tags: [] }],
    duplicate: false,
  },
  error: null,
  status: null,
  voices: { word: true, sentence: false },
  canTranslate: false,
  translation: null,
};

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
});

async function mount(state: WordCardState, onAction = vi.fn<(a: WordCardAction) => void>()) {
  container = document.createElement('div');
  document.body.append(container);
  await act(() => render(<WordCard state={state} onAction={onAction} isTrusted={() => true} />, container!));
  return { onAction, card: container.querySelector<HTMLElement>('[role="dialog"]')! };
}

const buttonNamed = (root: HTMLElement, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name)!;

describe('WordCard', () => {
  it('is a labelled dialog headed by the lemma, its part of speech and the form on the page', async () => {
    const { card } = await mount(STATE);
    const title = card.querySelector(`#${card.getAttribute('aria-labelledby')}`)!;
    expect(title.textContent).toBe('bank noun (banks)');
  });

  it('shows the meaning that fits this sentence first, with its example, synonyms and fit', async () => {
    const { card } = await mount(STATE);
    const best = card.querySelector('.wc-best')!;
    expect(best.getAttribute('data-sense-id')).toBe('bank.n.1');
    expect(best.textContent).toContain('sloping land beside a body of water');
    expect(best.textContent).toContain('“they pulled the canoe up on the bank”');
    expect(best.textContent).toContain('Also: riverside');
    expect(best.textContent).toContain('fits 70%');
  });

  it('lists a few other meanings and the rest behind "More meanings"', async () => {
    const { card } = await mount(STATE);
    expect(card.querySelectorAll('.wc-others li')).toHaveLength(OTHER_SENSES_SHOWN);
    const more = buttonNamed(card, 'More meanings (3)');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await act(() => more.click());
    expect(card.querySelectorAll('.wc-others li')).toHaveLength(6);
  });

  it("shows the imported dictionaries' entries with their dictionary's name", async () => {
    const { card } = await mount(STATE);
    expect(card.querySelector('.wc-imported')!.textContent).toContain('bank · My glossary');
    expect(card.querySelector('.wc-imported')!.textContent).toContain('Ufer');
  });

  it('sends what each button does, saving with the meaning shown first', async () => {
    const { card, onAction } = await mount(STATE);
    buttonNamed(card, 'Known').click();
    buttonNamed(card, 'Save').click();
    buttonNamed(card, 'Say “banks”').click();
    expect(onAction.mock.calls.map((c) => c[0])).toEqual([
      { kind: 'mark', state: 'known' },
      { kind: 'save', sense: STATE.data!.senses[0] },
      { kind: 'speak', what: 'word' },
    ]);
  });

  it('hides a speaker button without a local voice, and Translate without an on-device translator', async () => {
    const { card } = await mount(STATE);
    expect(buttonNamed(card, 'Say the sentence')).toBeUndefined();
    expect(buttonNamed(card, 'Translate')).toBeUndefined();
  });

  it('says where a translation came from', async () => {
    const { card } = await mount({ ...STATE, canTranslate: true, translation: { text: 'Wir saßen am Ufer.', source: 'translated on this device by the browser' } });
    expect(card.querySelector('.wc-translation')!.textContent).toBe('Wir saßen am Ufer. — translated on this device by the browser');
  });

  it('closes on Escape', async () => {
    const { card, onAction } = await mount(STATE);
    await act(() => void card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(onAction).toHaveBeenCalledWith({ kind: 'close' });
  });

  it('says it is looking the word up until the answer comes, and what went wrong if it fails', async () => {
    const loading = await mount({ ...STATE, data: null });
    expect(loading.card.textContent).toContain('Looking up “banks”…');
    render(null, container!);
    const failed = await mount({ ...STATE, data: null, error: 'No meaning available: offline' });
    expect(failed.card.textContent).toContain('No meaning available: offline');
  });

  it('takes focus when opened from the keyboard', async () => {
    const { card } = await mount({ ...STATE, focus: true });
    expect(document.activeElement).toBe(card);
  });

  it('renders nothing when closed', async () => {
    await mount({ ...STATE, open: false });
    expect(container!.innerHTML).toBe('');
  });
});
