/**
 * Files out of a zip archive the learner picked, read so that a hostile or damaged archive
 * cannot make the extension unpack more than it has agreed to.
 *
 * The archive's central directory (at its end) lists every file with its compressed and
 * unpacked sizes and a CRC-32. `listZipEntries` reads that list and checks that every
 * number in it points inside the archive; `readZipEntry` then inflates one file with fflate's
 * streaming `Inflate`, feeding it small slices and counting what comes out, so a file that
 * unpacks to more than it declared is stopped a slice after it passes its declared size, not
 * after it has filled memory (fflate's one-shot `unzipSync` inflates each file whole and
 * cannot stop early). A file whose unpacked bytes differ from its declared size or CRC is
 * refused as damaged. Limits on the declared sizes are the caller's (lib/yomitan.ts), checked
 * before anything is inflated.
 *
 * Supported: stored and deflated files, UTF-8 or ASCII names. Refused: encryption, other
 * compression methods, archives split over several disks, ZIP64 (archives over 4 GB).
 */
import { Inflate } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  readonly name: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  /** Unpacked size as the archive declares it. */
  readonly size: number;
  readonly crc32: number;
  /** Where the file's local header starts. */
  readonly headerOffset: number;
  readonly encrypted: boolean;
}

export type ZipErrorKind = 'not-zip' | 'damaged' | 'unsupported';

export class ZipError extends Error {
  override name = 'ZipError';
  constructor(
    readonly kind: ZipErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Compressed bytes handed to the inflater at a time: deflate's worst ratio (about 1:1032) turns 16 KiB into at most ~17 MB. */
const SLICE = 16 * 1024;

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

const utf8 = new TextDecoder('utf-8');

/** The end-of-central-directory record's offset, searching back over a possible comment. */
function findEnd(bytes: Uint8Array): number {
  const last = bytes.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (u32(bytes, at) === EOCD_SIGNATURE && at + EOCD_SIZE + u16(bytes, at + 20) <= bytes.length) return at;
  }
  throw new ZipError('not-zip', 'it is not a zip archive, or only the start of one (the end of the file is missing)');
}

/** Every file the archive lists, in the order of its central directory; throws ZipError. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  if (bytes.length < EOCD_SIZE) throw new ZipError('not-zip', 'it is not a zip archive (too short)');
  const end = findEnd(bytes);
  const disk = u16(bytes, end + 4);
  const directoryDisk = u16(bytes, end + 6);
  const onDisk = u16(bytes, end + 8);
  const count = u16(bytes, end + 10);
  const directorySize = u32(bytes, end + 12);
  const directoryOffset = u32(bytes, end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw new ZipError('unsupported', 'it is a ZIP64 archive (meant for archives over 4 GB), which is not supported');
  }
  if (disk !== 0 || directoryDisk !== 0 || onDisk !== count) throw new ZipError('unsupported', 'it is split over several files, which is not supported');
  if (directoryOffset + directorySize > end) throw new ZipError('damaged', 'the zip archive is damaged or incomplete (its table of contents points past its end)');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(bytes, at) !== CENTRAL_SIGNATURE) {
      throw new ZipError('damaged', `the zip archive is damaged (entry ${i + 1} of its table of contents is unreadable)`);
    }
    const flags = u16(bytes, at + 8);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw new ZipError('damaged', `the zip archive is damaged (entry ${i + 1} of its table of contents runs past its end)`);
    const entry: ZipEntry = {
      name: utf8.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: u16(bytes, at + 10),
      crc32: u32(bytes, at + 16),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      headerOffset: u32(bytes, at + 42),
      encrypted: (flags & 1) !== 0,
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.headerOffset === 0xffffffff) {
      throw new ZipError('unsupported', `"${entry.name}" is stored as ZIP64 (meant for files over 4 GB), which is not supported`);
    }
    if (entry.headerOffset + 30 > directoryOffset) throw new ZipError('damaged', `the zip archive is damaged ("${entry.name}" starts past the files' end)`);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Where an entry's compressed bytes are, from its local header. */
function dataRange(bytes: Uint8Array, entry: ZipEntry): { start: number; end: number } {
  const at = entry.headerOffset;
  if (u32(bytes, at) !== LOCAL_SIGNATURE) throw new ZipError('damaged', `the zip archive is damaged ("${entry.name}" has no header where its table of contents says)`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipError('damaged', `the zip archive is damaged or incomplete ("${entry.name}" is cut short)`);
  return { start, end };
}

/**
 * One file's bytes. The output never grows past the entry's declared size (plus at most one
 * slice's worth before it is noticed); a mismatch in size or CRC-32 throws ZipError('damaged').
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new ZipError('unsupported', `"${entry.name}" is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError('unsupported', `"${entry.name}" is compressed with a method other than deflate (${entry.method})`);
  const { start, end } = dataRange(bytes, entry);
  const damaged = (why: string) => new ZipError('damaged', `the zip archive is damaged ("${entry.name}" ${why})`);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged('does not have the size it declares');
    out = bytes.slice(start, end);
  } else {
    out = new Uint8Array(entry.size);
    let filled = 0;
    let finished = false;
    const inflater = new Inflate((chunk, final) => {
      if (filled + chunk.length > entry.size) throw damaged('unpacks to more than the size it declares');
      out.set(chunk, filled);
      filled += chunk.length;
      if (final) finished = true;
    });
    try {
      for (let at = start; at < end; at += SLICE) {
        const stop = Math.min(end, at + SLICE);
        inflater.push(bytes.subarray(at, stop), stop === end);
      }
      if (start === end) inflater.push(new Uint8Array(0), true);
    } catch (e) {
      if (e instanceof ZipError) throw e;
      throw damaged('cannot be unpacked');
    }
    if (!finished || filled !== entry.size) throw damaged('does not unpack to the size it declares');
  }
  if (crc32(out) !== entry.crc32) throw damaged('fails its checksum');
  return out;
}

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 as zip archives use it (the IEEE 802.3 polynomial, reflected). */
export function crc32(data: Uint8Array): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
