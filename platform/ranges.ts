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
function liveNodes(block: LocatedBlock): Text[] {
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
 * One Range per text node of the block, each trimmed of leading and trailing whitespace:
 * highlighting these marks exactly the block's text, never text of nested elements that are
 * not part of it.
 */
export function blockRanges(block: LocatedBlock): Range[] {
  const ranges: Range[] = [];
  for (const node of liveNodes(block)) {
    const data = node.data;
    let start = 0;
    let end = data.length;
    while (start < end && isSpace(data[start]!)) start++;
    while (end > start && isSpace(data[end - 1]!)) end--;
    if (start === end) continue;
    const range = node.ownerDocument.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    ranges.push(range);
  }
  return ranges;
}
