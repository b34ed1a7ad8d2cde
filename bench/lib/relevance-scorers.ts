/**
 * The systems the relevance benchmark runs side by side, behind one interface: the head
 * (lib/head.ts, and ablations of it), the naive head it replaces, the
 * TF-IDF fallback tier (lib/tfidf.ts), and the offline ceiling.
 */
import { createHead, observe as observeHead, predict, update, type HeadOptions } from '../../lib/head';
import { createTfidf, observe as observeTfidf, scoreText, updateTfidf } from '../../lib/tfidf';

export interface BenchParagraph {
  readonly id: string;
  readonly text: string;
  readonly embedding: Float32Array;
}

export interface PrototypeSpec {
  readonly id: string;
  readonly text: string;
  readonly embedding: Float32Array;
}

/** The simulated learner's stated interest, and the contrast topics its head is built with. */
export interface InterestSpec extends PrototypeSpec {
  readonly contrasts: readonly PrototypeSpec[];
}

/** A system as the simulated learner meets it; higher scores mean more relevant. */
export interface OnlineScorer {
  /** The learner opened a page with these paragraphs (unlabelled). */
  observe(paragraphs: readonly BenchParagraph[]): void;
  score(paragraphs: readonly BenchParagraph[]): number[];
  feedback(paragraph: BenchParagraph, label: 0 | 1): void;
}

export interface ScorerSpec {
  readonly name: string;
  readonly create: (interest: InterestSpec, encoderId: string, dims: number) => OnlineScorer;
}

/** The head; `pickContrasts` chooses which contrast topics it gets (all by default; ablations pass fewer). */
export function headScorer(
  name: string,
  options: Partial<HeadOptions> = {},
  pickContrasts: (all: readonly PrototypeSpec[]) => readonly PrototypeSpec[] = (all) => all,
): ScorerSpec {
  return {
    name,
    create(interest, encoderId, dims) {
      let head = createHead(encoderId, dims, [interest], { contrasts: pickContrasts(interest.contrasts), options });
      return {
        observe: (ps) => void (head = observeHead(head, ps.map((p) => p.embedding))),
        score: (ps) => ps.map((p) => predict(head, p.embedding)),
        feedback: (p, label) => void (head = update(head, { id: p.id, embedding: p.embedding, label, weight: 1 })),
      };
    },
  };
}

export const tfidfScorer: ScorerSpec = {
  name: 'tfidf online LR',
  create(interest) {
    const state = createTfidf([interest.text]);
    return {
      observe: (ps) => void observeTfidf(state, ps.map((p) => p.text)),
      score: (ps) => ps.map((p) => scoreText(state, p.text)),
      feedback: (p, label) => void updateTfidf(state, p.text, label),
    };
  },
};

function unit(v: Float32Array): Float64Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return Float64Array.from(v, (x) => x / n);
}

/** Dot product over a's length (b may be longer: the weight vector with its bias last). */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The naive head the task describes as the thing to beat: cosine to the interest until the
 * first label, then plain online logistic regression from zero weights (one SGD step per
 * event, small L2, no replay, no class balance, no prior).
 */
export const naiveHeadScorer: ScorerSpec = {
  name: 'naive head',
  create(interest) {
    const q = unit(interest.embedding);
    let w: Float64Array | undefined;
    let b = 0;
    const LR = 0.5;
    const L2 = 1e-3;
    return {
      observe: () => {},
      score: (ps) => ps.map((p) => {
        const x = unit(p.embedding);
        return w ? dot(w, x) + b : dot(q, x);
      }),
      feedback: (p, label) => {
        const x = unit(p.embedding);
        w ??= new Float64Array(x.length);
        const g = sigmoid(dot(w, x) + b) - label;
        for (let j = 0; j < x.length; j++) w[j] = w[j]! - LR * (g * x[j]! + L2 * w[j]!);
        b -= LR * g;
      },
    };
  },
};

/**
 * The ceiling: logistic regression fitted offline on every labelled stream paragraph (not
 * just the 200 the learner judged), balanced classes, L2 1e-2 (per example, on unit-norm
 * inputs), full-batch Nesterov gradient descent to convergence. Returns held-out scores.
 */
export function offlineCeiling(train: readonly { embedding: Float32Array; label: 0 | 1 }[], test: readonly Float32Array[]): number[] {
  const X = train.map((t) => unit(t.embedding));
  const y = train.map((t) => t.label);
  const d = X[0]!.length;
  const nPos = y.filter((v) => v === 1).length;
  const nNeg = y.length - nPos;
  const sw = y.map((v) => (v ? y.length / (2 * nPos) : y.length / (2 * nNeg)));
  const lambda = 1e-2 * y.length;
  let L = lambda;
  sw.forEach((s) => (L += 0.25 * s * 2));
  const step = 1 / L;
  const theta = new Float64Array(d + 1);
  let prev = Float64Array.from(theta);
  const look = new Float64Array(d + 1);
  const grad = new Float64Array(d + 1);
  for (let t = 1; t <= 300; t++) {
    const m = (t - 1) / (t + 2);
    for (let j = 0; j <= d; j++) look[j] = theta[j]! + m * (theta[j]! - prev[j]!);
    grad.fill(0);
    X.forEach((x, i) => {
      const g = (sigmoid(dot(x, look) + look[d]!) - y[i]!) * sw[i]!;
      for (let j = 0; j < d; j++) grad[j]! += g * x[j]!;
      grad[d]! += g;
    });
    for (let j = 0; j < d; j++) grad[j]! += lambda * look[j]!;
    prev = Float64Array.from(theta);
    for (let j = 0; j <= d; j++) theta[j] = look[j]! - step * grad[j]!;
  }
  return test.map((e) => dot(unit(e), theta) + theta[d]!);
}
