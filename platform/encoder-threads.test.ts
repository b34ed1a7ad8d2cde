import { describe, expect, it } from 'vitest';
import { forcedThreads } from './encoder-host';

describe("the benchmark's forced encoder threads", () => {
  it('takes a whole number from 1 to 16 and ignores anything else (a release build sets none)', () => {
    expect(forcedThreads('1')).toBe(1);
    expect(forcedThreads('2')).toBe(2);
    for (const bad of [undefined, '', '0', '-1', '1.5', 'two', '64']) expect(forcedThreads(bad)).toBeUndefined();
  });
});
