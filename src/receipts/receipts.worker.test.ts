import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../index';
import { api, BASE } from '../../test/worker/support';
import { jwkThumbprint } from './jws';

describe('GET /.well-known/jwks.json', () => {
  it('publishes the public half of RECEIPT_SIGNING_KEY under its RFC 7638 thumbprint, without the private part', async () => {
    const res = await api('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/jwk-set+json');
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    const configured = JSON.parse(env.RECEIPT_SIGNING_KEY!) as { x: string };
    expect(keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: configured.x, kid: await jwkThumbprint(configured), alg: 'EdDSA', use: 'sig' }]);
  });

  it('also lists retired keys so receipts from before a rotation still verify', async () => {
    const retired = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
      d: 'must-not-be-published',
    };
    const res = await app.fetch(new Request(`${BASE}/.well-known/jwks.json`), { ...env, RECEIPT_RETIRED_KEYS: JSON.stringify([retired]) });
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(keys.map((k) => k.kid)).toEqual([expect.any(String), retired.kid]);
    expect(JSON.stringify(keys)).not.toContain('must-not-be-published');
  });

  it.each([undefined, 'not a key'])('answers 503 problem+json when the key is %s', async (value) => {
    const res = await app.fetch(new Request(`${BASE}/.well-known/jwks.json`), { ...env, RECEIPT_SIGNING_KEY: value });
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 503, title: 'Receipt signing not configured' });
  });
});
