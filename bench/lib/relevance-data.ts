/**
 * The topic-relevance benchmark's data and split, as /work/shared/data/README.md states
 * them: five topic folders of articles (first line the headline, paragraphs separated by
 * blank lines), paragraphs = blocks after the headline with at least 8 words, a fixed-seed
 * 70/30 split of the articles into reading stream (in its shuffled order) and held-out set,
 * one interest word per topic.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseWhitespace, words } from '../../lib/text';
import { seededRandom } from '../../lib/random';

/** The learner's stated interest for each topic folder (the README's words). */
export const TOPIC_INTERESTS: Readonly<Record<string, string>> = {
  business: 'business',
  entertainment: 'entertainment',
  politics: 'politics',
  sport: 'sport',
  tech: 'technology',
};

export const MIN_PARAGRAPH_WORDS = 8;
export const STREAM_SHARE = 0.7;

export interface Paragraph {
  /** `<topic>/<file>#<index>`: stable across runs, names the paragraph in predictions. */
  readonly id: string;
  readonly text: string;
}

export interface Article {
  /** `<topic>/<file>`. */
  readonly id: string;
  readonly topic: string;
  readonly paragraphs: readonly Paragraph[];
}

/** Splits one article file into its paragraphs (the headline is not one). */
export function parseArticle(raw: string): string[] {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const body = lines.slice(1).join('\n');
  return body
    .split(/\n[ \t]*\n/)
    .map(normaliseWhitespace)
    .filter((p) => words(p).length >= MIN_PARAGRAPH_WORDS);
}

export function loadTopics(dataDir: string): Article[] {
  if (!existsSync(dataDir)) throw new Error(`no data at ${dataDir} (see /work/shared/data/README.md)`);
  const articles: Article[] = [];
  for (const topic of readdirSync(dataDir).sort()) {
    if (!(topic in TOPIC_INTERESTS)) continue;
    for (const file of readdirSync(join(dataDir, topic)).sort()) {
      if (!file.endsWith('.txt')) continue;
      const id = `${topic}/${file}`;
      const paragraphs = parseArticle(readFileSync(join(dataDir, topic, file), 'utf8')).map((text, i) => ({ id: `${id}#${i}`, text }));
      if (paragraphs.length > 0) articles.push({ id, topic, paragraphs });
    }
  }
  if (articles.length === 0) throw new Error(`no articles under ${dataDir}`);
  return articles;
}


/** Fisher-Yates shuffle of the articles with `seed`, then the first 70% are the stream. */
export function splitArticles(articles: readonly Article[], seed: number): { stream: Article[]; heldOut: Article[] } {
  const order = [...articles];
  const rand = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cut = Math.round(order.length * STREAM_SHARE);
  return { stream: order.slice(0, cut), heldOut: order.slice(cut) };
}
