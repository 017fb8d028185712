import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { bearerToken } from '../http/bearer';
import { ProblemError } from '../http/problem';
import { verifyToken } from './tokens.store';

/** Scoring a split with hidden answers needs a live token from `npm run token -- create`. */
export async function requireScoringToken(c: Context<AppEnv>): Promise<{ id: string; name: string }> {
  const token = bearerToken(c.req.header('Authorization'));
  const found = token === null ? null : await verifyToken(c.var.db, token);
  if (found === null) {
    throw new ProblemError({
      status: 401,
      title: 'Unauthorized',
      detail: 'Scoring TEST needs Authorization: Bearer <token>; tokens are issued with `npm run token -- create <name>`.',
    });
  }
  return found;
}
