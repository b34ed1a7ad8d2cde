/**
 * The relevance head after a sync: it learns the merged relevance examples, so that a
 * label given on one device teaches the head of every device (lib/sync-log.ts keeps the
 * newest examples of each class from all devices).
 *
 * Which examples a device takes. An example event is taken once: the device remembers the
 * ids of the example events it has already folded into its head (its own, once sent, and
 * other devices' once learnt). A sync that brings examples not taken yet teaches them to the
 * head in time order (lib/head.ts `updateWithAll`): the head refits on its remembered
 * examples and these, as if the learner had given the labels here. Examples taken before are
 * not brought back: a learner who chose "forget what my
 * feedback taught" on this device does not get the forgotten labels back from the server.
 *
 * Examples embedded by another encoder (another embedding space) are not taken: their
 * vectors mean nothing to this head. They stay in the merged state with their text, and
 * stay untaken, so a device that switches to that encoder learns from them at its next sync.
 * An example the head already holds (same paragraph, same label) is not learnt twice.
 */
import { updateWithAll, type HeadState, type LabelledExample } from './head';
import type { ExampleEvent } from './sync-log';
import { unpackEmbedding } from './sync-embedding';

export interface SyncedHead {
  /** The head with the new examples learnt. */
  readonly head: HeadState;
  /** Ids of the example events now taken (the ones before and the ones learnt now). */
  readonly taken: Set<string>;
  /** How many examples of other devices were learnt. */
  readonly learnt: number;
}

/**
 * The head with the merged examples it has not taken yet, or null when there are none (the
 * head stays as it is). `examples` are the merged view's, oldest first.
 */
export function headWithSyncedExamples(head: HeadState, examples: readonly ExampleEvent[], taken: ReadonlySet<string>): SyncedHead | null {
  const held = new Set(head.replay.map((r) => `${r.id}:${r.label}`));
  const fresh: LabelledExample[] = [];
  const nowTaken = new Set(taken);
  for (const e of examples) {
    if (taken.has(e.id) || e.encoderId !== head.encoderId) continue;
    nowTaken.add(e.id);
    const embedding = unpackEmbedding(e);
    if (embedding.length !== head.dims || held.has(`${e.paragraphId}:${e.label}`)) continue;
    held.add(`${e.paragraphId}:${e.label}`);
    fresh.push({ id: e.paragraphId, embedding, label: e.label, weight: e.weight });
  }
  if (fresh.length === 0) return nowTaken.size === taken.size ? null : { head, taken: nowTaken, learnt: 0 };
  return {
    head: updateWithAll(head, fresh),
    taken: nowTaken,
    learnt: fresh.length,
  };
}

/** Ids of the example events in events this device sends: they are its own, taken already. */
export function ownExampleIds(events: readonly { id: string; kind: string }[]): string[] {
  return events.filter((e) => e.kind === 'example').map((e) => e.id);
}
