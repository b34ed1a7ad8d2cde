/**
 * A simulated week of implicit signals only: does any way of reading make highlights vanish?
 *
 *   npx tsx bench/week.ts [topicsDir] [--days 7] [--seed 1] [--baseline REF] [--control] [--json out.json]
 *
 * topicsDir defaults to ../shared/data/topics-dev (BBC articles, one folder per topic). Each day
 * a learner who never gives explicit feedback opens 10 or 11 pages through the background's
 * real handlers (platform/service, on fake-indexeddb as in the service tests, with the shipped
 * frequency list): eight articles, two "screens of short paragraphs" (60 paragraphs of about
 * 22 words) and, every third day from the first, one huge page (5,000 one-sentence blocks),
 * then the next morning comes. The only
 * signals are the reading times the page sends (`reading.dwell`), made from a reading-speed
 * model of what the content script's tracker (platform/dwell.ts) reports:
 * - an article is read screen by screen (about 200 words a screen): a highlighted paragraph
 *   for its reading time at the learner's speed, any other for a 1.5 s glance; the learner
 *   leaves after 2-6 screens; three articles in ten are skimmed instead, 1.5 s a screen to the
 *   end (highlights scrolled past: real skips);
 * - a short-paragraph page is left on its first screen for 60 s, no scrolling;
 * - a huge page is left on its first screen for 30 s, no input.
 * Time on a screen is shared among its paragraphs and sent in 15 s windows, as the tracker
 * does; a paragraph the learner scrolls away is sent with its wall time on screen
 * (`passedMs`), which the product before this change ignores.
 *
 * Two learners, one with no stated interests and one interested in "technology", each run
 * through this checkout ("after") and, with --baseline REF (a git ref, e.g. main), through
 * that commit's service code ("before"), on the same pages and signals; with --control, also
 * through this checkout with no reading times sent at all (what the choice is when signals
 * say nothing: a page empty there is empty for its content, not because of signals). Reported per day:
 * the share of the day's pages with at least one highlight, and the share of judged
 * paragraphs highlighted. The day's reading budget is set to 600 minutes so that a budget
 * spent is not mistaken for highlights vanishing.
 *
 * The encoder is a deterministic bag-of-words stand-in (as in the service tests): the bench
 * is about what signals do to the choice, not about the language model, and a week of
 * 5,000-paragraph pages through the real model would take hours on a CPU.
 */
import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom } from '../lib/random';
import { createLexicon } from '../lib/vocabulary';
import { atLeastOne, benchArgs } from './lib/cli';
import { loadFrequencyList } from './lib/difficulty-data';
import { bagOfWordsEncoder } from './lib/bag-of-words-encoder';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DAY_MS = 24 * 3600_000;
const WINDOW_MS = 15_000;
const SCREEN_WORDS = 200;
const LEARNER_WPM = 120;
const GLANCE_MS = 1_500;
const SKIM_SCREEN_MS = 1_500;
const sender = { id: 'bench' };

interface Args {
  dataDir: string;
  days: number;
  seed: number;
  baseline?: string;
  control: boolean;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/topics-dev'), {
    days: { type: 'string' },
    seed: { type: 'string' },
    baseline: { type: 'string' },
    control: { type: 'boolean' },
    json: { type: 'string' },
  });
  return { dataDir, days: atLeastOne(values.days, 7), seed: atLeastOne(values.seed, 1), baseline: values.baseline, control: values.control ?? false, json: values.json };
}

interface Paragraph {
  id: string;
  text: string;
  lang: string;
}
interface Page {
  kind: 'article' | 'skimmed' | 'short' | 'huge';
  url: string;
  paragraphs: Paragraph[];
}

function loadArticles(dir: string): string[][] {
  const out: string[][] = [];
  for (const topic of readdirSync(dir).sort()) {
    const folder = join(dir, topic);
    for (const f of readdirSync(folder).sort()) {
      const blocks = readFileSync(join(folder, f), 'utf8').split(/\n\s*\n/).slice(1).map((b) => b.replace(/\s+/g, ' ').trim());
      const paragraphs = blocks.filter((b) => b.split(' ').length >= 8);
      if (paragraphs.length >= 3) out.push(paragraphs);
    }
  }
  return out;
}

/** The week's pages, the same for every learner and both versions. */
function buildWeek(articles: string[][], days: number, seed: number): Page[][] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentences = articles.flat().flatMap((p) => p.split(/(?<=[.!?])\s+/)).filter((s) => s.split(' ').length >= 14);
  let n = 0;
  const id = () => `w${seed}-${n++}`;
  const week: Page[][] = [];
  for (let d = 0; d < days; d++) {
    const pages: Page[] = [];
    for (let k = 0; k < 8; k++) {
      const article = pick(articles);
      pages.push({ kind: rand() < 0.3 ? 'skimmed' : 'article', url: `https://news.example/d${d}/a${k}`, paragraphs: article.map((text) => ({ id: id(), text, lang: 'en' })) });
    }
    for (let k = 0; k < 2; k++) {
      // About 22 words: one sentence, cut or joined with the next.
      const short = Array.from({ length: 60 }, () => {
        const words = `${pick(sentences)} ${pick(sentences)}`.split(' ').slice(0, 22);
        return { id: id(), text: `${words.join(' ').replace(/[,;:]$/, '')}.`, lang: 'en' };
      });
      pages.splice(1 + k * 4, 0, { kind: 'short', url: `https://short.example/d${d}/${k}`, paragraphs: short });
    }
    if (d % 3 === 0) {
      // A long thread or listing: 5,000 blocks of one sentence each.
      const huge = Array.from({ length: 5000 }, () => ({ id: id(), text: pick(sentences), lang: 'en' }));
      pages.splice(6, 0, { kind: 'huge', url: `https://huge.example/d${d}`, paragraphs: huge });
    }
    week.push(pages);
  }
  return week;
}


interface Dwell {
  eventId: string;
  paragraphId: string;
  visibleMs: number;
  highlighted: boolean;
  passedMs?: number;
}

/**
 * What the tracker sends for a sequence of screens: each screen's time shared among its
 * paragraphs, cut into 15 s windows; a paragraph scrolled away carries its time on screen.
 */
function dwellWindows(screens: ReadonlyArray<{ ids: string[]; ms: number; scrolledAway: boolean }>, shown: ReadonlySet<string>, newId: () => string): Dwell[][] {
  const windows: Map<string, Dwell>[] = [];
  let t = 0;
  for (const screen of screens) {
    const start = t;
    const end = t + screen.ms;
    for (let w = Math.floor(start / WINDOW_MS); w * WINDOW_MS < end; w++) {
      const overlap = Math.min(end, (w + 1) * WINDOW_MS) - Math.max(start, w * WINDOW_MS);
      if (overlap <= 0) continue;
      const window = (windows[w] ??= new Map());
      for (const id of screen.ids) {
        const prev = window.get(id);
        const ms = (prev?.visibleMs ?? 0) + overlap / screen.ids.length;
        window.set(id, { eventId: prev?.eventId ?? newId(), paragraphId: id, visibleMs: ms, highlighted: shown.has(id) });
      }
    }
    if (screen.scrolledAway) {
      const last = windows[Math.floor(Math.max(0, end - 1) / WINDOW_MS)]!;
      for (const id of screen.ids) last.set(id, { ...last.get(id)!, passedMs: Math.round(screen.ms) });
    }
    t = end;
  }
  return windows.filter(Boolean).map((w) => [...w.values()].map((d) => ({ ...d, visibleMs: Math.round(d.visibleMs) })));
}

function screensOf(paragraphs: readonly Paragraph[]): Paragraph[][] {
  const screens: Paragraph[][] = [];
  let current: Paragraph[] = [];
  let words = 0;
  for (const p of paragraphs) {
    const n = p.text.split(' ').length;
    if (current.length > 0 && words + n > SCREEN_WORDS) {
      screens.push(current);
      current = [];
      words = 0;
    }
    current.push(p);
    words += n;
  }
  if (current.length) screens.push(current);
  return screens;
}

/** How the simulated learner spends time on a page, screen by screen. */
function readingOf(page: Page, shown: ReadonlySet<string>, rand: () => number) {
  const screens = screensOf(page.paragraphs);
  if (page.kind === 'short') return [{ ids: screens[0]!.map((p) => p.id), ms: 60_000, scrolledAway: false }];
  if (page.kind === 'huge') return [{ ids: screens[0]!.map((p) => p.id), ms: 30_000, scrolledAway: false }];
  if (page.kind === 'skimmed') return screens.map((s, i) => ({ ids: s.map((p) => p.id), ms: SKIM_SCREEN_MS, scrolledAway: i < screens.length - 1 }));
  const read = Math.min(screens.length, 2 + Math.floor(rand() * 5));
  return screens.slice(0, read).map((s, i) => ({
    ids: s.map((p) => p.id),
    ms: s.reduce((t, p) => t + (shown.has(p.id) ? (p.text.split(' ').length / LEARNER_WPM) * 60_000 : GLANCE_MS), 0),
    scrolledAway: i < read - 1,
  }));
}

interface DayFigures {
  day: number;
  pages: number;
  pagesWithHighlights: number;
  paragraphs: number;
  highlighted: number;
  /** Highlights chosen by relevance (gain not 0) rather than by level. */
  byRelevance: number;
}

type Handlers = Record<string, (req: unknown, sender: unknown) => Promise<any>>;

async function loadService(dir: string) {
  const url = (p: string) => pathToFileURL(join(dir, p)).href;
  const [{ createHandlers }, { createEncoderTier }, { openReaderDB }] = await Promise.all([import(url('platform/service/index.ts')), import(url('platform/service/relevance.ts')), import(url('platform/db.ts'))]);
  return { createHandlers, createEncoderTier, openReaderDB };
}

let dbCount = 0;

async function runWeek(service: Awaited<ReturnType<typeof loadService>>, week: Page[][], interests: string[], lexicon: unknown, seed: number, signals = true): Promise<DayFigures[]> {
  let now = Date.UTC(2026, 10, 30, 8);
  const name = `week-${dbCount++}`;
  const deps = {
    db: () => service.openReaderDB({ name }),
    clock: { now: () => now, tzOffsetMinutes: () => 0 },
    encoder: service.createEncoderTier(bagOfWordsEncoder(256), 60_000),
    lexicon: async () => lexicon,
  };
  const handlers = service.createHandlers(deps) as Handlers;
  await handlers['settings.update']!({ patch: { interests, budgetMinutes: 600 } }, sender);
  const rand = seededRandom(seed * 7919);
  let events = 0;
  const newId = () => `e${events++}`;
  const figures: DayFigures[] = [];
  for (const [d, pages] of week.entries()) {
    now = Date.UTC(2026, 10, 30 + d, 8);
    const day: DayFigures = { day: d + 1, pages: 0, pagesWithHighlights: 0, paragraphs: 0, highlighted: 0, byRelevance: 0 };
    for (const page of pages) {
      // The content script sends a page in messages of at most 400 paragraphs.
      const shown = new Map<string, { gainBits: number }>();
      for (let i = 0; i < page.paragraphs.length; i += 400) {
        const reply = await handlers['page.paragraphs']!({ url: page.url, title: page.url, lang: 'en', paragraphs: page.paragraphs.slice(i, i + 400), shown: [...shown.keys()] }, sender);
        shown.clear();
        for (const h of reply.highlights) shown.set(h.id, h);
      }
      day.pages++;
      day.paragraphs += Math.min(page.paragraphs.length, 2000);
      day.highlighted += shown.size;
      if (shown.size > 0) day.pagesWithHighlights++;
      day.byRelevance += [...shown.values()].filter((h) => h.gainBits !== 0).length;
      const screens = readingOf(page, new Set(shown.keys()), rand);
      for (const batch of dwellWindows(screens, new Set(shown.keys()), newId)) {
        now += WINDOW_MS;
        if (signals) await handlers['reading.dwell']!({ url: page.url, events: batch }, sender);
      }
      now += 60_000;
    }
    figures.push(day);
  }
  return figures;
}

/** A checkout of `ref` in a temporary folder, sharing this checkout's node_modules. */
function checkout(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'week-baseline-'));
  const tar = execFileSync('git', ['archive', '--format=tar', ref], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.dataDir)) {
    console.error(`No data at ${args.dataDir}: pass a folder of topic folders of articles (see ../shared/data/README.md).`);
    process.exit(2);
  }
  const { list } = await loadFrequencyList(root);
  const lexicon = createLexicon(list);
  const week = buildWeek(loadArticles(args.dataDir), args.days, args.seed);
  const learners: Array<{ name: string; interests: string[] }> = [
    { name: 'no interests', interests: [] },
    { name: 'interests: technology', interests: ['technology'] },
  ];
  const baselineDir = args.baseline ? checkout(args.baseline) : undefined;
  try {
    const versions: Array<{ name: string; dir: string; signals: boolean }> = [
      ...(baselineDir ? [{ name: `before (${args.baseline})`, dir: baselineDir, signals: true }] : []),
      { name: 'after (this checkout)', dir: root, signals: true },
      // The same pages with no reading times sent: what the choice is when signals say nothing.
      ...(args.control ? [{ name: 'after, no reading signals', dir: root, signals: false }] : []),
    ];
    const results: Record<string, Record<string, DayFigures[]>> = {};
    for (const v of versions) {
      const service = await loadService(v.dir);
      for (const l of learners) {
        const started = Date.now();
        ((results[l.name] ??= {})[v.name] = await runWeek(service, week, l.interests, lexicon, args.seed, v.signals));
        console.error(`${v.name}, ${l.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    console.log(`Simulated week: ${args.days} days of 10-11 pages (8 articles, 3 in 10 skimmed; 2 screens of 60 short paragraphs left 60 s; every third day a page of 5,000 blocks left 30 s), implicit signals only, seed ${args.seed}.`);
    console.log('Per day: pages with highlights / pages, and highlighted share of judged paragraphs (relevance-ranked highlights in brackets).\n');
    for (const l of learners) {
      console.log(`Learner with ${l.name}`);
      console.log(['day', ...versions.map((v) => v.name.padEnd(36))].join(' | '));
      for (let d = 0; d < args.days; d++) {
        const cells = versions.map((v) => {
          const f = results[l.name]![v.name]![d]!;
          return `${String(f.pagesWithHighlights).padStart(2)}/${f.pages} pages ${pct(f.highlighted / f.paragraphs)} (${f.byRelevance} by relevance)`.padEnd(36);
        });
        console.log([String(d + 1).padStart(3), ...cells].join(' | '));
      }
      console.log('');
    }
    if (args.json) writeFileSync(args.json, JSON.stringify({ seed: args.seed, days: args.days, results }, null, 2));
  } finally {
    if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
