import { describe, expect, it } from 'vitest';
import { MANIFEST_COMMANDS, PASSAGE_COMMANDS, passageStep } from './shortcuts';

describe('keyboard shortcuts', () => {
  it('maps the two passage commands to their direction, and nothing else', () => {
    expect(passageStep('next-passage')).toBe(1);
    expect(passageStep('previous-passage')).toBe(-1);
    expect(passageStep('_execute_action')).toBeUndefined();
    expect(passageStep('toString')).toBeUndefined();
  });

  it('declares every passage command in the manifest, with distinct keys the browsers accept', () => {
    for (const name of Object.keys(PASSAGE_COMMANDS)) expect(MANIFEST_COMMANDS).toHaveProperty(name);
    const keys = Object.values(MANIFEST_COMMANDS).map((c) => c.suggested_key.default);
    expect(new Set(keys).size).toBe(keys.length);
    // Chrome allows at most four suggested keys, each Ctrl/Alt (+ optional Shift) and one key.
    expect(keys.length).toBeLessThanOrEqual(4);
    for (const key of keys) expect(key).toMatch(/^(Ctrl|Alt)\+(Shift\+)?[A-Z0-9]$/);
  });
});
