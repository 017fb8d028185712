// Base64 (RFC 4648 §4, padded) of a byte stream, chunk by chunk, as ASCII bytes: every chunk but the
// last is encoded up to a multiple of 3 bytes and the 0-2 bytes left over wait for the next, so the
// output is the base64 of the whole stream while memory holds one chunk. Pure (no Workers APIs).

const ALPHABET = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 0x3d;

/** Base64 of `bytes` (length a multiple of 3 unless it is the end of the stream). */
export function encodeBase64Ascii(bytes: Uint8Array): Uint8Array {
  const whole = bytes.length - (bytes.length % 3);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o] = ALPHABET[n >> 18]!;
    out[o + 1] = ALPHABET[(n >> 12) & 63]!;
    out[o + 2] = ALPHABET[(n >> 6) & 63]!;
    out[o + 3] = ALPHABET[n & 63]!;
    o += 4;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o] = ALPHABET[n >> 18]!;
    out[o + 1] = ALPHABET[(n >> 12) & 63]!;
    out[o + 2] = rest === 2 ? ALPHABET[(n >> 6) & 63]! : PAD;
    out[o + 3] = PAD;
  }
  return out;
}

/** The base64 of everything `chunks` yields, as a sequence of ASCII chunks. */
export async function* base64Chunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry = new Uint8Array(0);
  for await (const chunk of chunks) {
    const joined = carry.length ? concat(carry, chunk) : chunk;
    const cut = joined.length - (joined.length % 3);
    if (cut > 0) yield encodeBase64Ascii(joined.subarray(0, cut));
    // A copy: the source may reuse its chunk's buffer.
    carry = joined.slice(cut);
  }
  if (carry.length) yield encodeBase64Ascii(carry);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
