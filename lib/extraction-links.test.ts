import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { isStoryLink, pageSite } from './extraction-links';

const site = { host: 'example.com', path: '/news/2020/01/this-page' };

describe('isStoryLink', () => {
  it('takes paths that read like a story: a date, a slug of several words, a long id', () => {
    expect(isStoryLink('/2019/05/12/us/politics.html', site)).toBe(true);
    expect(isStoryLink('https://www.example.com/world/some-long-story-slug', site)).toBe(true);
    expect(isStoryLink('/news/uk-12345678', site)).toBe(true);
    expect(isStoryLink('some-story-slug-here.html', site)).toBe(true);
  });

  it('leaves out anchors, the page itself, other sites, other schemes and short section paths', () => {
    for (const href of ['#top', '?page=2', '', '/news/2020/01/this-page', 'https://other.com/world/some-long-story-slug', 'mailto:a@b.c', 'javascript:void(0)', '/about', '/services/web-design', '/987654']) {
      expect(isStoryLink(href, site), href).toBe(false);
    }
  });

  it('leaves out index pages named by slugs (tags, authors)', () => {
    expect(isStoryLink('/tag/climate-change-policy/', site)).toBe(false);
    expect(isStoryLink('/author/jane-q-public', site)).toBe(false);
  });

  it('takes any host when the page has none', () => {
    expect(isStoryLink('https://other.com/world/some-long-story-slug', { host: undefined, path: undefined })).toBe(true);
  });
});

describe('pageSite', () => {
  const docAt = (url: string, head = '') => {
    const window = new Window({ url });
    const doc = window.document as unknown as Document;
    doc.write(`<html><head>${head}</head><body></body></html>`);
    return doc;
  };

  it("reads the document's web address", () => {
    expect(pageSite(docAt('https://www.example.com/a/b?x=1'))).toEqual({ host: 'example.com', path: '/a/b' });
  });

  it('falls back to the canonical link or og:url of a page loaded from a string', () => {
    expect(pageSite(docAt('about:blank', '<link rel="canonical" href="https://news.example.org/x/y">'))).toEqual({ host: 'news.example.org', path: '/x/y' });
    expect(pageSite(docAt('about:blank', '<meta property="og:url" content="http://example.net/z">'))).toEqual({ host: 'example.net', path: '/z' });
    expect(pageSite(docAt('about:blank'))).toEqual({ host: undefined, path: undefined });
  });
});
