// Browsers as clients. Every route but /v1/admin is open to any origin: authentication is a bearer
// token, never a cookie, so `*` without credentials cannot be abused from another site. Preflights
// are answered from the app's own route table, so the allowed methods are what the path really takes.
import type { MiddlewareHandler } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { RouterRoute } from 'hono/types';

const ALLOWED_REQUEST_HEADERS = 'Authorization, Content-Type, Accept, If-None-Match, If-Match, If-Modified-Since, If-Unmodified-Since, If-Range, Range';
/** Response headers beyond the CORS-safelisted ones that clients read. */
const EXPOSED_HEADERS =
  'ETag, Subset-Id, Content-Disposition, Content-Range, Accept-Ranges, Retry-After, RateLimit, RateLimit-Policy, Link, Location, WWW-Authenticate';
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The admin API is for the operator's CLI; browsers on other origins get no CORS grant for it. */
function openToOtherOrigins(path: string): boolean {
  return path !== '/v1/admin' && !path.startsWith('/v1/admin/');
}

/** The methods each path accepts, from registered routes (middleware, registered as ALL, is not a route). */
export function methodsByPath(routes: readonly RouterRoute[]): (path: string) => string[] {
  const router = new TrieRouter<string>();
  for (const route of routes) if (route.method !== 'ALL') router.add('ALL', route.path, route.method);
  return (path) => {
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
    if (methods.size === 0) return [];
    // Hono answers HEAD through a GET route, and this middleware answers OPTIONS.
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
  };
}

/** `routes` is read on the first request, when every route is registered. */
export function crossOrigin(routes: () => readonly RouterRoute[]): MiddlewareHandler {
  let methodsOf: ((path: string) => string[]) | undefined;
  return async (c, next) => {
    const open = openToOtherOrigins(c.req.path);
    if (c.req.method === 'OPTIONS') {
      methodsOf ??= methodsByPath(routes());
      const methods = methodsOf(c.req.path).join(', ');
      // An unknown path falls through to the 404 problem.
      if (methods) {
        const headers: Record<string, string> = { Allow: methods };
        if (open) {
          Object.assign(headers, {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Methods': methods,
            'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS,
            'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
          });
        }
        return c.body(null, 204, headers);
      }
    }
    await next();
    if (open) {
      c.res.headers.set('Access-Control-Allow-Origin', '*');
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  };
}
