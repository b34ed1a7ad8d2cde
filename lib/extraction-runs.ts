/**
 * The two things a page's text is cut into: frames, the block elements on the way from the
 * root to some text (what the article container is chosen among), and runs, the text between
 * two block boundaries (what blocks are made of).
 */
import { normaliseWhitespace } from './text';
import { HEADING_LEVEL, type NameMark } from './extraction-dom';

export type BlockKind = 'paragraph' | 'list-item' | 'quote' | 'table-cell' | 'heading';

/** A block element on the path from the root to some text, with what scoring needs. */
export interface Frame {
  readonly el: Element;
  readonly parent: Frame | null;
  /** Position in the walker's `frames`, which lists every frame after its parent. */
  readonly id: number;
  readonly depth: number;
  /** Furniture (nav-like tag or name, strong or weak), content (article-like name) or neither. */
  readonly mark: NameMark;
  /** Kind that text owned by this element gets. */
  readonly kind: BlockKind;
  readonly headingLevel: number;
}

/**
 * The text between two block boundaries. Its normalised text is made on first use: most runs
 * of a page (menus, footers) are judged on their lengths alone and never need it.
 */
export class Run {
  private normalised: string | undefined;
  constructor(
    readonly frame: Frame,
    readonly nodes: readonly Text[],
    /** The text nodes' data joined, whitespace as in the page. */
    readonly raw: string,
    /** Characters (trimmed per text node) in all text, and in text inside links. */
    readonly chars: number,
    readonly linkChars: number,
    /** The closest declared `lang`, if any. */
    readonly lang: string | undefined,
    /** Position in document order among all runs. */
    readonly index: number,
  ) {}

  /** Whitespace-normalised text. */
  get text(): string {
    this.normalised ??= normaliseWhitespace(this.raw);
    return this.normalised;
  }

  get kind(): BlockKind {
    return this.frame.kind;
  }

  get headingLevel(): number {
    return this.frame.headingLevel;
  }
}

/**
 * The frame of a block element: its kind follows its own tag (a heading level, a list item, a
 * table cell, a quote) or, for a paragraph inside a quote or a list item, the outer one's; a
 * paragraph in a (layout) table cell stays a paragraph.
 */
export function makeFrame(el: Element, parent: Frame | null, mark: NameMark, id: number): Frame {
  const tag = el.localName;
  const headingLevel = HEADING_LEVEL[tag] ?? parent?.headingLevel ?? 0;
  let kind: BlockKind;
  if (headingLevel > 0) kind = 'heading';
  else if (tag === 'li' || tag === 'dd' || tag === 'dt') kind = 'list-item';
  else if (tag === 'td' || tag === 'th') kind = 'table-cell';
  else if (tag === 'blockquote') kind = 'quote';
  else if (parent && (parent.kind === 'quote' || parent.kind === 'list-item')) kind = parent.kind;
  else kind = 'paragraph';
  return { el, parent, id, depth: parent ? parent.depth + 1 : 0, mark, kind, headingLevel };
}
