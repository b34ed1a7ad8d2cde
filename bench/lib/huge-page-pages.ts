/**
 * Huge test pages for bench/huge-page.ts: one topic folder's articles (headline line, blank-line
 * separated paragraphs) laid out as sections of one long archive page, repeated until the page
 * holds exactly N paragraphs. Paragraphs are named by their text's hash (lib/extraction.ts),
 * so every repeat after the first is marked "Archive k:" to stay a paragraph of its own (and a
 * new text for the encoder's cache).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchArticleHtml, escapeHtml } from './first-highlight-pages';
import { parseArticle } from './relevance-data';

export interface HugePage {
  path: string;
  html: string;
  paragraphs: number;
  /** Distinct articles repeated to make it. */
  articles: number;
  bytes: number;
}

/** The topic's articles, in file order: headline and paragraphs. */
function articlesOf(dataDir: string, topic: string): Array<{ headline: string; body: string[] }> {
  const folder = join(dataDir, topic);
  if (!existsSync(folder)) throw new Error(`no articles at ${folder} (see /work/shared/data/README.md)`);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(folder, file), 'utf8');
      return { headline: raw.split(/\r?\n/, 1)[0]!.trim(), body: parseArticle(raw) };
    })
    .filter((a) => a.body.length > 0);
}

/** A page of exactly `paragraphs` paragraphs from `topic`'s articles, repeated as needed. */
export function buildHugePage(dataDir: string, topic: string, paragraphs: number, path = `/${topic}-${paragraphs}.html`): HugePage {
  const articles = articlesOf(dataDir, topic);
  if (articles.length === 0) throw new Error(`no articles for ${topic}`);
  const sections: string[] = [];
  let count = 0;
  for (let copy = 0; count < paragraphs; copy++) {
    for (const a of articles) {
      if (count >= paragraphs) break;
      const mark = copy === 0 ? '' : `Archive ${copy}: `;
      const body = a.body.slice(0, paragraphs - count);
      count += body.length;
      sections.push(`<section>\n<h2>${escapeHtml(mark + a.headline)}</h2>\n${body.map((p) => `<p>${escapeHtml(mark + p)}</p>`).join('\n')}\n</section>`);
    }
  }
  const title = `${topic[0]!.toUpperCase()}${topic.slice(1)} archive, ${paragraphs} paragraphs`;
  const html = benchArticleHtml(title, `${escapeHtml(topic)} archive`, sections);
  return { path, html, paragraphs: count, articles: articles.length, bytes: Buffer.byteLength(html) };
}
