/**
 * One pass over the rendered tree that cuts the page's text into runs: the text between two
 * block boundaries, owned by the nearest block element (a `<p>`, an `<li>`, or the bare text
 * of a `<div>` around nested blocks). The pass can stop at any node and resume later, so that
 * a huge page is read in slices that never freeze the tab.
 *
 * It follows what is rendered rather than the light DOM alone: open shadow roots (with their
 * slots' assigned nodes) and same-origin iframes are entered; hidden subtrees, form controls,
 * scripts, editable regions and our own UI are not.
 */
import { NameMark, SKIPPED_ROLES, TAG_BLOCK, TAG_FLAGS, TAG_FURNITURE, TAG_SKIP, TAG_WEAK_FURNITURE, hidingName, nameMark } from './extraction-dom';
import type { LayoutProbe } from './extraction-probe';
import { Run, makeFrame, type Frame } from './extraction-runs';

export type { BlockKind, Frame } from './extraction-runs';
export { Run } from './extraction-runs';

/** Attribute on the extension's own UI host; nothing inside it is page content. */
export const UI_HOST_ATTRIBUTE = 'data-attention-reader-ui';

export interface WalkOptions {
  /** Enter same-origin iframes (default true). */
  readonly iframes?: boolean;
  /** Enter open shadow roots (default true). */
  readonly shadowRoots?: boolean;
}

interface Context {
  readonly frame: Frame;
  readonly link: boolean;
  readonly lang: string | undefined;
}

/** Stands in the context stack for "leaving a block element here". */
const EXIT = null;

/** How many nodes to visit between two looks at the clock. */
const CLOCK_EVERY = 128;

const CONTENT_ROLES = new Set(['main', 'article']);

export class Walker {
  readonly runs: Run[] = [];
  /** Every block element entered, parents before children. */
  readonly frames: Frame[] = [];
  // Two parallel stacks rather than one of small objects: no allocation per node visited.
  private readonly nodes: Node[] = [];
  private readonly contexts: (Context | typeof EXIT)[] = [];
  private readonly probe: LayoutProbe;
  private readonly iframes: boolean;
  private readonly shadowRoots: boolean;
  // The run being built.
  private runFrame: Frame | null = null;
  private runNodes: Text[] = [];
  private runRaw = '';
  private runChars = 0;
  private runLinkChars = 0;
  private runLang: string | undefined;
  private breaks = 0;

  constructor(root: Document | Element, probe: LayoutProbe, options: WalkOptions = {}) {
    this.probe = probe;
    this.iframes = options.iframes ?? true;
    this.shadowRoots = options.shadowRoots ?? true;
    const start = isDocument(root) ? root.documentElement : root;
    if (!start) return;
    // The root's own ancestors still decide its language and its owner block.
    const lang = isDocument(root) ? undefined : declaredLang(root.parentElement?.closest('[lang]') ?? null) || undefined;
    if (start.parentElement) {
      const top = this.frame(start.parentElement, null, NameMark.None);
      this.push(start, { frame: top, link: false, lang });
    } else {
      // The document element: it is the top frame itself, and only its lang is read.
      const top = this.frame(start, null, NameMark.None);
      this.pushChildren(start, { frame: top, link: false, lang: declaredLang(start) || undefined });
    }
  }

  get done(): boolean {
    return this.nodes.length === 0;
  }

  /** Visits nodes until the tree is done or `deadline` (by `now`) has passed. */
  step(deadline: number, now: () => number): void {
    let n = 0;
    const nodes = this.nodes;
    const contexts = this.contexts;
    while (nodes.length > 0) {
      if (++n % CLOCK_EVERY === 0 && now() >= deadline) return;
      const node = nodes.pop()!;
      const ctx = contexts.pop()!;
      if (ctx === EXIT) this.flush();
      else this.visit(node, ctx);
    }
    this.flush();
  }

  private frame(el: Element, parent: Frame | null, mark: NameMark): Frame {
    const frame = makeFrame(el, parent, mark, this.frames.length);
    this.frames.push(frame);
    return frame;
  }

  private push(node: Node, ctx: Context | typeof EXIT): void {
    this.nodes.push(node);
    this.contexts.push(ctx);
  }

  private visit(node: Node, ctx: Context): void {
    const type = node.nodeType;
    if (type === 3) {
      this.text(node as Text, ctx);
      return;
    }
    if (type !== 1) {
      // A document fragment (shadow root) passes its children through; comments drop.
      if (type === 11) this.pushChildren(node, ctx);
      return;
    }
    const el = node as Element;
    const tag = el.localName;
    const flags = TAG_FLAGS.get(tag) ?? 0;
    if (flags & TAG_SKIP) return;
    if (tag === 'br') {
      if (this.runFrame) {
        this.runRaw += '\n';
        // Two line breaks in a row are how many pages write a paragraph break.
        if (++this.breaks >= 2) this.flush();
      }
      return;
    }
    if (tag === 'hr' || tag === 'wbr') {
      if (tag === 'hr') this.flush();
      return;
    }
    // Most elements of a page carry no attributes at all, and then there is nothing to ask.
    const block = (flags & TAG_BLOCK) !== 0;
    const attributed = el.hasAttributes();
    let role: string | null = null;
    let cls: string | null = null;
    let id: string | null = null;
    let lang = ctx.lang;
    // One call for the names, then only the values that matter: most elements carry one or
    // two attributes, and asking for each attribute we care about by name costs more.
    let hides = false;
    let itemprop = false;
    let href = false;
    if (attributed) {
      const names = el.getAttributeNames();
      for (let i = 0; i < names.length; i++) {
        switch (names[i]) {
          case 'class':
            cls = el.getAttribute('class');
            break;
          case 'id':
            id = el.getAttribute('id');
            break;
          case 'role':
            role = el.getAttribute('role');
            if (role !== null && SKIPPED_ROLES.has(role)) return;
            break;
          case 'contenteditable': {
            const editable = el.getAttribute('contenteditable');
            if (editable !== 'false' && editable !== 'inherit') return;
            break;
          }
          case 'lang': {
            // lang="" states that the language is unknown, overriding the ancestors'.
            lang = el.getAttribute('lang')!.trim() || undefined;
            break;
          }
          case 'style':
          case 'hidden':
          case 'aria-hidden':
            hides = true;
            break;
          case 'href':
            href = true;
            break;
          case 'itemprop':
            itemprop = el.getAttribute('itemprop') === 'articleBody';
            break;
          case UI_HOST_ATTRIBUTE:
            return;
        }
      }
      // Only elements a style sheet can single out are asked about, and inline ones only when
      // their class reads like hiding: hiding takes a class, an id, a style or a hiding
      // attribute in practice, and any other element inside a visible one is visible.
      // Layout queries are the largest cost of extraction on a live page; this skips most of
      // them (links, spans, bare paragraphs and list items). The body is never asked: pages
      // hide it until their scripts have run, which says nothing about its text.
      if (
        tag !== 'body' &&
        // (Custom elements are as likely as blocks to be hidden whole: asked like blocks.)
        (hides || (block || tag.includes('-') ? cls !== null || id !== null : cls !== null && hidingName(cls))) &&
        this.probe.isHidden(el)
      ) {
        return;
      }
    }
    const link = ctx.link || (href && tag === 'a');
    let next = ctx;
    if (block) {
      this.flush();
      let mark = NameMark.None;
      if (flags & TAG_FURNITURE) mark = NameMark.Furniture;
      else if (attributed) {
        mark = nameMark(cls, id);
        if (mark !== NameMark.Furniture && mark !== NameMark.MixedFurniture && mark !== NameMark.Comments && ((role !== null && CONTENT_ROLES.has(role)) || itemprop)) {
          mark = NameMark.Content;
        }
      }
      if (mark === NameMark.None && flags & TAG_WEAK_FURNITURE) mark = NameMark.WeakFurniture;
      const frame = this.frame(el, ctx.frame, mark);
      this.push(el, EXIT);
      next = { frame, link, lang };
    } else if (link !== ctx.link || lang !== ctx.lang) {
      next = { frame: ctx.frame, link, lang };
    }

    if (tag === 'iframe') {
      if (this.iframes) {
        const doc = frameDocument(el);
        if (doc?.documentElement) this.push(doc.documentElement, next);
      }
      return;
    }
    if (tag === 'slot') {
      const assigned = (el as HTMLSlotElement).assignedNodes?.() ?? [];
      if (assigned.length > 0) {
        for (let i = assigned.length - 1; i >= 0; i--) this.push(assigned[i]!, next);
        return;
      }
    }
    if (tag === 'details' && !el.hasAttribute('open')) {
      // A closed <details> shows only its summary.
      for (let c = el.lastElementChild; c; c = c.previousElementSibling) {
        if (c.localName === 'summary') this.push(c, next);
      }
      return;
    }
    const shadow = this.shadowRoots ? el.shadowRoot : null;
    this.pushChildren(shadow ?? el, next);
  }

  private pushChildren(parent: Node, ctx: Context): void {
    for (let c = parent.lastChild; c; c = c.previousSibling) this.push(c, ctx);
  }

  private text(node: Text, ctx: Context): void {
    const data = node.data;
    if (this.runFrame !== ctx.frame) {
      // Whitespace between blocks starts nothing.
      if (isBlank(data)) return;
      this.flush();
      this.runFrame = ctx.frame;
      this.runLang = ctx.lang;
    }
    this.runRaw += data;
    this.runNodes.push(node);
    const len = trimmedLength(data);
    if (len > 0) {
      this.breaks = 0;
      this.runChars += len;
      if (ctx.link) this.runLinkChars += len;
    }
  }

  private flush(): void {
    const frame = this.runFrame;
    if (frame && this.runChars > 0) {
      this.runs.push(new Run(frame, this.runNodes, this.runRaw, this.runChars, this.runLinkChars, this.runLang, this.runs.length));
    }
    this.runFrame = null;
    this.runNodes = [];
    this.runRaw = '';
    this.runChars = 0;
    this.runLinkChars = 0;
    this.runLang = undefined;
    this.breaks = 0;
  }
}

function isDocument(root: Document | Element): root is Document {
  return root.nodeType === 9;
}

/** The element's own `lang` (trimmed; '' when declared empty), or null when it has none. */
function declaredLang(el: Element | null): string | null {
  if (!el) return null;
  const lang = el.getAttribute('lang');
  return lang === null ? null : lang.trim();
}

/** A same-origin iframe's document; null for cross-origin ones (reading them throws). */
function frameDocument(el: Element): Document | null {
  try {
    return (el as HTMLIFrameElement).contentDocument ?? null;
  } catch {
    return null;
  }
}

/** Whether `s` is all whitespace, by the same reckoning as `normaliseWhitespace`. */
function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 0xa0 || c === 0x200b || c === 0xfeff) continue;
    if (c < 0x1680) return false;
    if (c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000) continue;
    return false;
  }
  return true;
}

function trimmedLength(s: string): number {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return b - a;
}
