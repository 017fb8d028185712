// Headers every response carries so browsers treat this API's bytes only as what they are.
import type { MiddlewareHandler } from 'hono';

type Directive =
  | 'default-src'
  | 'script-src'
  | 'style-src'
  | 'img-src'
  | 'font-src'
  | 'connect-src'
  | 'object-src'
  | 'base-uri'
  | 'form-action'
  | 'frame-ancestors';

/** Same-origin everything, no inline script, no plugins, no framing. */
const STRICT_POLICY: Partial<Record<Directive, string[]>> = {
  'default-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The strict policy with extra sources for some directives (a pinned script URL, a script's
 * 'sha256-…' hash). A page that needs one sets its own Content-Security-Policy built with this.
 */
export function contentSecurityPolicy(extra: Partial<Record<Directive, string[]>> = {}): string {
  const directives = { ...STRICT_POLICY };
  for (const [name, sources] of Object.entries(extra) as [Directive, string[]][]) {
    directives[name] = [...(directives[name] ?? STRICT_POLICY['default-src']!), ...sources];
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

const STRICT_CSP = contentSecurityPolicy();

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  const html = /^text\/html\b/i.test(headers.get('Content-Type') ?? '');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  // Images and data are meant to be embedded and fetched by other origins; pages are not.
  headers.set('Cross-Origin-Resource-Policy', html ? 'same-origin' : 'cross-origin');
  if (html && !headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', STRICT_CSP);
};
