import { MalformedFileError } from './malformed-file-error';

/**
 * Reads named entries of a zip archive held in memory, with a budget on the bytes it expands.
 *
 * The central directory is read here rather than through fflate's `unzipSync` because `unzipSync`
 * trusts the declared sizes: it allocates whatever an entry claims and, when an entry claims less
 * than it holds, keeps inflating (up to ~1000× the compressed size) into a buffer that silently
 * drops the excess, which costs CPU time and hides truncation. Here each entry is inflated by the
 * runtime's native DecompressionStream (4× faster than fflate in JavaScript on the VAL sheet), fed in
 * small steps and refused as soon as it outgrows its declared size, and its CRC-32 is checked.
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
/** Compressed bytes written per inflate step: bounds the output one step can produce (~1000×). */
const INFLATE_STEP = 4 * 1024;

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
  async read(name: string): Promise<Uint8Array | undefined> {
    const entry = this.entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.flags & 1) throw new MalformedFileError(`${name} is encrypted`);
    if (entry.uncompressedSize > this.maxExpandedBytes - this.expandedBytes) {
      const limit = `${Math.round(this.maxExpandedBytes / 2 ** 20)} MiB`;
      throw new MalformedFileError(`the file expands to more than ${limit} (at ${name}); submit a TSV or JSON file instead`);
    }
    // Counted before inflating, so entries read at once cannot overrun the budget together.
    this.expandedBytes += entry.uncompressedSize;
    const data = this.compressedData(entry);
    const expanded = entry.method === STORED ? data : await inflateEntry(entry, data);
    if (expanded.length !== entry.uncompressedSize) {
      throw new MalformedFileError(`${name} is truncated or corrupt (size differs from the zip directory)`);
    }
    if (crc32(expanded) !== entry.crc32) throw new MalformedFileError(`${name} is corrupt (CRC-32 mismatch)`);
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

/**
 * Inflates into a buffer of the declared size; the stream's backpressure holds the inflater to one
 * step ahead of the reader, so a lying entry is stopped within a step of its declared size.
 */
async function inflateEntry(entry: ZipEntry, data: Uint8Array): Promise<Uint8Array> {
  const expanded = new Uint8Array(entry.uncompressedSize);
  const inflater = new DecompressionStream('deflate-raw');
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  const writing = (async () => {
    for (let at = 0; at < data.length; at += INFLATE_STEP) await writer.write(data.subarray(at, at + INFLATE_STEP));
    await writer.close();
  })();
  // A failed write also fails the read below, which reports it.
  writing.catch(() => undefined);
  let produced = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length > expanded.length - produced) {
        throw new MalformedFileError(`${entry.name} expands beyond the size the zip directory declares`);
      }
      expanded.set(value, produced);
      produced += value.length;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof MalformedFileError) throw error;
    throw new MalformedFileError(`${entry.name} is corrupt (invalid deflate data)`);
  }
  return produced === expanded.length ? expanded : expanded.subarray(0, produced);
}

/** Slicing-by-8 tables: table k maps a byte to its CRC contribution k bytes further on. */
const CRC_TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) tables[k * 256 + n] = (tables[(k - 1) * 256 + n]! >>> 8) ^ tables[tables[(k - 1) * 256 + n]! & 0xff]!;
  }
  return tables;
})();

/** CRC-32 (IEEE 802.3, as in zip), eight bytes a step (~5× the byte-at-a-time loop). */
export function crc32(bytes: Uint8Array): number {
  const t = CRC_TABLES;
  let crc = -1;
  let i = 0;
  // Indices are in range by construction (a byte, masked to 0..255, plus a table offset).
  for (const end8 = bytes.length - 7; i < end8; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[1792 + (low & 0xff)]! ^
      t[1536 + ((low >>> 8) & 0xff)]! ^
      t[1280 + ((low >>> 16) & 0xff)]! ^
      t[1024 + (low >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
