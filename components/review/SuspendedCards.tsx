/**
 * "Suspended cards (N)": the cards the learner took out of the queue, each with its front and
 * an Unsuspend button. A card keeps its schedule while suspended, so unsuspending either puts
 * it straight back into today's queue (the page reloads its due list) or says when it is due.
 * A native <details>/<summary> is the disclosure: keyboard and screen-reader support for free,
 * and closed by default so studying stays the main thing on the page.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReviewCard, ReviewItem } from '../../lib/review.ts';
import { errorText } from '../../lib/text.ts';
import { describeDue, excerpt } from './format.ts';

/** The background's side of this section, as the review page calls it. */
export interface SuspendedCardsApi {
  /** Every suspended card, most recently suspended first. */
  loadSuspended(): Promise<ReviewItem[]>;
  /** Puts the card back into the reviews; answers the card as stored. */
  unsuspend(cardId: string): Promise<ReviewCard>;
}

export interface SuspendedCardsProps {
  api: SuspendedCardsApi;
  now: () => number;
  /** Changes whenever the page suspends a card, so the list is read again. */
  refreshKey: number;
  /**
   * Called with a card just unsuspended that is due now: the page reloads its due list.
   * Resolves true when the card is then in the queue on screen; rejects when the list could
   * not be reloaded.
   */
  onDue(card: ReviewCard): Promise<boolean>;
}

type Outcome = { tone: 'done' | 'error'; text: string };

export function SuspendedCards({ api, now, refreshKey, onDue }: SuspendedCardsProps) {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // After a card leaves the list, focus goes to the card that took its place (or the
  // summary), so a keyboard user is not dropped at the top of the page.
  const [focusAt, setFocusAt] = useState<number | null>(null);
  const rootRef = useRef<HTMLDetailsElement>(null);
  const busy = useRef(false);

  async function load() {
    setLoadError(null);
    try {
      setItems(await api.loadSuspended());
    } catch (e) {
      setLoadError(errorText(e));
    }
  }

  useEffect(() => {
    void load();
  }, [refreshKey]);

  useEffect(() => {
    if (focusAt === null) return;
    const root = rootRef.current;
    const next = root?.querySelectorAll<HTMLButtonElement>('.review-suspended-card button')[focusAt];
    (next ?? root?.querySelector('summary'))?.focus();
    setFocusAt(null);
  }, [focusAt]);

  async function unsuspend(item: ReviewItem, position: number) {
    // aria-disabled rather than disabled: a disabled button would drop keyboard focus.
    if (busy.current) return;
    busy.current = true;
    setPending(item.card.id);
    setOutcome(null);
    const name = `“${excerpt(item.front)}”`;
    let text: string;
    try {
      const card = await api.unsuspend(item.card.id);
      if (card.due > now()) text = `${name} is back in your reviews. It is due ${describeDue(card.due, now())}.`;
      else {
        let queued: boolean | Error;
        try {
          queued = await onDue(card);
        } catch (e) {
          queued = e instanceof Error ? e : new Error(errorText(e));
        }
        text =
          queued instanceof Error
            ? `${name} is back in your reviews, but the queue could not be reloaded: ${queued.message}`
            : queued
              ? `${name} is back in your queue.`
              : `${name} is back in your reviews. It is due, and comes up once today’s other new cards are done.`;
      }
    } catch (e) {
      busy.current = false;
      setPending(null);
      setOutcome({ tone: 'error', text: `Could not unsuspend ${name}: ${errorText(e)}` });
      // The card may be gone (deleted on another page): show the list as it now is.
      void load();
      return;
    }
    busy.current = false;
    setPending(null);
    setItems((list) => (list ?? []).filter((it) => it.card.id !== item.card.id));
    setOutcome({ tone: 'done', text });
    setFocusAt(position);
  }

  const count = items?.length;
  let body;
  if (loadError !== null) {
    body = (
      <div class="review-suspended-message" role="alert">
        <p>Your suspended cards could not be loaded: {loadError}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  } else if (!items) {
    body = <p class="review-suspended-message">Loading…</p>;
  } else if (items.length === 0) {
    body = <p class="review-suspended-message">No suspended cards. A card you suspend waits here until you bring it back.</p>;
  } else {
    body = (
      <ul class="review-suspended-list">
        {items.map((item, position) => {
          const frontId = `review-suspended-${item.card.id}`;
          const waiting = pending === item.card.id;
          return (
            <li key={item.card.id} class="review-suspended-card">
              <p id={frontId} class="review-suspended-front" lang={item.card.lang}>
                {item.front}
              </p>
              <button
                type="button"
                aria-describedby={frontId}
                aria-disabled={pending !== null ? 'true' : undefined}
                onClick={() => void unsuspend(item, position)}
              >
                {waiting ? 'Unsuspending…' : 'Unsuspend'}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <details class="review-suspended" ref={rootRef}>
      <summary>Suspended cards{count === undefined ? '' : ` (${count})`}</summary>
      <p class="review-suspended-hint">Suspended cards stay out of your reviews. Unsuspending one keeps its schedule.</p>
      {body}
      {/* Always present (empty when quiet): a live region must exist before its text changes. */}
      <p class="review-suspended-outcome" role="status" aria-live="polite" data-tone={outcome?.tone}>
        {outcome?.text ?? ''}
      </p>
    </details>
  );
}
