// Who is calling (admin, a scoring token, or nobody known), resolved once per request, and the
// guard routes use to demand a token with a scope.
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { bearerChallenge, bearerToken } from '../http/bearer';
import { ProblemError } from '../http/problem';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { Caller } from './caller';
import type { TokenScope } from './scopes';
import { lookupToken, type VerifiedToken } from './tokens.store';

export const TOKEN_REALM = 'gmai-mmbench';

/** The caller of this request; the token is looked up once (the rate limiter and the route share it). */
export async function identifyCaller(c: Context<AppEnv>): Promise<Caller> {
  const known = c.get('caller');
  if (known) return known;
  const given = bearerToken(c.req.header('Authorization'));
  let caller: Caller;
  if (given === null) caller = { kind: 'anonymous', presented: 'none' };
  else if (c.env.ADMIN_TOKEN && (await timingSafeEqual(given, c.env.ADMIN_TOKEN))) caller = { kind: 'admin' };
  else {
    const found = await lookupToken(c.var.db, given);
    caller = found.status === 'live' ? { kind: 'token', token: found.token } : { kind: 'anonymous', presented: found.status };
  }
  c.set('caller', caller);
  return caller;
}

type Rejection = 'admin' | Extract<Caller, { kind: 'anonymous' }>['presented'];

const REJECTED: Record<Rejection, string> = {
  none: 'This request needs Authorization: Bearer <token>; tokens are issued with `npm run token -- create <name>`.',
  unknown: 'The bearer token is not known.',
  revoked: 'The bearer token has been revoked.',
  expired: 'The bearer token has expired.',
  admin: 'The admin token is not a scoring token; issue one with `npm run token -- create <name>`.',
};

/** The calling token when it is live and has `scope`; else a 401 (no usable token) or 403 (scope missing). */
export async function requireToken(c: Context<AppEnv>, scope: TokenScope): Promise<VerifiedToken> {
  const caller = await identifyCaller(c);
  if (caller.kind === 'token') {
    if (caller.token.scopes.includes(scope)) return caller.token;
    throw new ProblemError({
      status: 403,
      title: 'Insufficient scope',
      detail: `This request needs a token with scope ${scope}; this one has ${caller.token.scopes.join(', ') || 'none'}.`,
      headers: { 'WWW-Authenticate': bearerChallenge({ realm: TOKEN_REALM, error: 'insufficient_scope', scope }) },
    });
  }
  const reason: Rejection = caller.kind === 'admin' ? 'admin' : caller.presented;
  const challenge =
    reason === 'none' ? { realm: TOKEN_REALM, scope } : { realm: TOKEN_REALM, error: 'invalid_token' as const, description: `${reason} token`, scope };
  throw new ProblemError({ status: 401, title: 'Unauthorized', detail: REJECTED[reason], headers: { 'WWW-Authenticate': bearerChallenge(challenge) } });
}

/** Scoring a split with hidden answers needs a live token with scope score:test. */
export function requireScoringToken(c: Context<AppEnv>): Promise<VerifiedToken> {
  return requireToken(c, 'score:test');
}
