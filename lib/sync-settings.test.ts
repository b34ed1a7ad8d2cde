import { describe, expect, it } from 'vitest';
import { parseSyncAddress, syncAge, syncFailureLine, syncResultLine } from './sync-settings';

describe('the sync server address', () => {
  it('takes https anywhere and http only on this computer, and keeps the credentials out of it', () => {
    expect(parseSyncAddress(' https://cloud.example.org/remote.php/dav/files/ana/Reader ')).toEqual({ ok: true, url: 'https://cloud.example.org/remote.php/dav/files/ana/Reader/', origin: 'https://cloud.example.org' });
    expect(parseSyncAddress('http://127.0.0.1:8080/dav').ok).toBe(true);
    expect(parseSyncAddress('http://nas.local/dav').ok).toBe(false);
    expect(parseSyncAddress('ftp://example.org/').ok).toBe(false);
    expect(parseSyncAddress('https://ana:secret@example.org/').ok).toBe(false);
    expect(parseSyncAddress('not an address').ok).toBe(false);
  });
});

describe('what the learner reads about a sync', () => {
  it('counts what was merged and sent', () => {
    expect(syncResultLine({ merged: 2, uploaded: 3, refused: [] })).toBe('2 updates from your other devices merged; this device’s changes sent.');
    expect(syncResultLine({ merged: 0, uploaded: null, refused: [{}] })).toBe('Nothing new from your other devices; nothing new to send; 1 damaged file on the server left out.');
  });

  it('names the cause of a failure', () => {
    expect(syncFailureLine('wrong-passphrase', '')).toMatch(/^Wrong sync passphrase/);
    expect(syncFailureLine('insufficient-storage', '')).toMatch(/\(507\)/);
  });

  it('says how long ago in the largest unit that fits', () => {
    const now = Date.UTC(2026, 11, 3, 12);
    expect(syncAge(now - 20_000, now)).toEqual({ value: 0, unit: 'second' });
    expect(syncAge(now - 59 * 60_000, now)).toEqual({ value: 59, unit: 'minute' });
    expect(syncAge(now - 60 * 60_000, now)).toEqual({ value: 1, unit: 'hour' });
    expect(syncAge(now - 25 * 3600_000, now)).toEqual({ value: 1, unit: 'day' });
    // A clock set back since the sync does not say "in 5 minutes".
    expect(syncAge(now + 5 * 60_000, now)).toEqual({ value: 0, unit: 'second' });
  });
});
