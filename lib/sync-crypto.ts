/**
 * End-to-end encryption of what the learner syncs: the WebDAV server they choose only ever
 * holds ciphertext. WebCrypto (`crypto.subtle`) only, so the same code runs in the extension
 * and in Node's tests.
 *
 * - Key: PBKDF2-SHA256 over the learner's sync passphrase, with a random salt made once per
 *   sync account (the first device makes it; the others read it from any file's header) and
 *   600,000 iterations by default (OWASP's 2023 figure for PBKDF2-SHA256). From those bits
 *   HKDF derives two independent values: the AES-GCM-256 key, and a 16-byte key check.
 * - Every file is one envelope, sealed with its own random 96-bit IV:
 *
 *   | bytes  | field                                                    |
 *   |--------|----------------------------------------------------------|
 *   | 0-3    | magic "ARsy"                                             |
 *   | 4      | format version (1)                                       |
 *   | 5      | KDF (1 = PBKDF2-SHA256)                                  |
 *   | 6-9    | KDF iterations, unsigned big-endian                      |
 *   | 10-25  | account salt                                             |
 *   | 26-41  | key check                                                |
 *   | 42-53  | AES-GCM IV                                               |
 *   | 54-57  | header checksum: first 4 bytes of SHA-256 of bytes 0-53  |
 *   | 58-    | AES-GCM ciphertext with its 16-byte tag                  |
 *
 *   The whole header (and the caller's label, e.g. the file's name on the server) is bound
 *   to the ciphertext as additional data, so neither can be swapped without detection.
 * - Opening tells the learner's situations apart: the header checksum catches accidental
 *   damage to the header (so a damaged key check is never mistaken for a wrong passphrase);
 *   an intact header whose key check differs from this key's means the WRONG PASSPHRASE;
 *   anything else that fails (truncation, a flipped byte, a foreign file, another account's
 *   salt) is CORRUPT. Nothing that fails to open is ever merged.
 */
import { SyncError } from './sync-error';

export const ENVELOPE_MAGIC = Uint8Array.of(0x41, 0x52, 0x73, 0x79); // "ARsy"
export const ENVELOPE_VERSION = 1;
export const KDF_PBKDF2_SHA256 = 1;
/** OWASP Password Storage Cheat Sheet (2023): 600,000 iterations for PBKDF2-HMAC-SHA256. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
/** Bounds on an iteration count read from a file: a hostile header must neither weaken the key nor hang the device. */
export const MIN_PBKDF2_ITERATIONS = 1_000;
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const IV_BYTES = 12;
const HEADER_SUM_BYTES = 4;
const TAG_BYTES = 16;
const OFFSET = { version: 4, kdf: 5, iterations: 6, salt: 10, check: 26, iv: 42, sum: 54, body: 58 } as const;
export const ENVELOPE_HEADER_BYTES = OFFSET.body;

/** The per-account parameters of the key derivation, stored (not secret) in every file's header. */
export interface KdfParams {
  readonly iterations: number;
  readonly salt: Uint8Array<ArrayBuffer>;
}

/** The key of one sync account, derived from the passphrase; never leaves the device. */
export interface SyncKey {
  readonly params: KdfParams;
  readonly aes: CryptoKey;
  readonly check: Uint8Array<ArrayBuffer>;
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = new TextEncoder();

/** Parameters for a new sync account: a fresh random salt. */
export function newKdfParams(iterations = DEFAULT_PBKDF2_ITERATIONS): KdfParams {
  checkIterations(iterations);
  return { iterations, salt: globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES)) };
}

function checkIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be an integer from ${MIN_PBKDF2_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}.`);
  }
}

/** Slow on purpose (hundreds of milliseconds at the default count): derive once per session. */
export async function deriveSyncKey(passphrase: string, params: KdfParams): Promise<SyncKey> {
  checkIterations(params.iterations);
  if (params.salt.length !== SALT_BYTES) throw new RangeError(`A sync salt has ${SALT_BYTES} bytes.`);
  if (passphrase.length === 0) throw new RangeError('The sync passphrase cannot be empty.');
  const password = await subtle().importKey('raw', new Uint8Array(utf8.encode(passphrase.normalize('NFC'))), 'PBKDF2', false, ['deriveBits']);
  const master = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: params.salt, iterations: params.iterations },
    password,
    256,
  );
  const hkdf = await subtle().importKey('raw', master, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const info = (what: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8.encode(`attention-reader sync v1 ${what}`) });
  const aes = await subtle().deriveKey(info('segment key'), hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const check = new Uint8Array(await subtle().deriveBits(info('key check'), hkdf, CHECK_BYTES * 8));
  return { params: { iterations: params.iterations, salt: Uint8Array.from(params.salt) }, aes, check };
}

async function headerSum(header: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', header)).subarray(0, HEADER_SUM_BYTES);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function additionalData(header: Uint8Array, label: string): Uint8Array<ArrayBuffer> {
  const l = utf8.encode(label);
  const out = new Uint8Array(header.length + l.length);
  out.set(header, 0);
  out.set(l, header.length);
  return out;
}

/**
 * Encrypts `plaintext` into one envelope. `label` names what the file is (its path on the
 * server): opening it under another label fails, so the server cannot pass one file off as
 * another.
 */
export async function seal(key: SyncKey, plaintext: Uint8Array, label = ''): Promise<Uint8Array<ArrayBuffer>> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const header = new Uint8Array(OFFSET.body);
  header.set(ENVELOPE_MAGIC, 0);
  header[OFFSET.version] = ENVELOPE_VERSION;
  header[OFFSET.kdf] = KDF_PBKDF2_SHA256;
  new DataView(header.buffer).setUint32(OFFSET.iterations, key.params.iterations);
  header.set(key.params.salt, OFFSET.salt);
  header.set(key.check, OFFSET.check);
  header.set(iv, OFFSET.iv);
  header.set(await headerSum(header.subarray(0, OFFSET.sum)), OFFSET.sum);
  const body = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(header, label), tagLength: TAG_BYTES * 8 }, key.aes, new Uint8Array(plaintext)),
  );
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

const corrupt = (why: string) => new SyncError('corrupt', `A file on the sync server ${why}; it was not merged.`);

/**
 * The account parameters a file was sealed with, read without a key: how a new device
 * learns the salt. Throws SyncError 'corrupt' (not ours, damaged) or 'newer-version'.
 */
export async function readKdfParams(file: Uint8Array): Promise<KdfParams> {
  const bytes = new Uint8Array(file);
  if (bytes.length < ENVELOPE_MAGIC.length || !sameBytes(bytes.subarray(0, ENVELOPE_MAGIC.length), ENVELOPE_MAGIC)) {
    throw corrupt('is not a sync file of this extension');
  }
  if (bytes.length < OFFSET.version + 1) throw corrupt('is cut short');
  if (bytes[OFFSET.version] !== ENVELOPE_VERSION) {
    throw new SyncError('newer-version', 'The sync server holds data written by a newer version of the extension: update it on this device, then sync again.');
  }
  if (bytes.length < OFFSET.body + TAG_BYTES) throw corrupt('is cut short');
  if (!sameBytes(await headerSum(bytes.subarray(0, OFFSET.sum)), bytes.subarray(OFFSET.sum, OFFSET.body))) throw corrupt('is damaged');
  if (bytes[OFFSET.kdf] !== KDF_PBKDF2_SHA256) throw corrupt('uses an unknown key derivation');
  const iterations = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(OFFSET.iterations);
  if (iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) throw corrupt('has an implausible key derivation');
  return { iterations, salt: bytes.slice(OFFSET.salt, OFFSET.salt + SALT_BYTES) };
}

/**
 * Decrypts an envelope sealed by `seal` under the same `label`. Throws SyncError
 * 'wrong-passphrase' when the file is intact but was sealed with another passphrase,
 * 'corrupt' for anything damaged or foreign, 'newer-version' for a later format.
 */
export async function open(key: SyncKey, file: Uint8Array, label = ''): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(file);
  const params = await readKdfParams(bytes);
  if (params.iterations !== key.params.iterations || !sameBytes(params.salt, key.params.salt)) {
    throw corrupt('belongs to another sync account (it was reset, or the folder is shared)');
  }
  if (!sameBytes(bytes.subarray(OFFSET.check, OFFSET.check + CHECK_BYTES), key.check)) {
    throw new SyncError('wrong-passphrase', 'The sync passphrase is not the one this account was set up with: nothing was merged. Enter the passphrase used on your other devices.');
  }
  const header = bytes.subarray(0, OFFSET.body);
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(OFFSET.iv, OFFSET.iv + IV_BYTES), additionalData: additionalData(header, label), tagLength: TAG_BYTES * 8 },
      key.aes,
      bytes.subarray(OFFSET.body),
    );
    return new Uint8Array(plain);
  } catch (e) {
    throw new SyncError('corrupt', 'A file on the sync server is damaged or was altered; it was not merged.', { cause: e });
  }
}
