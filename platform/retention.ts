/**
 * Storage that does not grow forever. Every page read leaves its paragraphs' text (about
 * 73,000 characters for a 40-paragraph article) and their embeddings; nothing else ever
 * removes them. Once a day the background drops what was last read longer ago than the
 * learner's `keepPagesDays`: page records, paragraph text and embeddings. What the learner
 * made or said is kept however old: feedback and other events, snippets (which hold their own
 * passage), cards, review history, the learner model and the relevance head (whose replay
 * examples keep their own embeddings).
 */
import type { ReaderDatabase } from './db';
import { readSettingsTx } from './service/state';

const DAY_MS = 86_400_000;
export const RETENTION_ALARM = 'storage-retention';
/** How often the old pages are looked for. */
export const RETENTION_PERIOD_MINUTES = 24 * 60;

export interface Pruned {
  pages: number;
  paragraphs: number;
  embeddings: number;
}

/** Deletes pages, paragraphs and embeddings last used before `keepPagesDays` ago (settings). */
export async function pruneOldPages(db: ReaderDatabase, now: number): Promise<Pruned> {
  const settings = await readSettingsTx(db.transaction('kv', 'readonly'));
  const cutoff = now - settings.keepPagesDays * DAY_MS;
  const tx = db.transaction(['pages', 'paragraphs', 'embeddings'], 'readwrite');
  const pruned: Pruned = { pages: 0, paragraphs: 0, embeddings: 0 };
  // Pages have an index by last visit; the other two stores are walked (once a day).
  for (let c = await tx.objectStore('pages').index('by-visited').openCursor(IDBKeyRange.upperBound(cutoff, true)); c; c = await c.continue()) {
    await c.delete();
    pruned.pages++;
  }
  for (let c = await tx.objectStore('paragraphs').openCursor(); c; c = await c.continue()) {
    if (c.value.lastSeen < cutoff) {
      await c.delete();
      pruned.paragraphs++;
    }
  }
  for (let c = await tx.objectStore('embeddings').openCursor(); c; c = await c.continue()) {
    if (c.value.at < cutoff) {
      await c.delete();
      pruned.embeddings++;
    }
  }
  await tx.done;
  return pruned;
}

interface AlarmsLike {
  create(name: string, info: { delayInMinutes?: number; periodInMinutes?: number }): Promise<void> | void;
  get(name: string): Promise<unknown>;
  onAlarm: { addListener(cb: (alarm: { name: string }) => void): void };
}

/** Prunes once a day (and shortly after the browser starts), on an alarm that outlives the worker. */
export function startRetention(alarms: AlarmsLike, db: () => Promise<ReaderDatabase>, now: () => number): void {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== RETENTION_ALARM) return;
    void db()
      .then((d) => pruneOldPages(d, now()))
      .catch((e: unknown) => console.warn('[attention-reader] could not remove old pages', e));
  });
  void Promise.resolve(alarms.get(RETENTION_ALARM)).then((existing) => {
    if (!existing) return alarms.create(RETENTION_ALARM, { delayInMinutes: 5, periodInMinutes: RETENTION_PERIOD_MINUTES });
  });
}
