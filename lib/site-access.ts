/**
 * Where the extension may read pages: host access is optional and granted by the learner,
 * for one site or for every site, never at install. This file decides, from the origins the
 * browser says are granted, which pages the reader's content scripts are registered for, what
 * the popup offers on the current page, and which registrations must change.
 *
 * Why registered at run time rather than listed in the manifest: a manifest content script
 * needs install-time host access to every page. Registering the scripts for exactly the
 * granted origins (and re-registering when the grants change) gives the smallest access that
 * does the job, and a learner who grants one site gives the extension that site only.
 */

import { ANKI_CONNECT_URL } from './anki';
import { siteOf } from './settings';

/** Every page the reader can work on; the manifest's `optional_host_permissions`. */
export const ALL_SITES = '*://*/*';

/**
 * AnkiConnect's address on the learner's own computer: granted for "Send to Anki", never a
 * page to read.
 */
export const ANKI_CONNECT_ORIGIN = `${ANKI_CONNECT_URL}/*`;

/** The browser's host permissions, as the popup and options page ask for and give them back. */
export interface SitesApi {
  /** The origins the browser has granted the extension. */
  grantedOrigins(): Promise<string[]>;
  /** Asks the browser (and so the learner) for access to these origins; true when granted. */
  requestSites(origins: string[]): Promise<boolean>;
  removeSites(origins: string[]): Promise<boolean>;
}

/** The host-permission pattern that grants the site of `url`, or null for pages that are not web pages. */
export function sitePattern(url: string): string | null {
  const site = siteOf(url);
  // Both schemes: a site reached over http and https is one site to the learner.
  return site === null ? null : `*://${site}/*`;
}

/** The host name a pattern like `*://example.org/*` grants, or null for broader patterns. */
export function patternSite(pattern: string): string | null {
  const match = /^(?:\*|https?):\/\/([^/*]+)\/\*$/.exec(pattern);
  return match ? match[1]!.replace(/:\d+$/, '') : null;
}

function grantsEverySite(pattern: string): boolean {
  return pattern === ALL_SITES || pattern === '<all_urls>' || pattern === 'http://*/*' || pattern === 'https://*/*';
}

/**
 * The match patterns the reader runs on, given the granted origins: every web page when a
 * pattern covers all sites, otherwise the granted web sites, minus AnkiConnect. Sorted and
 * without duplicates, so equal grants always give equal registrations.
 */
export function readingMatches(granted: readonly string[]): string[] {
  const web = granted.filter((p) => p !== ANKI_CONNECT_ORIGIN && /^(?:\*|https?):\/\//.test(p));
  const everywhere = web.filter(grantsEverySite);
  return [...new Set(everywhere.length > 0 ? everywhere : web)].sort();
}

export type SiteAccess =
  /** The browser did not say which page is open (no grant to see its address). */
  | { readonly kind: 'unknown' }
  /** Not a web page (browser pages, files, the extension's own pages). */
  | { readonly kind: 'unsupported' }
  /** Every site is granted. */
  | { readonly kind: 'everywhere' }
  /** This site is granted on its own; `pattern` is what to remove to turn it off. */
  | { readonly kind: 'site'; readonly site: string; readonly pattern: string }
  /** Not granted; `pattern` is what to request to turn it on for this site. */
  | { readonly kind: 'off'; readonly site: string; readonly pattern: string };

/** What access the extension has to the page at `url`. */
export function siteAccess(url: string | undefined, granted: readonly string[]): SiteAccess {
  if (url === undefined || url === '') return { kind: 'unknown' };
  const site = siteOf(url);
  if (site === null) return { kind: 'unsupported' };
  const pattern = `*://${site}/*`;
  const matches = readingMatches(granted);
  if (matches.some(grantsEverySite)) return { kind: 'everywhere' };
  const own = matches.find((p) => patternSite(p) === site);
  return own ? { kind: 'site', site, pattern: own } : { kind: 'off', site, pattern };
}

/**
 * Whether `url` is one of the pages a match pattern covers, the way browsers match host
 * permissions: scheme `*` is http and https, host `*` any host and `*.x` x and its
 * subdomains, a pattern without a port any port; only the `/*` paths used here.
 */
export function matchesPattern(url: string, pattern: string): boolean {
  if (pattern === '<all_urls>') return sitePattern(url) !== null;
  const parts = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!parts || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return false;
  const [, scheme, hostPattern] = parts as unknown as [string, string, string];
  if (scheme !== '*' && `${scheme}:` !== parsed.protocol) return false;
  const [host, port] = hostPattern.split(':') as [string, string | undefined];
  if (port !== undefined && port !== (parsed.port || (parsed.protocol === 'https:' ? '443' : '80'))) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return parsed.hostname === host.slice(2) || parsed.hostname.endsWith(host.slice(1));
  return parsed.hostname === host;
}

/**
 * After access to `removed` was taken back, whether the page at `url` may still be read: it
 * may if no removed pattern covered it (a page read once on request, another site) or a
 * grant that remains still does.
 */
export function stillReadable(url: string, removed: readonly string[], granted: readonly string[]): boolean {
  if (!removed.some((p) => matchesPattern(url, p))) return true;
  return readingMatches(granted).some((p) => matchesPattern(url, p));
}

/** The sites granted one by one (for the settings page's list), by host name. */
export function grantedSites(granted: readonly string[]): { site: string; pattern: string }[] {
  return readingMatches(granted)
    .filter((p) => !grantsEverySite(p))
    .flatMap((pattern) => {
      const site = patternSite(pattern);
      return site ? [{ site, pattern }] : [];
    });
}

/** One content-script registration, in the shape `scripting.registerContentScripts` takes. */
export type ScriptRegistration = {
  readonly id: string;
  readonly matches: string[];
  readonly runAt: 'document_start' | 'document_idle';
  readonly allFrames: false;
  readonly persistAcrossSessions: true;
} & ({ readonly js: string[]; readonly css?: never } | { readonly css: string[]; readonly js?: never });

/** The built files the reader consists of (paths inside the extension). */
export interface ReaderFiles {
  /** Highlight colours: needed from document start, before the page paints. */
  readonly css: string;
  /** The content script: reads the page once it is idle. */
  readonly js: string;
}

export const READER_FILES: ReaderFiles = { css: 'highlights.css', js: 'content-scripts/content.js' };

/** The registrations the reader needs for `matches` (none when nothing is granted). */
export function readerRegistrations(matches: readonly string[], files: ReaderFiles = READER_FILES): ScriptRegistration[] {
  if (matches.length === 0) return [];
  const common = { matches: [...matches], allFrames: false as const, persistAcrossSessions: true as const };
  return [
    { id: 'reader-colours', css: [files.css], runAt: 'document_start', ...common },
    { id: 'reader', js: [files.js], runAt: 'document_idle', ...common },
  ];
}

/** A registration as the browser reports it back (only the fields compared here). */
export interface RegisteredScript {
  readonly id: string;
  readonly matches?: readonly string[];
  readonly js?: readonly string[];
  readonly css?: readonly string[];
  readonly runAt?: string;
}

export interface RegistrationPlan {
  readonly unregister: string[];
  readonly register: ScriptRegistration[];
}

function sameList(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((x, i) => x === sortedB[i]);
}

function sameRegistration(have: RegisteredScript, want: ScriptRegistration): boolean {
  return sameList(have.matches, want.matches) && sameList(have.js, want.js) && sameList(have.css, want.css) && (have.runAt ?? 'document_idle') === want.runAt;
}

/**
 * What to change so that the registered scripts are exactly `wanted`: a registration that
 * differs is unregistered and registered again (rather than updated in place) so that one
 * code path covers a changed, a missing and an extra script.
 */
export function registrationPlan(existing: readonly RegisteredScript[], wanted: readonly ScriptRegistration[]): RegistrationPlan {
  const keep = new Set(existing.filter((have) => wanted.some((want) => want.id === have.id && sameRegistration(have, want))).map((s) => s.id));
  return {
    unregister: existing.filter((s) => !keep.has(s.id)).map((s) => s.id),
    register: wanted.filter((w) => !keep.has(w.id)),
  };
}
