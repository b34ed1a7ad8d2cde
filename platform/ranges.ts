/**
 * From extracted blocks back to the page: DOM Ranges over a block's text nodes (for CSS Custom
 * Highlights), and the Range of a stretch of a block's text (a word, a sentence).
 *
 * A block's text is its text nodes' data with whitespace normalised, so every non-space
 * character of the block is, in order, a non-space character of its nodes. Offsets are mapped
 * by counting those characters, which stays right whatever whitespace the page had.
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

/**
 * Where each visible character of the block's text sits in the page, or null when the page
 * no longer matches the block (its text changed since extraction).
 */
interface CharMap {
  /** For each character of block.text: its visible index, or -1 for a space. */
  readonly visibleAt: Int32Array;
  /** For each visible index: the text node and the offset in it. */
  readonly node: Text[];
  readonly offset: Int32Array;
}

function mapBlock(block: LocatedBlock): CharMap | null {
  const text = block.text;
  const visibleAt = new Int32Array(text.length).fill(-1);
  let visible = 0;
  for (let i = 0; i < text.length; i++) if (!isSpace(text[i]!)) visibleAt[i] = visible++;
  const node: Text[] = new Array<Text>(visible);
  const offset = new Int32Array(visible);
  const textIndex = new Int32Array(visible);
  for (let i = 0, k = 0; i < text.length; i++) if (visibleAt[i]! >= 0) textIndex[k++] = i;
  let k = 0;
  for (const n of liveNodes(block)) {
    const data = n.data;
    for (let i = 0; i < data.length; i++) {
      if (isSpace(data[i]!)) continue;
      // More text in the page than in the block, or a different character: stale block.
      if (k >= visible || data[i] !== text[textIndex[k]!]) return null;
      node[k] = n;
      offset[k] = i;
      k++;
    }
  }
  return k === visible ? { visibleAt, node, offset } : null;
}

/**
 * The Ranges covering each `[start, end)` stretch of `block.text`, each trimmed to its first
 * and last non-space characters; null for a stretch with no text in it, and for all of them
 * when the page no longer matches the block. One pass over the block for any number of
 * stretches, so mapping every word of a paragraph stays linear.
 */
export function rangesForOffsets(block: LocatedBlock, spans: ReadonlyArray<readonly [start: number, end: number]>): (Range | null)[] {
  const map = mapBlock(block);
  return spans.map(([start, end]) => {
    if (!map || !(start >= 0 && end <= block.text.length && start < end)) return null;
    let first = -1;
    let last = -1;
    for (let i = start; i < end; i++) {
      const v = map.visibleAt[i]!;
      if (v < 0) continue;
      if (first < 0) first = v;
      last = v;
    }
    if (first < 0) return null;
    const from = map.node[first]!;
    const to = map.node[last]!;
    const range = from.ownerDocument.createRange();
    range.setStart(from, map.offset[first]!);
    range.setEnd(to, map.offset[last]! + 1);
    return range;
  });
}

/** The Range covering `block.text.slice(start, end)` (see `rangesForOffsets`). */
export function rangeForOffsets(block: LocatedBlock, start: number, end: number): Range | null {
  return rangesForOffsets(block, [[start, end]])[0] ?? null;
}
