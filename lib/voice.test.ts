import { describe, expect, it } from 'vitest';
import { chooseVoice, type VoiceLike } from './voice';

const voice = (name: string, lang: string, localService = true, isDefault = false): VoiceLike => ({ name, lang, localService, default: isDefault });

describe('chooseVoice', () => {
  it('takes a local voice of the language, preferring the exact region', () => {
    const voices = [voice('us', 'en-US'), voice('gb', 'en-GB'), voice('de', 'de-DE')];
    expect(chooseVoice(voices, 'en-GB')?.name).toBe('gb');
    expect(chooseVoice(voices, 'en')?.name).toBe('us');
  });

  it('never takes a network voice, even the only one of the language', () => {
    expect(chooseVoice([voice('cloud', 'fr-FR', false, true)], 'fr')).toBeNull();
  });

  it('prefers the default voice among equals, and reads underscores in tags', () => {
    expect(chooseVoice([voice('a', 'en_US'), voice('b', 'en_US', true, true)], 'en-US')?.name).toBe('b');
  });

  it('has none for a language the device does not speak, or an unknown language', () => {
    expect(chooseVoice([voice('us', 'en-US')], 'ja')).toBeNull();
    expect(chooseVoice([voice('us', 'en-US')], 'und')).toBeNull();
  });
});
