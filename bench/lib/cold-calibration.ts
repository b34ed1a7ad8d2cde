/**
 * What the relevance head's cold start (stated interests, no label yet) means as a
 * probability, and the Platt scaling that makes it mean it. Pure: rows in, fits and figures
 * out; bench/cold-calibration.ts reads the data and prints them, bench/day.ts uses the
 * held-out fit of a day's topic.
 */

/** One paragraph judged for one stated interest: the cold head's raw logit and the truth. */
export interface CalibrationRow {
  /** The topic whose interest word the learner stated. */
  readonly interest: string;
  /** The paragraph's own topic (its article's folder, or 'other'). */
  readonly topic: string;
  readonly id: string;
  /** The cold head's logit before calibration (priorSlope x standardised zero-shot score). */
  readonly raw: number;
  readonly relevant: 0 | 1;
}

export interface Platt {
  readonly slope: number;
  readonly offset: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export const calibrate = (p: Platt, raw: number) => sigmoid(p.slope * raw + p.offset);

/**
 * Maximum-likelihood Platt scaling (logistic regression of the label on the raw logit) by
 * damped Newton steps: unregularised, because thousands of rows fix two numbers well.
 */
export function fitPlatt(rows: readonly CalibrationRow[]): Platt {
  let a = 0.5;
  let b = -1;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (const r of rows) {
      const p = sigmoid(a * r.raw + b);
      const w = p * (1 - p);
      ga += (p - r.relevant) * r.raw;
      gb += p - r.relevant;
      haa += w * r.raw * r.raw;
      hab += w * r.raw;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Damped: the first steps from a poor start can overshoot on separable-looking data.
    const scale = Math.min(1, 0.5 / Math.max(Math.abs(da), Math.abs(db), 1e-12));
    a -= scale * da;
    b -= scale * db;
    if (Math.max(Math.abs(da), Math.abs(db)) < 1e-9) break;
  }
  return { slope: a, offset: b };
}

export interface CalibrationFigures {
  readonly rows: number;
  readonly baseRate: number;
  /** Mean negative log-likelihood, nats. */
  readonly logLoss: number;
  /** Expected calibration error over ten equal-width bins of P. */
  readonly ece: number;
  /** Paragraphs at P >= 0.5, the share of them relevant, and the share of the relevant ones they hold. */
  readonly atHalf: { n: number; precision: number; recall: number };
  /** Paragraphs at P >= 0.95 and the share of them relevant (over-confidence shows here). */
  readonly atCertain: { n: number; precision: number };
}

export function figures(rows: readonly CalibrationRow[], probability: (r: CalibrationRow) => number): CalibrationFigures {
  const n = rows.length;
  const positives = rows.reduce((s, r) => s + r.relevant, 0);
  let loss = 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  let halfN = 0;
  let halfY = 0;
  let certainN = 0;
  let certainY = 0;
  for (const r of rows) {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, probability(r)));
    loss -= r.relevant ? Math.log(p) : Math.log(1 - p);
    const bin = bins[Math.min(9, Math.floor(p * 10))]!;
    bin.n++;
    bin.p += p;
    bin.y += r.relevant;
    if (p >= 0.5) (halfN++, (halfY += r.relevant));
    if (p >= 0.95) (certainN++, (certainY += r.relevant));
  }
  const ece = bins.reduce((s, b) => s + (b.n ? Math.abs(b.p - b.y) : 0), 0) / Math.max(1, n);
  return {
    rows: n,
    baseRate: positives / Math.max(1, n),
    logLoss: loss / Math.max(1, n),
    ece,
    atHalf: { n: halfN, precision: halfN ? halfY / halfN : Number.NaN, recall: positives ? halfY / positives : Number.NaN },
    atCertain: { n: certainN, precision: certainN ? certainY / certainN : Number.NaN },
  };
}

/** For each interest, the fit on the rows of every OTHER interest: calibration scored on topics it never saw. */
export function leaveOneInterestOut(rows: readonly CalibrationRow[]): Map<string, Platt> {
  const interests = [...new Set(rows.map((r) => r.interest))].sort();
  return new Map(interests.map((i) => [i, fitPlatt(rows.filter((r) => r.interest !== i))]));
}
