import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, applySettingsPatch, densityShare, readSettings } from './settings';

describe('settings', () => {
  it('reads nothing as the defaults', () => {
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });
  it('keeps valid stored values and merges new defaults in', () => {
    const { onboarded: _dropped, ...older } = { ...DEFAULT_SETTINGS, budgetMinutes: 45 };
    expect(readSettings(older)).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45 });
  });
  it('falls back to the defaults when stored data is corrupt', () => {
    expect(readSettings({ ...DEFAULT_SETTINGS, budgetMinutes: -3 })).toEqual(DEFAULT_SETTINGS);
  });
  it('applies a patch and refuses an invalid one', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { interests: ['  rivers '] }).interests).toEqual(['rivers']);
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { rolloverHour: 25 })).toThrow();
  });
  it('orders densities', () => {
    expect(densityShare('few')).toBeLessThan(densityShare('normal'));
    expect(densityShare('normal')).toBeLessThan(densityShare('many'));
  });
});
