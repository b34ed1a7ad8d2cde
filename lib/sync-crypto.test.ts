import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PBKDF2_ITERATIONS, ENVELOPE_HEADER_BYTES, deriveSyncKey, newKdfParams, open, readKdfParams, seal, type SyncKey } from './sync-crypto';
import { syncFailure } from '../tests/webdav/faults';

// Few iterations keep the tests fast; the count is a parameter of the account, read back from files.
const ITERATIONS = 1_000;
const text = new TextEncoder();

describe('sync encryption', async () => {
  const params = newKdfParams(ITERATIONS);
  const key: SyncKey = await deriveSyncKey('correct horse battery staple', params);
  const message = text.encode('{"events":[{"kind":"word","word":"serendipity","state":"known"}]}');

  it('defaults to OWASP 2023 iterations and a fresh 16-byte salt per account', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a.iterations).toBe(DEFAULT_PBKDF2_ITERATIONS);
    expect(a.salt).toHaveLength(16);
    expect(Buffer.from(a.salt).equals(Buffer.from(b.salt))).toBe(false);
  });

  it('round-trips, with a fresh IV each time and no plaintext visible', async () => {
    const a = await seal(key, message, 'seg/d1/1');
    const b = await seal(key, message, 'seg/d1/1');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).includes(Buffer.from('serendipity'))).toBe(false);
    expect(a.length).toBe(ENVELOPE_HEADER_BYTES + message.length + 16);
    expect(await open(key, a, 'seg/d1/1')).toEqual(message);
    expect(await open(key, b, 'seg/d1/1')).toEqual(message);
  });

  it('round-trips any bytes, including none', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(await open(key, await seal(key, bytes))).toEqual(bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('a second device derives the same key from the passphrase and the salt in any file', async () => {
    const sealed = await seal(key, message, 'x');
    const learned = await readKdfParams(sealed);
    expect(learned.iterations).toBe(ITERATIONS);
    const other = await deriveSyncKey('correct horse battery staple', learned);
    expect(await open(other, sealed, 'x')).toEqual(message);
  });

  it('says "wrong passphrase" for an intact file and another passphrase', async () => {
    const sealed = await seal(key, message);
    const wrong = await deriveSyncKey('correct horse battery stapler', params);
    expect(await syncFailure(open(wrong, sealed))).toBe('wrong-passphrase');
  });

  it('says "corrupt" for every flipped bit, header or body, never "wrong passphrase"', async () => {
    const sealed = await seal(key, message, 'seg');
    for (let i = 0; i < sealed.length; i++) {
      const damaged = Uint8Array.from(sealed);
      damaged[i]! ^= 1 << (i % 8);
      const code = await syncFailure(open(key, damaged, 'seg'));
      // Byte 4 is the format version: a changed version reads as a newer format, not as damage to merge.
      expect(code, `byte ${i}`).toBe(i === 4 ? 'newer-version' : 'corrupt');
    }
  });

  it('says "corrupt" for every truncation', async () => {
    const sealed = await seal(key, message);
    for (let n = 0; n < sealed.length; n++) {
      expect(await syncFailure(open(key, sealed.subarray(0, n))), `${n} bytes`).toBe('corrupt');
    }
  });

  it('says "corrupt" for a foreign file, for another account, and for a file under another name', async () => {
    expect(await syncFailure(open(key, text.encode('<?xml version="1.0"?><d:multistatus/>')))).toBe('corrupt');
    expect(await syncFailure(open(key, new Uint8Array(200)))).toBe('corrupt');
    const otherAccount = await deriveSyncKey('correct horse battery staple', newKdfParams(ITERATIONS));
    expect(await syncFailure(open(key, await seal(otherAccount, message)))).toBe('corrupt');
    expect(await syncFailure(open(key, await seal(key, message, 'seg/d1/1'), 'seg/d1/2'))).toBe('corrupt');
  });

  it('refuses iteration counts a hostile header could use to weaken the key or hang the device', async () => {
    const sealed = await seal(key, message);
    for (const iterations of [1, 999, 10_000_001, 0xffffffff]) {
      const forged = Uint8Array.from(sealed);
      new DataView(forged.buffer).setUint32(6, iterations);
      // Recompute the header checksum so only the count is wrong.
      const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', forged.subarray(0, 54)));
      forged.set(sum.subarray(0, 4), 54);
      expect(await syncFailure(readKdfParams(forged))).toBe('corrupt');
    }
  });
});
