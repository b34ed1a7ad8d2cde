import { describe, expect, it } from 'vitest';
import { createHead, observe, reset, update, type HeadState, type ReplayExample } from './head';
import { seededRandom } from './random';
import { exampleOf, recordsOf, replayDiff, replayFromRecords, replayKeys } from './replay';

const DIMS = 8;

function vector(rand: () => number): Float32Array {
  return Float32Array.from({ length: DIMS }, () => rand() * 2 - 1);
}

/** A head that has learnt `n` labels (alternating), with a small replay capacity so that it evicts. */
function trained(n: number, perClass = 3): { head: HeadState; rand: () => number } {
  const rand = seededRandom(7);
  let head = createHead('enc', DIMS, [{ id: 'i', text: 'rivers', embedding: vector(rand) }], { options: { replayPerClass: perClass, stepsPerUpdate: 2 } });
  for (let i = 0; i < n; i++) head = update(head, { id: `p${i}`, embedding: vector(rand), label: (i % 2) as 0 | 1, weight: 1 });
  return { head, rand };
}

/** Applies a diff to a map standing in for the object store. */
function apply(store: Map<string, ReturnType<typeof recordsOf>[number]>, diff: ReturnType<typeof replayDiff>): void {
  for (const key of diff.remove) store.delete(JSON.stringify(key));
  for (const record of diff.put) store.set(JSON.stringify(record.key), record);
}

describe('replay records', () => {
  it('round-trip every field, the embedding as float32, in arrival order', () => {
    const { head } = trained(4);
    const records = recordsOf(head.replay);
    expect(records[0]!.embedding).toBeInstanceOf(Float32Array);
    // Whatever order the records come back in, the head gets its own order.
    expect(replayFromRecords([...records].reverse())).toEqual(head.replay);
    expect(exampleOf(records[1]!)).toEqual(head.replay[1]);
  });

  it('copy through fields this module does not know', () => {
    const example = { id: 'p', embedding: [0.5, 0.25], label: 1, weight: 1, at: 3, logit: 0.1, source: 'save' } as ReplayExample;
    expect(exampleOf(recordsOf([example])[0]!)).toEqual(example);
  });

  it('give examples sharing at, id and label distinct keys', () => {
    const a = { id: 'p', embedding: [1], label: 1 as const, weight: 1, at: 2, logit: 0 };
    expect(replayKeys([a, { ...a, weight: 0.5 }, { ...a, id: 'q' }])).toEqual([
      [2, 'p', 1, 0],
      [2, 'p', 1, 1],
      [2, 'q', 1, 0],
    ]);
  });
});

describe('replayDiff', () => {
  it('is empty when the head only observed a page', () => {
    const { head, rand } = trained(4);
    const seen = observe(head, [vector(rand), vector(rand)]);
    expect(replayDiff(head.replay, seen.replay)).toEqual({ put: [], remove: [] });
  });

  it('is empty against the same buffer read back from the store (float32)', () => {
    const { head } = trained(5);
    const readBack = replayFromRecords(recordsOf(head.replay));
    expect(replayDiff(readBack, head.replay)).toEqual({ put: [], remove: [] });
  });

  it('puts the new example and deletes the one it evicted, and nothing else', () => {
    const { head, rand } = trained(6); // full: three of each class
    const next = update(head, { id: 'new', embedding: vector(rand), label: 1, weight: 1 });
    const diff = replayDiff(head.replay, next.replay);
    expect(diff.put.map((r) => r.id)).toEqual(['new']);
    const evicted = head.replay.find((r) => r.label === 1)!;
    expect(diff.remove).toEqual([[evicted.at, evicted.id, 1, 0]]);
  });

  it('turns any stored buffer into any other (a store updated by diffs equals one written afresh)', () => {
    const { head, rand } = trained(3, 4);
    const store = new Map(recordsOf(head.replay).map((r) => [JSON.stringify(r.key), r]));
    let current = head;
    for (let i = 0; i < 12; i++) {
      const next = i === 7 ? reset(current) : update(current, { id: `q${i % 5}`, embedding: vector(rand), label: (i % 3 === 0 ? 1 : 0) as 0 | 1, weight: 1 });
      apply(store, replayDiff(current.replay, next.replay));
      expect(replayFromRecords([...store.values()]), `step ${i}`).toEqual(replayFromRecords(recordsOf(next.replay)));
      current = next;
    }
  });

  it('rewrites an example whose content changed under the same key', () => {
    const { head } = trained(2);
    const changed = head.replay.map((r, i) => (i === 0 ? { ...r, weight: r.weight / 2 } : r));
    expect(replayDiff(head.replay, changed).put.map((r) => r.id)).toEqual([head.replay[0]!.id]);
    const moved = head.replay.map((r, i) => (i === 1 ? { ...r, embedding: r.embedding.map((x) => x + 0.5) } : r));
    expect(replayDiff(head.replay, moved).put.map((r) => r.id)).toEqual([head.replay[1]!.id]);
  });
});
