/**
 * A Yomitan glossary item as plain text: what a word card shows for one definition.
 *
 * Items are plain strings, `{type: "text"}`, `{type: "image"}` (its alt text or description, if
 * any: images themselves are not shown), `{type: "structured-content"}` (a tree of HTML-like
 * nodes: `{tag, content, ...}`), or a deinflection `[baseForm, [rules...]]`. Structured content
 * is flattened to its text only: tags become line breaks or nothing, and every attribute
 * (links, styles, data, image paths) is dropped, so nothing a dictionary file holds can become
 * markup, a link or a request in the product; the text itself is kept as written (a "<b>" in
 * a definition stays those three characters, for a renderer that shows text as text). Control
 * characters other than line breaks are removed.
 *
 * Shape errors throw `GlossaryShapeError` with a short reason; the caller adds where it was.
 */

export class GlossaryShapeError extends Error {
  override name = 'GlossaryShapeError';
}

/** Deeper trees than this are refused (real dictionaries nest a dozen levels at most). */
export const MAX_CONTENT_DEPTH = 48;

/** Tags whose content stands on lines of its own. */
const BLOCK_TAGS = new Set(['div', 'ol', 'ul', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'details', 'summary', 'p']);
/** Table cells: separated by a space from the next. */
const CELL_TAGS = new Set(['td', 'th']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects text pieces; `\n` marks a line break. */
type Sink = string[];

function flatten(node: unknown, sink: Sink, depth: number): void {
  if (depth > MAX_CONTENT_DEPTH) throw new GlossaryShapeError('structured content is nested too deeply');
  if (typeof node === 'string') {
    sink.push(node);
    return;
  }
  if (Array.isArray(node)) {
    for (const child of node) flatten(child, sink, depth + 1);
    return;
  }
  if (!isObject(node)) throw new GlossaryShapeError(`structured content must be text, a list or a tagged node, not ${describeValue(node)}`);
  const tag = node.tag;
  if (typeof tag !== 'string') throw new GlossaryShapeError('a structured content node has no tag');
  const content = node.content;
  switch (tag) {
    case 'br':
      sink.push('\n');
      return;
    case 'rp':
      // Ruby parentheses: the reading below is put in parentheses already.
      return;
    case 'img':
      if (typeof node.alt === 'string' && node.alt) sink.push(` ${node.alt} `);
      return;
    case 'rt':
      sink.push('(');
      if (content !== undefined) flatten(content, sink, depth + 1);
      sink.push(')');
      return;
  }
  const block = BLOCK_TAGS.has(tag);
  if (block) sink.push('\n');
  if (tag === 'li') sink.push('• ');
  if (content !== undefined) flatten(content, sink, depth + 1);
  if (block) sink.push('\n');
  else if (CELL_TAGS.has(tag)) sink.push(' ');
}

// C0 and C1 controls except tab and line feed, and the bidirectional overrides and isolates
// (which can make text read differently from what it holds).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Anything tidyText would change: controls, line breaks, tabs, no-break or doubled spaces, spaces at an end. */
const UNTIDY = /[\u0000-\u001f\u007f-\u00a0\u202a-\u202e\u2066-\u2069]| {2}|^\s|\s$/;

/** Joined pieces with runs of spaces collapsed, each line trimmed and empty lines dropped. */
export function tidyText(pieces: readonly string[]): string {
  const joined = pieces.join('');
  // Most definitions are one tidy line already.
  if (!UNTIDY.test(joined)) return joined;
  return joined
    .replace(CONTROLS, '')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** Structured content (the value of a `structured-content` item's `content`) as text. */
export function structuredContentText(content: unknown): string {
  const sink: Sink = [];
  flatten(content, sink, 0);
  // A list item whose content starts with a block leaves its bullet on a line of its own.
  return tidyText(sink).replace(/^• *\n(?!• )/gm, '• ');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * One glossary item as text; an empty string when it has none to show (an image without alt
 * text). Throws GlossaryShapeError when the item is not one of the format's shapes.
 */
export function glossaryItemText(item: unknown): string {
  if (typeof item === 'string') return tidyText([item]);
  if (Array.isArray(item)) {
    const [base, rules] = item;
    if (item.length !== 2 || typeof base !== 'string' || !Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) {
      throw new GlossaryShapeError('a list item must be [base form, [inflection rules]]');
    }
    return tidyText([`→ ${base}`, rules.length ? ` (${rules.join(', ')})` : '']);
  }
  if (!isObject(item)) throw new GlossaryShapeError(`a glossary item must be text or an object, not ${describeValue(item)}`);
  switch (item.type) {
    case 'text':
      if (typeof item.text !== 'string') throw new GlossaryShapeError('a "text" item must have a text');
      return tidyText([item.text]);
    case 'structured-content':
      if (item.content === undefined) throw new GlossaryShapeError('a "structured-content" item must have a content');
      return structuredContentText(item.content);
    case 'image': {
      if (typeof item.path !== 'string') throw new GlossaryShapeError('an "image" item must have a path');
      const words = [item.alt, item.description].filter((s): s is string => typeof s === 'string' && s.length > 0);
      return tidyText([words.join(' — ')]);
    }
    default:
      throw new GlossaryShapeError(`a glossary item's type must be "text", "structured-content" or "image", not ${JSON.stringify(String(item.type)).slice(0, 40)}`);
  }
}
