/**
 * Pages for the simulated reading days of `npm run bench:day`, with the labels that judge them
 * (never the product's own scores):
 * - topic pages: topics-dev articles; topic = the folder; level = 'adv' (BBC news written for
 *   native readers, the register OneStopEnglish's advanced versions keep);
 * - level pages: one readability-dev article at one of its three levels (ele, int, adv);
 *   topic = READABILITY_TOPICS below when an article plainly belongs to one of the five
 *   topics, else 'other' (on no learner's topic);
 * - pages in another language: odd-pages whose <html lang> names a language other than
 *   English; their paragraphs are the text of their <p> elements. The product is handed them
 *   as if the site declared lang="en" (many do, whatever the text), the hard case.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { normaliseWhitespace, words } from '../../lib/text';
import { loadTopics, MIN_PARAGRAPH_WORDS } from './relevance-data';

export const LEVELS = ['ele', 'int', 'adv'] as const;
export type Level = (typeof LEVELS)[number];

export interface DayParagraph {
  readonly id: string;
  readonly text: string;
}

export interface DayPage {
  readonly id: string;
  readonly kind: 'topic' | 'level' | 'foreign';
  /** A topics-dev folder, or 'other'. */
  readonly topic: string;
  readonly level: Level;
  /** Primary language tag by the page's own label ('en' for the English sets). */
  readonly lang: string;
  readonly paragraphs: readonly DayParagraph[];
}

/**
 * Topics of the readability-dev articles that plainly belong to one of the five topic
 * folders, from their titles and first lines, written down once before any run and never
 * changed for a result. Every other article is 'other'.
 */
export const READABILITY_TOPICS: Readonly<Record<string, string>> = {
  Billionaires: 'business',
  'WNL SeaWorld': 'business',
  Obama: 'politics',
  Kenya: 'politics',
  'WNL Calais Migrants': 'politics',
  'WNL EU Pollution': 'politics',
  'WNL FIFA': 'sport',
  'WNL First female coach': 'sport',
  'WNL World Cup': 'sport',
  'WNL Extreme heat': 'sport',
  'WNL Google car': 'tech',
  Japan: 'tech',
  'WNL Six year olds': 'tech',
  'WNL How downtown Abbey': 'entertainment',
};

function readabilityPages(dir: string): DayPage[] {
  const pages: DayPage[] = [];
  for (const level of LEVELS) {
    const folder = join(dir, level);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith('.txt')) continue;
      const name = file.replace(/\.txt$/, '');
      const id = `readability/${level}/${name}`;
      // The first line names the level ("Intermediate"); paragraphs are the following lines.
      const lines = readFileSync(join(folder, file), 'utf8').replace(/\r\n?/g, '\n').split('\n').slice(1);
      const paragraphs = lines
        .map(normaliseWhitespace)
        .filter((p) => words(p).length >= MIN_PARAGRAPH_WORDS)
        .map((text, i) => ({ id: `${id}#${i}`, text }));
      if (paragraphs.length) pages.push({ id, kind: 'level', topic: READABILITY_TOPICS[name] ?? 'other', level, lang: 'en', paragraphs });
    }
  }
  return pages;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&([a-z]+);/gi, (m, n: string) => ENTITIES[n.toLowerCase()] ?? m);
}

/** At most this many paragraphs from one foreign page (some are huge). */
const FOREIGN_PARAGRAPHS = 30;
/** A paragraph of a foreign page: this many characters at least (word counts mean little in CJK). */
const FOREIGN_MIN_CHARS = 60;

function foreignPages(dir: string): DayPage[] {
  if (!existsSync(dir)) return [];
  const pages: DayPage[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.html.gz')) continue;
    const html = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
    const lang = /<html[^>]*\slang=["']?([A-Za-z-]+)/i.exec(html)?.[1]?.toLowerCase().split('-')[0];
    if (!lang || lang === 'en') continue;
    const id = `odd-pages/${file.replace(/\.html\.gz$/, '')}`;
    const paragraphs = [...html.matchAll(/<p[\s>][\s\S]*?<\/p>/gi)]
      .map((m) => normaliseWhitespace(decode(m[0])))
      .filter((t) => t.length >= FOREIGN_MIN_CHARS)
      .slice(0, FOREIGN_PARAGRAPHS)
      .map((text, i) => ({ id: `${id}#${i}`, text }));
    if (paragraphs.length >= 3) pages.push({ id, kind: 'foreign', topic: 'other', level: 'adv', lang, paragraphs });
  }
  return pages;
}

export interface DayData {
  readonly topicPages: DayPage[];
  readonly levelPages: DayPage[];
  readonly foreignPages: DayPage[];
}

export function loadDayData(dataDir: string): DayData {
  const topicPages: DayPage[] = loadTopics(join(dataDir, 'topics-dev')).map((a) => ({
    id: a.id,
    kind: 'topic',
    topic: a.topic,
    level: 'adv',
    lang: 'en',
    paragraphs: a.paragraphs,
  }));
  return { topicPages, levelPages: readabilityPages(join(dataDir, 'readability-dev')), foreignPages: foreignPages(join(dataDir, 'odd-pages')) };
}
