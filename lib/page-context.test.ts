import { describe, expect, it } from 'vitest';
import { inPageContext, pageCentre, PAGE_CONTEXT_WEIGHT } from './page-context';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));

describe('a paragraph read in the context of its page', () => {
  // Three paragraphs about one thing (axis 0) and one aside (axis 1).
  const page = [
    Float32Array.from([2, 0.2, 0]),
    Float32Array.from([1, 0, 0.1]),
    Float32Array.from([3, 0.1, 0.3]),
    Float32Array.from([0, 1, 0]),
  ];

  it('the centre is the mean of the unit embeddings, so a long vector does not outweigh a short one', () => {
    const c = pageCentre([Float32Array.from([10, 0]), Float32Array.from([0, 1])])!;
    expect(Array.from(c)).toEqual([0.5, 0.5]);
    expect(pageCentre([])).toBeNull();
  });

  it('weight 0 leaves each paragraph its own direction; every result is a unit vector', () => {
    const own = inPageContext(page, 0);
    own.forEach((v, i) => expect(dot(v, page[i]!) / norm(page[i]!)).toBeCloseTo(1, 6));
    for (const v of inPageContext(page, PAGE_CONTEXT_WEIGHT)) expect(norm(v)).toBeCloseTo(1, 6);
  });

  it('an aside inside a page about something else moves towards what the page is about', () => {
    const aside = page[3]!;
    const alone = inPageContext(page, 0)[3]!;
    const inContext = inPageContext(page, PAGE_CONTEXT_WEIGHT)[3]!;
    const topic = Float32Array.from([1, 0, 0]);
    expect(dot(alone, topic)).toBeCloseTo(0, 6);
    expect(dot(inContext, topic)).toBeGreaterThan(0.4);
    // It stays closer to its own direction than any paragraph on the page's topic is.
    expect(dot(inContext, aside)).toBeGreaterThan(dot(inPageContext(page, PAGE_CONTEXT_WEIGHT)[0]!, aside));
  });

  it('a given centre is used instead of the embeddings\' own (a page judged in turns)', () => {
    const centre = Float64Array.from([0, 0, 1]);
    const [v] = inPageContext([Float32Array.from([1, 0, 0])], 0.5, centre);
    expect(v![0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v![2]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});

describe('inPageContext', () => {
  it('gives bit for bit the mix of each unit vector with the unit centre, however the centre is given', () => {
    // The formula written out plainly: a faster form must not move a single bit, since a
    // page's highlights are chosen on these numbers.
    const unit = (v: ArrayLike<number>) => {
      let n = 0;
      for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
      const s = n > 0 ? 1 / Math.sqrt(n) : 0;
      return Array.from(v, (x) => x * s);
    };
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const page = Array.from({ length: 50 }, () => Float32Array.from({ length: 24 }, random));
    const centre = page.map(unit).reduce((sum, u) => sum.map((x, j) => x + u[j]!), new Array<number>(24).fill(0)).map((x) => x / page.length);
    const c = unit(centre);
    const expected = page.map((e) => Float32Array.from(unit(unit(e).map((x, j) => (1 - PAGE_CONTEXT_WEIGHT) * x + PAGE_CONTEXT_WEIGHT * c[j]!))));
    expect(Array.from(pageCentre(page)!)).toEqual(centre);
    expect(inPageContext(page, PAGE_CONTEXT_WEIGHT)).toEqual(expected);
    expect(inPageContext(page, PAGE_CONTEXT_WEIGHT, pageCentre(page))).toEqual(expected);
    expect(inPageContext(page, 0)).toEqual(page.map((e) => Float32Array.from(unit(e))));
    expect(inPageContext(page, PAGE_CONTEXT_WEIGHT, null)).toEqual(page.map((e) => Float32Array.from(unit(e))));
  });
});
