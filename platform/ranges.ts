/**
 * From extracted blocks back to the page: DOM Ranges over a block's text nodes (for CSS Custom
 * Highlights), each trimmed of the whitespace at its ends.
 */
import type { Block } from '../lib/extraction';

/** The parts of a block that locate it in the page. */
export type LocatedBlock = Pick<Block, 'text' | 'element' | 'textNodes'>;

/** What `normaliseWhitespace` collapses; kept in step with lib/text.ts. */
const SPACE = /[\s\u00a0\u200b\ufeff]/u;

function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

/** The block's text nodes that are still in the page and still hold text. */
export function liveNodes(block: LocatedBlock): Text[] {
  const nodes = block.textNodes ?? textNodesOf(block.element);
  return nodes.filter((n) => n.isConnected && n.data.length > 0);
}

/** All text nodes under an element, for blocks that came without their node list. */
function textNodesOf(el: Element): Text[] {
  const out: Text[] = [];
  const walk = (node: Node) => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out.push(c as Text);
      else if (c.nodeType === 1) walk(c);
    }
  };
  walk(el);
  return out;
}

/**
 * The block's text as few Ranges as possible, trimmed of the whitespace at their ends: one
 * Range runs on across inline elements (a link, an <em>) and the spaces between them, so a
 * highlight reads as one continuous mark instead of stopping at every link ("he said" painted
 * apart from the words around it, the spaces beside it left bare). A Range ends where text of
 * the page that is not part of the block lies between two of its nodes (a nested block), so
 * highlighting marks the block's text and never text that is not part of it.
 */
export function blockRanges(block: LocatedBlock): Range[] {
  const pieces: Array<{ node: Text; start: number; end: number }> = [];
  for (const node of liveNodes(block)) {
    const data = node.data;
    let start = 0;
    let end = data.length;
    while (start < end && isSpace(data[start]!)) start++;
    while (end > start && isSpace(data[end - 1]!)) end--;
    if (start < end) pieces.push({ node, start, end });
  }
  const ranges: Range[] = [];
  let current: Range | null = null;
  for (const piece of pieces) {
    const doc = piece.node.ownerDocument;
    if (current) {
      // Only whitespace (and element boundaries) between the last piece and this one: extend.
      const gap = doc.createRange();
      gap.setStart(current.endContainer, current.endOffset);
      gap.setEnd(piece.node, piece.start);
      if (!gap.collapsed && isBlank(gap.toString())) {
        current.setEnd(piece.node, piece.end);
        continue;
      }
    }
    current = doc.createRange();
    current.setStart(piece.node, piece.start);
    current.setEnd(piece.node, piece.end);
    ranges.push(current);
  }
  return ranges;
}

function isBlank(text: string): boolean {
  for (const ch of text) if (!isSpace(ch)) return false;
  return true;
}
