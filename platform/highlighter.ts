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
 * The colours live in public/highlights.css, registered for the sites the learner turned on at
 * document start (platform/site-access.ts). Adding a style sheet to a page later makes the
 * browser restyle the whole document, which on a huge page freezes it for a second or more; a
 * sheet present from the start costs nothing extra. Only a page read once on request gets the
 * sheet late (inserted with the reader), and pays that once. The names above must match the file.
 */

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
  if (view && 'highlights' in view.CSS && typeof view.Highlight === 'function') return customHighlighter(view);
  return wrappingHighlighter(doc);
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
        // A range runs across inline elements (platform/ranges.ts), and only a range inside one
        // text node can be wrapped without restructuring the page: each text node's part is
        // wrapped on its own. All are collected before any is wrapped (wrapping splits nodes).
        for (const part of item.ranges.flatMap((r) => textParts(doc, r))) {
          const mark = doc.createElement('mark');
          mark.className = 'attention-reader-fallback';
          mark.style.opacity = String(1.2 - item.tier * 0.3);
          try {
            part.surroundContents(mark);
            marks.push(mark);
          } catch {
            // The page changed under the range; skip this part rather than restructure the page.
          }
        }
      }
    },
    focus() {},
    clear: unwrap,
  };
}

/** The parts of `range` that lie in single text nodes, in document order. */
export function textParts(doc: Document, range: Range): Range[] {
  if (range.startContainer === range.endContainer && range.startContainer.nodeType === 3) return [range];
  const parts: Range[] = [];
  const root = range.commonAncestorContainer;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (!range.intersectsNode(node)) continue;
    const start = node === range.startContainer ? range.startOffset : 0;
    const end = node === range.endContainer ? range.endOffset : node.data.length;
    if (start >= end) continue;
    const part = doc.createRange();
    part.setStart(node, start);
    part.setEnd(node, end);
    parts.push(part);
  }
  return parts;
}
