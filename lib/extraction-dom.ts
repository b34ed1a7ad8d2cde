/**
 * What the markup says about an element, before any text is weighed: which elements never
 * hold readable prose, which ones start a new block of text, and which class/id names mark
 * page furniture (navigation, share bars, comments) or the article itself.
 */

/** Never readable prose (or not ours to read): skipped with their whole subtree. */
export const SKIPPED_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base',
  'svg', 'math', 'canvas', 'object', 'embed', 'video', 'audio', 'source', 'track', 'picture',
  'img', 'map', 'area', 'select', 'option', 'optgroup', 'datalist', 'textarea', 'input',
  'button', 'nav', 'dialog', 'frameset', 'frame', 'applet', 'param', 'output', 'progress',
  'meter', 'rp',
]);

/** Landmark roles that are page furniture whatever the tag. */
export const SKIPPED_ROLES: ReadonlySet<string> = new Set([
  'navigation', 'search', 'menu', 'menubar', 'toolbar', 'tablist', 'dialog', 'alertdialog',
  'banner', 'contentinfo', 'complementary', 'tooltip', 'status', 'alert', 'button', 'tab',
]);

/** Elements that start a block of text of their own (CSS block or table boxes by default). */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dir',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'ol',
  'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th',
  'caption', 'ul', 'iframe', 'listing', 'plaintext', 'xmp', 'search',
]);

export const HEADING_LEVEL: Readonly<Record<string, number>> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Everything the walker needs to know about a tag, from one lookup. */
export const TAG_SKIP = 1;
export const TAG_BLOCK = 2;
export const TAG_FURNITURE = 4;
export const TAG_WEAK_FURNITURE = 8;

/**
 * Sectioning tags that hold page furniture more often than prose. They are not skipped
 * outright: some sites wrap the whole page in one, which is why a mark only counts against
 * text when the marked element is a small part of the page (see extraction-scoring).
 */
export const FURNITURE_TAGS: ReadonlySet<string> = new Set(['header', 'footer', 'aside', 'figcaption']);
/** Some sites (ASP.NET ones) wrap the whole page in a form. */
export const WEAK_FURNITURE_TAGS: ReadonlySet<string> = new Set(['form']);

export const TAG_FLAGS: ReadonlyMap<string, number> = (() => {
  const flags = new Map<string, number>();
  const add = (tags: ReadonlySet<string>, flag: number) => {
    for (const t of tags) flags.set(t, (flags.get(t) ?? 0) | flag);
  };
  add(SKIPPED_TAGS, TAG_SKIP);
  add(BLOCK_TAGS, TAG_BLOCK);
  add(FURNITURE_TAGS, TAG_FURNITURE);
  add(WEAK_FURNITURE_TAGS, TAG_WEAK_FURNITURE);
  return flags;
})();

/**
 * Words in class and id names that mark furniture. Matched against whole words of the name
 * ("share-bar", "shareBar" and "share_bar" all give "share"), never against substrings, so
 * that names like "shadow" or "address" are not caught by accident.
 *
 * Strong words name things that are never the article's prose, even inside the article
 * ("article-footer", "post-share", "entry-meta"): they win over content words in the same name.
 */
const STRONG_FURNITURE_WORDS = new Set([
  'share', 'sharing', 'sharethis', 'addthis', 'social', 'socials', 'follow',
  'related', 'recommended', 'recommendations', 'recommendation', 'recirc', 'trending',
  'popular', 'mostread', 'mostpopular', 'outbrain', 'taboola', 'zergnet', 'revcontent',
  'sponsor', 'sponsored', 'advert', 'advertisement', 'advertising', 'ad', 'ads', 'adv',
  'adsense', 'dfp', 'cookie', 'cookies', 'consent', 'gdpr', 'newsletter', 'newsletters',
  'subscribe', 'subscription', 'signup', 'paywall', 'sidebar', 'widget', 'widgets', 'footer',
  'masthead', 'nav', 'navbar', 'navigation', 'menu', 'breadcrumb', 'breadcrumbs', 'pagination',
  'pager', 'popup', 'modal', 'toolbar', 'tags', 'tagcloud', 'byline', 'dateline', 'timestamp',
  'skip', 'sronly', 'screenreader', 'login', 'signin', 'rating', 'print', 'meta', 'copyright',
  'header', 'topbar', 'readmore', 'seealso', 'alsoread', 'toc', 'affiliate', 'cta', 'caption',
  'credit', 'credits',
]);

/**
 * Words that name a comment section: furniture like the strong words, and also the one kind
 * of furniture that holds much prose of its own (see extraction-scoring).
 */
const COMMENT_WORDS = new Set(['comment', 'comments', 'commentlist', 'disqus', 'respond', 'replies']);

/** Weak words usually name furniture, but article containers carry them too ("content-breaking-news"). */
const WEAK_FURNITURE_WORDS = new Set([
  'promo', 'promotion', 'promoted', 'banner', 'rail', 'account', 'feedback', 'poll', 'author',
  'bio', 'teaser', 'teasers', 'headline', 'headlines', 'moreon', 'jumplink', 'partner',
  'partners', 'alert', 'alerts', 'ticker', 'carousel', 'slider', 'gallery', 'lightbox', 'video',
  'player', 'infobox', 'overlay', 'reply', 'gpt',
  'kicker', 'eyebrow',
]);

/** Words in class names of text kept for screen readers only, or hidden by a script's toggle. */
const HIDING_WORDS = new Set([
  'hidden', 'hide', 'invisible', 'offscreen', 'sronly', 'screenreader', 'screenreadertext',
  'screenreaderonly', 'visuallyhidden', 'assistive', 'collapsed', 'collapse', 'skip',
]);

/** Words in class and id names that mark the article body. */
const CONTENT_WORDS = new Set([
  'article', 'articlebody', 'content', 'entry', 'entrycontent', 'main', 'post', 'postbody',
  'story', 'storybody', 'text', 'blog', 'prose', 'richtext', 'body', 'bodytext', 'markdown',
  'page', 'column', 'copy',
]);

/** Split a class/id string into lower-case words: on non-letters and on camelCase humps. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

export enum NameMark {
  None = 0,
  Content = 1,
  /** Named or tagged as furniture for sure ("share", "comments", `<footer>`). */
  Furniture = 2,
  /** Named like furniture, by a word that also names article wrappers ("rail", "promo", `<form>`). */
  WeakFurniture = 3,
  /** A comment section: strong furniture whose prose is the readers', not the article's. */
  Comments = 4,
  /**
   * A strong furniture word beside a content word ("entry-meta", "post social"): furniture
   * when small, a wrapper around the article more often than a pure furniture name is.
   */
  MixedFurniture = 5,
}

/** Which kinds of words a class or id string holds, as bits, cached per string. */
const STRONG = 1;
const WEAK = 2;
const CONTENT = 4;
const HIDING = 8;
const COMMENTS = 16;
const wordCache = new Map<string, number>();

function nameBits(name: string): number {
  let bits = wordCache.get(name);
  if (bits === undefined) {
    bits = 0;
    // Also each whole name squashed, so "mostRead" and "most-read" both give "mostread".
    const squashed = name.toLowerCase().split(/\s+/).map((n) => n.replace(/[^a-z]/g, ''));
    for (const w of nameWords(name).concat(squashed)) {
      if (COMMENT_WORDS.has(w)) bits |= COMMENTS;
      else if (STRONG_FURNITURE_WORDS.has(w)) bits |= STRONG;
      else if (WEAK_FURNITURE_WORDS.has(w)) bits |= WEAK;
      else if (CONTENT_WORDS.has(w)) bits |= CONTENT;
      if (HIDING_WORDS.has(w)) bits |= HIDING;
    }
    // Pages reuse a few hundred names; the bound only guards against pathological ones.
    if (wordCache.size > 5000) wordCache.clear();
    wordCache.set(name, bits);
  }
  return bits;
}

/** Whether a class name suggests hidden text ("sr-only", "visually-hidden", "hide-mobile"). */
export function hidingName(cls: string): boolean {
  return (nameBits(cls) & HIDING) !== 0;
}

/**
 * How an element's class and id read: comments if any word names a comment section, furniture
 * if any word is a strong furniture word (mixed furniture with a content word beside it), or a
 * weak one without a content word beside it; content if any word is a content word; else
 * neither.
 */
export function nameMark(cls: string | null, id: string | null): NameMark {
  const bits = (cls ? nameBits(cls) : 0) | (id ? nameBits(id) : 0);
  if (bits & COMMENTS) return NameMark.Comments;
  if (bits & STRONG) return bits & CONTENT ? NameMark.MixedFurniture : NameMark.Furniture;
  if (bits & WEAK && !(bits & CONTENT)) return NameMark.WeakFurniture;
  return bits & CONTENT ? NameMark.Content : NameMark.None;
}
