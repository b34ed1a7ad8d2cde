import { describe, expect, it } from 'vitest';
import { createHead, explicitLabels, predict, reset, update, type HeadState } from './head';
import { seededRandom } from './random';
import { packEmbedding } from './sync-embedding';
import { headWithSyncedExamples, ownExampleIds } from './sync-head';
import type { ExampleEvent } from './sync-log';

// Two topics in a 16-d space; the learner on device A says topic 0 is relevant and topic 1
// is not. Device B has the same interests (none stated) and has labelled nothing.
const DIMS = 16;
const ENCODER = 'enc-test';

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

const rand = seededRandom(7);
const topics = [0, 1].map(() => Array.from({ length: DIMS }, () => gaussian(rand)));
const paragraph = (topic: number) => Float32Array.from(topics[topic]!, (x) => x + gaussian(rand) * 0.5);

function exampleEvent(n: number, topic: number, encoderId = ENCODER, at = 1_000 + n): ExampleEvent {
  const embedding = paragraph(topic);
  return {
    id: `ev-${encoderId}-${n}`,
    device: 'device-a',
    at,
    kind: 'example',
    paragraphId: `p-${n}`,
    encoderId,
    ...packEmbedding(embedding),
    label: topic === 0 ? 1 : 0,
    weight: 1,
    text: `paragraph ${n}`,
  };
}

const labelledOnA = Array.from({ length: 24 }, (_, n) => exampleEvent(n, n % 2));
const fresh = (): HeadState => createHead(ENCODER, DIMS, []);

describe('the relevance head learns the examples labelled on other devices', () => {
  it('a device that labelled nothing ranks by what the other device taught', () => {
    const before = fresh();
    const synced = headWithSyncedExamples(before, labelledOnA, new Set());
    expect(synced).not.toBeNull();
    expect(synced!.learnt).toBe(24);
    expect(explicitLabels(synced!.head)).toBe(24);
    const probes = Array.from({ length: 20 }, (_, i) => paragraph(i % 2));
    const onTopic = probes.filter((_, i) => i % 2 === 0).map((p) => predict(synced!.head, p));
    const offTopic = probes.filter((_, i) => i % 2 === 1).map((p) => predict(synced!.head, p));
    expect(Math.min(...onTopic)).toBeGreaterThan(Math.max(...offTopic));
    // Before the sync the head could not tell them apart.
    expect(predict(before, probes[0]!)).toBeCloseTo(predict(before, probes[1]!), 6);
  });

  it('an example is taken once: a second sync changes nothing, and a head reset here stays reset', () => {
    const first = headWithSyncedExamples(fresh(), labelledOnA, new Set())!;
    expect(headWithSyncedExamples(first.head, labelledOnA, first.taken)).toBeNull();
    const forgotten = reset(first.head);
    expect(headWithSyncedExamples(forgotten, labelledOnA, first.taken)).toBeNull();
    // A label given later on the other device still arrives.
    const later = exampleEvent(99, 0, ENCODER, 5_000);
    const next = headWithSyncedExamples(forgotten, [...labelledOnA, later], first.taken)!;
    expect(next.learnt).toBe(1);
    expect(next.head.replay.map((r) => r.id)).toEqual(['p-99']);
  });

  it('examples of another encoder are not learnt, and stay untaken for when this device uses it', () => {
    const foreign = Array.from({ length: 4 }, (_, n) => exampleEvent(n, 0, 'other-encoder'));
    expect(headWithSyncedExamples(fresh(), foreign, new Set())).toBeNull();
    const mixed = headWithSyncedExamples(fresh(), [...foreign, ...labelledOnA.slice(0, 2)], new Set())!;
    expect(mixed.learnt).toBe(2);
    for (const f of foreign) expect(mixed.taken.has(f.id)).toBe(false);
  });

  it('a paragraph the head already learnt with the same label is not learnt twice', () => {
    const e = labelledOnA[0]!;
    const here = update(fresh(), { id: e.paragraphId, embedding: paragraph(0), label: e.label, weight: 1 });
    const synced = headWithSyncedExamples(here, [e], new Set());
    expect(synced).not.toBeNull();
    expect(synced!.learnt).toBe(0);
    expect(synced!.head).toBe(here);
    expect(synced!.taken.has(e.id)).toBe(true);
  });

  it('learning counts each paragraph once in what the learner has read', () => {
    const synced = headWithSyncedExamples(fresh(), labelledOnA, new Set())!;
    expect(synced.head.seen.count - fresh().seen.count).toBe(24);
  });

  it('the example events a device sends are its own', () => {
    expect(ownExampleIds([{ id: 'a', kind: 'example' }, { id: 'b', kind: 'review' }, { id: 'c', kind: 'example' }])).toEqual(['a', 'c']);
  });
});
