/**
 * The word under the pointer (or at the caret or selection) in the live page, with its
 * sentence: the browser's caret APIs (`caretPositionFromPoint`, or `caretRangeFromPoint`
 * where only that exists) give a text node and an offset; the text of the paragraph around it
 * is read node by node, and lib/word-at.ts cuts the word and the sentence with Intl.Segmenter.
 * A click beside the text (past a line's end, in a margin) names no word: the point must lie
 * on the word's own box.
 */
import { sentenceAt, sentenceWindow, wordAt } from '../lib/word-at';

export interface WordInPage {
  word: string;
  sentence: string;
  /** The whole paragraph's text (for a saved card's context). */
  paragraph: string;
  lang: string;
  /** The word on the page: its rectangle follows the page when it scrolls. */
  range: Range;
}

/** Elements a paragraph's text is taken from: the nearest of these around the word. */
const PARAGRAPH = 'p, li, td, th, dd, dt, blockquote, figcaption, caption, h1, h2, h3, h4, h5, h6, pre, summary, div, article, section, main, body';
/** Text inside these is not prose. */
const NOT_PROSE = 'script, style, noscript, textarea, select, option, svg, math';
/** Longest paragraph read around a word; longer blocks are read near the word only. */
const MAX_PARAGRAPH_CHARS = 20_000;
const MAX_SENTENCE_CHARS = 2_000;

function caretAt(doc: Document, x: number, y: number): { node: Node; offset: number } | null {
  const d = doc as Document & { caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null };
  if (typeof d.caretPositionFromPoint === 'function') {
    const p = d.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  const r = doc.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : null;
}

function langOf(el: Element, doc: Document): string {
  return (el.closest('[lang]')?.getAttribute('lang') || doc.documentElement.lang || 'und').slice(0, 35);
}

/** The text nodes of `root` with their offsets in its text, `within` characters of `near` at most. */
function textNodes(root: Element, near: Text): { nodes: Array<{ node: Text; start: number }>; text: string } {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest(NOT_PROSE) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const all: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) all.push(n as Text);
  // A huge block (a whole page in one div): only the nodes around the word.
  let from = 0;
  let to = all.length;
  const total = all.reduce((n, t) => n + t.data.length, 0);
  if (total > MAX_PARAGRAPH_CHARS) {
    const at = all.indexOf(near);
    from = at;
    to = at + 1;
    let size = near.data.length;
    while (size < MAX_PARAGRAPH_CHARS && (from > 0 || to < all.length)) {
      if (from > 0) size += all[--from]!.data.length;
      if (to < all.length) size += all[to++]!.data.length;
    }
  }
  const nodes: Array<{ node: Text; start: number }> = [];
  let text = '';
  for (const node of all.slice(from, to)) {
    nodes.push({ node, start: text.length });
    text += node.data;
  }
  return { nodes, text };
}

function rangeOf(doc: Document, nodes: Array<{ node: Text; start: number }>, start: number, end: number): Range {
  const range = doc.createRange();
  const locate = (offset: number, preferNext: boolean) => {
    for (let i = 0; i < nodes.length; i++) {
      const { node, start: s } = nodes[i]!;
      const e = s + node.data.length;
      if (offset < e || (offset === e && (!preferNext || i === nodes.length - 1))) return { node, offset: offset - s };
    }
    const last = nodes[nodes.length - 1]!;
    return { node: last.node, offset: last.node.data.length };
  };
  const a = locate(start, true);
  const b = locate(end, false);
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}

/** The word at a text position, with its sentence and paragraph; null off words. */
export function wordAtNode(doc: Document, node: Node, offset: number): WordInPage | null {
  if (node.nodeType !== Node.TEXT_NODE) return null;
  const textNode = node as Text;
  const parent = textNode.parentElement;
  if (!parent || parent.closest(NOT_PROSE)) return null;
  const block = parent.closest(PARAGRAPH) ?? parent;
  const { nodes, text } = textNodes(block, textNode);
  const own = nodes.find((n) => n.node === textNode);
  if (!own) return null;
  const lang = langOf(parent, doc);
  const segLang = lang === 'und' ? 'en' : lang;
  const word = wordAt(text, own.start + offset, segLang);
  if (!word) return null;
  const sentence = sentenceAt(text, word.start, segLang);
  return {
    word: word.value.slice(0, 100),
    sentence: sentenceWindow(sentence, word, MAX_SENTENCE_CHARS).replace(/\s+/gu, ' '),
    paragraph: text.replace(/\s+/gu, ' ').trim().slice(0, MAX_PARAGRAPH_CHARS),
    lang,
    range: rangeOf(doc, nodes, word.start, word.end),
  };
}

/** The word drawn at viewport point (x, y), or null when the point is not on a word. */
export function wordAtPoint(doc: Document, x: number, y: number): WordInPage | null {
  const caret = caretAt(doc, x, y);
  if (!caret) return null;
  const found = wordAtNode(doc, caret.node, caret.offset);
  if (!found) return null;
  const SLACK = 2;
  const onWord = [...found.range.getClientRects()].some((r) => x >= r.left - SLACK && x <= r.right + SLACK && y >= r.top - SLACK && y <= r.bottom + SLACK);
  return onWord ? found : null;
}

/** The word at the learner's selection or caret (keyboard look-up), or null. */
export function wordAtSelection(doc: Document, selection: Selection | null): WordInPage | null {
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  let node: Node = range.startContainer;
  let offset = range.startOffset;
  if (node.nodeType !== Node.TEXT_NODE) {
    // The caret sits between elements: the first text after it.
    const child = node.childNodes[offset] ?? node;
    const walker = doc.createTreeWalker(child, NodeFilter.SHOW_TEXT);
    const first = child.nodeType === Node.TEXT_NODE ? child : walker.nextNode();
    if (!first) return null;
    node = first;
    offset = 0;
  }
  // A selection starting on the space before a word means that word.
  const text = (node as Text).data;
  if (!range.collapsed) while (offset < text.length && /\s/u.test(text[offset]!)) offset++;
  return wordAtNode(doc, node, offset);
}
