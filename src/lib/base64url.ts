// Unpadded base64url (RFC 4648 §5) over hono's codec, decoding only the canonical spelling.
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';

export function toBase64Url(bytes: Uint8Array): string {
  // slice(): hono takes an ArrayBuffer, and a view's buffer may hold more than its bytes.
  return encodeBase64Url(bytes.slice().buffer).replace(/=+$/, '');
}

/** Null unless `text` is exactly what toBase64Url gives for some bytes (even the unused low bits of the last character count). */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const bytes = decodeBase64Url(text);
  return toBase64Url(bytes) === text ? bytes : null;
}
