import { describe, expect, it } from 'vitest';
import {
  ALL_SITES,
  ANKI_CONNECT_ORIGIN,
  grantedSites,
  matchesPattern,
  patternSite,
  readerRegistrations,
  readingMatches,
  registrationPlan,
  siteAccess,
  sitePattern,
  stillReadable,
} from './site-access';

describe('sitePattern', () => {
  it('grants a web page’s host over both schemes, whatever the path or port', () => {
    expect(sitePattern('https://www.example.org/news/today?x=1#top')).toBe('*://www.example.org/*');
    expect(sitePattern('http://127.0.0.1:8080/article.html')).toBe('*://127.0.0.1/*');
  });

  it('has nothing to grant for pages that are not web pages', () => {
    for (const url of ['chrome://extensions', 'file:///home/me/a.html', 'chrome-extension://abc/popup.html', 'about:blank', 'not a url', ''])
      expect(sitePattern(url)).toBeNull();
  });
});

describe('patternSite', () => {
  it('reads the host back from one site’s pattern and not from broad ones', () => {
    expect(patternSite('*://example.org/*')).toBe('example.org');
    expect(patternSite('http://127.0.0.1:8765/*')).toBe('127.0.0.1');
    expect(patternSite(ALL_SITES)).toBeNull();
    expect(patternSite('https://*.example.org/*')).toBeNull();
  });
});

describe('readingMatches', () => {
  it('is every web page when all sites are granted, whatever else is', () => {
    expect(readingMatches(['*://a.org/*', ALL_SITES, ANKI_CONNECT_ORIGIN])).toEqual([ALL_SITES]);
  });

  it('is the granted sites, sorted, without AnkiConnect or non-web origins', () => {
    expect(readingMatches(['*://b.org/*', ANKI_CONNECT_ORIGIN, 'chrome://favicon/*', '*://a.org/*', '*://b.org/*'])).toEqual(['*://a.org/*', '*://b.org/*']);
  });

  it('is nothing when only AnkiConnect is granted', () => {
    expect(readingMatches([ANKI_CONNECT_ORIGIN])).toEqual([]);
    expect(readingMatches([])).toEqual([]);
  });
});

describe('siteAccess', () => {
  const page = 'https://news.example.org/story';

  it('offers to turn a site on when nothing covers it', () => {
    expect(siteAccess(page, ['*://other.org/*'])).toEqual({ kind: 'off', site: 'news.example.org', pattern: '*://news.example.org/*' });
  });

  it('names the grant to remove when the site is on by itself', () => {
    expect(siteAccess(page, ['*://news.example.org/*'])).toEqual({ kind: 'site', site: 'news.example.org', pattern: '*://news.example.org/*' });
    // A grant for one scheme counts too (and is what has to be removed).
    expect(siteAccess(page, ['https://news.example.org/*'])).toEqual({ kind: 'site', site: 'news.example.org', pattern: 'https://news.example.org/*' });
  });

  it('is everywhere when all sites are granted, and unsupported off the web', () => {
    expect(siteAccess(page, [ALL_SITES])).toEqual({ kind: 'everywhere' });
    expect(siteAccess('chrome://settings', [ALL_SITES])).toEqual({ kind: 'unsupported' });
    expect(siteAccess(undefined, [])).toEqual({ kind: 'unknown' });
  });

  it('does not treat AnkiConnect’s grant as the local site being on', () => {
    expect(siteAccess('http://127.0.0.1:9000/a', [ANKI_CONNECT_ORIGIN]).kind).toBe('off');
  });
});

describe('grantedSites', () => {
  it('lists one-site grants by host, not the all-sites grant', () => {
    expect(grantedSites(['*://b.org/*', '*://a.org/*', ANKI_CONNECT_ORIGIN])).toEqual([
      { site: 'a.org', pattern: '*://a.org/*' },
      { site: 'b.org', pattern: '*://b.org/*' },
    ]);
    expect(grantedSites([ALL_SITES, '*://a.org/*'])).toEqual([]);
  });
});

describe('readerRegistrations and registrationPlan', () => {
  const wanted = readerRegistrations(['*://a.org/*']);

  it('registers the colours at document start and the reader when idle, persisted', () => {
    expect(wanted.map((r) => [r.id, r.runAt, r.css ?? r.js])).toEqual([
      ['reader-colours', 'document_start', ['highlights.css']],
      ['reader', 'document_idle', ['content-scripts/content.js']],
    ]);
    expect(wanted.every((r) => r.persistAcrossSessions && !r.allFrames)).toBe(true);
    expect(readerRegistrations([])).toEqual([]);
  });

  it('registers what is missing and keeps what is already right', () => {
    expect(registrationPlan([], wanted)).toEqual({ unregister: [], register: wanted });
    const asReported = wanted.map(({ id, matches, js, css, runAt }) => ({ id, matches, js, css, runAt }));
    expect(registrationPlan(asReported, wanted)).toEqual({ unregister: [], register: [] });
  });

  it('re-registers scripts whose sites changed and drops ones no longer wanted', () => {
    const old = readerRegistrations(['*://old.org/*']);
    const plan = registrationPlan(old, wanted);
    expect(plan.unregister.sort()).toEqual(['reader', 'reader-colours']);
    expect(plan.register).toEqual(wanted);
    expect(registrationPlan([...wanted, { id: 'stale', matches: ['*://x/*'] }], [])).toEqual({ unregister: ['reader-colours', 'reader', 'stale'], register: [] });
  });

  it('compares match lists regardless of order', () => {
    const two = readerRegistrations(['*://a.org/*', '*://b.org/*']);
    const reversed = two.map((r) => ({ ...r, matches: [...r.matches].reverse() }));
    expect(registrationPlan(reversed, two)).toEqual({ unregister: [], register: [] });
  });
});

describe('matchesPattern', () => {
  it('matches the way host permissions do', () => {
    expect(matchesPattern('https://a.example/x?y#z', '*://a.example/*')).toBe(true);
    expect(matchesPattern('http://a.example:8080/', '*://a.example/*')).toBe(true);
    expect(matchesPattern('https://b.example/', '*://a.example/*')).toBe(false);
    expect(matchesPattern('https://a.example/', 'http://a.example/*')).toBe(false);
    expect(matchesPattern('https://news.a.example/', '*://*.a.example/*')).toBe(true);
    expect(matchesPattern('https://a.example/', '*://*.a.example/*')).toBe(true);
    expect(matchesPattern('https://xa.example/', '*://*.a.example/*')).toBe(false);
    expect(matchesPattern('http://127.0.0.1:8765/', ANKI_CONNECT_ORIGIN)).toBe(true);
    expect(matchesPattern('http://127.0.0.1:9000/', ANKI_CONNECT_ORIGIN)).toBe(false);
    expect(matchesPattern('https://anything.example/', ALL_SITES)).toBe(true);
    expect(matchesPattern('chrome://settings', ALL_SITES)).toBe(false);
    expect(matchesPattern('not a url', ALL_SITES)).toBe(false);
  });
});

describe('stillReadable', () => {
  const page = 'https://news.example/story';
  it('stops a page whose site was taken back and is not covered otherwise', () => {
    expect(stillReadable(page, ['*://news.example/*'], [])).toBe(false);
    expect(stillReadable(page, [ALL_SITES], ['*://other.example/*'])).toBe(false);
  });

  it('keeps a page another grant still covers, or that the removal did not cover', () => {
    expect(stillReadable(page, ['*://news.example/*'], [ALL_SITES])).toBe(true);
    expect(stillReadable(page, [ALL_SITES], ['*://news.example/*'])).toBe(true);
    // Read once on request (no grant), and another site was turned off: it goes on.
    expect(stillReadable(page, ['*://other.example/*'], [])).toBe(true);
  });
});
