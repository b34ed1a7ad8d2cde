import { describe, expect, it } from 'vitest';
import { ALL_STORES, DB_VERSION, MIGRATIONS, openReaderDB } from './db';

let n = 0;
const freshName = () => `test-db-${Date.now()}-${n++}`;

describe('reader database', () => {
  it('creates every store at the current version', async () => {
    const db = await openReaderDB({ name: freshName() });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([...ALL_STORES].sort());
    db.close();
  });

  it('upgrades a database made by every earlier version without losing its data', async () => {
    for (let from = 1; from < MIGRATIONS.length; from++) {
      const name = freshName();
      const old = await openReaderDB({ name, version: from });
      await old.put('pages', { url: 'https://a.example/', title: 'A', lang: 'en', lastVisited: 5, paragraphIds: ['p1'] });
      await old.put('kv', { key: 'settings', value: { budgetMinutes: 25 } });
      await old.put('events', { eventId: 'e1', kind: 'feedback', at: 1, day: '2026-01-01', paragraphId: 'p1', data: {} });
      old.close();

      const db = await openReaderDB({ name });
      expect(db.version).toBe(DB_VERSION);
      expect(await db.get('pages', 'https://a.example/')).toMatchObject({ title: 'A', paragraphIds: ['p1'] });
      expect(await db.get('kv', 'settings')).toEqual({ key: 'settings', value: { budgetMinutes: 25 } });
      // The index added by a later migration covers records written before it existed.
      expect(await db.getAllFromIndex('events', 'by-paragraph', 'p1')).toHaveLength(1);
      db.close();
    }
  });

  it('refuses duplicate event ids (what makes a retried event apply once)', async () => {
    const db = await openReaderDB({ name: freshName() });
    const event = { eventId: 'same', kind: 'save' as const, at: 1, day: 'd', paragraphId: null, data: {} };
    await db.add('events', event);
    await expect(db.add('events', event)).rejects.toThrow();
    expect(await db.count('events')).toBe(1);
    db.close();
  });
});
