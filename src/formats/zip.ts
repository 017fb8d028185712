import { Inflate } from 'fflate';
import { MalformedFileError } from './malformed-file-error';

/**
 * Reads named entries of a zip archive held in memory, with a budget on the bytes it expands.
 *
 * The central directory is read here rather than through fflate's `unzipSync` because `unzipSync`
 * trusts the declared sizes: it allocates whatever an entry claims and, when an entry claims less
 * than it holds, keeps inflating (up to ~1000× the compressed size) into a buffer that silently
 * drops the excess, which costs CPU time and hides truncation. Here each entry is inflated in small
 * steps and refused as soon as it outgrows its declared size, and its CRC-32 is checked.
 */

interface ZipEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** Compressed bytes pushed per inflate step: bounds the output one step can produce (~1000×). */
const INFLATE_STEP = 16 * 1024;

export class ZipArchive {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;
  private expandedBytes = 0;

  /** `maxExpandedBytes`: the most this archive may expand to, over all entries read. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxExpandedBytes: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readCentralDirectory();
  }

  /** The entry's bytes, or undefined when the archive has no entry of that name. */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.flags & 1) throw new MalformedFileError(`${name} is encrypted`);
    if (entry.uncompressedSize > this.maxExpandedBytes - this.expandedBytes) {
      const limit = `${Math.round(this.maxExpandedBytes / 2 ** 20)} MiB`;
      throw new MalformedFileError(`the file expands to more than ${limit} (at ${name}); submit a TSV or JSON file instead`);
    }
    const data = this.compressedData(entry);
    const expanded = entry.method === STORED ? data : inflateEntry(entry, data);
    if (expanded.length !== entry.uncompressedSize) {
      throw new MalformedFileError(`${name} is truncated or corrupt (size differs from the zip directory)`);
    }
    if (crc32(expanded) !== entry.crc32) throw new MalformedFileError(`${name} is corrupt (CRC-32 mismatch)`);
    this.expandedBytes += expanded.length;
    return expanded;
  }

  private readCentralDirectory(): void {
    const end = this.findEndOfCentralDirectory();
    const count = this.u16(end + 10);
    const size = this.u32(end + 12);
    let offset = this.u32(end + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      throw new MalformedFileError('ZIP64 archives are not supported');
    }
    const names = new TextDecoder();
    for (let i = 0; i < count; i++) {
      if (offset + 46 > this.bytes.length || this.u32(offset) !== CENTRAL_DIRECTORY_HEADER) {
        throw new MalformedFileError('the zip central directory is corrupt');
      }
      const nameLength = this.u16(offset + 28);
      const nameEnd = offset + 46 + nameLength;
      if (nameEnd > this.bytes.length) throw new MalformedFileError('the zip central directory is corrupt');
      const name = names.decode(this.bytes.subarray(offset + 46, nameEnd));
      // Later entries of the same name win, as with Python's zipfile (which openpyxl reads through).
      this.entries.set(name, {
        name,
        flags: this.u16(offset + 8),
        method: this.u16(offset + 10),
        crc32: this.u32(offset + 16),
        compressedSize: this.u32(offset + 20),
        uncompressedSize: this.u32(offset + 24),
        localHeaderOffset: this.u32(offset + 42),
      });
      offset = nameEnd + this.u16(offset + 30) + this.u16(offset + 32);
    }
  }

  /** The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes. */
  private findEndOfCentralDirectory(): number {
    const lowest = Math.max(0, this.bytes.length - 22 - 0xffff);
    for (let at = this.bytes.length - 22; at >= lowest; at--) {
      if (this.u32(at) === END_OF_CENTRAL_DIRECTORY) return at;
    }
    throw new MalformedFileError('not a zip archive (an .xlsx file is a zip archive)');
  }

  private compressedData(entry: ZipEntry): Uint8Array {
    const header = entry.localHeaderOffset;
    if (header + 30 > this.bytes.length || this.u32(header) !== LOCAL_FILE_HEADER) {
      throw new MalformedFileError(`${entry.name}: corrupt zip entry header`);
    }
    const start = header + 30 + this.u16(header + 26) + this.u16(header + 28);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw new MalformedFileError(`${entry.name} is truncated`);
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw new MalformedFileError(`${entry.name} uses unsupported zip compression method ${entry.method}`);
    }
    return this.bytes.subarray(start, end);
  }

  private u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, true);
  }
}

function inflateEntry(entry: ZipEntry, data: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      throw new MalformedFileError(`${entry.name} expands beyond the size the zip directory declares`);
    }
    chunks.push(chunk);
  });
  try {
    let at = 0;
    do {
      const next = Math.min(at + INFLATE_STEP, data.length);
      inflater.push(data.subarray(at, next), next === data.length);
      at = next;
    } while (at < data.length);
  } catch (error) {
    if (error instanceof MalformedFileError) throw error;
    throw new MalformedFileError(`${entry.name} is corrupt (invalid deflate data)`);
  }
  const expanded = new Uint8Array(produced);
  let at = 0;
  for (const chunk of chunks) {
    expanded.set(chunk, at);
    at += chunk.length;
  }
  return expanded;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3, as in zip). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  // Indices are in range by construction (a byte, masked to 0..255).
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
