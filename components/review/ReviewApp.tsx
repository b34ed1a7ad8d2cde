/**
 * The review page: due cards one at a time. Space shows the answer, 1–4 rate it
 * (Again/Hard/Good/Easy), U or Ctrl+Z undoes the last answer; every action also has a
 * labelled button. Storage and scheduling live behind the injected `api`, so this component
 * only keeps the session: which card is shown, what was answered, how long it took.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toReviewItem, type ReviewCard, type ReviewItem, type ReviewRating } from '../../lib/review.ts';
import { errorText } from '../../lib/text.ts';
import { CardActions, type CardActionsApi } from './CardActions.tsx';
import { CardView } from './CardView.tsx';
import { ExportPanel, type ExportApi } from './ExportPanel.tsx';
import { RatingBar } from './RatingBar.tsx';
import { LookupHistory, type LookupHistoryApi } from './LookupHistory.tsx';
import { SuspendedCards, type SuspendedCardsApi } from './SuspendedCards.tsx';
import { formatDuration } from './format.ts';
import './review.css';

export interface ReviewApi {
  /** Cards due now, in study order. */
  loadDue(): Promise<ReviewItem[]>;
  rate(cardId: string, rating: ReviewRating, durationMs: number): Promise<void>;
  /** Takes back the latest answer. */
  undo(): Promise<void>;
}

export interface ReviewAppProps {
  api: ReviewApi;
  /** Clock in epoch ms; injectable for tests. */
  now?: () => number;
  /** Export to Anki; the panel is shown only when given. */
  exporter?: ExportApi;
  /** Edit, suspend and delete the card on screen; the buttons are shown only when given. */
  cardActions?: CardActionsApi;
  /** List and unsuspend suspended cards; the section is shown only when given. */
  suspended?: SuspendedCardsApi;
  /** The learner's dictionary look-ups; the section is shown only when given. */
  lookups?: LookupHistoryApi;
}

interface Session {
  phase: 'loading' | 'ready' | 'load-error';
  items: ReviewItem[];
  index: number;
  revealed: boolean;
  busy: boolean;
  /** Answers given in this session, newest last: what Undo may take back. */
  history: { index: number; durationMs: number }[];
  /** Time spent on cards already answered. */
  spentMs: number;
  /** When the current card was shown. */
  shownAt: number;
  error: string | null;
  /** What was last done to a card, for screen readers (cleared by the next step). */
  notice: string | null;
}

/**
 * The session's list with freshly loaded due cards added at the end, except those still
 * waiting in it: a reload while cards are queued (a card unsuspended mid-session) must not
 * show them twice. Answered cards that are due again (an "Again") do come back, as a new turn.
 */
function withDue(items: ReviewItem[], index: number, due: ReviewItem[]): ReviewItem[] {
  const waiting = new Set(items.slice(index).map((it) => it.card.id));
  return [...items, ...due.filter((it) => !waiting.has(it.card.id))];
}

/** Keys typed into a form field or on a focused control belong to that element. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable || el.closest('input, textarea, select, [contenteditable="true"]')) return true;
  return (key === ' ' || key === 'Enter') && el.closest('button, a[href], summary') !== null;
}

export function ReviewApp({ api, now = Date.now, exporter, cardActions, suspended, lookups }: ReviewAppProps) {
  const [session, setSession] = useState<Session>(() => ({
    phase: 'loading',
    items: [],
    index: 0,
    revealed: false,
    busy: true,
    history: [],
    spentMs: 0,
    shownAt: now(),
    error: null,
    notice: null,
  }));
  // Handlers run from a document listener and after awaits; they read the latest session here.
  const current = useRef(session);
  current.current = session;
  const update = (patch: Partial<Session>) => {
    current.current = { ...current.current, ...patch };
    setSession(current.current);
  };
  const [, setTick] = useState(0);
  const showRef = useRef<HTMLButtonElement>(null);
  const goodRef = useRef<HTMLButtonElement>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  // Bumped on every suspend, so the suspended-cards section reads its list again.
  const [suspendedVersion, setSuspendedVersion] = useState(0);
  // Set when a card unsuspended below fills an empty queue: focus stays where the learner is.
  const keepFocus = useRef(false);

  async function fetchDue(): Promise<ReviewItem[] | Error> {
    try {
      return await api.loadDue();
    } catch (e) {
      return e instanceof Error ? e : new Error(errorText(e));
    }
  }

  /** First load, or "check again" on the empty / finished screen: appends what is due. */
  async function loadMore() {
    const s = current.current;
    if (s.busy && s.phase !== 'loading') return;
    update({ busy: true, error: null });
    const due = await fetchDue();
    const after = current.current;
    if (due instanceof Error) {
      if (after.phase === 'loading' || after.phase === 'load-error') update({ phase: 'load-error', busy: false, error: due.message });
      else update({ busy: false, error: `Could not load more cards: ${due.message}` });
      return;
    }
    update({ phase: 'ready', items: withDue(after.items, after.index, due), busy: false, shownAt: now() });
  }

  /**
   * A card unsuspended in the section below is due now: reload the due list so it joins the
   * queue at once. True when the card is then waiting in the queue (the new-card limit can
   * hold a new card back); throws when the list could not be loaded.
   */
  async function rejoin(card: ReviewCard): Promise<boolean> {
    const due = await fetchDue();
    if (due instanceof Error) throw due;
    const after = current.current;
    const items = withDue(after.items, after.index, due);
    const wasIdle = !after.items[after.index];
    if (wasIdle && items.length > after.index) keepFocus.current = true;
    // A first load still in flight finishes the job (and adds nothing twice, see withDue).
    const patch: Partial<Session> = after.phase === 'loading' ? { items } : { phase: 'ready', items, error: null };
    if (wasIdle) patch.shownAt = now();
    update(patch);
    return items.slice(after.index).some((it) => it.card.id === card.id);
  }

  function reveal() {
    const s = current.current;
    if (s.phase !== 'ready' || s.busy || s.revealed || s.index >= s.items.length) return;
    update({ revealed: true, notice: null });
  }

  async function rate(rating: ReviewRating) {
    const s = current.current;
    const item = s.items[s.index];
    if (s.phase !== 'ready' || s.busy || !s.revealed || !item) return;
    const durationMs = Math.max(0, now() - s.shownAt);
    update({ busy: true, error: null, notice: null });
    try {
      await api.rate(item.card.id, rating, durationMs);
    } catch (e) {
      update({ busy: false, error: `Your answer was not saved: ${errorText(e)}` });
      return;
    }
    const after = current.current;
    update({
      index: after.index + 1,
      revealed: false,
      busy: false,
      history: [...after.history, { index: after.index, durationMs }],
      spentMs: after.spentMs + durationMs,
      shownAt: now(),
    });
    // Cards answered "Again" come back within minutes; look once more before saying "done".
    if (current.current.index >= current.current.items.length) await loadMore();
  }

  async function undo() {
    const s = current.current;
    const last = s.history[s.history.length - 1];
    if (s.phase !== 'ready' || s.busy || !last) return;
    update({ busy: true, error: null, notice: null });
    try {
      await api.undo();
    } catch (e) {
      update({ busy: false, error: `Could not undo: ${errorText(e)}` });
      return;
    }
    const after = current.current;
    update({
      index: last.index,
      revealed: false,
      busy: false,
      history: after.history.slice(0, -1),
      spentMs: Math.max(0, after.spentMs - last.durationMs),
      // The time already spent on that card keeps counting for its new answer.
      shownAt: now() - last.durationMs,
    });
  }

  /** Stores a new note for the card on screen; true when it was stored. */
  async function saveNote(note: string): Promise<boolean> {
    const s = current.current;
    const item = s.items[s.index];
    if (!cardActions || s.phase !== 'ready' || s.busy || !item) return false;
    update({ busy: true, error: null, notice: null });
    let card;
    try {
      card = await cardActions.editNote(item.card.id, note);
    } catch (e) {
      update({ busy: false, error: `Your note was not saved: ${errorText(e)}` });
      return false;
    }
    const after = current.current;
    const edited = toReviewItem(card);
    update({ items: after.items.map((it) => (it.card.id === card.id ? edited : it)), busy: false, notice: 'Note saved.' });
    return true;
  }

  /**
   * Suspends or deletes the card on screen and moves on. Only that entry of the session's
   * list goes: the entries before it are answered cards that Undo refers to by position.
   */
  async function dropCurrent(how: 'suspend' | 'delete') {
    const s = current.current;
    const item = s.items[s.index];
    if (!cardActions || s.phase !== 'ready' || s.busy || !item) return;
    update({ busy: true, error: null, notice: null });
    try {
      await (how === 'suspend' ? cardActions.suspend(item.card.id) : cardActions.remove(item.card.id));
    } catch (e) {
      update({ busy: false, error: `Could not ${how} this card: ${errorText(e)}` });
      return;
    }
    const after = current.current;
    if (how === 'suspend') setSuspendedVersion((n) => n + 1);
    update({
      items: after.items.filter((_, i) => i !== after.index),
      revealed: false,
      busy: false,
      shownAt: now(),
      notice: how === 'suspend' ? 'Card suspended.' : 'Card deleted.',
    });
    if (current.current.index >= current.current.items.length) await loadMore();
  }

  useEffect(() => {
    void loadMore();
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || ownsKey(event.target, event.key)) return;
      const ctrl = event.ctrlKey || event.metaKey;
      if (ctrl) {
        if (event.key === 'z' || event.key === 'Z') {
          event.preventDefault();
          void undo();
        }
        return;
      }
      if (event.key === ' ' || event.key === 'Spacebar') {
        event.preventDefault(); // no page scroll
        reveal();
      } else if (event.key === 'u' || event.key === 'U') {
        void undo();
      } else if (event.key >= '1' && event.key <= '4' && event.key.length === 1) {
        void rate(Number(event.key) as ReviewRating);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Keep keyboard focus on the next useful control, so Space/Enter always do the next step.
  const { phase, items, index, revealed, busy, history, error } = session;
  const item = items[index];
  useEffect(() => {
    if (phase !== 'ready') return;
    if (keepFocus.current) {
      keepFocus.current = false;
      return;
    }
    if (!item) moreRef.current?.focus();
    else if (revealed) goodRef.current?.focus();
    else showRef.current?.focus();
  }, [phase, index, revealed, item?.card.id]);

  const total = items.length;
  const spent = session.spentMs + (item && !busy ? Math.max(0, now() - session.shownAt) : 0);
  const status =
    (session.notice ? `${session.notice} ` : '') +
    (phase === 'loading'
      ? 'Loading your cards…'
      : phase === 'load-error'
        ? 'Your cards could not be loaded.'
        : total === 0
          ? 'Nothing to review right now.'
          : !item
            ? `All done: ${history.length} answered.`
            : `Card ${index + 1} of ${total}${revealed ? ', answer shown' : ''}.`);

  let body;
  if (phase === 'loading') {
    body = <p class="review-message">Loading your cards…</p>;
  } else if (phase === 'load-error') {
    body = (
      <div class="review-message">
        <p>Your cards could not be loaded.</p>
        <button type="button" onClick={() => void loadMore()} disabled={busy}>
          Try again
        </button>
      </div>
    );
  } else if (total === 0) {
    body = (
      <div class="review-message review-empty">
        <h2>Nothing to review right now</h2>
        <p>Save a passage or mark words while you read, and cards for them will appear here when they are due.</p>
        <button type="button" ref={moreRef} onClick={() => void loadMore()} disabled={busy}>
          Check again
        </button>
      </div>
    );
  } else if (!item) {
    body = (
      <div class="review-message review-done">
        <h2>All caught up</h2>
        <p>
          You answered {history.length} {history.length === 1 ? 'card' : 'cards'} in {formatDuration(session.spentMs)}.
        </p>
        <button type="button" ref={moreRef} onClick={() => void loadMore()} disabled={busy}>
          Check for more cards
        </button>
      </div>
    );
  } else {
    body = (
      <>
        <CardView item={item} revealed={revealed} />
        <div class="review-actions">
          {revealed ? (
            <RatingBar onRate={(r) => void rate(r)} disabled={busy} goodRef={goodRef} />
          ) : (
            <button type="button" class="review-show" ref={showRef} onClick={reveal} disabled={busy} aria-keyshortcuts="Space">
              Show answer <kbd aria-hidden="true">Space</kbd>
            </button>
          )}
        </div>
        {cardActions ? (
          <CardActions
            key={item.card.id}
            card={item.card}
            disabled={busy}
            onSaveNote={saveNote}
            onSuspend={() => void dropCurrent('suspend')}
            onDelete={() => void dropCurrent('delete')}
          />
        ) : null}
      </>
    );
  }

  return (
    <main class="review-app" aria-labelledby="review-title" aria-busy={busy}>
      <header class="review-header">
        <h1 id="review-title">Review</h1>
        {phase === 'ready' && total > 0 ? (
          <p class="review-progress">
            <span class="review-count">
              {Math.min(index + 1, total)} of {total}
            </span>
            <progress max={total} value={index} aria-hidden="true" />
          </p>
        ) : null}
        <p class="review-time">
          Time spent <span class="review-clock">{formatDuration(spent)}</span>
        </p>
        <button
          type="button"
          class="review-undo"
          onClick={() => void undo()}
          disabled={busy || history.length === 0}
          aria-keyshortcuts="U Control+Z"
        >
          Undo <kbd aria-hidden="true">U</kbd>
        </button>
      </header>
      <p class="review-sr-only" role="status" aria-live="polite">
        {status}
      </p>
      {error ? (
        <p class="review-error" role="alert">
          {error}
        </p>
      ) : null}
      {body}
      <footer class="review-help">
        <kbd>Space</kbd> shows the answer · <kbd>1</kbd>–<kbd>4</kbd> rate it · <kbd>U</kbd> or <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes
      </footer>
      {suspended ? <SuspendedCards api={suspended} now={now} refreshKey={suspendedVersion} onDue={rejoin} /> : null}
      {lookups ? <LookupHistory api={lookups} now={now} /> : null}
      {exporter ? <ExportPanel api={exporter} /> : null}
    </main>
  );
}
