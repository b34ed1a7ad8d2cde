/**
 * Paints highlights on the page without touching its DOM or layout.
 *
 * The CSS Custom Highlight API styles Ranges through the document's highlight registry: the
 * page's text nodes stay exactly as they were (no <mark> wrappers that break page scripts,
 * selection, or React's reconciliation). Only where the API is missing do we wrap text in
 * elements, and `clear()` unwraps them again.
 */

export type Tier = 1 | 2 | 3;

const NAMES: Record<Tier, string> = { 1: 'attention-reader-1', 2: 'attention-reader-2', 3: 'attention-reader-3' };
export const FOCUS_NAME = 'attention-reader-focus';

/**
 * Colours work on light and dark pages because they are translucent; tiers differ in strength
 * and tier 1 is also underlined, so the difference does not rest on colour alone. In forced
 * colours mode the system's Highlight colours are used.
 */
export const HIGHLIGHT_CSS = `
::highlight(${NAMES[1]}) { background-color: rgba(255, 196, 0, 0.42); text-decoration: underline rgba(180, 120, 0, 0.9) 2px; }
::highlight(${NAMES[2]}) { background-color: rgba(255, 196, 0, 0.26); }
::highlight(${NAMES[3]}) { background-color: rgba(255, 196, 0, 0.13); }
::highlight(${FOCUS_NAME}) { background-color: rgba(80, 140, 255, 0.35); }
@media (forced-colors: active) {
  ::highlight(${NAMES[1]}), ::highlight(${NAMES[2]}), ::highlight(${NAMES[3]}), ::highlight(${FOCUS_NAME}) { background-color: Highlight; color: HighlightText; }
}
mark.attention-reader-fallback { background-color: rgba(255, 196, 0, 0.3); color: inherit; }
`;

export interface Highlighter {
  readonly mode: 'custom-highlight' | 'wrap';
  /** Replaces what is shown with `items` (ranges per paragraph id). */
  show(items: ReadonlyArray<{ id: string; tier: Tier; ranges: Range[] }>): void;
  /** Marks one paragraph as the focused one (keyboard navigation, open toolbar). */
  focus(ranges: Range[] | null): void;
  clear(): void;
}

export function createHighlighter(doc: Document): Highlighter {
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  installStyles(doc);
  if (view && 'highlights' in view.CSS && typeof view.Highlight === 'function') return customHighlighter(view);
  return wrappingHighlighter(doc);
}

function installStyles(doc: Document): void {
  // A constructed stylesheet adds no node to the page's DOM.
  const view = doc.defaultView;
  if (view && 'adoptedStyleSheets' in doc && typeof view.CSSStyleSheet === 'function') {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
}

function customHighlighter(view: Window & typeof globalThis): Highlighter {
  const registry = view.CSS.highlights;
  const clearAll = () => {
    for (const name of Object.values(NAMES)) registry.delete(name);
  };
  return {
    mode: 'custom-highlight',
    show(items) {
      const byTier = new Map<Tier, Range[]>();
      for (const item of items) byTier.set(item.tier, [...(byTier.get(item.tier) ?? []), ...item.ranges]);
      clearAll();
      for (const [tier, ranges] of byTier) registry.set(NAMES[tier], new view.Highlight(...ranges));
    },
    focus(ranges) {
      if (ranges && ranges.length) registry.set(FOCUS_NAME, new view.Highlight(...ranges));
      else registry.delete(FOCUS_NAME);
    },
    clear() {
      clearAll();
      registry.delete(FOCUS_NAME);
    },
  };
}

function wrappingHighlighter(doc: Document): Highlighter {
  let marks: HTMLElement[] = [];
  const unwrap = () => {
    for (const mark of marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    }
    marks = [];
  };
  return {
    mode: 'wrap',
    show(items) {
      unwrap();
      for (const item of items) {
        for (const range of item.ranges) {
          const mark = doc.createElement('mark');
          mark.className = 'attention-reader-fallback';
          mark.style.opacity = String(1.2 - item.tier * 0.3);
          try {
            range.surroundContents(mark);
            marks.push(mark);
          } catch {
            // A range that crosses element boundaries cannot be wrapped whole; skip it rather
            // than restructure the page.
          }
        }
      }
    },
    focus() {},
    clear: unwrap,
  };
}
