/**
 * One card, question side or answer side. Page text is only ever rendered as text nodes
 * (never as HTML), so markup saved from a page shows up literally and stays inert.
 */
import type { ReviewItem } from '../../lib/review.ts';
import { safeHref } from './format.ts';

function Source({ url, title }: { url: string; title: string }) {
  const href = safeHref(url);
  const label = title || (href ? new URL(href).hostname : url);
  if (!label) return null;
  return (
    <p class="review-source">
      From{' '}
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      ) : (
        label
      )}
    </p>
  );
}

export function CardView({ item, revealed }: { item: ReviewItem; revealed: boolean }) {
  const { card } = item;
  let body;
  if (card.kind === 'cloze') {
    const before = card.text.slice(0, card.cloze.start);
    const answer = card.text.slice(card.cloze.start, card.cloze.end);
    const after = card.text.slice(card.cloze.end);
    body = (
      <p class="review-text" lang={card.lang}>
        {before}
        {revealed ? (
          <mark class="review-cloze-answer">{answer}</mark>
        ) : (
          <span class="review-cloze-blank">
            <span class="review-sr-only">blank</span>
            <span aria-hidden="true">[…]</span>
          </span>
        )}
        {after}
      </p>
    );
  } else {
    body = (
      <p class="review-text" lang={card.lang}>
        {revealed ? item.back : item.front}
      </p>
    );
  }
  return (
    <section class={`review-card ${revealed ? 'is-revealed' : ''}`} aria-label={revealed ? 'Answer' : 'Question'}>
      <p class="review-kind">{card.kind === 'cloze' ? 'Fill in the missing word' : 'From your reading'}</p>
      {body}
      {revealed && card.kind === 'cloze' && card.sense ? (
        <p class="review-sense">
          <span class="review-sense-lemma" lang={card.lang}>{card.sense.lemma}</span> <span class="review-sense-pos">{card.sense.pos}</span>{' '}
          <span class="review-sense-gloss">{card.sense.gloss}</span>
        </p>
      ) : null}
      {revealed && card.kind === 'cloze' && card.note ? <p class="review-note">{card.note}</p> : null}
      {revealed ? <Source url={card.source.url} title={card.source.title} /> : null}
    </section>
  );
}
