/**
 * A page judged in messages keeps what its earlier messages prepared (platform/service/page-memory.ts):
 * each message prepares and embeds only its new paragraphs, and answers exactly as a background
 * that kept nothing would (one whose service worker stopped between every two messages), also
 * when what the learner knows or their interests change between messages.
 */
import { describe, expect, it, vi } from 'vitest';
import * as difficulty from '../../lib/difficulty';
import { seededRandom } from '../../lib/random';
import { createLexicon } from '../../lib/vocabulary';
import { openReaderDB } from '../db';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { createPageMemory } from './page-memory';
import { LAST_SEEN_REFRESH_MS } from './page';
import { createEncoderTier } from './relevance';
import { fakeEncoder } from '../../tests/unit/fake-encoder';

vi.mock('../../lib/difficulty', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/difficulty')>();
  return { ...original, prepareText: vi.fn(original.prepareText) };
});

const RIVER = ['river', 'water', 'flood', 'bank', 'bridge', 'fish', 'rain', 'valley', 'dam', 'boat'];
const SPORT = ['football', 'match', 'goal', 'team', 'player', 'coach', 'season', 'league', 'stadium', 'ticket'];
const RARE = ['hydrology', 'sediment', 'culvert', 'estuary', 'levee', 'weir', 'floodplain', 'aquifer'];
const COMMON = ['the', 'city', 'people', 'new', 'year', 'old', 'plan', 'after', 'many', 'more', 'every', 'spring', 'with', 'their', 'will', 'open'];
// The rare words are ranked far down the list: a B1 learner probably does not know them.
const LEXICON = createLexicon({ lang: 'en', words: [...COMMON, ...RIVER, ...SPORT, ...Array.from({ length: 30_000 }, (_, i) => `filler${i}`), ...RARE] });

let dbCount = 0;
const sender = { id: 'ext', tab: { id: 7 } };

/** Handlers over one database; the encoder counts the texts it is asked to embed. */
function setup(name = `page-memory-${dbCount++}`, now = () => Date.UTC(2026, 11, 3, 12)) {
  const encoder = fakeEncoder({ dims: 32 });
  const embedded: string[] = [];
  const counting = { ...encoder, embed: (texts: string[]) => (embedded.push(...texts), encoder.embed(texts)) };
  const deps: ServiceDeps = {
    db: () => openReaderDB({ name }),
    clock: { now, tzOffsetMinutes: () => 0 },
    encoder: createEncoderTier(counting, 1000),
    lexicon: async () => LEXICON,
  };
  return { handlers: createHandlers(deps), embedded, name };
}

function page(random: () => number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const topic = random() < 0.5 ? RIVER : SPORT;
    const words = Array.from({ length: 12 + Math.floor(random() * 60) }, () => {
      const r = random();
      const pool = r < 0.05 ? RARE : r < 0.6 ? topic : COMMON;
      return pool[Math.floor(random() * pool.length)]!;
    }).join(' ');
    return { id: `p-${i}`, text: `${words[0]!.toUpperCase()}${words.slice(1)} (${i}).`, lang: 'en' };
  });
}

type Handlers = ReturnType<typeof createHandlers>;
type Step = { size: number; before?: (h: Handlers) => Promise<unknown> };

/** Sends the page in messages as the page reader does; every answer, whole. `fresh` gives the handlers for each message. */
async function inMessages(handlers: () => Handlers, paragraphs: ReturnType<typeof page>, steps: Step[]) {
  const answers: string[] = [];
  let shown: string[] = [];
  let at = 0;
  for (const step of steps) {
    const h = handlers();
    await step.before?.(h);
    const reply = await h['page.paragraphs']({ url: 'https://news.example/long', title: 'Long', lang: 'en', paragraphs: paragraphs.slice(at, at + step.size), shown }, sender);
    at += step.size;
    shown = reply.highlights.map((x) => x.id);
    const { timings: _timings, ...answer } = reply;
    answers.push(JSON.stringify(answer));
  }
  return answers;
}

describe('a page judged in messages', () => {
  it('prepares and embeds each paragraph once, and answers as a background that kept nothing', async () => {
    for (const interests of [[], ['river flood water']]) {
      const paragraphs = page(seededRandom(interests.length + 1), 60);
      const steps: Step[] = [
        { size: 6, before: (h) => h['settings.update']({ patch: { interests, budgetMinutes: 30 } }, sender) },
        { size: 20 },
        { size: 20 },
        { size: 14 },
      ];
      const prepare = vi.mocked(difficulty.prepareText);
      prepare.mockClear();
      const kept = setup();
      const remembering = await inMessages(() => kept.handlers, paragraphs, steps);
      // Every paragraph prepared in the message that brought it, not again in later ones;
      // only new texts sent to the encoder (the interests' prototypes come first, once).
      expect(prepare.mock.calls.map((c) => c[0]).sort()).toEqual(paragraphs.map((p) => p.text).sort());
      expect(kept.embedded.filter((t) => paragraphs.some((p) => p.text === t)).sort()).toEqual(paragraphs.map((p) => p.text).sort());

      // A background whose worker stopped before every message: nothing kept, all prepared again.
      prepare.mockClear();
      const name = `page-memory-${dbCount++}`;
      const forgetting = await inMessages(() => setup(name).handlers, paragraphs, steps);
      expect(prepare.mock.calls.length).toBe(6 + 26 + 46 + 60);
      expect(remembering).toEqual(forgetting);
      expect(remembering.some((a) => JSON.parse(a).highlights.length > 0)).toBe(true);
    }
  }, 60_000);

  it('weighs the kept paragraphs again when what the learner knows, their interests or their speed change between messages', async () => {
    const paragraphs = page(seededRandom(9), 40);
    const steps: Step[] = [
      { size: 8, before: (h) => h['settings.update']({ patch: { interests: [], budgetMinutes: 30 } }, sender) },
      // The learner marks the rare words known: passages above their level come within it.
      { size: 10, before: (h) => Promise.all(RARE.map((word, i) => h['word.mark']({ eventId: `m${i}`, word, lang: 'en', state: 'known' }, sender))) },
      { size: 10, before: (h) => h['settings.update']({ patch: { interests: ['river flood water'] } }, sender) },
      { size: 12, before: (h) => h['learner.setVocabulary']({ vocabularySize: 9_000 }, sender) },
    ];
    const kept = setup();
    const remembering = await inMessages(() => kept.handlers, paragraphs, steps);
    const name = `page-memory-${dbCount++}`;
    const forgetting = await inMessages(() => setup(name).handlers, paragraphs, steps);
    expect(remembering).toEqual(forgetting);
    // Each change did change that message's answer (against the same messages without the
    // changes), so the comparison says something.
    const control = setup();
    const unchanged = await inMessages(() => control.handlers, paragraphs, steps.map((s, k) => (k === 0 ? s : { size: s.size })));
    expect(remembering.map((a, k) => a !== unchanged[k])).toEqual([false, true, true, true]);
  }, 60_000);
});

describe("a page's paragraph records", () => {
  it('are written again only when their judgement or page changed, or their last sighting is an hour old', async () => {
    let now = Date.UTC(2026, 11, 3, 12);
    const { handlers, name } = setup(undefined, () => now);
    await handlers['settings.update']({ patch: { interests: [], budgetMinutes: 30 } }, sender);
    const paragraphs = page(seededRandom(5), 30);
    const send = (from: number, to: number, url = 'https://news.example/long') => handlers['page.paragraphs']({ url, title: 'Long', lang: 'en', paragraphs: paragraphs.slice(from, to), shown: [] }, sender);
    const lastSeen = async () => {
      const db = await openReaderDB({ name });
      return Promise.all(paragraphs.map(async (p) => (await db.get('paragraphs', p.id))?.lastSeen));
    };
    const start = now;
    await send(0, 10);
    now += 60_000;
    await send(10, 20);
    // Judged again, the same judgement on the same page: the first ten records stand as they were.
    expect(await lastSeen()).toEqual([...Array(10).fill(start), ...Array(10).fill(start + 60_000), ...Array(10).fill(undefined)]);
    now = start + LAST_SEEN_REFRESH_MS;
    await send(20, 30);
    expect(await lastSeen()).toEqual([...Array(10).fill(now), ...Array(10).fill(start + 60_000), ...Array(10).fill(now)]);
    // Seen on another page: written again at once (their last page changed).
    now += 1;
    await send(0, 5, 'https://other.example/');
    expect((await lastSeen()).slice(0, 5)).toEqual(Array(5).fill(now));
  });
});

describe('page memory', () => {
  it('keeps at most its limit, the least recently used let go first', () => {
    const memory = createPageMemory(3);
    for (const id of ['a', 'b', 'c']) memory.paragraph(id, id).langs.set('en', 'en');
    memory.paragraph('a', 'a');
    memory.paragraph('d', 'd');
    expect(memory.size).toBe(3);
    expect(memory.paragraph('a', 'a').langs.get('en')).toBe('en');
    expect(memory.paragraph('b', 'b').langs.size).toBe(0);
  });

  it('keeps nothing of an id whose text changed, and embeddings by encoder', () => {
    const memory = createPageMemory();
    memory.paragraph('a', 'old').langs.set('en', 'en');
    memory.keepEmbedding('use', 'a', new Float32Array([1]));
    expect(memory.embedding('use', 'a')).toEqual(new Float32Array([1]));
    expect(memory.embedding('other', 'a')).toBeUndefined();
    expect(memory.paragraph('a', 'new').langs.size).toBe(0);
    expect(memory.embedding('use', 'a')).toBeUndefined();
    memory.forget();
    expect(memory.size).toBe(0);
  });
});
