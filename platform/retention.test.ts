import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../lib/settings';
import { openReaderDB } from './db';
import { pruneOldPages, startRetention, RETENTION_ALARM } from './retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2);
let n = 0;

async function filled(keepPagesDays?: number) {
  const db = await openReaderDB({ name: `retention-${n++}` });
  if (keepPagesDays !== undefined) await db.put('kv', { key: 'settings', value: { ...DEFAULT_SETTINGS, keepPagesDays } });
  const old = NOW - 200 * DAY;
  const recent = NOW - 3 * DAY;
  const paragraph = (id: string, lastSeen: number) => ({ id, text: `text of ${id}`, lang: 'en', firstSeen: lastSeen, lastSeen, lastUrl: 'https://example.org/', gainBits: 0, fit: 1, loadMinutes: 1, difficultyFactor: 1, scorer: 'lexical' as const });
  await db.put('pages', { url: 'https://example.org/old', title: 'old', lang: 'en', lastVisited: old, paragraphIds: ['p-old'] });
  await db.put('pages', { url: 'https://example.org/new', title: 'new', lang: 'en', lastVisited: recent, paragraphIds: ['p-new'] });
  await db.put('paragraphs', paragraph('p-old', old));
  await db.put('paragraphs', paragraph('p-new', recent));
  await db.put('embeddings', { key: 'use:p-old', vector: new Float32Array(4), at: old });
  await db.put('embeddings', { key: 'use:p-new', vector: new Float32Array(4), at: recent });
  await db.put('events', { eventId: 'e1', kind: 'feedback', at: old, day: '2026-05-16', paragraphId: 'p-old', data: {} });
  await db.put('snippets', { id: 's1', passage: 'text of p-old' });
  await db.put('cards', { id: 'c1', snippetId: 's1', due: old, suspended: false });
  await db.put('reviewLogs', { id: 'r1', cardId: 'c1', at: old });
  await db.put('daily', { day: '2026-05-16', budgetMinutes: 20, consumedMinutes: 5, readMinutes: 5, reviewMinutes: 0, highlighted: ['p-old'], read: ['p-old'], tooHard: 0, speedRatios: [] });
  return db;
}

describe('retention', () => {
  it('drops pages, paragraph text and embeddings last read longer ago than the setting, and keeps what the learner made', async () => {
    const db = await filled(90);
    expect(await pruneOldPages(db, NOW)).toEqual({ pages: 1, paragraphs: 1, embeddings: 1 });
    expect((await db.getAll('pages')).map((p) => p.url)).toEqual(['https://example.org/new']);
    expect((await db.getAll('paragraphs')).map((p) => p.id)).toEqual(['p-new']);
    expect((await db.getAll('embeddings')).map((e) => e.key)).toEqual(['use:p-new']);
    for (const store of ['events', 'snippets', 'cards', 'reviewLogs', 'daily'] as const) expect(await db.count(store), store).toBe(1);
  });

  it('follows the learner’s setting: a year keeps the 200-day-old page, the default of 180 days does not', async () => {
    expect(await pruneOldPages(await filled(365), NOW)).toEqual({ pages: 0, paragraphs: 0, embeddings: 0 });
    expect(DEFAULT_SETTINGS.keepPagesDays).toBe(180);
    expect(await pruneOldPages(await filled(), NOW)).toEqual({ pages: 1, paragraphs: 1, embeddings: 1 });
  });

  it('runs on a daily alarm, created once', async () => {
    const db = await filled(90);
    const created: Array<[string, unknown]> = [];
    let fire: (alarm: { name: string }) => void = () => {};
    const alarms = {
      create: (name: string, info: unknown) => void created.push([name, info]),
      get: async (name: string) => (created.some(([n]) => n === name) ? { name } : undefined),
      onAlarm: { addListener: (cb: (alarm: { name: string }) => void) => void (fire = cb) },
    };
    startRetention(alarms, async () => db, () => NOW);
    await new Promise((r) => setTimeout(r, 10));
    expect(created).toEqual([[RETENTION_ALARM, { delayInMinutes: 5, periodInMinutes: 24 * 60 }]]);
    fire({ name: RETENTION_ALARM });
    for (let i = 0; i < 50 && (await db.count('pages')) > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await db.count('pages')).toBe(1);
  });
});
