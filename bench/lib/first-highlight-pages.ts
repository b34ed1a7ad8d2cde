/**
 * Test pages for the first-highlight benchmark: news articles of one topic folder
 * (/work/shared/data/topics-dev: headline line, blank-line separated paragraphs) laid out as
 * one long article page of exactly N paragraphs, each source article a section under its
 * headline. Two pages from two different topics share no paragraph, so the second visit
 * finds nothing in the embedding cache.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArticle } from './relevance-data';

export interface BenchPage {
  /** Served at this path. */
  path: string;
  html: string;
  paragraphs: number;
  words: number;
  sources: string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The first `paragraphs` paragraphs (of at least 8 words) of the topic's articles, in file order. */
export function buildTopicPage(dataDir: string, topic: string, paragraphs: number): BenchPage {
  const folder = join(dataDir, topic);
  if (!existsSync(folder)) throw new Error(`no articles at ${folder} (see /work/shared/data/README.md)`);
  const sections: string[] = [];
  const sources: string[] = [];
  let count = 0;
  let words = 0;
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.txt')).sort()) {
    if (count >= paragraphs) break;
    const raw = readFileSync(join(folder, file), 'utf8');
    const headline = raw.split(/\r?\n/, 1)[0]!.trim();
    const body = parseArticle(raw).slice(0, paragraphs - count);
    if (body.length === 0) continue;
    count += body.length;
    words += body.reduce((n, p) => n + p.split(/\s+/).length, 0);
    sources.push(`${topic}/${file}`);
    sections.push(`<section>\n<h2>${escapeHtml(headline)}</h2>\n${body.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}\n</section>`);
  }
  if (count < paragraphs) throw new Error(`${folder} has only ${count} paragraphs; ${paragraphs} needed`);
  const title = `${topic[0]!.toUpperCase()}${topic.slice(1)} news digest`;
  const html = benchArticleHtml(title, escapeHtml(topic), sections);
  return { path: `/${topic}.html`, html, paragraphs: count, words, sources };
}

/**
 * The page around a bench's sections of BBC articles: a plain news layout (one column of
 * 18px serif text) that every browser bench reads alike. `headerNote` is HTML.
 */
export function benchArticleHtml(title: string, headerNote: string, sections: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:18px/1.6 Georgia,serif;margin:0;background:#fdfcf8;color:#222}main{max-width:680px;margin:24px auto;padding:0 16px}</style>
</head>
<body>
<header>Bench News · ${headerNote}</header>
<main><article>
<h1>${escapeHtml(title)}</h1>
${sections.join('\n')}
</article></main>
<footer>Articles: BBC dataset (Greene &amp; Cunningham 2006), research use.</footer>
</body>
</html>
`;
}
