import { describe, expect, it } from 'vitest';
import type { ToolbarState } from '../components/page/Toolbar';
import type { WordCardState } from '../components/page/WordCard';
import type { PageNoticeOut } from '../lib/protocol';
import { deferredPageUi, type MountedUi } from './page-ui-deferred';

const toolbar = (status: string): ToolbarState => ({ open: true, kind: 'highlight', x: 0, top: 0, bottom: 10, focus: false, status, explanation: null });
const card = (word: string): WordCardState => ({ open: true, lookupId: word, word, sentence: `a ${word}`, lang: 'en', anchor: { left: 0, top: 0, right: 1, bottom: 1 }, focus: false }) as WordCardState;
const notice: PageNoticeOut = { code: 'nothing-relevant', text: 'Nothing here is near your interests.', action: null };

function recordingUi(inside: EventTarget) {
  const toolbars: Array<[ToolbarState, PageNoticeOut | null]> = [];
  const cards: WordCardState[] = [];
  const ui: MountedUi = {
    render: (state, n) => void toolbars.push([state, n]),
    contains: (target) => target === inside,
    wordCard: { render: (state) => void cards.push(state), contains: (target) => target === inside },
  };
  return { ui, toolbars, cards };
}

describe('deferredPageUi', () => {
  it('shows the last state asked for before the controls were up, once, when they come up', () => {
    const deferred = deferredPageUi();
    deferred.ui.render(toolbar('first'), null);
    deferred.ui.render(toolbar('second'), notice);
    deferred.ui.wordCard.render(card('harbour'));
    const inside = {} as EventTarget;
    const mounted = recordingUi(inside);
    expect(deferred.attached).toBe(false);
    deferred.attach(mounted.ui);
    expect(deferred.attached).toBe(true);
    expect(mounted.toolbars).toEqual([[toolbar('second'), notice]]);
    expect(mounted.cards).toEqual([card('harbour')]);
  });

  it('forwards every call once attached, and knows its own targets only then', () => {
    const deferred = deferredPageUi();
    const inside = {} as EventTarget;
    expect(deferred.ui.contains(inside)).toBe(false);
    const mounted = recordingUi(inside);
    deferred.attach(mounted.ui);
    expect(mounted.toolbars).toEqual([]);
    deferred.ui.render(toolbar('later'), null);
    deferred.ui.wordCard.render(card('tide'));
    expect(mounted.toolbars).toEqual([[toolbar('later'), null]]);
    expect(mounted.cards).toEqual([card('tide')]);
    expect(deferred.ui.contains(inside)).toBe(true);
    expect(deferred.ui.wordCard.contains(inside)).toBe(true);
    expect(deferred.ui.contains({} as EventTarget)).toBe(false);
  });

  it('after a failed mount does nothing, even if something attaches later', () => {
    const deferred = deferredPageUi();
    deferred.ui.render(toolbar('lost'), null);
    deferred.fail();
    deferred.ui.render(toolbar('ignored'), null);
    const inside = {} as EventTarget;
    const mounted = recordingUi(inside);
    deferred.attach(mounted.ui);
    expect(deferred.attached).toBe(false);
    expect(mounted.toolbars).toEqual([]);
    expect(deferred.ui.contains(inside)).toBe(false);
  });
});
