/**
 * The background's own work per message of a huge page, in Node (no browser, no model):
 *
 *   npx tsx bench/page-messages.ts [dataDir] [--size 50000] [--messages 40] [--runs 2]
 *                                  [--compare other-checkout] [--interests sport] [--stages]
 *
 * A page of `--size` paragraphs (one topic's articles repeated, as bench/huge-page.ts builds
 * them) is sent to the real handlers (platform/service, on fake-indexeddb as in the service
 * tests, with the shipped word list and a bag-of-words stand-in for the encoder) as the page
 * reader sends it: its first screen (8 paragraphs), then LATER_MESSAGE_PARAGRAPHS a message,
 * each with the highlights shown so far. Per message: the handler's wall time and the texts
 * the encoder was asked for. `--compare DIR` runs another checkout (its own platform/ and
 * lib/, this one's node_modules) on the same messages, and says whether every message's
 * answer (highlights, their tiers and reasons, the page's line) was the same.
 * `--stages` prints the reply's stage timings too. fake-indexeddb is much slower than a
 * browser's IndexedDB: the read and store stages are inflated here.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLexicon } from '../lib/vocabulary';
import { atLeastOne, benchArgs } from './lib/cli';
import { loadFrequencyList } from './lib/difficulty-data';
import { parseArticle } from './lib/relevance-data';
import { median } from './lib/stats';
import { bagOfWordsEncoder } from './lib/bag-of-words-encoder';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIRST_MESSAGE = 8;
const LATER = 100;

function parseArgs(argv: string[]) {
  const { dataDir, values } = benchArgs(argv, join(root, '../shared/data/topics-dev'), {
    size: { type: 'string' },
    messages: { type: 'string' },
    runs: { type: 'string' },
    compare: { type: 'string' },
    interests: { type: 'string' },
    topic: { type: 'string' },
    stages: { type: 'boolean' },
  });
  return {
    dataDir,
    size: atLeastOne(values.size, 50_000),
    messages: atLeastOne(values.messages, 40),
    runs: atLeastOne(values.runs, 2),
    compare: values.compare ? resolve(values.compare) : undefined,
    interests: values.interests === undefined ? ['sport'] : values.interests ? values.interests.split(',') : [],
    topic: values.topic ?? 'sport',
    stages: values.stages ?? false,
  };
}

/** `size` paragraphs of one topic's articles, repeats marked so each is a text of its own; ids are text hashes. */
function hugePage(dataDir: string, topic: string, size: number) {
  const folder = join(dataDir, topic);
  if (!existsSync(folder)) throw new Error(`no articles at ${folder}`);
  const bodies = readdirSync(folder)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseArticle(readFileSync(join(folder, f), 'utf8')))
    .filter((b) => b.length > 0);
  const out: Array<{ id: string; text: string; lang: string }> = [];
  for (let copy = 0; out.length < size; copy++) {
    for (const body of bodies) {
      for (const p of body) {
        if (out.length >= size) break;
        const text = copy === 0 ? p : `Archive ${copy}: ${p}`;
        out.push({ id: createHash('sha1').update(text).digest('hex').slice(0, 16), text, lang: 'en' });
      }
    }
  }
  return out;
}


// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handlers = Record<string, (req: unknown, sender: unknown) => Promise<any>>;

async function loadService(dir: string) {
  const url = (p: string) => pathToFileURL(join(dir, p)).href;
  const [{ createHandlers }, { createEncoderTier }, { openReaderDB }] = await Promise.all([import(url('platform/service/index.ts')), import(url('platform/service/relevance.ts')), import(url('platform/db.ts'))]);
  return { createHandlers, createEncoderTier, openReaderDB };
}

interface MessageFigures {
  ms: number;
  embedded: number;
  answer: string;
  stages: Record<string, number> | undefined;
}

let dbCount = 0;

async function runPage(dir: string, paragraphs: ReturnType<typeof hugePage>, messages: number, interests: string[], lexicon: unknown): Promise<MessageFigures[]> {
  const service = await loadService(dir);
  const encoder = bagOfWordsEncoder(512);
  const name = `page-messages-${dbCount++}`;
  const deps = {
    db: () => service.openReaderDB({ name }),
    clock: { now: () => Date.UTC(2026, 11, 3, 12), tzOffsetMinutes: () => 0 },
    encoder: service.createEncoderTier(encoder, 60_000),
    lexicon: async () => lexicon,
  };
  const handlers = service.createHandlers(deps) as Handlers;
  const sender = { id: 'ext', tab: { id: 1 } };
  await handlers['settings.update']!({ patch: { interests, budgetMinutes: 60 } }, sender);
  const out: MessageFigures[] = [];
  let shown: string[] = [];
  let at = 0;
  for (let k = 0; k < messages && at < paragraphs.length; k++) {
    const size = k === 0 ? FIRST_MESSAGE : LATER;
    const req = { url: 'https://archive.example/sport', title: 'Sport archive', lang: 'en', paragraphs: paragraphs.slice(at, at + size), shown };
    at += size;
    const before = encoder.texts;
    const start = performance.now();
    const reply = await handlers['page.paragraphs']!(req, sender);
    const ms = performance.now() - start;
    shown = reply.highlights.map((h: { id: string }) => h.id);
    const answer = JSON.stringify({ highlights: reply.highlights.map((h: { id: string; tier: number; reason: string; gainBits: number }) => [h.id, h.tier, h.reason, h.gainBits]), notice: reply.notice });
    out.push({ ms, embedded: encoder.texts - before, answer, stages: reply.timings });
  }
  return out;
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { list } = await loadFrequencyList(root);
  const lexicon = createLexicon(list);
  const paragraphs = hugePage(args.dataDir, args.topic, args.size);
  const builds = [{ name: 'this checkout', dir: root }, ...(args.compare ? [{ name: args.compare, dir: args.compare }] : [])];
  const results = new Map<string, MessageFigures[][]>(builds.map((b) => [b.name, []]));
  for (let run = 0; run < args.runs; run++) {
    // Alternating order, so neither build always runs on a warmer process.
    const order = run % 2 === 0 ? builds : [...builds].reverse();
    for (const b of order) results.get(b.name)!.push(await runPage(b.dir, paragraphs, args.messages, args.interests, lexicon));
  }
  console.log(`page of ${paragraphs.length} paragraphs, interests [${args.interests.join(', ')}], ${args.messages} messages (${FIRST_MESSAGE}, then ${LATER} each), ${args.runs} runs; median ms per message`);
  const header = ['message', 'known', ...builds.flatMap((b, i) => [`ms ${i === 0 ? 'after' : 'before'}`, `embedded ${i === 0 ? 'after' : 'before'}`, `store ${i === 0 ? 'after' : 'before'}`])];
  console.log(header.join('\t'));
  const marks = new Set([0, 1, 2, 5, 10, 15, 20, 21, 25, 30, 35, args.messages - 1]);
  for (let k = 0; k < args.messages; k++) {
    if (!marks.has(k)) continue;
    const known = Math.min(2000, FIRST_MESSAGE + LATER * k);
    const cells = builds.flatMap((b) => {
      const runs = results.get(b.name)!.map((r) => r[k]).filter((m): m is MessageFigures => m !== undefined);
      return [f0(median(runs.map((m) => m.ms))), f0(median(runs.map((m) => m.embedded))), f0(median(runs.map((m) => m.stages?.storeMs ?? Number.NaN)))];
    });
    console.log([k + 1, known, ...cells].join("\t"));
    if (args.stages) for (const b of builds) console.log(`  ${b.name}, first run's stages: ${JSON.stringify(results.get(b.name)![0]![k]?.stages)}`);
  }
  for (const b of builds) {
    const all = results.get(b.name)!.flat();
    const steady = results.get(b.name)!.flatMap((r) => r.slice(20));
    console.log(`${b.name}: total ${f0(all.reduce((s, m) => s + m.ms, 0) / args.runs)} ms a run; messages 21+ median ${f0(median(steady.map((m) => m.ms)))} ms; texts embedded ${all.reduce((s, m) => s + m.embedded, 0) / args.runs} a run`);
  }
  if (builds.length === 2) {
    const [a, b] = builds.map((x) => results.get(x.name)![0]!);
    const differ = a!.flatMap((m, k) => (m.answer === b![k]?.answer ? [] : [k + 1]));
    console.log(differ.length === 0 ? 'answers: the same in every message' : `answers differ in messages ${differ.join(', ')}`);
  }
}

await main();
