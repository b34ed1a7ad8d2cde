/**
 * The in-page controls: a small toolbar beside a highlighted passage or a selection, and a
 * one-line notice (e.g. "budget spent"). It lives in a closed shadow root (see
 * platform/page-ui.ts), so page CSS does not leak in and ours does not leak out.
 * Page text is only ever rendered as text.
 */
import { useEffect, useRef } from 'preact/hooks';
import { languageName } from '../../lib/language';
import type { PageNoticeOut } from '../../lib/protocol';

export type ToolbarAction = 'save' | 'relevant' | 'not-relevant' | 'too-hard' | 'too-easy' | 'explain' | 'know-word' | 'ignore-word' | 'close';

export interface ToolbarState {
  open: boolean;
  kind: 'highlight' | 'selection' | 'word';
  /** Viewport coordinates of the passage's top-left corner and bottom. */
  x: number;
  top: number;
  bottom: number;
  /** Move keyboard focus into the toolbar when it opens (keyboard navigation). */
  focus: boolean;
  status: string | null;
  explanation: string[] | null;
  /** How many words of the passage the learner probably does not know yet (underlined on the page). */
  newWords?: number;
}

/** The toolbar's count of a passage's probably-new words. */
export function newWordsLabel(count: number): string {
  return count === 1 ? '1 new word' : `${count} new words`;
}

export interface ToolbarProps {
  state: ToolbarState;
  notice: PageNoticeOut | null;
  onAction(action: ToolbarAction): void;
  onDismissNotice(): void;
  /** The learner took the notice's offer ("show harder passages too", "add French"). */
  onNoticeAction?(action: NonNullable<PageNoticeOut['action']>): void;
  /**
   * Whether an event is the learner's: `event.isTrusted` unless given (unit tests, whose events
   * are all synthetic). A page script that reached a button could `.click()` it; such clicks
   * and keys are not the learner's and do nothing.
   */
  isTrusted?(event: Event): boolean;
}

/** The button a notice's action shows. */
export function noticeActionLabel(action: NonNullable<PageNoticeOut['action']>, languageName: (tag: string) => string): string {
  return action.kind === 'show-harder' ? 'Show harder passages too' : `Add ${languageName(action.lang)} to my languages`;
}

const HIGHLIGHT_ACTIONS: ReadonlyArray<{ action: ToolbarAction; label: string; title: string }> = [
  { action: 'save', label: 'Save', title: 'Save this passage for review' },
  { action: 'relevant', label: 'Relevant', title: 'Relevant to me' },
  { action: 'not-relevant', label: 'Not for me', title: 'Not relevant to me' },
  { action: 'too-hard', label: 'Too hard', title: 'Too hard for me' },
  { action: 'too-easy', label: 'Too easy', title: 'Too easy for me' },
  { action: 'explain', label: 'Why?', title: 'Why was this highlighted?' },
];

const SELECTION_ACTIONS = HIGHLIGHT_ACTIONS.slice(0, 1);

/** A selected word or short phrase can also be marked as known, or ignored (a name). */
const WORD_ACTIONS: ReadonlyArray<{ action: ToolbarAction; label: string; title: string }> = [
  ...SELECTION_ACTIONS,
  { action: 'know-word', label: 'I know it', title: 'I know this word' },
  { action: 'ignore-word', label: 'Ignore', title: 'Ignore this word (a name or not a word to learn)' },
];

/** Room the toolbar's row of buttons needs above or below a passage. */
const TOOLBAR_ROOM_PX = 60;

/**
 * Above the passage where there is room in the window, else below it; a passage or selection
 * taller than the window has neither, and the toolbar then sits at the window's top edge,
 * over the passage, where it can be reached.
 */
export function verticalPlace(state: Pick<ToolbarState, 'top' | 'bottom'>, windowHeight: number): { top: string; transform: string } {
  if (state.top - 8 >= TOOLBAR_ROOM_PX && state.top - 8 <= windowHeight) return { top: `${state.top - 8}px`, transform: 'translateY(-100%)' };
  if (state.bottom + 8 >= 0 && state.bottom + 8 + TOOLBAR_ROOM_PX <= windowHeight) return { top: `${state.bottom + 8}px`, transform: 'none' };
  return { top: '8px', transform: 'none' };
}

export function Toolbar({ state, notice, onAction, onDismissNotice, onNoticeAction, isTrusted = (e) => e.isTrusted }: ToolbarProps) {
  const ref = useRef<HTMLDivElement>(null);
  const act = (action: ToolbarAction) => (e: Event) => {
    if (isTrusted(e)) onAction(action);
  };
  useEffect(() => {
    if (state.open && state.focus) ref.current?.querySelector('button')?.focus();
  }, [state.open, state.focus, state.x, state.top]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (!isTrusted(e)) return;
    const buttons = [...(ref.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    // Keys the toolbar acts on are ours: the page's own shortcuts must not see them.
    if (['Escape', 'ArrowLeft', 'ArrowRight', 'Enter', ' ', 'Tab'].includes(e.key)) e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onAction('close');
    } else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && at >= 0) {
      e.preventDefault();
      const next = (at + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length;
      buttons[next]?.focus();
    }
  };

  const actions = state.kind === 'highlight' ? HIGHLIGHT_ACTIONS : state.kind === 'word' ? WORD_ACTIONS : SELECTION_ACTIONS;
  const style = { left: `${Math.max(8, Math.min(state.x, innerWidth - 560))}px`, ...verticalPlace(state, innerHeight) };

  return (
    <>
      {state.open && (
        <div class="panel" style={style} ref={ref} onKeyDown={onKeyDown}>
          <div role="toolbar" aria-label={state.kind === 'highlight' ? 'Highlighted passage' : state.kind === 'word' ? 'Selected word' : 'Selected text'} class="toolbar">
            {actions.map((a) => (
              <button type="button" key={a.action} title={a.title} aria-label={a.title} onClick={act(a.action)}>
                {a.label}
              </button>
            ))}
            {state.kind === 'highlight' && (state.newWords ?? 0) > 0 && (
              <span class="new-words" role="note" title="Words here you probably do not know yet: they are underlined in the passage">
                {newWordsLabel(state.newWords!)}
              </span>
            )}
            <button type="button" class="close" aria-label="Close" title="Close (Esc)" onClick={act('close')}>
              ×
            </button>
          </div>
          {state.status && (
            <p class="status" role="status">
              {state.status}
            </p>
          )}
          {state.explanation && (
            <ul class="explanation" aria-label="Why this was highlighted">
              {state.explanation.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {notice && (
        <div class="notice" role="status" data-reason={notice.code}>
          <span>{notice.text}</span>
          {notice.action && onNoticeAction && (
            <button type="button" class="notice-action" onClick={(e) => isTrusted(e) && onNoticeAction(notice.action!)}>
              {noticeActionLabel(notice.action, languageName)}
            </button>
          )}
          <button type="button" aria-label="Dismiss notice" onClick={(e) => isTrusted(e) && onDismissNotice()}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
