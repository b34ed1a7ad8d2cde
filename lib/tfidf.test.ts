import { describe, expect, it } from 'vitest';
import { createTfidf, observe, scoreText, termCounts, tfidfBaseRate, tfidfWithoutLabels, updateTfidf, vectorise } from './tfidf';
import { seededRandom as rng } from './random';

// A tiny synthetic corpus: two "topics" with their own vocabularies over shared filler.
const FILLER = ['the', 'a', 'of', 'and', 'said', 'year', 'people', 'new', 'after', 'which', 'also', 'would'];
const GARDEN = ['garden', 'roses', 'soil', 'compost', 'pruning', 'seedlings', 'greenhouse', 'tulips'];
const RAIL = ['railway', 'locomotive', 'timetable', 'platform', 'signals', 'carriages', 'freight', 'sleeper'];

function paragraph(rand: () => number, topic: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < 20; i++) {
    const pool = rand() < 0.25 ? topic : FILLER;
    out.push(pool[Math.floor(rand() * pool.length)]!);
  }
  return out.join(' ');
}

function logLoss(state: ReturnType<typeof createTfidf>, items: { text: string; label: 0 | 1 }[]) {
  let s = 0;
  for (const { text, label } of items) {
    const p = scoreText(state, text);
    s -= Math.log(label ? p : 1 - p);
  }
  return s / items.length;
}

function auc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!labels[i]) return;
    scores.forEach((t, j) => {
      if (labels[j]) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('termCounts and vectorise', () => {
  it('adds a five-character prefix feature so inflections meet', () => {
    const a = termCounts('technology');
    const b = termCounts('technological');
    expect(a.get('p:techn')).toBe(1);
    expect(b.get('p:techn')).toBe(1);
    expect(termCounts('cat').has('p:cat')).toBe(false);
  });
  it('is L2-normalised and discounts words seen in every paragraph', () => {
    const s = createTfidf([]);
    observe(s, ['the garden', 'the railway', 'the signals']);
    const v = vectorise(s, 'the garden');
    const norm = Math.hypot(...v.values());
    expect(norm).toBeCloseTo(1, 10);
    expect(v.get('w:garden')!).toBeGreaterThan(v.get('w:the')!);
  });
  it('cannot be confused by a word named like an Object.prototype member', () => {
    const s = createTfidf(['__proto__ constructor']);
    observe(s, ['__proto__ constructor toString']);
    expect(Object.getPrototypeOf(s.df)).toBe(Object.prototype);
    expect(scoreText(s, 'constructor __proto__')).toBeGreaterThan(scoreText(s, 'railway'));
  });
});

describe('cold start from interest phrases', () => {
  it('ranks paragraphs with the interest word (or an inflection) above those without', () => {
    const s = createTfidf(['technology']);
    const on = scoreText(s, 'New technologies are changing the way people work.');
    const off = scoreText(s, 'The match ended in a draw after a late goal.');
    expect(on).toBeGreaterThan(off);
    // No interest word at all: the a-priori base rate.
    expect(off).toBeCloseTo(0.2, 5);
  });
});

describe('online learning', () => {
  const rand = rng(7);
  const make = (n: number, positiveShare: number) =>
    Array.from({ length: n }, () => {
      const label = (rand() < positiveShare ? 1 : 0) as 0 | 1;
      return { text: paragraph(rand, label ? GARDEN : RAIL), label };
    });

  it('reduces log loss on held-out paragraphs', () => {
    // The stated interest ("plants") is not a word of the topic: only feedback can help.
    const s = createTfidf(['plants']);
    const stream = make(150, 0.3);
    const heldOut = make(100, 0.3);
    observe(s, stream.map((x) => x.text));
    const before = logLoss(s, heldOut);
    for (const x of stream) updateTfidf(s, x.text, x.label);
    expect(logLoss(s, heldOut)).toBeLessThan(before * 0.6);
  });

  it('handles class imbalance: rare positives still rank and score above negatives', () => {
    const r = rng(11);
    const sample = (n: number, share: number) =>
      Array.from({ length: n }, () => {
        const label = (r() < share ? 1 : 0) as 0 | 1;
        return { text: paragraph(r, label ? GARDEN : RAIL), label };
      });
    const s = createTfidf(['plants']);
    // Two positives in a hundred: an unweighted model learns mostly "not relevant".
    for (const x of sample(300, 0.02)) updateTfidf(s, x.text, x.label);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const balanced = sample(400, 0.5);
    const scores = balanced.map((x) => scoreText(s, x.text));
    expect(auc(scores, balanced.map((x) => x.label))).toBeGreaterThan(0.95);
    // The balanced weights still give a typical positive a probability close to even odds,
    // far above the 2% base rate (without the balance it falls to about 0.3)...
    expect(mean(scores.filter((_, i) => balanced[i]!.label))).toBeGreaterThan(0.45);
    // ...while the bias tracks the rare base rate, so on a stream like the training one the
    // mean probability stays near 2% (calibrated in the large).
    expect(mean(sample(400, 0.02).map((x) => scoreText(s, x.text)))).toBeLessThan(0.08);
  });

  it('smooths the base rate from the a-priori one in five towards the labels', () => {
    const s = createTfidf(['garden']);
    expect(tfidfBaseRate(s)).toBeCloseTo(0.2, 12);
    for (let i = 0; i < 45; i++) updateTfidf(s, 'railway freight', 0);
    for (let i = 0; i < 5; i++) updateTfidf(s, 'garden roses', 1);
    expect(tfidfBaseRate(s)).toBeCloseTo(6 / 55, 12);
  });

  it('ignores examples with no weight', () => {
    const s = createTfidf(['garden']);
    const before = JSON.stringify(s);
    updateTfidf(s, 'garden roses', 0, 0);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('state', () => {
  it('round-trips through structuredClone and JSON and scores the same', () => {
    const s = createTfidf(['garden']);
    observe(s, ['garden roses soil', 'railway signals']);
    updateTfidf(s, 'garden compost', 1);
    updateTfidf(s, 'railway freight', 0);
    const text = 'roses in the garden near the railway';
    for (const copy of [structuredClone(s), JSON.parse(JSON.stringify(s))]) {
      expect(scoreText(copy, text)).toBe(scoreText(s, text));
    }
  });
});

describe('implicit evidence', () => {
  it('counts explicit labels apart from weaker implicit ones', () => {
    const s = createTfidf(['garden roses']);
    updateTfidf(s, 'the garden roses', 0, 0.2);
    updateTfidf(s, 'the garden soil', 0, 0.2);
    expect(s.explicitLabels ?? 0).toBe(0);
    updateTfidf(s, 'the railway timetable', 0, 1);
    expect(s.explicitLabels).toBe(1);
  });

  it('scores as the interest prior alone once labels are set aside, document frequencies kept', () => {
    const rand = rng(7);
    const texts = Array.from({ length: 30 }, (_, i) => paragraph(rand, i % 2 ? GARDEN : RAIL));
    const fresh = observe(createTfidf(['garden roses compost']), texts);
    const taught = observe(createTfidf(['garden roses compost']), texts);
    for (const t of texts.slice(0, 10)) updateTfidf(taught, t, 0, 0.2);
    const probe = texts[15]!;
    expect(scoreText(taught, probe)).not.toBeCloseTo(scoreText(fresh, probe), 6);
    const set = tfidfWithoutLabels(taught);
    expect(set.df).toBe(taught.df);
    expect(tfidfBaseRate(set)).toBeCloseTo(tfidfBaseRate(fresh), 12);
    for (const t of texts.slice(10, 20)) expect(scoreText(set, t)).toBeCloseTo(scoreText(fresh, t), 12);
    // The learned state itself is untouched.
    expect(taught.negatives).toBeCloseTo(2, 12);
  });
});
