// The Range request header (RFC 9110 §14.2) for a single byte range. Anything this server does not
// serve as one range (other units, several ranges, invalid syntax) is ignored: the whole object is
// sent, which RFC 9110 allows.

export interface ByteRange {
  offset: number;
  length: number;
}

const SINGLE_BYTE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/** The range to serve of an object of `size` bytes, 'unsatisfiable' (416), or null for the whole object. */
export function resolveRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  const match = SINGLE_BYTE_RANGE.exec((header ?? '').trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '') {
    if (last === '') return null;
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { offset: Math.max(0, size - suffix), length: Math.min(suffix, size) };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`;
}
