// rateLimit('scoring' | 'runs' | 'compare' | 'export'): per-client request rate of a costly route.
// The client is its token where it sends a live one, else its address; the admin is not limited.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { identifyCaller } from '../tokens/require-token';
import { ProblemError } from './problem';
import { RATE_LIMITS, rateLimitExceededHeaders, rateLimitPolicyHeader, type RateLimitClass } from './rate-limit-policy';

/** Requests without CF-Connecting-IP come from local tools (wrangler dev, tests) and share one key. */
const LOCAL_CLIENT = 'local';

/**
 * Attach to a route before its body is read: `.post('/runs', rateLimit('runs'), …)`. `applies` limits
 * only some requests of the route (e.g. one representation of it).
 */
export function rateLimit(kind: RateLimitClass, applies?: (c: Context<AppEnv>) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (applies && !applies(c)) return next();
    const caller = await identifyCaller(c);
    if (caller.kind === 'admin') return next();
    const key = caller.kind === 'token' ? `token:${caller.token.id}` : `ip:${c.req.header('CF-Connecting-IP') ?? LOCAL_CLIENT}`;
    // A failing limiter is a DependencyError (src/http/dependencies.ts): 503, like D1 and R2.
    const { success: allowed } = await c.env[RATE_LIMITS[kind].binding].limit({ key });
    if (!allowed) {
      const { limit, period } = RATE_LIMITS[kind];
      throw new ProblemError({
        status: 429,
        title: 'Too many requests',
        detail: `At most ${limit} ${kind} requests per ${period} seconds per client; retry after ${period} seconds.`,
        headers: rateLimitExceededHeaders(kind),
      });
    }
    await next();
    c.res.headers.set('RateLimit-Policy', rateLimitPolicyHeader(kind));
  };
}
