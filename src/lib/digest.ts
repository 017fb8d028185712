// sha256 as lower-case hex: the name of every stored image and the digest of imports and predictions.
import * as v from 'valibot';

export const Sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex sha256'));

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
