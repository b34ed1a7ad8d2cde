// @vitest-environment happy-dom
/** The passage toolbar's count of probably-new words: shown for a highlighted passage only, as a note. */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { newWordsLabel, Toolbar, type ToolbarState } from './Toolbar';

const OPEN: ToolbarState = { open: true, kind: 'highlight', x: 10, top: 200, bottom: 260, focus: false, status: null, explanation: null };

function shown(state: ToolbarState): HTMLElement {
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<Toolbar state={state} notice={null} onAction={() => {}} onDismissNotice={() => {}} />, root));
  return root;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('new-word count on the toolbar', () => {
  it('says how many, in words, one or more', () => {
    expect(newWordsLabel(1)).toBe('1 new word');
    expect(newWordsLabel(7)).toBe('7 new words');
  });

  it('shows the count as a note on a highlighted passage’s toolbar', () => {
    const note = shown({ ...OPEN, newWords: 3 }).querySelector('[role="note"]');
    expect(note?.textContent).toBe('3 new words');
  });

  it('shows nothing for none, for an older reply without a count, or on a selection’s toolbar', () => {
    expect(shown({ ...OPEN, newWords: 0 }).querySelector('[role="note"]')).toBeNull();
    expect(shown(OPEN).querySelector('[role="note"]')).toBeNull();
    expect(shown({ ...OPEN, kind: 'word', newWords: 3 }).querySelector('[role="note"]')).toBeNull();
  });
});
