// Receipts signed by our WebCrypto code, checked with Node's own Ed25519 (OpenSSL) and RFC 8037's vectors.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyText, importSigningKey, jwkThumbprint, readReceiptPayload, signReceipt, verifyReceipt, type ReceiptPayload } from './jws';

const payload: ReceiptPayload = {
  run_id: 'run_01',
  model: 'Qwen2-VL-7B-Instruct',
  split: 'val',
  dataset_version: '0123456789abcdef',
  predictions_sha256: 'a'.repeat(64),
  results: { 'vlmevalkit-2024': { n: 4550, correct: 2114, accuracy: 2114 / 4550 } },
  iat: 1_760_000_000,
};

function nodeVerifies(jws: string, x: string): boolean {
  const [header, body, signature] = jws.split('.') as [string, string, string];
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return nodeVerify(null, Buffer.from(`${header}.${body}`), key, Buffer.from(signature, 'base64url'));
}

describe('receipt JWS', () => {
  // RFC 8037 appendix A.1–A.4: the key, its thumbprint and the (deterministic) Ed25519 signature.
  const rfcKey = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

  it('computes the RFC 7638 thumbprint of RFC 8037 A.3', async () => {
    expect(await jwkThumbprint(rfcKey)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('signs as RFC 8037 A.4 does (same key, same signing input → same signature)', async () => {
    const key = await importSigningKey(JSON.stringify(rfcKey));
    const signingInput = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc';
    const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, new TextEncoder().encode(signingInput));
    expect(Buffer.from(signature).toString('base64url')).toBe('hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg');
  });

  it('produces receipts that Node/OpenSSL verifies with the published key, and names it by kid', async () => {
    const key = await importSigningKey(await generateSigningKeyText());
    const jws = await signReceipt(key, payload);
    expect(nodeVerifies(jws, key.publicJwk.x)).toBe(true);
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
    expect(header).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    expect(readReceiptPayload(jws)).toEqual(payload);
    expect(await verifyReceipt(jws, { keys: [key.publicJwk] })).toEqual({ ok: true, kid: key.kid, payload });
  });

  it('fails on a changed payload, a foreign key and malformed text', async () => {
    const key = await importSigningKey(await generateSigningKeyText());
    const other = await importSigningKey(await generateSigningKeyText());
    const jws = await signReceipt(key, payload);
    const [header, , signature] = jws.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...payload, results: { 'vlmevalkit-2024': { n: 4550, correct: 4000, accuracy: 0.88 } } })).toString('base64url')}.${signature}`;
    expect(nodeVerifies(forged, key.publicJwk.x)).toBe(false);
    expect(await verifyReceipt(forged, { keys: [key.publicJwk] })).toMatchObject({ ok: false, reason: expect.stringContaining('signature does not match') });
    expect(await verifyReceipt(jws, { keys: [other.publicJwk] })).toMatchObject({ ok: false, reason: expect.stringContaining('no Ed25519 key with kid') });
    // The right kid over the other key's x: the signature check itself must fail.
    expect(await verifyReceipt(jws, { keys: [{ ...other.publicJwk, kid: key.kid }] })).toMatchObject({ ok: false });
    for (const bad of ['', 'a.b', 'a.b.c.d', '!!.e30.AA', `${header}.%%%.${signature}`])
      expect((await verifyReceipt(bad, { keys: [key.publicJwk] })).ok).toBe(false);
  });

  it('refuses a signing key that is not a private Ed25519 JWK', async () => {
    await expect(importSigningKey('not json')).rejects.toThrow(/not JSON/);
    await expect(importSigningKey(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: rfcKey.x }))).rejects.toThrow(/private Ed25519 JWK/);
    await expect(importSigningKey(JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', d: 'b' }))).rejects.toThrow(/private Ed25519 JWK/);
  });
});
