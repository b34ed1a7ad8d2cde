import { describe, expect, it } from 'vitest';
import { EPSILON, explain, gainBits, informationGain } from './gain';
import { baseRate, createHead, predict, update } from './head';

describe('informationGain', () => {
  it('is 0 bits at the base rate', () => {
    expect(informationGain(0.2, 0.2)).toBe(0);
  });
  it('is +1 bit when twice as likely relevant, -1 bit when half', () => {
    expect(informationGain(0.4, 0.2)).toBeCloseTo(1, 12);
    expect(informationGain(0.1, 0.2)).toBeCloseTo(-1, 12);
  });
  it('stays finite at certainty and for nonsense input', () => {
    expect(informationGain(1, 0.2)).toBeCloseTo(Math.log2((1 - EPSILON) / 0.2), 12);
    expect(informationGain(0, 0.2)).toBeCloseTo(Math.log2(EPSILON / 0.2), 12);
    expect(informationGain(Number.NaN, 0.5)).toBe(0);
    expect(informationGain(0.3, Number.POSITIVE_INFINITY)).toBe(0);
  });
  it('is bounded by the clamp on both sides', () => {
    const bound = Math.log2((1 - EPSILON) / EPSILON);
    expect(informationGain(1, 0)).toBeCloseTo(bound, 12);
    expect(informationGain(0, 1)).toBeCloseTo(-bound, 12);
  });
});

// Two directions in a small space: paragraphs along `on` are what the learner wants.
const DIMS = 8;
const vec = (...xs: number[]) => Float32Array.from({ length: DIMS }, (_, i) => xs[i] ?? 0);
const on = vec(1, 0.1);
const off = vec(0.1, 1);
const middle = vec(0.7, 0.7);

describe('gainBits with a head', () => {
  const head = createHead('enc', DIMS, [{ id: 'i', text: 'the interest', embedding: vec(1) }], {
    contrasts: [{ id: 'c', text: 'something else', embedding: vec(0, 1) }],
  });

  it('is positive for a paragraph like the interest and negative for one unlike it', () => {
    expect(gainBits(head, on)).toBeGreaterThan(0);
    expect(gainBits(head, off)).toBeLessThan(0);
  });

  it('is exactly the PMI of the head probability against its base rate', () => {
    expect(gainBits(head, middle)).toBeCloseTo(Math.log2(predict(head, middle) / baseRate(head)), 10);
  });
});

describe('explain', () => {
  it('returns the bits and names the nearest saved example and the interest', () => {
    let head = createHead('enc', DIMS, [{ id: 'interest:1', text: 'the interest', embedding: vec(1) }]);
    head = update(head, { id: 'saved-1', embedding: vec(1, 0.3), label: 1, weight: 1 });
    head = update(head, { id: 'saved-2', embedding: vec(0.2, 0.2, 1), label: 1, weight: 1 });
    head = update(head, { id: 'rejected-1', embedding: vec(0, 1), label: 0, weight: 1 });
    const e = explain(head, on, 1);
    expect(e.bits).toBe(gainBits(head, on));
    expect(e.probability).toBe(predict(head, on));
    expect(e.baseRate).toBe(baseRate(head));
    expect(e.relevantExamples.map((n) => n.id)).toEqual(['saved-1']);
    expect(e.irrelevantExamples.map((n) => n.id)).toEqual(['rejected-1']);
    expect(e.interests[0]).toMatchObject({ id: 'interest:1', text: 'the interest' });
    expect(e.interests[0]!.similarity).toBeGreaterThan(0.9);
  });
});
