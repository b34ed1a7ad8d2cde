/**
 * A page judged in turns: its first screen first, the rest in the next messages. What the
 * first answers painted stays painted (a highlight the learner may be reading never goes away
 * under their eyes), the later turns can still add highlights anywhere on the page, the first
 * screen included, and the page's line and summary speak of the whole page.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../lib/random';
import { createLexicon } from '../../lib/vocabulary';
import { openReaderDB } from '../db';
import type { ServiceDeps } from './deps';
import { createHandlers } from './index';
import { createEncoderTier } from './relevance';
import { fakeEncoder } from '../../tests/unit/fake-encoder';

/** Words of the pages (all known to the learner) and their topics. */
const RIVER = ['river', 'water', 'flood', 'bank', 'bridge', 'fish', 'rain', 'valley', 'dam', 'boat'];
const SPORT = ['football', 'match', 'goal', 'team', 'player', 'coach', 'season', 'league', 'stadium', 'ticket'];
const COMMON = ['the', 'city', 'people', 'new', 'year', 'old', 'plan', 'after', 'many', 'more', 'every', 'spring', 'with', 'their', 'will', 'open'];
const LEXICON = createLexicon({ lang: 'en', words: [...COMMON, ...RIVER, ...SPORT] });

let dbCount = 0;
function setup() {
  const name = `page-turns-${dbCount++}`;
  const deps: ServiceDeps = {
    db: () => openReaderDB({ name }),
    clock: { now: () => Date.UTC(2026, 11, 3, 12), tzOffsetMinutes: () => 0 },
    encoder: createEncoderTier(fakeEncoder({ dims: 32 }), 1000),
    lexicon: async () => LEXICON,
  };
  return createHandlers(deps);
}

const sender = { id: 'ext' };

/** A paragraph of `words` words, mostly of one topic. */
function paragraph(random: () => number, id: string, words: number) {
  const topic = random() < 0.5 ? RIVER : SPORT;
  const text = Array.from({ length: words }, () => {
    const pool = random() < 0.6 ? topic : COMMON;
    return pool[Math.floor(random() * pool.length)]!;
  }).join(' ');
  return { id, text: `${text[0]!.toUpperCase()}${text.slice(1)}.`, lang: 'en' };
}

/** A page's paragraphs: short and long ones mixed (a few seconds to two minutes of reading). */
function page(random: () => number, name: string, count: number) {
  return Array.from({ length: count }, (_, i) => paragraph(random, `${name}-${i}`, 12 + Math.floor(random() * random() * 240)));
}

/** Sends a page's paragraphs in turns of `sizes`, as the page reader does; the answers' highlight ids. */
async function inTurns(handlers: ReturnType<typeof setup>, url: string, paragraphs: ReturnType<typeof page>, sizes: number[]) {
  const answers: Array<{ ids: string[]; tiers: Map<string, number>; notice: string | null }> = [];
  let shown: string[] = [];
  let at = 0;
  for (const size of sizes) {
    const reply = await handlers['page.paragraphs']({ url, title: 'Page', lang: 'en', paragraphs: paragraphs.slice(at, at + size), shown }, sender);
    at += size;
    shown = reply.highlights.map((h) => h.id);
    answers.push({ ids: shown, tiers: new Map(reply.highlights.map((h) => [h.id, h.tier])), notice: reply.notice?.code ?? null });
  }
  return answers;
}

describe('a page judged in turns', () => {
  it('never drops, nor repaints in another tier, a highlight an earlier turn painted', async () => {
    const changed: string[] = [];
    for (let seed = 1; seed <= Number(process.env.PAGE_TURN_SEEDS ?? 32); seed++) {
      const random = seededRandom(seed);
      const handlers = setup();
      // A learner with interests or none, a day's budget from tight to ample, and a day
      // partly read already (earlier pages, judged whole) to give the bar a history.
      const interests = random() < 0.5 ? [] : ['rivers and floods'];
      await handlers['settings.update']({ patch: { interests, budgetMinutes: 2 + Math.floor(random() * 20) } }, sender);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) await inTurns(handlers, `https://earlier.example/${k}`, page(random, `e${k}`, 20), [20]);
      const paragraphs = page(random, 'p', 30);
      const first = 3 + Math.floor(random() * 6);
      const answers = await inTurns(handlers, 'https://news.example/today', paragraphs, [first, 30 - first]);
      const [screen, whole] = answers;
      for (const id of screen!.ids) {
        if (!whole!.ids.includes(id)) changed.push(`seed ${seed}: ${id} dropped`);
        else if (whole!.tiers.get(id) !== screen!.tiers.get(id)) changed.push(`seed ${seed}: ${id} repainted in tier ${whole!.tiers.get(id)}`);
      }
    }
    expect(changed).toEqual([]);
  }, 120_000);

  it('adds highlights on the first screen too once the page is known, beyond what the first screen’s share allowed', async () => {
    const handlers = setup();
    await handlers['settings.update']({ patch: { interests: [], budgetMinutes: 60 } }, sender);
    // Six English paragraphs on the first screen, then 24 in French (not studied): the share
    // cap of the first screen's six paragraphs allows one, that of the page's thirty all six.
    const random = seededRandom(7);
    const english = Array.from({ length: 6 }, (_, i) => paragraph(random, `q-${i}`, 20));
    const french = Array.from({ length: 24 }, (_, i) => ({ id: `f-${i}`, text: `Le fleuve déborde chaque printemps (${i}) parce que le vieux tunnel est trop petit pour toute cette eau.`, lang: 'fr' }));
    const paragraphs = [...english, ...french];
    const [screen, whole] = await inTurns(handlers, 'https://news.example/short', paragraphs, [6, 24]);
    expect(screen!.ids).toHaveLength(1);
    expect(whole!.ids).toHaveLength(6);
    // Judged whole at once, the same page gets the same highlights as in turns.
    const once = await inTurns(setup(), 'https://news.example/short', paragraphs, [30]);
    expect(new Set(whole!.ids)).toEqual(new Set(once[0]!.ids));
  });

  it("keeps the page's line and summary to the whole page once the last turn is in", async () => {
    const handlers = setup();
    await handlers['settings.update']({ patch: { interests: [], budgetMinutes: 60 } }, sender);
    const random = seededRandom(3);
    // The first screen is in French, which the learner does not study; the rest is English.
    const french = Array.from({ length: 5 }, (_, i) => ({ id: `f-${i}`, text: 'Le fleuve déborde chaque printemps parce que le vieux tunnel est trop petit pour toute cette eau.', lang: 'fr' }));
    const paragraphs = [...french, ...page(random, 'e', 25)];
    const [screen, whole] = await inTurns(handlers, 'https://news.example/mixed', paragraphs, [5, 25]);
    expect(screen!.ids).toEqual([]);
    expect(screen!.notice).toBe('other-language');
    expect(whole!.ids.length).toBeGreaterThan(0);
    expect(whole!.notice).not.toBe('other-language');
    const summary = await handlers['page.summary']({ url: 'https://news.example/mixed' }, sender);
    expect(summary.paragraphs).toBe(30);
    expect(summary.highlights.map((h) => h.id)).toEqual(whole!.ids);
    expect(new Set([...summary.highlights, ...summary.leftOut].map((p) => p.id))).toEqual(new Set(paragraphs.map((p) => p.id)));
  });
});
