// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { editCard, toReviewItem, type ReviewItem, type ReviewRating } from '../../lib/review.ts';
import { ReviewApp, type ReviewApi } from './ReviewApp.tsx';
import { formatDuration, safeHref } from './format.ts';
import { mountInBody, settle, snippetItems as items, T0 } from './test-support.tsx';

/** An API that serves `batches` on successive loadDue calls (then nothing) and records calls. */
function fakeApi(batches: ReviewItem[][], failures: { load?: boolean; rate?: boolean; undo?: boolean } = {}) {
  const calls = { load: 0, rate: [] as [string, ReviewRating, number][], undo: 0 };
  const api: ReviewApi = {
    async loadDue() {
      calls.load++;
      if (failures.load) throw new Error('database closed');
      return batches[calls.load - 1] ?? [];
    },
    async rate(cardId, rating, durationMs) {
      if (failures.rate) throw new Error('quota exceeded');
      calls.rate.push([cardId, rating, durationMs]);
    },
    async undo() {
      if (failures.undo) throw new Error('nothing stored');
      calls.undo++;
    },
  };
  return { api, calls };
}

let container: HTMLElement | undefined;
const clock = { now: T0 };

async function mount(api: ReviewApi) {
  container = await mountInBody(<ReviewApp api={api} now={() => clock.now} />);
  return container;
}

async function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body) {
  await act(async () => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
  await settle();
}

async function click(name: RegExp) {
  const button = buttons().find((b) => name.test(b.textContent ?? ''));
  if (!button) throw new Error(`no button ${name}`);
  await act(async () => button.click());
  await settle();
}

const buttons = () => [...(container?.querySelectorAll('button') ?? [])];
const text = () => container?.textContent ?? '';
const progress = () => container?.querySelector('.review-count')?.textContent;
const cardText = () => container?.querySelector('.review-text')?.textContent;

afterEach(() => {
  container = undefined;
  clock.now = T0;
});

describe('ReviewApp', () => {
  it('shows the first due card with the word blanked out, and the progress', async () => {
    await mount(fakeApi([items()]).api);
    expect(progress()).toBe('1 of 3');
    expect(cardText()).toBe('Die blank[…] schläft auf dem Sofa.');
    expect(container!.querySelector('.review-cloze-blank')).not.toBeNull();
    expect(text()).not.toContain('Katze');
    expect(buttons().map((b) => b.textContent)).toContain('Show answer Space');
  });

  it('reveals the answer with Space, and ignores ratings before that', async () => {
    const { api, calls } = fakeApi([items()]);
    await mount(api);
    await press('3');
    expect(calls.rate).toHaveLength(0);
    await press(' ');
    expect(container!.querySelector('.review-cloze-answer')?.textContent).toBe('Katze');
    const labels = buttons().map((b) => b.textContent);
    expect(labels).toEqual(expect.arrayContaining(['Again 1', 'Hard 2', 'Good 3', 'Easy 4']));
    expect(container!.querySelector('[role="group"]')?.getAttribute('aria-label')).toMatch(/remember/u);
  });

  it('rates with keys 1–4, sending the time spent on the card, and moves on', async () => {
    const list = items();
    const { api, calls } = fakeApi([list]);
    await mount(api);
    clock.now += 4200;
    await press(' ');
    await press('1');
    expect(calls.rate).toEqual([[list[0]!.card.id, 1, 4200]]);
    expect(progress()).toBe('2 of 3');
    expect(cardText()).toBe('Es blank[…] heute.');
    clock.now += 1000;
    await press(' ');
    await press('4');
    expect(calls.rate[1]).toEqual([list[1]!.card.id, 4, 1000]);
    expect(progress()).toBe('3 of 3');
  });

  it('undoes with U and with Ctrl+Z, going back to the card that was answered', async () => {
    const list = items();
    const { api, calls } = fakeApi([list]);
    await mount(api);
    await press('u');
    expect(calls.undo).toBe(0); // nothing answered yet in this session
    await press(' ');
    await press('3');
    await press(' ');
    await press('2');
    expect(progress()).toBe('3 of 3');
    await press('u');
    expect(calls.undo).toBe(1);
    expect(progress()).toBe('2 of 3');
    expect(container!.querySelector('.review-cloze-blank')).not.toBeNull();
    await press('z', { ctrlKey: true });
    expect(calls.undo).toBe(2);
    expect(progress()).toBe('1 of 3');
    await press('z', { ctrlKey: true });
    expect(calls.undo).toBe(2);
  });

  it('offers a labelled button for every action', async () => {
    const list = items();
    const { api, calls } = fakeApi([list]);
    await mount(api);
    const undo = buttons().find((b) => /Undo/u.test(b.textContent ?? ''))!;
    expect(undo.disabled).toBe(true);
    expect(undo.getAttribute('aria-keyshortcuts')).toBe('U Control+Z');
    await click(/Show answer/u);
    await click(/Easy/u);
    expect(calls.rate[0]?.slice(0, 2)).toEqual([list[0]!.card.id, 4]);
    await click(/Undo/u);
    expect(calls.undo).toBe(1);
    expect(progress()).toBe('1 of 3');
  });

  it('shows an empty state, and looks again on request', async () => {
    const later = items().slice(0, 1);
    const { api, calls } = fakeApi([[], later]);
    await mount(api);
    expect(text()).toContain('Nothing to review right now');
    expect(container!.querySelector('.review-count')).toBeNull();
    await click(/Check again/u);
    expect(calls.load).toBe(2);
    expect(progress()).toBe('1 of 1');
  });

  it('after the last card, checks for cards that came due, then says it is done', async () => {
    const list = items().slice(0, 2);
    const { api, calls } = fakeApi([list]);
    await mount(api);
    clock.now += 3000;
    await press(' ');
    await press('3');
    clock.now += 5000;
    await press(' ');
    await press('3');
    expect(calls.load).toBe(2);
    expect(text()).toContain('All caught up');
    expect(text()).toContain('You answered 2 cards in 0:08');
    expect(container!.querySelector('.review-clock')?.textContent).toBe('0:08');
  });

  it('renders markup saved from a page as inert text', async () => {
    const evil = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=1</script>';
    const snippetItems = items({
      passage: `Die Katze ${evil} schläft.`,
      marks: ['Katze'],
      title: '<b>bold</b> title',
      url: 'https://example.org/x',
    });
    const noted = snippetItems.map((i) => toReviewItem(editCard(i.card, { note: '<a href="javascript:alert(1)">click</a>' }, T0)));
    const gist = items({ passage: `Ein Text ${evil}.`, marks: [], url: 'file:///tmp/page.html', title: '<i>t</i>' });
    await mount(fakeApi([[...noted, ...gist]]).api);
    await press(' ');
    for (const tag of ['img', 'script', 'b', 'i']) expect(container!.querySelector(tag)).toBeNull();
    expect(text()).toContain('<img src=x onerror=');
    expect(text()).toContain('<b>bold</b> title');
    const links = [...container!.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org/x']);
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    await press('3');
    await press(' ');
    expect(cardText()).toContain(evil);
    expect(container!.querySelector('img, script, i')).toBeNull();
    expect(container!.querySelectorAll('a')).toHaveLength(0); // a file: page is named, not linked
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows a gist card as question, then the passage', async () => {
    await mount(fakeApi([items({ marks: [] })]).api);
    expect(cardText()).toMatch(/^Recall the gist: Die Katze schläft/u);
    await press(' ');
    expect(cardText()).toBe('Die Katze schläft auf dem Sofa. Es regnet heute. Der Hund bellt laut.');
  });

  it('keeps the card when an answer cannot be saved, and says so', async () => {
    const { api, calls } = fakeApi([items()], { rate: true });
    await mount(api);
    await press(' ');
    await press('3');
    expect(calls.rate).toHaveLength(0);
    expect(container!.querySelector('[role="alert"]')?.textContent).toMatch(/not saved: quota exceeded/u);
    expect(progress()).toBe('1 of 3');
    expect(container!.querySelector('.review-cloze-answer')).not.toBeNull();
  });

  it('says when the cards cannot be loaded, with a way to try again', async () => {
    const { api, calls } = fakeApi([items()], { load: true });
    await mount(api);
    expect(text()).toContain('could not be loaded');
    expect(container!.querySelector('[role="alert"]')?.textContent).toContain('database closed');
    await click(/Try again/u);
    expect(calls.load).toBe(2);
  });

  it('leaves keys typed into a text field alone', async () => {
    const { api, calls } = fakeApi([items()]);
    await mount(api);
    const input = document.createElement('input');
    document.body.append(input);
    await press(' ', {}, input);
    expect(container!.querySelector('.review-cloze-answer')).toBeNull();
    await press(' ');
    await press('3', {}, input);
    expect(calls.rate).toHaveLength(0);
    input.remove();
  });

  it('moves focus to the next useful control for keyboard and screen-reader users', async () => {
    await mount(fakeApi([items()]).api);
    expect(document.activeElement?.textContent).toBe('Show answer Space');
    await press(' ');
    expect(document.activeElement?.textContent).toBe('Good 3');
    expect(container!.querySelector('[role="status"]')?.textContent).toBe('Card 1 of 3, answer shown.');
  });
});

describe('formatDuration and safeHref', () => {
  it('formats study time as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('lets only http(s) addresses become links', () => {
    expect(safeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<b>x</b>')).toBeUndefined();
    expect(safeHref('')).toBeUndefined();
  });
});
