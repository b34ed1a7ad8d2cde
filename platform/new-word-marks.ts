/**
 * Underlines the words of highlighted passages that the learner probably does not know yet
 * (lib/new-words.ts), through a CSS Custom Highlight of their own, apart from the passage tiers
 * (platform/highlighter.ts): the page's DOM is not touched. Where the API is missing nothing is
 * underlined; the toolbar's count still says how many there are.
 */
import { newWordSpans } from '../lib/new-words';
import { LIMITS } from '../lib/protocol';
import { liveNodes, type LocatedBlock } from './ranges';

/** The highlight's name; public/highlights.css styles it. */
export const NEW_WORD_HIGHLIGHT = 'attention-reader-new-word';

/**
 * How much of a block's live text is searched. The background judged the first
 * LIMITS.paragraphText characters of the block's whitespace-folded text, so its new words lie
 * there; twice that much live text covers them whatever whitespace the page adds, and keeps
 * the search (a word segmentation) bounded on a block of millions of characters, which would
 * otherwise be segmented whole for every highlight painted.
 */
export const MAX_SEARCHED_CHARS = 2 * LIMITS.paragraphText;

/**
 * Ranges over every occurrence of `forms` in the start of the block's live text (up to
 * MAX_SEARCHED_CHARS). The text nodes are read as one string, so a word split across inline
 * elements ("<b>ubi</b>quitous") is found whole.
 */
export function newWordRanges(block: LocatedBlock, forms: ReadonlySet<string>, lang: string): Range[] {
  if (forms.size === 0) return [];
  const nodes: Text[] = [];
  const starts: number[] = [];
  let text = '';
  for (const n of liveNodes(block)) {
    if (text.length >= MAX_SEARCHED_CHARS) break;
    nodes.push(n);
    starts.push(text.length);
    text += n.data.slice(0, MAX_SEARCHED_CHARS - text.length);
  }
  /** The text node and offset in it of position `at` of the joined text (an end sits in the node it ends). */
  const locate = (at: number, isEnd: boolean): [Text, number] => {
    let i = 0;
    while (i + 1 < nodes.length && (isEnd ? starts[i + 1]! < at : starts[i + 1]! <= at)) i++;
    return [nodes[i]!, at - starts[i]!];
  };
  return newWordSpans(text, forms, lang).map(({ start, end }) => {
    const range = block.element.ownerDocument.createRange();
    range.setStart(...locate(start, false));
    range.setEnd(...locate(end, true));
    return range;
  });
}

export interface NewWordMarks {
  show(ranges: Range[]): void;
  clear(): void;
}

export function createNewWordMarks(doc: Document): NewWordMarks {
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (!view || !('highlights' in view.CSS) || typeof view.Highlight !== 'function') return { show() {}, clear() {} };
  const registry = view.CSS.highlights;
  return {
    show(ranges) {
      if (ranges.length === 0) {
        registry.delete(NEW_WORD_HIGHLIGHT);
        return;
      }
      const highlight = new view.Highlight(...ranges);
      // Drawn above the passage tiers, so the underline is not hidden under their colour.
      highlight.priority = 1;
      registry.set(NEW_WORD_HIGHLIGHT, highlight);
    },
    clear() {
      registry.delete(NEW_WORD_HIGHLIGHT);
    },
  };
}
