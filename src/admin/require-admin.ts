import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../env';
import { ProblemError } from '../http/problem';
import { bearerChallenge, bearerToken } from '../http/bearer';

export const ADMIN_REALM = 'gmai-mmbench-admin';

/** Admin routes (imports, API tokens) need `Authorization: Bearer <ADMIN_TOKEN>`. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) {
    throw new ProblemError({ status: 503, title: 'Admin API disabled', detail: 'Set the ADMIN_TOKEN secret to enable imports and token management.' });
  }
  const given = bearerToken(c.req.header('Authorization'));
  if (given === null || !(await timingSafeEqual(given, expected))) {
    const challenge = given === null ? { realm: ADMIN_REALM } : { realm: ADMIN_REALM, error: 'invalid_token' as const, description: 'not the admin token' };
    throw new ProblemError({
      status: 401,
      title: 'Unauthorized',
      detail: given === null ? 'This route needs Authorization: Bearer <admin token>.' : 'The bearer token is not the admin token.',
      headers: { 'WWW-Authenticate': bearerChallenge(challenge) },
    });
  }
  await next();
};
