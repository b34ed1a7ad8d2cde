/**
 * This device's outgoing segment, kept in IndexedDB (`kv` "syncOutbox") until the server
 * has it. A segment's number and content are fixed when it is made, in the same transaction
 * that records its events as sent: an upload that fails is retried with exactly the same
 * segment, so another device that already read it under that number misses nothing, and no
 * event is sent under two numbers. Only `confirmSegment` (after a successful upload) lets
 * the next segment be made.
 */
import * as v from 'valibot';
import { SegmentSchema, makeSegment, type Segment } from '../../lib/sync-log';
import { outgoingEvents } from '../../lib/sync-outbox';
import type { ReaderDatabase, StoreName } from '../db';
import { SYNC_OUTBOX_KEY } from './device-keys';
import { LOCAL_RECORD_STORES, readLocalRecordsTx } from './local-records';

export const OUTBOX_KEY = SYNC_OUTBOX_KEY;

const OutboxSchema = v.object({
  version: v.literal(1),
  device: v.string(),
  nextSeq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  pending: v.nullable(SegmentSchema),
  sent: v.array(v.tuple([v.string(), v.string()])),
});
type OutboxRecord = v.InferOutput<typeof OutboxSchema>;

function readOutbox(value: unknown, device: string): OutboxRecord {
  const parsed = v.safeParse(OutboxSchema, value);
  // Another device id (sync set up again) starts afresh: everything is sent once more, and the merge takes it once.
  if (parsed.success && parsed.output.device === device) return parsed.output;
  return { version: 1, device, nextSeq: 1, pending: null, sent: [] };
}

/**
 * The segment to upload next: the pending one if an upload of it has not been confirmed,
 * else a new one with whatever changed since the last (null when nothing did).
 */
export async function nextOutgoingSegment(db: ReaderDatabase, context: { device: string; now: number; newId: () => string }): Promise<Segment | null> {
  const stores: StoreName[] = [...LOCAL_RECORD_STORES];
  const tx = db.transaction(stores, 'readwrite');
  const outbox = readOutbox((await tx.objectStore('kv').get(OUTBOX_KEY))?.value, context.device);
  if (outbox.pending) {
    await tx.done;
    return outbox.pending as Segment;
  }
  const local = await readLocalRecordsTx(tx, context.now);
  const { events, stamps } = outgoingEvents(local, new Map(outbox.sent), context);
  const pending = events.length > 0 ? makeSegment(context.device, outbox.nextSeq, events) : null;
  const next: OutboxRecord = { ...outbox, pending: pending as OutboxRecord['pending'], sent: [...stamps] };
  await tx.objectStore('kv').put({ key: OUTBOX_KEY, value: next });
  await tx.done;
  return pending;
}

/** The upload of segment `seq` succeeded: the next call makes a new segment. */
export async function confirmSegment(db: ReaderDatabase, device: string, seq: number): Promise<void> {
  const tx = db.transaction('kv', 'readwrite');
  const outbox = readOutbox((await tx.objectStore('kv').get(OUTBOX_KEY))?.value, device);
  if (outbox.pending?.seq === seq) {
    await tx.objectStore('kv').put({ key: OUTBOX_KEY, value: { ...outbox, pending: null, nextSeq: seq + 1 } });
  }
  await tx.done;
}
