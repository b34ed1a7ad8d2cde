/**
 * What the learner can do to the card on screen besides answering it: edit its note, suspend
 * it, delete it. Deleting asks once more, because it cannot be undone from this page. The
 * parent performs the actions (it owns the session and the busy state); this component only
 * keeps which small form is open.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_NOTE_CHARS, type ReviewCard } from '../../lib/review.ts';

/** The background's card operations, as the review page calls them. */
export interface CardActionsApi {
  /** Stores the new note; answers the card as stored. */
  editNote(cardId: string, note: string): Promise<ReviewCard>;
  /** Takes the card out of the queue. */
  suspend(cardId: string): Promise<void>;
  /** Deletes the card (its review history is kept). */
  remove(cardId: string): Promise<void>;
}

export interface CardActionsProps {
  card: ReviewCard;
  disabled: boolean;
  /** Resolves true once the note is stored; the form then closes. */
  onSaveNote(note: string): Promise<boolean>;
  onSuspend(): void;
  onDelete(): void;
}

type Mode = 'idle' | 'editing' | 'confirm-delete';

export function CardActions({ card, disabled, onSaveNote, onSuspend, onDelete }: CardActionsProps) {
  const [mode, setMode] = useState<Mode>('idle');
  const [draft, setDraft] = useState(card.note);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  // Where focus goes back to when a form closes, so keyboard users stay where they were.
  const returnTo = useRef<'edit' | 'delete' | null>(null);

  useEffect(() => {
    if (mode === 'editing') noteRef.current?.focus();
    else if (mode === 'confirm-delete') keepRef.current?.focus();
    else if (returnTo.current === 'edit') editRef.current?.focus();
    else if (returnTo.current === 'delete') deleteRef.current?.focus();
    returnTo.current = null;
  }, [mode]);

  function close(to: 'edit' | 'delete') {
    returnTo.current = to;
    setMode('idle');
  }

  async function save(event: Event) {
    event.preventDefault();
    if (disabled) return;
    if (await onSaveNote(draft)) close('edit');
  }

  // While a form is open its keys are its own: a digit typed on "Save" must not rate the card.
  const onKeyDown = (event: KeyboardEvent) => {
    if (mode === 'idle') return;
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close(mode === 'editing' ? 'edit' : 'delete');
    }
  };

  const noteId = `review-note-${card.id}`;
  return (
    <div class="review-card-actions" role="group" aria-label="This card" onKeyDown={onKeyDown}>
      {mode === 'editing' ? (
        <form class="review-note-form" onSubmit={(e) => void save(e)}>
          <label for={noteId}>Note (shown with the answer)</label>
          <textarea
            id={noteId}
            ref={noteRef}
            rows={3}
            maxLength={MAX_NOTE_CHARS}
            value={draft}
            onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <div class="review-note-buttons">
            <button type="submit" disabled={disabled}>
              Save note
            </button>
            <button type="button" onClick={() => close('edit')}>
              Cancel
            </button>
          </div>
        </form>
      ) : mode === 'confirm-delete' ? (
        <div class="review-confirm" role="alertdialog" aria-label="Delete this card?" aria-describedby={`${noteId}-confirm`}>
          <p id={`${noteId}-confirm`}>Delete this card for good? Your past answers to it are kept.</p>
          <button type="button" class="review-danger" disabled={disabled} onClick={onDelete}>
            Yes, delete card
          </button>
          <button type="button" ref={keepRef} onClick={() => close('delete')}>
            Keep card
          </button>
        </div>
      ) : (
        <>
          <button
            type="button"
            ref={editRef}
            disabled={disabled}
            onClick={() => {
              setDraft(card.note);
              setMode('editing');
            }}
          >
            Edit note
          </button>
          <button type="button" disabled={disabled} onClick={onSuspend} title="Take this card out of your reviews">
            Suspend
          </button>
          <button type="button" ref={deleteRef} disabled={disabled} onClick={() => setMode('confirm-delete')}>
            Delete
          </button>
        </>
      )}
    </div>
  );
}
