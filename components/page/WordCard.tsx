/**
 * The word card: what a clicked word means in the sentence it was read in. It shows the word's
 * base form and part of speech, the meaning that fits the sentence first (ranked by the
 * product's encoder), the other meanings below (a few, then "more"), synonyms, entries of the
 * learner's imported dictionaries, and buttons to hear the word or sentence, to mark the word,
 * to save the sentence as a card and, where the browser translates on the device, to
 * translate. It lives in a closed shadow root (platform/word-card-ui.ts); page text is only
 * ever rendered as text.
 *
 * The card is placed beside the word, never over it (lib/card-placement.ts), measured after
 * each render so a long card moves above the word when there is no room below.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { placeCard, type Placement, type Rect } from '../../lib/card-placement';
import type { ImportedEntryOut, ResponseOf, SenseOut } from '../../lib/protocol';

export interface WordCardState {
  open: boolean;
  /** Changes with every look-up, so the card starts collapsed and takes focus anew. */
  lookupId: string;
  word: string;
  sentence: string;
  lang: string;
  /** The word on screen, in viewport coordinates. */
  anchor: Rect;
  /** Move keyboard focus into the card (opened from the keyboard). */
  focus: boolean;
  data: ResponseOf<'word.lookup'> | null;
  error: string | null;
  status: string | null;
  /** Which speaker buttons have a local voice of the page's language. */
  voices: { word: boolean; sentence: boolean };
  /** The browser can translate this language on the device. */
  canTranslate: boolean;
  translation: { text: string; source: string } | null;
}

export type WordCardAction =
  | { kind: 'close' }
  | { kind: 'mark'; state: 'known' | 'learning' | 'ignored' }
  | { kind: 'save'; sense: SenseOut | null }
  | { kind: 'speak'; what: 'word' | 'sentence' }
  | { kind: 'translate' };

export interface WordCardProps {
  state: WordCardState;
  onAction(action: WordCardAction): void;
  /** Whether an event is the learner's (`event.isTrusted` unless given: unit tests). */
  isTrusted?(event: Event): boolean;
}

/** Other meanings shown before "More meanings". */
export const OTHER_SENSES_SHOWN = 3;
const CARD_WIDTH_PX = 360;

function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

function SenseBody({ sense, lang }: { sense: SenseOut; lang: string }) {
  return (
    <>
      <span class="wc-gloss">{sense.gloss}</span>
      {sense.examples[0] ? (
        <span class="wc-example" lang={lang}>
          “{sense.examples[0]}”
        </span>
      ) : null}
      {sense.synonyms.length > 0 ? (
        <span class="wc-synonyms">
          Also: <span lang={lang}>{sense.synonyms.slice(0, 6).join(', ')}</span>
        </span>
      ) : null}
    </>
  );
}

function Imported({ entries, lang }: { entries: ImportedEntryOut[]; lang: string }) {
  return (
    <section class="wc-imported" aria-label="From your dictionaries">
      {entries.map((e, i) => (
        <div class="wc-imported-entry" key={i}>
          <p class="wc-imported-head">
            <span class="wc-imported-term" lang={lang}>
              {e.term}
            </span>
            {e.reading ? <span class="wc-imported-reading"> [{e.reading}]</span> : null}
            <span class="wc-imported-source"> · {e.dictionary.title}</span>
          </p>
          <ul class="wc-imported-defs">
            {e.definitions.slice(0, 4).map((d, j) => (
              <li key={j}>{d}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

export function WordCard({ state, onAction, isTrusted = (e) => e.isTrusted }: WordCardProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);
  const act = (action: WordCardAction) => (e: Event) => {
    if (isTrusted(e)) onAction(action);
  };

  // Placed after each render, from the card's real size.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!state.open || !el) return;
    const next = placeCard(state.anchor, { width: el.offsetWidth || CARD_WIDTH_PX, height: el.scrollHeight }, { width: innerWidth, height: innerHeight });
    if (!placement || next.left !== placement.left || next.top !== placement.top || next.maxHeight !== placement.maxHeight) setPlacement(next);
  });

  useLayoutEffect(() => {
    if (state.open && state.focus) ref.current?.focus();
  }, [state.open, state.focus, state.lookupId]);

  if (!state.open) return null;
  const data = state.data;
  const [best, ...others] = data?.senses ?? [];
  const showAll = expanded === state.lookupId;
  const shownOthers = showAll ? others : others.slice(0, OTHER_SENSES_SHOWN);
  const title = best ? best.lemma : state.word;

  const onKeyDown = (e: KeyboardEvent) => {
    if (!isTrusted(e)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onAction({ kind: 'close' });
    } else if (e.key === 'Tab') {
      // Focus stays in the card while it is open (a dialog); Escape leaves it.
      const focusable = [...(ref.current?.querySelectorAll<HTMLElement>('button') ?? [])];
      if (focusable.length === 0) return;
      const at = focusable.indexOf(e.composedPath()[0] as HTMLElement);
      const next = e.shiftKey ? (at <= 0 ? focusable.length - 1 : at - 1) : at === focusable.length - 1 ? 0 : at + 1;
      e.preventDefault();
      e.stopPropagation();
      focusable[next]!.focus();
    }
  };

  const style = placement
    ? { left: `${placement.left}px`, top: `${placement.top}px`, maxHeight: `${placement.maxHeight}px` }
    : { left: `${state.anchor.left}px`, top: `${state.anchor.bottom + 6}px`, visibility: 'hidden' };

  return (
    <div
      class="wc-card"
      role="dialog"
      aria-modal="false"
      aria-labelledby="wc-title"
      tabIndex={-1}
      ref={ref}
      style={style}
      data-side={placement?.side ?? 'below'}
      onKeyDown={onKeyDown}
    >
      <div class="wc-head">
        <h2 id="wc-title" class="wc-title">
          <span class="wc-lemma" lang={state.lang}>
            {title}
          </span>
          {best ? <span class="wc-pos"> {best.pos}</span> : null}
          {best && best.lemma.toLowerCase() !== state.word.toLowerCase() ? (
            <span class="wc-form">
              {' '}
              (<span lang={state.lang}>{state.word}</span>)
            </span>
          ) : null}
        </h2>
        {state.voices.word ? (
          <button type="button" class="wc-icon" aria-label={`Say “${state.word}”`} title="Say the word" onClick={act({ kind: 'speak', what: 'word' })}>
            🔊
          </button>
        ) : null}
        {state.voices.sentence ? (
          <button type="button" class="wc-icon" aria-label="Say the sentence" title="Say the sentence" onClick={act({ kind: 'speak', what: 'sentence' })}>
            🗣
          </button>
        ) : null}
        <button type="button" class="wc-icon wc-close" aria-label="Close" title="Close (Esc)" onClick={act({ kind: 'close' })}>
          ×
        </button>
      </div>

      {!data && !state.error ? <p class="wc-loading">Looking up “{state.word}”…</p> : null}
      {state.error ? <p class="wc-error">{state.error}</p> : null}

      {best ? (
        <section class="wc-best" aria-label="Meaning in this sentence" data-sense-id={best.id}>
          <p class="wc-best-label">
            In this sentence{data!.ranked ? <span class="wc-fit"> · fits {percent(best.probability)}</span> : null}
          </p>
          <p class="wc-sense">
            <SenseBody sense={best} lang={state.lang} />
          </p>
        </section>
      ) : null}
      {data && !best && data.imported.length === 0 ? <p class="wc-empty">No meaning found for “{state.word}”.</p> : null}
      {data?.note ? <p class="wc-note">{data.note}</p> : null}

      {shownOthers.length > 0 ? (
        <section class="wc-others" aria-label="Other meanings">
          <p class="wc-others-label">Other meanings</p>
          <ol>
            {shownOthers.map((s) => (
              <li key={s.id} data-sense-id={s.id}>
                <span class="wc-pos">{s.pos}</span> <SenseBody sense={s} lang={state.lang} />
              </li>
            ))}
          </ol>
          {others.length > OTHER_SENSES_SHOWN ? (
            <button type="button" class="wc-more" aria-expanded={showAll} onClick={(e) => isTrusted(e) && setExpanded(showAll ? null : state.lookupId)}>
              {showAll ? 'Fewer meanings' : `More meanings (${others.length - OTHER_SENSES_SHOWN})`}
            </button>
          ) : null}
        </section>
      ) : null}

      {data && data.imported.length > 0 ? <Imported entries={data.imported} lang={state.lang} /> : null}

      {state.translation ? (
        <p class="wc-translation">
          {state.translation.text}
          <span class="wc-translation-source"> — {state.translation.source}</span>
        </p>
      ) : null}

      <div class="wc-actions" role="group" aria-label="This word">
        <button type="button" onClick={act({ kind: 'mark', state: 'known' })} title="I know this word">
          Known
        </button>
        <button type="button" onClick={act({ kind: 'mark', state: 'learning' })} title="I am learning this word">
          Learning
        </button>
        <button type="button" onClick={act({ kind: 'mark', state: 'ignored' })} title="Not a word to learn (a name)">
          Ignore
        </button>
        <button type="button" class="wc-save" onClick={act({ kind: 'save', sense: best ?? null })} title="Save this sentence as a review card, with this meaning">
          Save
        </button>
        {state.canTranslate ? (
          <button type="button" onClick={act({ kind: 'translate' })} title="Translate the sentence on this device">
            Translate
          </button>
        ) : null}
      </div>
      {state.status ? (
        <p class="wc-status" role="status">
          {state.status}
        </p>
      ) : null}
    </div>
  );
}
