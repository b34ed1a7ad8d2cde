/**
 * How the extractor learns whether an element is shown. The content script asks the live
 * page (computed style and layout); Node tests and detached documents fall back to what the
 * markup itself says. Injected rather than read from globals so that `lib/` stays testable.
 */

import { TAG_BLOCK, TAG_FLAGS, hidingName } from './extraction-dom';

export interface LayoutProbe {
  /** display:none, visibility:hidden, aria-hidden, zero size, off-screen. */
  isHidden(el: Element): boolean;
  fontSizePx?(el: Element): number;
  isInViewport?(el: Element): boolean;
  /** Negative above the viewport, 0 in it, positive below it (vertically). */
  compareToViewport?(el: Element): number;
}

/** Inline `style` declarations that hide an element however the page's CSS is written. */
const HIDING_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important\s*)?(?:;|$)/i;

/**
 * What the markup alone says: the `hidden` attribute, `aria-hidden="true"` and inline
 * display/visibility. Used when no layout is available (unit tests, detached documents) and
 * as the cheap first check of the live probe.
 */
export function isHiddenByMarkup(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && style.length > 0 && HIDING_STYLE.test(style);
}

/** The probe for documents without layout: markup only, nothing is off-screen. */
export const markupLayoutProbe: LayoutProbe = {
  isHidden: isHiddenByMarkup,
};

/** Positioned elements smaller than this both ways are screen-reader-only text. */
const SR_ONLY_PX = 2;

const VISIBILITY_OPTIONS = { visibilityProperty: true };


/**
 * The probe for a live page: display and visibility (which already reflect the `hidden`
 * attribute and inline styles), `aria-hidden`, and layout only for the positioned elements
 * that can be moved or clipped out of sight, since reading a box for every element would
 * cost more than the extraction itself.
 */
export function liveLayoutProbe(view: {
  getComputedStyle(el: Element): CSSStyleDeclaration;
  innerHeight: number;
  innerWidth: number;
}): LayoutProbe {
  return {
    isHidden(el: Element): boolean {
      if (el.getAttribute('aria-hidden') === 'true') return true;
      // checkVisibility answers display and visibility in one native call, cheaper than
      // reading the computed style (Chrome 105+, Firefox 106+); the computed style settles
      // the rare elements it calls invisible, and serves browsers without it.
      const check = (el as Element & { checkVisibility?: (options?: object) => boolean }).checkVisibility;
      if (!check || !check.call(el, VISIBILITY_OPTIONS)) {
        const cs = view.getComputedStyle(el);
        if (cs.display === 'none') return true;
        // Visibility is inherited: it hides here only where it is set, not below a hidden
        // parent (the body of a page waiting for its scripts, which the extractor ignores).
        // A child that sets visibility:visible again is rare enough to treat as hidden.
        const visibility = cs.visibility;
        if (visibility === 'hidden' || visibility === 'collapse') {
          const parent = el.parentElement;
          if (!parent || view.getComputedStyle(parent).visibility === 'visible') return true;
        }
        // (display:contents has no box, so checkVisibility calls it invisible; its children show.)
      }
      // Out-of-sight tricks (parked far off-page, clipped to a pixel for screen readers) take
      // absolute or fixed positioning, and are played on inline text or on elements named
      // for it ("sr-only", "visually-hidden"); only those are checked, and the box is read
      // only for the positioned ones.
      const cls = el.getAttribute('class');
      if (!(cls !== null && hidingName(cls)) && (TAG_FLAGS.get(el.localName) ?? 0) & TAG_BLOCK) return false;
      const cs = view.getComputedStyle(el);
      const position = cs.position;
      if (position !== 'absolute' && position !== 'fixed') return false;
      const r = el.getBoundingClientRect();
      if (r.width < SR_ONLY_PX && r.height < SR_ONLY_PX) return true;
      // Entirely left of or above the page itself (not just scrolled past).
      if (r.right + scrollOf(view, 'x') <= 0 || r.bottom + scrollOf(view, 'y') <= 0) return true;
      return cs.clip === 'rect(0px, 0px, 0px, 0px)' || cs.clipPath === 'inset(50%)';
    },
    fontSizePx(el: Element): number {
      return parseFloat(view.getComputedStyle(el).fontSize) || 16;
    },
    isInViewport(el: Element): boolean {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.right > 0 && r.top < view.innerHeight && r.left < view.innerWidth;
    },
    compareToViewport(el: Element): number {
      const r = el.getBoundingClientRect();
      return r.bottom <= 0 ? -1 : r.top >= view.innerHeight ? 1 : 0;
    },
  };
}

function scrollOf(view: object, axis: 'x' | 'y'): number {
  const v = view as { scrollX?: number; scrollY?: number };
  return (axis === 'x' ? v.scrollX : v.scrollY) ?? 0;
}
