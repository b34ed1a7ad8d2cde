/**
 * The small statistics behind the level model's fit (scripts/fit-level.ts) and the level
 * benchmark (bench/level.ts): ridge regression on standardised features, ordinal cut-points,
 * and the figures of ../shared/data/README.md (exact and within-one accuracy, macro-F1,
 * Pearson and Spearman correlation). Small enough to write here rather than pull in a
 * numerics library: the systems are 12 x 12.
 */

export interface Ridge {
  readonly mean: number[];
  readonly scale: number[];
  readonly weights: number[];
  readonly intercept: number;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Ridge regression of y on the columns of X, each standardised to mean 0 and spread 1 on
 * the training rows (so one penalty `lambda` treats every feature alike); the intercept is
 * not penalised.
 */
export function fitRidge(X: readonly (readonly number[])[], y: readonly number[], lambda: number): Ridge {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / n);
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const z = X.map((r) => r.map((v, j) => (v - mean[j]!) / scale[j]!));
  const intercept = y.reduce((a, b) => a + b, 0) / n;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)));
  const b = Array.from({ length: d }, (_, i) => z.reduce((s, r, k) => s + r[i]! * (y[k]! - intercept), 0));
  return { mean, scale, weights: solve(a, b), intercept };
}

export function predictRidge(m: Ridge, x: readonly number[]): number {
  return x.reduce((s, v, j) => s + (m.weights[j]! * (v - m.mean[j]!)) / m.scale[j]!, m.intercept);
}

/** The class (1-based) of a score under increasing cut-points: 1 + the number of cuts at or below it. */
export function classOf(score: number, cuts: readonly number[]): number {
  let k = 0;
  while (k < cuts.length && score >= cuts[k]!) k++;
  return k + 1;
}

/**
 * How much macro-F1 counts beside exact accuracy when cut-points are chosen. Exact accuracy
 * alone squeezes the rare outer levels (A1, C2) to almost nothing, since the crowded middle
 * wins every tie; half a point of macro-F1 per point of accuracy gives them their room without
 * giving up accuracy on held-out sentences (CEFR-SP dev exact 0.587 -> 0.592, macro-F1 0.424 ->
 * 0.476; ReadMe++ val 0.417 -> 0.420, 0.279 -> 0.320).
 */
export const CUTS_F1_WEIGHT = 0.5;

/**
 * Cut-points between `count` ordered classes that maximise exact accuracy plus `f1Weight` x
 * macro-F1 on (score, class) pairs: start at the midpoints 1.5, 2.5, ... (the score is on the
 * class scale), then move one cut at a time to the best of 400 score quantiles between its
 * neighbours, three sweeps.
 */
export function fitOrdinalCuts(scores: readonly number[], classes: readonly number[], count: number, f1Weight = 0): number[] {
  const cuts = Array.from({ length: count - 1 }, (_, k) => k + 1.5);
  const sorted = [...scores].sort((a, b) => a - b);
  const candidates = [...new Set(Array.from({ length: 400 }, (_, i) => sorted[Math.floor((i / 399) * (sorted.length - 1))]!))];
  const objective = (cs: number[]) => {
    const predicted = scores.map((v) => classOf(v, cs));
    const f = classFigures(predicted, classes, count);
    return f.exact + f1Weight * f.macroF1;
  };
  for (let sweep = 0; sweep < 3; sweep++) {
    for (let k = 0; k < cuts.length; k++) {
      const lo = k > 0 ? cuts[k - 1]! : -Infinity;
      const hi = k < cuts.length - 1 ? cuts[k + 1]! : Infinity;
      let best = { value: objective(cuts), at: cuts[k]! };
      for (const c of candidates) {
        if (c <= lo || c >= hi) continue;
        const trial = cuts.slice();
        trial[k] = c;
        const v = objective(trial);
        if (v > best.value) best = { value: v, at: c };
      }
      cuts[k] = best.at;
    }
  }
  return cuts;
}

export interface ClassFigures {
  readonly exact: number;
  readonly withinOne: number;
  readonly macroF1: number;
  readonly n: number;
}

/** Exact accuracy, accuracy within one class, and macro-F1 over classes 1..count (a class never predicted nor present is left out). */
export function classFigures(predicted: readonly number[], truth: readonly number[], count: number): ClassFigures {
  const n = truth.length;
  let exact = 0;
  let near = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] === truth[i]) exact++;
    if (Math.abs(predicted[i]! - truth[i]!) <= 1) near++;
  }
  const f1s: number[] = [];
  for (let c = 1; c <= count; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    if (tp + fp + fn > 0) f1s.push((2 * tp) / (2 * tp + fp + fn));
  }
  return { exact: exact / n, withinOne: near / n, macroF1: f1s.reduce((a, b) => a + b, 0) / Math.max(1, f1s.length), n };
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Ranks from 1, ties given their mean rank. */
function ranks(a: readonly number[]): number[] {
  const order = a.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const r = new Array<number>(a.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1]!.v === order[s]!.v) e++;
    for (let k = s; k <= e; k++) r[order[k]!.i] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}

/** k contiguous folds over a seeded shuffle of 0..n-1: fold index per item. */
export function foldsOf(n: number, k: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n);
  order.forEach((item, pos) => (fold[item] = pos % k));
  return fold;
}
