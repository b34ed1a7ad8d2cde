import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { BUNDLED_ENCODER_ID, DEFAULT_SETTINGS, SettingsSchema, applySettingsPatch, densityShare, isPaused, pauseSitePatch, readSettings, siteOf } from './settings';

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
  describe('encoderId', () => {
    it('defaults to the bundled USE-lite int8 encoder', () => {
      expect(DEFAULT_SETTINGS.encoderId).toBe('use-lite-int8');
      expect(BUNDLED_ENCODER_ID).toBe('use-lite-int8');
    });
    it('gives settings stored before the choice existed the default, keeping their other values', () => {
      const { encoderId: _absent, ...older } = { ...DEFAULT_SETTINGS, budgetMinutes: 45, interests: ['rivers'] };
      expect(readSettings(older)).toEqual({ ...DEFAULT_SETTINGS, budgetMinutes: 45, interests: ['rivers'] });
      // A backup written by an older version validates too (the schema fills the default).
      expect(v.parse(SettingsSchema, older).encoderId).toBe(BUNDLED_ENCODER_ID);
    });
    it('keeps a stored choice and accepts a patch naming a downloadable model', () => {
      const chosen = 'Xenova/paraphrase-multilingual-MiniLM-L12-v2:q8';
      expect(readSettings({ ...DEFAULT_SETTINGS, encoderId: chosen }).encoderId).toBe(chosen);
      expect(applySettingsPatch(DEFAULT_SETTINGS, { encoderId: chosen }).encoderId).toBe(chosen);
    });
    it('refuses an encoder id that is no id', () => {
      expect(() => applySettingsPatch(DEFAULT_SETTINGS, { encoderId: '../../etc/passwd?x' })).toThrow();
      expect(() => applySettingsPatch(DEFAULT_SETTINGS, { encoderId: '' })).toThrow();
    });
  });
});

describe('pausing', () => {
  it('pauses one site by host name, or every site', () => {
    const onSite = applySettingsPatch(DEFAULT_SETTINGS, pauseSitePatch(DEFAULT_SETTINGS, 'news.example', true));
    expect(isPaused(onSite, 'https://news.example/a?b')).toBe(true);
    expect(isPaused(onSite, 'https://other.example/')).toBe(false);
    const resumed = applySettingsPatch(onSite, pauseSitePatch(onSite, 'news.example', false));
    expect(isPaused(resumed, 'https://news.example/a')).toBe(false);
    expect(isPaused({ ...DEFAULT_SETTINGS, pausedEverywhere: true }, 'https://other.example/')).toBe(true);
  });
  it('has no site for addresses without a host', () => {
    expect(siteOf('about:blank')).toBeNull();
    expect(siteOf('not a url')).toBeNull();
    expect(isPaused({ ...DEFAULT_SETTINGS, pausedSites: ['x'] }, 'file:///x')).toBe(false);
  });
});
