import { describe, expect, it } from 'vitest';
import { calibrate, figures, fitPlatt, leaveOneInterestOut, type CalibrationRow } from '../../bench/lib/cold-calibration';
import { seededRandom } from '../../lib/random';

/** Rows whose labels are drawn from a known Platt curve: the fit must find it again. */
function drawn(n: number, slope: number, offset: number, interest = 'a', seed = 1): CalibrationRow[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const raw = (rand() - 0.5) * 16;
    const relevant = rand() < 1 / (1 + Math.exp(-(slope * raw + offset))) ? 1 : 0;
    return { interest, topic: relevant ? interest : 'other', id: `${interest}${i}`, raw, relevant };
  });
}

describe('cold-start calibration (bench)', () => {
  it('recovers the Platt curve the labels were drawn from', () => {
    const fit = fitPlatt(drawn(20_000, 0.46, -2.3));
    expect(fit.slope).toBeCloseTo(0.46, 1);
    expect(fit.offset).toBeCloseTo(-2.3, 1);
  });

  it('scores an over-confident curve worse than the true one, and counts precision and recall at one half', () => {
    const rows = drawn(10_000, 0.5, -2);
    const truth = figures(rows, (r) => calibrate({ slope: 0.5, offset: -2 }, r.raw));
    const steep = figures(rows, (r) => calibrate({ slope: 2, offset: -2 }, r.raw));
    expect(truth.logLoss).toBeLessThan(steep.logLoss);
    expect(truth.ece).toBeLessThan(steep.ece);
    const above = rows.filter((r) => calibrate({ slope: 0.5, offset: -2 }, r.raw) >= 0.5);
    expect(truth.atHalf.n).toBe(above.length);
    expect(truth.atHalf.precision).toBeCloseTo(above.filter((r) => r.relevant).length / above.length, 12);
  });

  it('fits each interest on the others only', () => {
    const rows = [...drawn(5_000, 0.5, -2, 'a', 1), ...drawn(5_000, 0.5, -2, 'b', 2), ...drawn(5_000, 2, 1, 'c', 3)];
    const held = leaveOneInterestOut(rows);
    // 'c' is unlike the others: its held-out fit knows only a and b's curve; a's is b's and c's.
    expect(held.get('c')!.slope).toBeCloseTo(0.5, 1);
    expect(held.get('a')).toEqual(fitPlatt(rows.filter((r) => r.interest !== 'a')));
    expect(held.get('a')!.slope).toBeGreaterThan(held.get('c')!.slope);
  });
});
