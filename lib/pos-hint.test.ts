import { describe, expect, it } from 'vitest';
import { partOfSpeechHint } from './pos-hint';

describe('partOfSpeechHint', () => {
  it('says noun after a determiner or possessive', () => {
    expect(partOfSpeechHint('On Monday she went to the bank to open an account.', 'bank', 'en')).toBe('noun');
    expect(partOfSpeechHint('Her bank closed.', 'bank', 'en-GB')).toBe('noun');
  });

  it('says verb after a modal', () => {
    expect(partOfSpeechHint('You can bank on it.', 'bank', 'en')).toBe('verb');
    expect(partOfSpeechHint('I can’t bank on that.', 'bank', 'en')).toBe('verb');
  });

  it('gives no hint without a cue, at the start, or for another language', () => {
    expect(partOfSpeechHint('Banks lend money.', 'Banks', 'en')).toBeUndefined();
    expect(partOfSpeechHint('They bank online.', 'bank', 'en')).toBeUndefined();
    expect(partOfSpeechHint('Je vais à la banque.', 'banque', 'fr')).toBeUndefined();
  });
});
