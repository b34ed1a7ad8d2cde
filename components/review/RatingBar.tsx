/** The four answers, each a labelled button that also names its key. */
import type { Ref } from 'preact';
import { RATINGS, RATING_LABELS, type ReviewRating } from '../../lib/review.ts';

export function RatingBar({
  onRate,
  disabled,
  goodRef,
}: {
  onRate: (rating: ReviewRating) => void;
  disabled: boolean;
  /** Focus lands on "Good" when the answer is shown, as in Anki: Space then means Good. */
  goodRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <div class="review-ratings" role="group" aria-label="How well did you remember?">
      {RATINGS.map((rating) => (
        <button
          key={rating}
          type="button"
          class={`review-rate review-rate-${RATING_LABELS[rating].toLowerCase()}`}
          disabled={disabled}
          aria-keyshortcuts={String(rating)}
          ref={rating === 3 ? goodRef : undefined}
          onClick={() => onRate(rating)}
        >
          {RATING_LABELS[rating]} <kbd aria-hidden="true">{rating}</kbd>
        </button>
      ))}
    </div>
  );
}
