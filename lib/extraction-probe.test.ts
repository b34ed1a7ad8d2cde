import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { isHiddenByMarkup, liveLayoutProbe, markupLayoutProbe } from './extraction-probe';

function element(html: string): Element {
  const window = new Window();
  window.document.body.innerHTML = html;
  return window.document.body.firstElementChild as unknown as Element;
}

describe('isHiddenByMarkup', () => {
  it.each([
    ['<p hidden>x</p>', true],
    ['<p aria-hidden="true">x</p>', true],
    ['<p aria-hidden="false">x</p>', false],
    ['<p style="display:none">x</p>', true],
    ['<p style="color: red; display : none !important;">x</p>', true],
    ['<p style="visibility: hidden">x</p>', true],
    ['<p style="display:block">x</p>', false],
    ['<p style="display: none-ish">x</p>', false],
    ['<p class="hidden">x</p>', false],
  ])('%s → %s', (html, hidden) => {
    expect(isHiddenByMarkup(element(html))).toBe(hidden);
    expect(markupLayoutProbe.isHidden(element(html))).toBe(hidden);
  });
});

describe('liveLayoutProbe', () => {
  interface Fake {
    style?: Partial<Record<'display' | 'visibility' | 'position' | 'clip' | 'clipPath' | 'fontSize', string>>;
    rect?: { left: number; top: number; width: number; height: number };
    attrs?: Record<string, string>;
    parent?: Element;
    tag?: string;
    /** Present only when the fake browser has checkVisibility; its answer. */
    visible?: boolean;
  }
  const rectReads: string[] = [];
  const make = (name: string, f: Fake) =>
    ({
      name,
      style: { display: 'block', visibility: 'visible', position: 'static', clip: 'auto', clipPath: 'none', fontSize: '16px', ...f.style },
      getAttribute: (a: string) => f.attrs?.[a] ?? null,
      parentElement: f.parent ?? null,
      localName: f.tag ?? (f.style?.display?.startsWith('inline') ? 'span' : 'div'),
      ...(f.visible === undefined ? {} : { checkVisibility: () => f.visible }),
      getBoundingClientRect: () => {
        rectReads.push(name);
        const r = f.rect ?? { left: 0, top: 0, width: 100, height: 20 };
        return { ...r, right: r.left + r.width, bottom: r.top + r.height };
      },
    }) as unknown as Element & { style: CSSStyleDeclaration };
  const view = {
    getComputedStyle: (el: Element) => (el as unknown as { style: CSSStyleDeclaration }).style,
    innerWidth: 1000,
    innerHeight: 800,
    scrollX: 0,
    scrollY: 0,
  };
  const probe = liveLayoutProbe(view);

  it('hides display:none, visibility:hidden and aria-hidden elements', () => {
    expect(probe.isHidden(make('a', { style: { display: 'none' } }))).toBe(true);
    expect(probe.isHidden(make('b', { style: { visibility: 'hidden' } }))).toBe(true);
    expect(probe.isHidden(make('c', { attrs: { 'aria-hidden': 'true' } }))).toBe(true);
    expect(probe.isHidden(make('d', {}))).toBe(false);
  });

  it('trusts checkVisibility when it says visible, and settles "invisible" with the computed style', () => {
    expect(probe.isHidden(make('cv-visible', { visible: true, style: { display: 'none' } }))).toBe(false);
    expect(probe.isHidden(make('cv-none', { visible: false, style: { display: 'none' } }))).toBe(true);
    expect(probe.isHidden(make('cv-contents', { visible: false, style: { display: 'contents' } }))).toBe(false);
    const hiddenParent = make('parent', { style: { visibility: 'hidden' } });
    expect(probe.isHidden(make('cv-inherited', { visible: false, style: { visibility: 'hidden' }, parent: hiddenParent }))).toBe(false);
  });

  it('hides by visibility only where it is set, not below a hidden parent', () => {
    const hiddenParent = make('parent', { style: { visibility: 'hidden' } });
    const visibleParent = make('parent', {});
    expect(probe.isHidden(make('inherits', { style: { visibility: 'hidden' }, parent: hiddenParent }))).toBe(false);
    expect(probe.isHidden(make('sets', { style: { visibility: 'hidden' }, parent: visibleParent }))).toBe(true);
  });

  it('compares an element with the viewport', () => {
    expect(probe.compareToViewport!(make('above', { rect: { left: 0, top: -300, width: 10, height: 100 } }))).toBeLessThan(0);
    expect(probe.compareToViewport!(make('in', { rect: { left: 0, top: 500, width: 10, height: 100 } }))).toBe(0);
    expect(probe.compareToViewport!(make('below', { rect: { left: 0, top: 800, width: 10, height: 100 } }))).toBeGreaterThan(0);
  });

  it('keeps display:contents elements, whose children show', () => {
    expect(probe.isHidden(make('e', { style: { display: 'contents' } }))).toBe(false);
  });

  it('reads layout only for positioned inline elements or ones named for hiding', () => {
    rectReads.length = 0;
    probe.isHidden(make('static', { style: { display: 'inline' } }));
    probe.isHidden(make('relative', { style: { display: 'inline', position: 'relative' } }));
    probe.isHidden(make('block', { style: { position: 'absolute' } }));
    expect(rectReads).toEqual([]);
    probe.isHidden(make('inline', { style: { display: 'inline', position: 'absolute' } }));
    probe.isHidden(make('named', { style: { position: 'absolute' }, attrs: { class: 'visually-hidden' } }));
    expect(rectReads).toEqual(['inline', 'named']);
  });

  it('hides screen-reader-only and parked off-page elements', () => {
    const inline = (position: string, rect: { left: number; top: number; width: number; height: number }, clip = 'auto') =>
      make('x', { style: { display: 'inline', position, clip }, rect });
    expect(probe.isHidden(inline('absolute', { left: 10, top: 10, width: 1, height: 1 }))).toBe(true);
    expect(probe.isHidden(inline('absolute', { left: -10000, top: 10, width: 300, height: 20 }))).toBe(true);
    expect(probe.isHidden(inline('fixed', { left: 0, top: -5000, width: 300, height: 20 }))).toBe(true);
    expect(probe.isHidden(inline('absolute', { left: 0, top: 0, width: 300, height: 20 }, 'rect(0px, 0px, 0px, 0px)'))).toBe(true);
    expect(probe.isHidden(inline('absolute', { left: 20, top: 3000, width: 300, height: 20 }))).toBe(false);
    const named = make('sr', { style: { position: 'absolute' }, attrs: { class: 'sr-only' }, rect: { left: 10, top: 10, width: 1, height: 1 } });
    expect(probe.isHidden(named)).toBe(true);
  });

  it('tells whether an element is in the viewport', () => {
    expect(probe.isInViewport!(make('in', { rect: { left: 0, top: 100, width: 300, height: 20 } }))).toBe(true);
    expect(probe.isInViewport!(make('below', { rect: { left: 0, top: 900, width: 300, height: 20 } }))).toBe(false);
  });

  it('reports the font size', () => {
    expect(probe.fontSizePx!(make('f', { style: { fontSize: '20px' } }))).toBe(20);
  });
});
