// @vitest-environment happy-dom
/**
 * The "Suspended cards (N)" section of the review page, against an in-memory stand-in for
 * the background (the same card operations lib/review.ts gives the real one): listing,
 * unsuspending a card that is due (it joins the queue at once) or not (the page says when),
 * suspending from the queue (the list grows), failures, and keyboard focus.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { createSnippet } from '../../lib/snippet.ts';
import { cardsFromSnippet, setSuspended, toReviewItem, type ReviewCard } from '../../lib/review.ts';
import type { CardActionsApi } from './CardActions.tsx';
import { ReviewApp, type ReviewApi } from './ReviewApp.tsx';
import { SuspendedCards, type SuspendedCardsApi } from './SuspendedCards.tsx';
import { describeDue, excerpt } from './format.ts';
import { mountInBody, settle as settleRounds } from './test-support.tsx';

const T0 = Date.UTC(2026, 2, 2, 12); // noon UTC: the same calendar day in any test time zone
const DAY = 86_400_000;

/** Four cloze cards, due at T0, in queue order. */
function makeCards(): ReviewCard[] {
  const snippet = createSnippet({
    passage: 'Die Katze schläft auf dem Sofa. Es regnet heute. Der Hund bellt laut. Das Boot <b>treibt</b> ab.',
    url: 'https://example.org/tiere',
    title: 'Tiere',
    lang: 'de',
    createdAt: T0,
    marks: ['Katze', 'regnet', 'Hund', 'Boot'],
  });
  return cardsFromSnippet(snippet, T0);
}

/** The background's card store in memory, with the calls the page made. */
function fakeBackground(cards: ReviewCard[], failures: { unsuspend?: boolean; listOnce?: boolean } = {}) {
  let store = [...cards];
  const calls = { loadDue: 0, loadSuspended: 0, unsuspend: [] as string[] };
  let listFailures = failures.listOnce ? 1 : 0;
  const put = (card: ReviewCard) => (store = store.map((c) => (c.id === card.id ? card : c)));
  const api: ReviewApi = {
    async loadDue() {
      calls.loadDue++;
      return store.filter((c) => !c.suspended && c.due <= clock.now).map(toReviewItem);
    },
    async rate(cardId) {
      // Answered: due again in a day.
      put({ ...store.find((c) => c.id === cardId)!, due: clock.now + DAY });
    },
    async undo() {},
  };
  const cardActions: CardActionsApi = {
    async editNote() {
      throw new Error('not used here');
    },
    async suspend(cardId) {
      put(setSuspended(store.find((c) => c.id === cardId)!, true, clock.now));
    },
    async remove(cardId) {
      store = store.filter((c) => c.id !== cardId);
    },
  };
  const suspended: SuspendedCardsApi = {
    async loadSuspended() {
      calls.loadSuspended++;
      if (listFailures-- > 0) throw new Error('database closed');
      return store.filter((c) => c.suspended).map(toReviewItem);
    },
    async unsuspend(cardId) {
      calls.unsuspend.push(cardId);
      const card = store.find((c) => c.id === cardId);
      if (failures.unsuspend || !card) throw new Error(`There is no card ${cardId}`);
      const next = setSuspended(card, false, clock.now);
      put(next);
      return next;
    },
  };
  return { api, cardActions, suspended, calls, remove: (id: string) => (store = store.filter((c) => c.id !== id)) };
}

const clock = { now: T0 + 60_000 };
let container: HTMLElement | undefined;

afterEach(() => {
  container = undefined;
  clock.now = T0 + 60_000;
});

/** Unsuspending reloads two lists in turn: more rounds than the other review tests need. */
const settle = () => settleRounds(8);

async function mount(bg: ReturnType<typeof fakeBackground>) {
  container = await mountInBody(<ReviewApp api={bg.api} cardActions={bg.cardActions} suspended={bg.suspended} now={() => clock.now} />, 8);
}

const section = () => container!.querySelector<HTMLDetailsElement>('details.review-suspended')!;
const summary = () => section().querySelector('summary')!.textContent;
const fronts = () => [...section().querySelectorAll('.review-suspended-front')].map((p) => p.textContent);
const unsuspendButtons = () => [...section().querySelectorAll<HTMLButtonElement>('.review-suspended-card button')];
const outcome = () => section().querySelector('[role="status"]')!.textContent;
const progress = () => container!.querySelector('.review-count')?.textContent;
const cardText = () => container!.querySelector('.review-card .review-text')?.textContent;

async function clickButton(button: HTMLButtonElement | undefined) {
  if (!button) throw new Error('no such button');
  await act(async () => button.click());
  await settle();
}

const queueButton = (name: RegExp) => [...container!.querySelectorAll('button')].find((b) => name.test(b.textContent ?? ''));

describe('Suspended cards on the review page', () => {
  it('lists the suspended cards by their front in a keyboard-operable disclosure, after the queue', async () => {
    const cards = makeCards();
    const [a, b] = cards as [ReviewCard, ReviewCard];
    const bg = fakeBackground([setSuspended(a, true, T0), setSuspended(b, true, T0), ...cards.slice(2)]);
    await mount(bg);
    expect(section().tagName).toBe('DETAILS');
    expect(summary()).toBe('Suspended cards (2)');
    expect(fronts()).toEqual(['Die […] schläft auf dem Sofa.', 'Es […] heute.']);
    expect(unsuspendButtons().map((x) => x.textContent)).toEqual(['Unsuspend', 'Unsuspend']);
    // Each button names its card for screen readers.
    const describedBy = unsuspendButtons()[1]!.getAttribute('aria-describedby')!;
    expect(container!.querySelector(`[id="${describedBy}"]`)?.textContent).toBe('Es […] heute.');
    // After the queue's card and before nothing else: the order on the page.
    const order = [...container!.querySelectorAll('.review-card, details.review-suspended')].map((e) => e.tagName);
    expect(order).toEqual(['SECTION', 'DETAILS']);
    expect(progress()).toBe('1 of 2');
  });

  it('says so when there are none', async () => {
    await mount(fakeBackground(makeCards()));
    expect(summary()).toBe('Suspended cards (0)');
    expect(section().textContent).toContain('No suspended cards.');
  });

  it('puts an unsuspended card that is due back into an empty queue at once', async () => {
    const cards = makeCards().map((c) => setSuspended(c, true, T0));
    const bg = fakeBackground(cards.slice(0, 1));
    await mount(bg);
    expect(container!.textContent).toContain('Nothing to review right now');
    const loadsBefore = bg.calls.loadDue;
    await clickButton(unsuspendButtons()[0]);
    expect(bg.calls.unsuspend).toEqual([cards[0]!.id]);
    expect(bg.calls.loadDue).toBe(loadsBefore + 1);
    expect(progress()).toBe('1 of 1');
    expect(cardText()).toBe('Die blank[…] schläft auf dem Sofa.');
    expect(summary()).toBe('Suspended cards (0)');
    expect(outcome()).toBe('“Die […] schläft auf dem Sofa.” is back in your queue.');
  });

  it('adds an unsuspended due card at the end of a queue in progress, without repeating the others', async () => {
    const cards = makeCards();
    const bg = fakeBackground([setSuspended(cards[0]!, true, T0), ...cards.slice(1)]);
    await mount(bg);
    expect(progress()).toBe('1 of 3');
    await clickButton(unsuspendButtons()[0]);
    expect(progress()).toBe('1 of 4');
    // The card on screen did not change: the learner keeps their place.
    expect(cardText()).toBe('Es blank[…] heute.');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(container!.querySelector('.review-card .review-text')!.textContent!);
      await clickButton(queueButton(/Show answer/u));
      await clickButton(queueButton(/Good/u));
    }
    expect(ids).toEqual(['Es blank[…] heute.', 'Der blank[…] bellt laut.', 'Das blank[…] <b>treibt</b> ab.', 'Die blank[…] schläft auf dem Sofa.']);
    expect(container!.textContent).toContain('All caught up');
  });

  it('says when an unsuspended card that is not due will be, and leaves the queue alone', async () => {
    const [first, ...rest] = makeCards();
    const later = { ...setSuspended(first!, true, T0), due: T0 + 3 * DAY };
    const bg = fakeBackground([later, ...rest]);
    await mount(bg);
    const loadsBefore = bg.calls.loadDue;
    await clickButton(unsuspendButtons()[0]);
    expect(bg.calls.unsuspend).toEqual([later.id]);
    expect(bg.calls.loadDue).toBe(loadsBefore);
    expect(progress()).toBe('1 of 3');
    expect(outcome()).toBe('“Die […] schläft auf dem Sofa.” is back in your reviews. It is due in 3 days, on 5 March 2026.');
    expect(summary()).toBe('Suspended cards (0)');
  });

  it('shows a card suspended from the queue in the list', async () => {
    const cards = makeCards();
    const bg = fakeBackground(cards);
    await mount(bg);
    expect(summary()).toBe('Suspended cards (0)');
    await clickButton(queueButton(/^Suspend$/u));
    expect(progress()).toBe('1 of 3');
    expect(summary()).toBe('Suspended cards (1)');
    expect(fronts()).toEqual(['Die […] schläft auf dem Sofa.']);
    // And back again: it rejoins the queue it left.
    await clickButton(unsuspendButtons()[0]);
    expect(progress()).toBe('1 of 4');
  });

  it('keeps the card listed and says why when unsuspending fails, then shows the list as stored', async () => {
    const cards = makeCards();
    const bg = fakeBackground([setSuspended(cards[0]!, true, T0), setSuspended(cards[1]!, true, T0)]);
    await mount(bg);
    // Deleted on another page meanwhile.
    bg.remove(cards[0]!.id);
    await clickButton(unsuspendButtons()[0]);
    expect(outcome()).toBe(`Could not unsuspend “Die […] schläft auf dem Sofa.”: There is no card ${cards[0]!.id}`);
    expect(section().querySelector('[role="status"]')!.getAttribute('data-tone')).toBe('error');
    expect(fronts()).toEqual(['Es […] heute.']);
    expect(progress()).toBeUndefined();
  });

  it('offers to try again when the list cannot be loaded', async () => {
    const bg = fakeBackground([setSuspended(makeCards()[0]!, true, T0)], { listOnce: true });
    await mount(bg);
    expect(section().querySelector('[role="alert"]')?.textContent).toContain('could not be loaded: database closed');
    expect(summary()).toBe('Suspended cards');
    await clickButton([...section().querySelectorAll('button')].find((x) => x.textContent === 'Try again'));
    expect(bg.calls.loadSuspended).toBe(2);
    expect(summary()).toBe('Suspended cards (1)');
  });

  it('keeps keyboard focus in the list: on the next card, and not pulled to the queue it filled', async () => {
    const cards = makeCards().map((c) => setSuspended(c, true, T0));
    const bg = fakeBackground(cards.slice(0, 2));
    await mount(bg);
    section().open = true;
    unsuspendButtons()[0]!.focus();
    await clickButton(unsuspendButtons()[0]);
    expect(progress()).toBe('1 of 1');
    expect(document.activeElement).toBe(unsuspendButtons()[0]);
    expect(document.activeElement?.getAttribute('aria-describedby')).toBe(`review-suspended-${cards[1]!.id}`);
    await clickButton(unsuspendButtons()[0]);
    expect(progress()).toBe('1 of 2');
    expect(document.activeElement).toBe(section().querySelector('summary'));
  });
});

/** The section on its own, with the page's side (`onDue`) played by the test. */
async function mountSection(api: SuspendedCardsApi, onDue: (card: ReviewCard) => Promise<boolean>) {
  container = await mountInBody(<SuspendedCards api={api} now={() => clock.now} refreshKey={0} onDue={onDue} />, 8);
}

describe('Suspended cards when the page cannot take the card at once', () => {
  it('says a due card waits behind today’s other new cards when the queue did not take it', async () => {
    const cards = makeCards();
    const bg = fakeBackground([setSuspended(cards[0]!, true, T0), setSuspended(cards[1]!, true, T0)]);
    const offered: string[] = [];
    await mountSection(bg.suspended, async (card) => {
      offered.push(card.id);
      return false; // today's new-card limit is reached
    });
    await clickButton(unsuspendButtons()[0]);
    expect(offered).toEqual([cards[0]!.id]);
    expect(outcome()).toBe('“Die […] schläft auf dem Sofa.” is back in your reviews. It is due, and comes up once today’s other new cards are done.');
    expect(section().querySelector('[role="status"]')!.getAttribute('data-tone')).toBe('done');
    expect(fronts()).toEqual(['Es […] heute.']);
  });

  it('says the card is back but the queue could not be reloaded when the page fails to', async () => {
    const cards = makeCards();
    const bg = fakeBackground([setSuspended(cards[0]!, true, T0), setSuspended(cards[1]!, true, T0)]);
    await mountSection(bg.suspended, async () => {
      throw new Error('the service worker restarted');
    });
    await clickButton(unsuspendButtons()[0]);
    expect(outcome()).toBe('“Die […] schläft auf dem Sofa.” is back in your reviews, but the queue could not be reloaded: the service worker restarted');
    // The unsuspend itself succeeded: the card leaves the list.
    expect(fronts()).toEqual(['Es […] heute.']);
  });

  it('ignores further clicks while one card is being unsuspended, and marks every button as unavailable', async () => {
    const cards = makeCards();
    const bg = fakeBackground([setSuspended(cards[0]!, true, T0), setSuspended(cards[1]!, true, T0)]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: SuspendedCardsApi = {
      loadSuspended: () => bg.suspended.loadSuspended(),
      async unsuspend(cardId) {
        await gate;
        return bg.suspended.unsuspend(cardId);
      },
    };
    await mountSection(slow, async () => true);
    const [first, second] = unsuspendButtons() as [HTMLButtonElement, HTMLButtonElement];
    await clickButton(first);
    expect(first.textContent).toBe('Unsuspending…');
    expect(unsuspendButtons().map((b) => b.getAttribute('aria-disabled'))).toEqual(['true', 'true']);
    // Still focusable (aria-disabled, not disabled), so the clicks arrive and must be ignored.
    expect(first.disabled).toBe(false);
    await clickButton(first);
    await clickButton(second);
    release();
    await settle();
    expect(bg.calls.unsuspend).toEqual([cards[0]!.id]);
    expect(fronts()).toEqual(['Es […] heute.']);
    expect(unsuspendButtons().map((b) => b.getAttribute('aria-disabled'))).toEqual([null]);
    expect(outcome()).toBe('“Die […] schläft auf dem Sofa.” is back in your queue.');
  });
});

describe('describeDue and excerpt', () => {
  it('says when a card is due in minutes, hours, or days with the date', () => {
    expect(describeDue(T0, T0)).toBe('now');
    expect(describeDue(T0 - 5, T0)).toBe('now');
    expect(describeDue(T0 + 1, T0)).toBe('in 1 minute');
    expect(describeDue(T0 + 4.2 * 60_000, T0)).toBe('in 5 minutes');
    expect(describeDue(T0 + 3.4 * 3_600_000, T0)).toBe('in 3 hours');
    expect(describeDue(T0 + 23.9 * 3_600_000, T0)).toBe('in 23 hours');
    expect(describeDue(T0 + DAY, T0, 'UTC')).toBe('in 1 day, on 3 March 2026');
    expect(describeDue(T0 + 12 * DAY, T0, 'UTC')).toBe('in 12 days, on 14 March 2026');
  });

  it('shortens a long front at a word, and keeps a short one whole', () => {
    expect(excerpt('Es […] heute.')).toBe('Es […] heute.');
    expect(excerpt('  one\n two  ')).toBe('one two');
    const long = 'Die Katze schläft auf dem Sofa, während draußen der Regen gegen die Fenster schlägt.';
    const short = excerpt(long, 40);
    expect(short).toBe('Die Katze schläft auf dem Sofa, während…');
    expect(short.length).toBeLessThanOrEqual(40);
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
