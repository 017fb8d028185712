// Signed run receipts: compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), by WebCrypto alone,
// so the Worker signs and the CLI (or anyone with the JWKS) verifies offline with the same code.

/**
 * What a receipt asserts. The JWS header is `{"alg":"EdDSA","kid":<RFC 7638 thumbprint>,"typ":"JWT"}`;
 * the payload is this object as JSON: the run, the dataset version its questions come from, the
 * digest of the predictions, and per scorer the counts over every submitted question; `iat` is the
 * issue time in seconds since the epoch.
 */
export interface ReceiptPayload {
  readonly run_id: string;
  readonly model: string;
  readonly split: string;
  readonly dataset_version: string;
  readonly predictions_sha256: string;
  readonly results: Readonly<Record<string, { readonly n: number; readonly correct: number; readonly accuracy: number | null }>>;
  readonly iat: number;
}

/** An Ed25519 public key as published in the JWKS. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export interface SigningKey {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: CryptoKey;
}

export type VerifyResult = { readonly ok: true; readonly kid: string; readonly payload: ReceiptPayload } | { readonly ok: false; readonly reason: string };

const ED25519 = { name: 'Ed25519' } as const;

/** A new private key as JWK JSON text (the form RECEIPT_SIGNING_KEY takes). */
export async function generateSigningKeyText(): Promise<string> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, d } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  return JSON.stringify({ kty, crv, x, d });
}

/** Reads a private Ed25519 JWK (JSON text); throws a TypeError saying what is wrong. */
export async function importSigningKey(jwkText: string): Promise<SigningKey> {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(jwkText) as Record<string, unknown>;
  } catch {
    throw new TypeError('the signing key is not JSON (expected a private Ed25519 JWK)');
  }
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.d !== 'string') {
    throw new TypeError('the signing key must be a private Ed25519 JWK: {"kty":"OKP","crv":"Ed25519","x":…,"d":…}');
  }
  const privateKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, ED25519, false, ['sign']);
  const kid = await jwkThumbprint({ x: jwk.x });
  return { kid, privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' } };
}

/** RFC 7638 thumbprint of an Ed25519 key: base64url SHA-256 of {"crv","kty","x"} in that order. */
export async function jwkThumbprint(jwk: { readonly x: string }): Promise<string> {
  const canonical = JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: jwk.x });
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))));
}

export async function signReceipt(key: SigningKey, payload: ReceiptPayload): Promise<string> {
  const header = encodeJson({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
  const signingInput = `${header}.${encodeJson(payload)}`;
  const signature = await crypto.subtle.sign(ED25519, key.privateKey, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

/** Checks a compact JWS against a JWKS (the key named by its kid); never throws for a bad receipt. */
export async function verifyReceipt(jws: string, jwks: { readonly keys: readonly Partial<PublicJwk>[] }): Promise<VerifyResult> {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a compact JWS (three base64url parts separated by dots)' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart) as { alg?: unknown; kid?: unknown } | null;
  if (header?.alg !== 'EdDSA') return { ok: false, reason: 'the header is not an EdDSA JWS header' };
  const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string');
  if (!jwk) return { ok: false, reason: `no Ed25519 key with kid ${JSON.stringify(header.kid)} in the key set` };
  const signature = base64urlDecode(signaturePart);
  if (!signature) return { ok: false, reason: 'the signature is not base64url' };
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED25519, false, ['verify']);
  const valid = await crypto.subtle.verify(ED25519, publicKey, signature, new TextEncoder().encode(`${headerPart}.${payloadPart}`));
  if (!valid) return { ok: false, reason: 'the signature does not match the header and payload' };
  const payload = decodeJson(payloadPart) as ReceiptPayload | null;
  if (!payload || typeof payload.run_id !== 'string') return { ok: false, reason: 'the payload is not a receipt' };
  return { ok: true, kid: header.kid as string, payload };
}

/** The payload of a compact JWS without checking it (to show what a receipt claims). */
export function readReceiptPayload(jws: string): ReceiptPayload | null {
  const payloadPart = jws.trim().split('.')[1];
  return payloadPart === undefined ? null : (decodeJson(payloadPart) as ReceiptPayload | null);
}

function encodeJson(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

function decodeJson(part: string): unknown {
  const bytes = base64urlDecode(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
