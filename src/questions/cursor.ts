// Opaque keyset cursors: `<payload>.<mac>`, both base64url. The payload carries the last key of the
// page, a digest of the selection (filters + order) and the dataset version; the HMAC-SHA-256 makes
// any edit detectable, so a changed or foreign cursor is a 400 rather than a surprising page.
import { fromBase64Url, toBase64Url } from '../lib/base64url';
import { sha256Hex } from '../lib/digest';

/** Last row of a page: its index, and its bm25 rank when ordered by relevance. */
export type CursorKey = { index: number } | { rank: number; index: number };

/** `selection` is the canonical text of the filters and order (cursorSelection), `version` the dataset's. */
interface CursorPayload {
  key: CursorKey;
  selection: string;
  version: string;
}

/** A valid cursor's key and the dataset version it was issued for (the caller compares it). */
export type CursorCheck = { ok: true; key: CursorKey; version: string } | { ok: false; reason: string };

export const STALE_CURSOR = 'was issued for an earlier dataset version; restart without a cursor';

/** Used when CURSOR_SECRET is unset: cursors stay tamper-evident, though then forgeable by anyone reading this source. */
const DEFAULT_SECRET = 'gmai-mmbench cursor key v1';
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function macKey(secret: string | undefined): Promise<CryptoKey> {
  const material = secret || DEFAULT_SECRET;
  let key = keys.get(material);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(`cursor:${material}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(material, key);
  }
  return key;
}

export async function encodeCursor(payload: CursorPayload, secret: string | undefined): Promise<string> {
  const body = encoder.encode(JSON.stringify([payload.key, await digest(payload.selection), payload.version]));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await macKey(secret), body));
  return `${toBase64Url(body)}.${toBase64Url(mac)}`;
}

/** Checks the cursor's integrity and that it belongs to this selection. */
export async function decodeCursor(cursor: string, selection: string, secret: string | undefined): Promise<CursorCheck> {
  const invalid: CursorCheck = { ok: false, reason: 'is not a cursor issued by this API' };
  const [bodyText, macText, extra] = cursor.split('.');
  if (bodyText === undefined || macText === undefined || extra !== undefined) return invalid;
  const body = fromBase64Url(bodyText);
  const mac = fromBase64Url(macText);
  if (!body || !mac || !(await crypto.subtle.verify('HMAC', await macKey(secret), mac, body))) return invalid;
  const payload = parsePayload(new TextDecoder().decode(body));
  if (!payload) return invalid;
  if (payload.selection !== (await digest(selection))) return { ok: false, reason: 'belongs to other filters or another order; restart without a cursor' };
  return { ok: true, key: payload.key, version: payload.version };
}

/** A long selection (an index list) must not make the cursor long: it carries a digest. */
async function digest(selection: string): Promise<string> {
  return (await sha256Hex(selection)).slice(0, 24);
}

function parsePayload(text: string): CursorPayload | null {
  // Signed by us, so well-formed unless the MAC key is known (the default one is public): checked
  // anyway, so a forged cursor is still a 400 and its key a safe integer/number.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [key, selection, version] = value as unknown[];
  if (typeof selection !== 'string' || typeof version !== 'string' || !isKey(key)) return null;
  return { key, selection, version };
}

function isKey(key: unknown): key is CursorKey {
  if (typeof key !== 'object' || key === null) return false;
  const k = key as Record<string, unknown>;
  const indexOk = Number.isSafeInteger(k.index) && (k.index as number) >= 0;
  return 'rank' in k ? indexOk && Number.isFinite(k.rank) && Object.keys(k).length === 2 : indexOk && Object.keys(k).length === 1;
}
