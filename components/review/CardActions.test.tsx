// @vitest-environment happy-dom
/**
 * Edit note / Suspend / Delete on the review page: the buttons alone (CardActions), and in
 * the page (ReviewApp) where suspending or deleting moves on to the next card.
 */
import { describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { editCard, type ReviewCard, type ReviewItem } from '../../lib/review.ts';
import { CardActions, type CardActionsApi } from './CardActions.tsx';
import { ReviewApp, type ReviewApi } from './ReviewApp.tsx';
import { mountInBody, settle, snippetItems, T0 } from './test-support.tsx';

let container: HTMLElement | undefined;

async function mountInto(node: preact.VNode) {
  container = await mountInBody(node);
}

const items = () => snippetItems();

const buttons = () => [...(container?.querySelectorAll('button') ?? [])];
const button = (name: RegExp) => buttons().find((b) => name.test(b.textContent ?? ''));

async function click(name: RegExp) {
  const b = button(name);
  if (!b) throw new Error(`no button ${name}`);
  await act(async () => b.click());
  await settle();
}

async function type(textarea: HTMLTextAreaElement, value: string) {
  await act(async () => {
    textarea.value = value;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function press(key: string, target: EventTarget) {
  await act(async () => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
  await settle();
}

function actionsProps(card: ReviewCard, over: { save?: boolean } = {}) {
  return {
    card,
    disabled: false,
    onSaveNote: vi.fn(async (_note: string) => over.save ?? true),
    onSuspend: vi.fn(),
    onDelete: vi.fn(),
  };
}

describe('CardActions', () => {
  it('offers three labelled buttons that keyboard users can reach', async () => {
    await mountInto(<CardActions {...actionsProps(items()[0]!.card)} />);
    expect(buttons().map((b) => b.textContent)).toEqual(['Edit note', 'Suspend', 'Delete']);
    for (const b of buttons()) expect(b.getAttribute('type')).toBe('button');
    expect(container!.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('This card');
  });

  it('edits the note in a labelled text field, starting from the current note, and saves it', async () => {
    const card = editCard(items()[0]!.card, { note: 'old note' }, T0);
    const props = actionsProps(card);
    await mountInto(<CardActions {...props} />);
    await click(/Edit note/);
    const textarea = container!.querySelector('textarea')!;
    expect(textarea.value).toBe('old note');
    expect(document.activeElement).toBe(textarea);
    expect(container!.querySelector(`label[for="${textarea.id}"]`)?.textContent).toMatch(/Note/);
    await type(textarea, 'die Katze = the cat');
    await click(/Save note/);
    expect(props.onSaveNote).toHaveBeenCalledWith('die Katze = the cat');
    expect(container!.querySelector('textarea')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Edit note');
  });

  it('keeps the form open with the draft when the note could not be saved', async () => {
    const props = actionsProps(items()[0]!.card, { save: false });
    await mountInto(<CardActions {...props} />);
    await click(/Edit note/);
    await type(container!.querySelector('textarea')!, 'draft');
    await click(/Save note/);
    expect(container!.querySelector('textarea')?.value).toBe('draft');
  });

  it('closes the form without saving on Cancel or Escape, and keeps those keys from the page', async () => {
    const props = actionsProps(items()[0]!.card);
    const pageKeys = vi.fn();
    document.addEventListener('keydown', pageKeys);
    try {
      await mountInto(<CardActions {...props} />);
      await click(/Edit note/);
      await press('3', container!.querySelector('textarea')!);
      expect(pageKeys).not.toHaveBeenCalled();
      await press('Escape', container!.querySelector('textarea')!);
      expect(container!.querySelector('textarea')).toBeNull();
      await click(/Edit note/);
      await click(/Cancel/);
      expect(container!.querySelector('textarea')).toBeNull();
      expect(props.onSaveNote).not.toHaveBeenCalled();
    } finally {
      document.removeEventListener('keydown', pageKeys);
    }
  });

  it('suspends at once', async () => {
    const props = actionsProps(items()[0]!.card);
    await mountInto(<CardActions {...props} />);
    await click(/^Suspend$/);
    expect(props.onSuspend).toHaveBeenCalledTimes(1);
  });

  it('deletes only after a confirmation, which starts on the safe choice', async () => {
    const props = actionsProps(items()[0]!.card);
    await mountInto(<CardActions {...props} />);
    await click(/^Delete$/);
    expect(props.onDelete).not.toHaveBeenCalled();
    expect(container!.querySelector('[role="alertdialog"]')?.textContent).toMatch(/Delete this card for good/);
    expect(document.activeElement?.textContent).toBe('Keep card');
    await click(/Keep card/);
    expect(props.onDelete).not.toHaveBeenCalled();
    expect(document.activeElement?.textContent).toBe('Delete');
    await click(/^Delete$/);
    await click(/Yes, delete card/);
    expect(props.onDelete).toHaveBeenCalledTimes(1);
  });

  it('disables every action while the page is busy', async () => {
    await mountInto(<CardActions {...actionsProps(items()[0]!.card)} disabled={true} />);
    expect(buttons().every((b) => b.disabled)).toBe(true);
  });
});

/** A review API serving one batch, and card actions that record what they were asked. */
function fakeApis(list: ReviewItem[], fail = false) {
  const calls = { suspend: [] as string[], remove: [] as string[], edit: [] as [string, string][], load: 0 };
  const api: ReviewApi = {
    async loadDue() {
      calls.load++;
      return calls.load === 1 ? list : [];
    },
    async rate() {},
    async undo() {},
  };
  const cardActions: CardActionsApi = {
    async editNote(cardId, note) {
      if (fail) throw new Error('quota exceeded');
      calls.edit.push([cardId, note]);
      return editCard(list.find((i) => i.card.id === cardId)!.card, { note }, T0 + 1);
    },
    async suspend(cardId) {
      if (fail) throw new Error('quota exceeded');
      calls.suspend.push(cardId);
    },
    async remove(cardId) {
      if (fail) throw new Error('quota exceeded');
      calls.remove.push(cardId);
    },
  };
  return { api, cardActions, calls };
}

const progress = () => container?.querySelector('.review-count')?.textContent;
const cardText = () => container?.querySelector('.review-text')?.textContent;
const status = () => container?.querySelector('[role="status"]')?.textContent;

describe('ReviewApp with card actions', () => {
  it('shows no card actions when none are given', async () => {
    await mountInto(<ReviewApp api={fakeApis(items()).api} now={() => T0} />);
    expect(button(/Edit note/)).toBeUndefined();
  });

  it('suspends the card on screen and moves on to the next one', async () => {
    const list = items();
    const { api, cardActions, calls } = fakeApis(list);
    await mountInto(<ReviewApp api={api} cardActions={cardActions} now={() => T0} />);
    expect(progress()).toBe('1 of 3');
    await click(/^Suspend$/);
    expect(calls.suspend).toEqual([list[0]!.card.id]);
    expect(progress()).toBe('1 of 2');
    expect(cardText()).toBe('Es blank[…] heute.');
    expect(status()).toBe('Card suspended. Card 1 of 2.');
    expect(document.activeElement?.textContent).toBe('Show answer Space');
  });

  it('deletes after confirmation, moves on, and says so when it was the last card', async () => {
    const list = items().slice(0, 1);
    const { api, cardActions, calls } = fakeApis(list);
    await mountInto(<ReviewApp api={api} cardActions={cardActions} now={() => T0} />);
    await click(/^Delete$/);
    expect(calls.remove).toEqual([]);
    await click(/Yes, delete card/);
    expect(calls.remove).toEqual([list[0]!.card.id]);
    expect(calls.load).toBe(2); // looked once more before saying there is nothing
    expect(container!.textContent).toContain('Nothing to review right now');
    expect(status()).toBe('Card deleted. Nothing to review right now.');
  });

  it('shows a saved note with the answer, on the same card', async () => {
    const list = items();
    const { api, cardActions, calls } = fakeApis(list);
    await mountInto(<ReviewApp api={api} cardActions={cardActions} now={() => T0} />);
    await click(/Show answer/);
    await click(/Edit note/);
    await type(container!.querySelector('textarea')!, 'Katze = cat');
    await click(/Save note/);
    expect(calls.edit).toEqual([[list[0]!.card.id, 'Katze = cat']]);
    expect(container!.querySelector('.review-note')?.textContent).toBe('Katze = cat');
    expect(progress()).toBe('1 of 3');
  });

  it('keeps the card and says why when an action fails', async () => {
    const { api, cardActions } = fakeApis(items(), true);
    await mountInto(<ReviewApp api={api} cardActions={cardActions} now={() => T0} />);
    await click(/^Suspend$/);
    expect(container!.querySelector('[role="alert"]')?.textContent).toBe('Could not suspend this card: quota exceeded');
    expect(progress()).toBe('1 of 3');
    await click(/Edit note/);
    await type(container!.querySelector('textarea')!, 'x');
    await click(/Save note/);
    expect(container!.querySelector('[role="alert"]')?.textContent).toBe('Your note was not saved: quota exceeded');
    expect(container!.querySelector('textarea')?.value).toBe('x');
  });
});
