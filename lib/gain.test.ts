import { describe, expect, it } from 'vitest';
import { EPSILON, informationGain } from './gain';

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
    expect(Number.isFinite(informationGain(0, 0.2))).toBe(true);
    expect(informationGain(Number.NaN, 0.5)).toBe(0);
  });
});
