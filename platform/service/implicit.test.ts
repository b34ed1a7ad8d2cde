/**
 * Implicit signals through the background's handlers: reading a screenful is not skipping it,
 * implicit labels are limited per page and never switch a learner to relevance on their own,
 * and forgetting what feedback taught brings highlights back.
 */
import { describe, expect, it } from 'vitest';
import { explicitLabels } from '../../lib/head';
import { createLexicon } from '../../lib/vocabulary';
import { openReaderDB } from '../db';
import type { ServiceDeps } from './deps';
import { IMPLICIT_LABELS_PER_PAGE } from './events';
import { createHandlers } from './index';
import { createEncoderTier } from './relevance';
import { readHeadTx, type Clock } from './state';
import { fakeEncoder } from '../../tests/unit/fake-encoder';

let dbCount = 0;
const sender = { id: 'ext' };

function setup() {
  let now = Date.UTC(2026, 10, 28, 9);
  const clock: Clock = { now: () => now, tzOffsetMinutes: () => 0 };
  const name = `implicit-${dbCount++}`;
  const deps: ServiceDeps = { db: () => openReaderDB({ name }), clock, encoder: createEncoderTier(fakeEncoder(), 1000), lexicon: async () => PAGE_LEXICON };
  return { handlers: createHandlers(deps), deps, advance: (ms: number) => (now += ms) };
}

const TOPICS = ['harbour boats fishing crews', 'orchestra concert violin music', 'railway station trains platform', 'garden roses compost soil', 'election voters ballot parliament'];

/**
 * The words of these pages, as the shipped word list would rank them: the learner knows them,
 * so the pages sit in the readable zone and only relevance decides what is highlighted.
 */
const PAGE_LEXICON = createLexicon({
  lang: 'en',
  words: [...new Set(`${TOPICS.join(' ')} paragraph is short the were in news again this week and people town talked about little else for days`.split(' '))],
});

/** A page of `n` short paragraphs (about 22 words), on mixed topics. */
function shortPage(url: string, n: number) {
  const paragraphs = Array.from({ length: n }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    return { id: `${url.replace(/[^A-Za-z0-9]+/g, '_')}-${i}`, text: `Paragraph ${i} is short: the ${topic} were in the news again this week, and people in the town talked about little else for days.`, lang: 'en' };
  });
  return { url, title: url, lang: 'en', paragraphs, shown: [] as string[] };
}

async function labelsLearnt(deps: ServiceDeps): Promise<{ explicit: number; total: number }> {
  const db = await deps.db();
  const head = await readHeadTx(db.transaction(['kv', 'replay'], 'readonly'));
  return { explicit: head ? explicitLabels(head) : 0, total: head?.replay.length ?? 0 };
}

// Each case runs dozens of pages through the handlers: seconds on a busy machine.
describe('implicit signals', { timeout: 30_000 }, () => {
  it('a screen of short paragraphs left in view labels nothing, and the next page still gets highlights', async () => {
    const { handlers, deps, advance } = setup();
    const page = shortPage('https://short.example/', 60);
    const first = await handlers['page.paragraphs'](page, sender);
    expect(first.highlights.length).toBeGreaterThan(0);
    const shown = new Set(first.highlights.map((h) => h.id));
    // Nine paragraphs on screen; 64 s in 15 s windows, time shared among them, no scrolling.
    const visible = page.paragraphs.slice(0, 9);
    let n = 0;
    for (let w = 0; w < 5; w++) {
      advance(15_000);
      const events = visible.map((p) => ({ eventId: `d${n++}`, paragraphId: p.id, visibleMs: Math.round(15_000 / 9), highlighted: shown.has(p.id) }));
      expect((await handlers['reading.dwell']({ url: page.url, events }, sender)).accepted).toBe(9);
    }
    expect(await labelsLearnt(deps)).toEqual({ explicit: 0, total: 0 });
    const next = await handlers['page.paragraphs'](shortPage('https://next.example/', 20), sender);
    expect(next.highlights.length).toBeGreaterThan(0);
  });

  it('takes at most a few implicit labels from a page, and those alone never switch choices from level to relevance', async () => {
    const { handlers, deps, advance } = setup();
    // A budget that eight pages cannot spend: what is tested is the labels, not the day's bar.
    await handlers['settings.update']({ patch: { budgetMinutes: 600 } }, sender);
    let expected = 0;
    for (let k = 0; k < 8; k++) {
      const page = shortPage(`https://skim${k}.example/`, 30);
      const reply = await handlers['page.paragraphs'](page, sender);
      expect(reply.highlights.length).toBeGreaterThan(0);
      expect(reply.highlights[0]!.reason).toMatch(/chosen for its level/);
      advance(15_000);
      // Every highlight scrolled past in a second and a half: real skips.
      const events = reply.highlights.map((h, i) => ({ eventId: `s${k}-${i}`, paragraphId: h.id, visibleMs: 1_500, highlighted: true, passedMs: 1_500 }));
      await handlers['reading.dwell']({ url: page.url, events }, sender);
      // Pages later in the day get fewer highlights as the day's bar rises: each page adds its own.
      expected += Math.min(reply.highlights.length, IMPLICIT_LABELS_PER_PAGE);
      expect((await labelsLearnt(deps)).total).toBe(expected);
    }
    const after = await handlers['page.paragraphs'](shortPage('https://after.example/', 30), sender);
    expect(after.highlights.length).toBeGreaterThan(0);
    expect(after.highlights.every((h) => h.gainBits === 0)).toBe(true);
  });

  it('with stated interests, skips alone do not move the scores until the learner judges something', async () => {
    // The same pages read by two learners with the same interest; one scrolls past every highlight.
    const run = async (skips: boolean) => {
      const { handlers, advance } = setup();
      // A budget that seven pages cannot spend: what is tested is the scores, not the day's bar.
      await handlers['settings.update']({ patch: { interests: ['harbour boats fishing'], budgetMinutes: 600 } }, sender);
      for (let k = 0; k < 6; k++) {
        const page = shortPage(`https://skim${k}.example/`, 30);
        const reply = await handlers['page.paragraphs'](page, sender);
        advance(15_000);
        const events = reply.highlights.map((h, i) => ({ eventId: `s${k}-${i}`, paragraphId: h.id, visibleMs: 1_500, highlighted: true, passedMs: skips ? 1_500 : undefined }));
        await handlers['reading.dwell']({ url: page.url, events }, sender);
      }
      return handlers['page.paragraphs'](shortPage('https://probe.example/', 20), sender);
    };
    const skipped = await run(true);
    const read = await run(false);
    expect(skipped.highlights.length).toBeGreaterThan(0);
    // The same passages in the same tiers. The gains differ a little only because a labelled
    // paragraph also counts once more into the statistics that standardise the features.
    expect(skipped.highlights.map((h) => [h.id, h.tier])).toEqual(read.highlights.map((h) => [h.id, h.tier]));
    skipped.highlights.forEach((h, i) => expect(Math.abs(h.gainBits - read.highlights[i]!.gainBits)).toBeLessThan(0.2));
  });

  it('forgetting what feedback taught brings highlights back after explicit feedback emptied the page', async () => {
    const { handlers } = setup();
    const page = shortPage('https://judged.example/', 10);
    const first = await handlers['page.paragraphs'](page, sender);
    // The learner says "not relevant" to everything on the page: relevance mode with only negatives.
    for (const [i, p] of page.paragraphs.entries()) await handlers['feedback.give']({ eventId: `n${i}`, paragraphId: p.id, kind: 'not-relevant', url: page.url }, sender);
    const emptied = await handlers['page.paragraphs']({ ...page, url: 'https://judged-again.example/' }, sender);
    expect(first.highlights.length).toBeGreaterThan(0);
    expect(emptied.highlights.length).toBeLessThan(first.highlights.length);
    expect((await handlers['relevance.reset']({ confirm: 'forget what was learned' }, sender)).forgotten).toBe(page.paragraphs.length);
    const restored = await handlers['page.paragraphs']({ ...page, url: 'https://judged-third.example/' }, sender);
    expect(restored.highlights.map((h) => h.id).sort()).toEqual(first.highlights.map((h) => h.id).sort());
  });
});
