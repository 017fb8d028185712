// GET /.well-known/jwks.json: the public keys receipts are signed with, and the signing key seam.
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import type { AppEnv, Bindings } from '../env';
import { ProblemError } from '../http/problem';
import { ProblemSchema } from '../openapi/responses';
import { importSigningKey, type PublicJwk, type SigningKey } from './jws';

const NOT_CONFIGURED = new ProblemError({
  status: 503,
  title: 'Receipt signing not configured',
  detail: 'The RECEIPT_SIGNING_KEY secret (a private Ed25519 JWK) is not set or not valid, so receipts cannot be signed or verified here.',
});

// One import per isolate and key text (the secret does not change while an isolate lives).
const imported = new Map<string, Promise<SigningKey>>();

/** The configured signing key, or a 503 problem when the secret is missing or malformed. */
export async function receiptSigningKey(env: Pick<Bindings, 'RECEIPT_SIGNING_KEY'>): Promise<SigningKey> {
  const text = env.RECEIPT_SIGNING_KEY;
  if (!text) throw NOT_CONFIGURED;
  let key = imported.get(text);
  if (!key) {
    key = importSigningKey(text);
    imported.set(text, key);
  }
  try {
    return await key;
  } catch {
    imported.delete(text);
    throw NOT_CONFIGURED;
  }
}

/** The current key, then retired public keys (RECEIPT_RETIRED_KEYS) so receipts signed before a rotation still verify. */
async function publishedKeys(env: Bindings): Promise<PublicJwk[]> {
  const current = (await receiptSigningKey(env)).publicJwk;
  let retired: unknown = [];
  try {
    retired = JSON.parse(env.RECEIPT_RETIRED_KEYS ?? '[]');
  } catch {
    retired = [];
  }
  const previous = Array.isArray(retired)
    ? retired.filter(
        (k): k is PublicJwk => k?.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string' && typeof k.kid === 'string' && k.kid !== current.kid,
      )
    : [];
  return [current, ...previous.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid, alg: 'EdDSA' as const, use: 'sig' as const }))];
}

export const receiptRoutes = new Hono<AppEnv>().get(
  '/.well-known/jwks.json',
  describeRoute({
    tags: ['runs'],
    summary: 'Public keys of run receipts (JWKS)',
    description:
      'Each run carries `receipt`, a compact JWS (EdDSA, Ed25519) whose header names the signing key by `kid` (its RFC 7638 thumbprint). ' +
      'Verify a receipt offline with this key set: `npm run gmai -- verify <receipt>` or any JOSE library.',
    responses: {
      200: { description: 'The key set.', content: { 'application/jwk-set+json': { schema: { type: 'object' } } } },
      503: { description: 'RECEIPT_SIGNING_KEY is not configured.', content: { 'application/problem+json': { schema: resolver(ProblemSchema) } } },
    },
  }),
  async (c) => {
    const keys = await publishedKeys(c.env);
    return c.body(JSON.stringify({ keys }), 200, { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=300' });
  },
);
