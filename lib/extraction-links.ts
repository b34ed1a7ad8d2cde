/**
 * Where a link goes, read from its href alone (no URL parsing, no network): whether it points
 * to another story of the same site. A list of such links, each with little text of its own
 * beside it, is a list of teasers ("You may also like", "Breaking news"), where a site's own
 * content cards (services, features) link to short section pages or nowhere.
 */

/** The page a link is read from: its host (no "www.") and path, when known. */
export interface PageSite {
  readonly host: string | undefined;
  readonly path: string | undefined;
}

const NO_SITE: PageSite = { host: undefined, path: undefined };

/**
 * The page's own address: the document's URL when it is a web address, else the canonical
 * link or og:url the page states (a saved copy, loaded from a string).
 */
export function pageSite(doc: Document | null): PageSite {
  if (!doc) return NO_SITE;
  let url = /^https?:/i.test(doc.URL) ? doc.URL : null;
  if (!url) {
    const head = doc.head;
    url =
      head?.querySelector('link[rel="canonical"]')?.getAttribute('href') ??
      head?.querySelector('meta[property="og:url"]')?.getAttribute('content') ??
      null;
  }
  if (!url) return NO_SITE;
  const parts = splitHref(url.trim());
  return parts.host === undefined ? NO_SITE : parts;
}

/** A date in a path: /2019/05/ or 2019-05-12. */
const PATH_DATE = /(?:^|\/)(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)/;
/** Index pages of a site (a tag, an author), whose names are slugs too. */
const INDEX_SEGMENT = /\/(?:tags?|category|categories|topics?|authors?|profiles?|people|search)\//i;
/** A slug of at least this many words is a story's title. */
const SLUG_WORDS = 3;
/** A number this long in the last segments is a story's id (/news/uk-12345678, /a/987654). */
const STORY_ID = /\d{5,}/;

/**
 * Whether `href` leads to a story of the page's own site: not an anchor on the page, not the
 * page itself, not another site, and a path that reads like a story's (a date, a slug of
 * several words, or a long id below a section).
 */
export function isStoryLink(href: string, site: PageSite): boolean {
  const h = href.trim();
  const c = h.charCodeAt(0);
  // '#' (an anchor), '?' (the same page, other parameters) or nothing.
  if (!(c > 0) || c === 35 || c === 63) return false;
  const { host, path } = splitHref(h);
  if (path === undefined) return false;
  if (host !== undefined && site.host !== undefined && host !== site.host) return false;
  if (site.path !== undefined && path === site.path) return false;
  if (INDEX_SEGMENT.test(path)) return false;
  if (PATH_DATE.test(path)) return true;
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  const start = path.lastIndexOf('/', end - 1) + 1;
  const last = path.slice(start, end).replace(/\.[a-z]{2,5}$/i, '');
  if (slugWords(last) >= SLUG_WORDS) return true;
  return start > 1 && STORY_ID.test(last);
}

/** Words of at least two letters in a slug ("the-best-of_2019" has three). */
function slugWords(slug: string): number {
  let words = 0;
  for (const w of slug.split(/[-_+]|%20/)) if (/\p{L}.*\p{L}/u.test(w)) words++;
  return words;
}

/**
 * Host (lower case, no "www.") and path (no query or fragment) of an href. A relative path
 * has no host; a scheme other than http(s) has no path.
 */
function splitHref(href: string): { host: string | undefined; path: string | undefined } {
  let rest = href;
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  let host: string | undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(rest);
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    if (s !== 'http' && s !== 'https') return { host: undefined, path: undefined };
    rest = rest.slice(scheme[0].length);
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    host = (slash < 0 ? rest.slice(2) : rest.slice(2, slash)).toLowerCase().replace(/^www\./, '').replace(/:\d+$/, '');
    rest = slash < 0 ? '/' : rest.slice(slash);
  } else if (scheme) {
    return { host: undefined, path: undefined };
  }
  return { host, path: rest };
}
