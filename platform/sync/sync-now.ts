/**
 * One sync of this device with the learner's WebDAV server: open the account (the
 * passphrase is checked first), read what the other devices wrote since the last sync (a
 * device that has never synced starts from the newest snapshot), write the merged view into
 * the stores (lib/sync-apply.ts: nothing local is rolled back), then upload this device's
 * outgoing segment and, now and then, a snapshot.
 *
 * The device's merged state is kept in `kv` "syncState" between syncs, so a sync reads only
 * new segments. Every step is safe to repeat: a sync cut off anywhere is simply run again.
 */
import { createScheduler } from '../../lib/review';
import { readSettings } from '../../lib/settings';
import { planApply } from '../../lib/sync-apply';
import { headWithSyncedExamples, ownExampleIds } from '../../lib/sync-head';
import { exampleStampKey } from '../../lib/sync-outbox';
import type { SyncErrorCode } from '../../lib/sync-error';
import { emptySyncState, makeSnapshot, mergeSegment, stateFromSnapshot, type SyncState } from '../../lib/sync-log';
import { SNAPSHOT_EVERY_SEGMENTS, openAccount, pullLatestSnapshot, pullSegments, pushSegment, pushSnapshot, segmentsCovered } from '../../lib/sync-remote';
import { syncView } from '../../lib/sync-view';
import type { WebDavClient } from '../../lib/webdav';
import type { CardRecord, ReaderDatabase, ReviewLogRecord, SnippetRecord } from '../db';
import { KEYS, readHeadTx, readLearnerTx, readSettingsTx, writeHeadTx } from '../service/state';
import { SYNC_STATE_KEY } from './device-keys';
import { OUTBOX_KEY, confirmSegment, nextOutgoingSegment } from './outgoing';

export const STATE_KEY = SYNC_STATE_KEY;

export interface SyncNowOptions {
  readonly db: ReaderDatabase;
  readonly client: WebDavClient;
  readonly passphrase: string;
  /** This device's id (lib/sync-remote.ts DEVICE_ID). */
  readonly device: string;
  readonly now: number;
  readonly newId: () => string;
  /** PBKDF2 iterations when this sync sets the account up; tests use fewer. */
  readonly iterations?: number;
}

export interface SyncReport {
  /** Segments of other devices merged. */
  readonly merged: number;
  /** The number of this device's segment uploaded, or null when it had nothing new. */
  readonly uploaded: number | null;
  /** Files on the server that could not be merged, and why. */
  readonly refused: { path: string; code: SyncErrorCode }[];
  /** Records kept as they are here because they changed since last sent (they go out next time). */
  readonly heldBack: number;
  /** Relevance labels given on other devices that this device's head learnt. */
  readonly examplesLearnt: number;
}

interface StoredState {
  snapshot: ReturnType<typeof makeSnapshot>;
  lastSnapshotCovered: number;
  /** Ids of the example events the relevance head has taken (lib/sync-head.ts); absent before it existed. */
  takenExamples?: string[];
}

interface LoadedState {
  state: SyncState;
  lastSnapshotCovered: number;
  takenExamples: Set<string>;
}

async function loadState(db: ReaderDatabase): Promise<LoadedState | null> {
  const stored = (await db.get('kv', STATE_KEY))?.value as StoredState | undefined;
  if (!stored) return null;
  return { state: stateFromSnapshot(stored.snapshot), lastSnapshotCovered: stored.lastSnapshotCovered, takenExamples: new Set(stored.takenExamples ?? []) };
}

async function saveState(db: ReaderDatabase, loaded: LoadedState, device: string, now: number): Promise<void> {
  const { state } = loaded;
  // Examples the merged state has let go of cannot come back: their ids need not be kept.
  const takenExamples = [...loaded.takenExamples].filter((id) => state.examples.has(id));
  const value: StoredState = { snapshot: makeSnapshot(state, device, now), lastSnapshotCovered: loaded.lastSnapshotCovered, takenExamples };
  await db.put('kv', { key: STATE_KEY, value });
}

/**
 * Writes the merged view into the stores, in one transaction, holding back what changed
 * here, and teaches the relevance head the labels given elsewhere. Returns the records held
 * back, the examples learnt and the example events now taken.
 */
async function applyView(db: ReaderDatabase, state: SyncState, device: string, now: number, taken: ReadonlySet<string>): Promise<{ heldBack: number; learnt: number; taken: Set<string> }> {
  const tx = db.transaction(['cards', 'reviewLogs', 'snippets', 'kv', 'replay'], 'readwrite');
  const settings = await readSettingsTx(tx);
  const learner = await readLearnerTx(tx, settings, now);
  const outbox = (await tx.objectStore('kv').get(OUTBOX_KEY))?.value as { sent?: [string, string][] } | undefined;
  const local = {
    cards: (await tx.objectStore('cards').getAll()) as unknown as Parameters<typeof planApply>[2]['cards'],
    reviewLogs: (await tx.objectStore('reviewLogs').getAll()) as unknown as Parameters<typeof planApply>[2]['reviewLogs'],
    snippets: (await tx.objectStore('snippets').getAll()) as unknown as Parameters<typeof planApply>[2]['snippets'],
    learner,
    settings: settings as unknown as Record<string, unknown>,
  };
  const view = syncView(state, createScheduler({ requestRetention: settings.desiredRetention }));
  const plan = planApply(view, state, local, new Map(outbox?.sent ?? []));
  for (const id of plan.deleteCards) await tx.objectStore('cards').delete(id);
  for (const id of plan.deleteLogs) await tx.objectStore('reviewLogs').delete(id);
  for (const c of plan.putCards) await tx.objectStore('cards').put(c as unknown as CardRecord);
  for (const l of plan.putLogs) await tx.objectStore('reviewLogs').put(l as unknown as ReviewLogRecord);
  for (const s of plan.putSnippets) await tx.objectStore('snippets').put(s as unknown as SnippetRecord);
  if (plan.settingsPatch) await tx.objectStore('kv').put({ key: KEYS.settings, value: readSettings({ ...settings, ...plan.settingsPatch }) });
  // A changed target language starts another word history (platform/service/state.ts): the marks follow it there.
  const targetChanged = plan.settingsPatch && 'targetLang' in plan.settingsPatch && plan.settingsPatch.targetLang !== settings.targetLang;
  if (plan.learner && !targetChanged) await tx.objectStore('kv').put({ key: KEYS.learner, value: plan.learner });
  // What was written from the view counts as sent, so it is not echoed back.
  // A head exists once the learner has read a page; a device that has none yet takes the labels later.
  // The head (with its replay, up to a thousand embeddings) is read only when there is something to teach it.
  const untaken = view.examples.some((e) => !taken.has(e.id));
  const head = untaken ? await readHeadTx(tx) : undefined;
  const synced = head ? headWithSyncedExamples(head, view.examples, taken) : null;
  if (synced && synced.head !== head) await writeHeadTx(tx, synced.head, head);
  // Labels learnt from other devices are not sent back as this device's own.
  for (const e of view.examples) if (synced?.taken.has(e.id)) plan.stamps.set(exampleStampKey(e), '1');
  const base = outbox ?? { version: 1, device, nextSeq: 1, pending: null };
  await tx.objectStore('kv').put({ key: OUTBOX_KEY, value: { ...base, sent: [...plan.stamps] } });
  await tx.done;
  return { heldBack: plan.heldBack.length, learnt: synced?.learnt ?? 0, taken: synced?.taken ?? new Set(taken) };
}

export async function syncNow(options: SyncNowOptions): Promise<SyncReport> {
  const { db, client, device, now } = options;
  const account = await openAccount(client, options.passphrase, { now, ...(options.iterations ? { iterations: options.iterations } : {}) });
  const stored = await loadState(db);
  let state = stored?.state ?? emptySyncState();
  let lastSnapshotCovered = stored?.lastSnapshotCovered ?? 0;
  let takenExamples = stored?.takenExamples ?? new Set<string>();
  const refused: { path: string; code: SyncErrorCode }[] = [];
  if (!stored) {
    const snapshot = await pullLatestSnapshot(account);
    if (snapshot) {
      state = snapshot.state;
      lastSnapshotCovered = segmentsCovered(state);
    }
  }
  const pulled = await pullSegments(account, state);
  for (const r of pulled.refused) refused.push({ path: r.path, code: r.error.code });
  let merged = 0;
  for (const s of pulled.segments) if (mergeSegment(state, s)) merged++;
  const applied = await applyView(db, state, device, now, takenExamples);
  takenExamples = applied.taken;

  const segment = await nextOutgoingSegment(db, { device, now, newId: options.newId });
  if (segment) {
    await pushSegment(account, segment);
    await confirmSegment(db, device, segment.seq);
    mergeSegment(state, segment);
    for (const id of ownExampleIds(segment.events)) takenExamples.add(id);
  }
  if (segmentsCovered(state) - lastSnapshotCovered >= SNAPSHOT_EVERY_SEGMENTS) {
    await pushSnapshot(account, state, device, now);
    lastSnapshotCovered = segmentsCovered(state);
  }
  await saveState(db, { state, lastSnapshotCovered, takenExamples }, device, now);
  return { merged, uploaded: segment?.seq ?? null, refused, heldBack: applied.heldBack, examplesLearnt: applied.learnt };
}
