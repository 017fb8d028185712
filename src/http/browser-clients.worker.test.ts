// Browsers on other origins as clients: CORS preflights and grants, and the security headers.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, makePng, sha256Hex, uploadImage } from '../../test/worker/support';

const ORIGIN = 'https://notebook.example';
let imagePath = '';

beforeAll(async () => {
  const png = await makePng(4, 4, 10);
  expect((await uploadImage(png)).status).toBeLessThan(300);
  imagePath = `/v1/images/${await sha256Hex(png)}`;
});

/** What a browser sends before a non-simple cross-origin request. */
function preflight(path: string, method: string, headers: string): Promise<Response> {
  return api(path, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers } });
}

function listed(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

describe('CORS preflight', () => {
  it.each([
    ['/v1/questions?split=val', 'GET', 'authorization,if-none-match', ['GET', 'HEAD', 'OPTIONS']],
    ['/v1/scores?split=test', 'POST', 'authorization,content-type', ['POST', 'OPTIONS']],
    ['image', 'GET', 'range,if-none-match', ['GET', 'HEAD', 'OPTIONS']],
  ])('%s %s: 204 with the methods the path accepts and the requested headers', async (path, method, requested, methods) => {
    const res = await preflight(path === 'image' ? imagePath : path, method, requested);
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(listed(res.headers.get('Access-Control-Allow-Methods')).sort()).toEqual(methods.map((m) => m.toLowerCase()).sort());
    expect(listed(res.headers.get('Allow')).sort()).toEqual(methods.map((m) => m.toLowerCase()).sort());
    const allowedHeaders = listed(res.headers.get('Access-Control-Allow-Headers'));
    for (const h of [...requested.split(','), 'authorization', 'content-type', 'if-none-match', 'range']) expect(allowedHeaders).toContain(h);
    expect(Number(res.headers.get('Access-Control-Max-Age'))).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });

  it('a path with parameters is matched by its route pattern', async () => {
    const res = await preflight('/v1/questions/val/3', 'GET', 'if-none-match');
    expect(res.status).toBe(204);
    expect(listed(res.headers.get('Access-Control-Allow-Methods'))).toEqual(['get', 'head', 'options']);
  });

  it('an unknown path is still a 404 problem', async () => {
    const res = await preflight('/v1/nothing-here', 'GET', 'authorization');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('the admin API grants no other origin', async () => {
    const res = await preflight('/v1/admin/tokens', 'POST', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(listed(res.headers.get('Allow'))).toEqual(['get', 'head', 'post', 'options']);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Methods')).toBeNull();
    const listing = await admin('/v1/admin/tokens', { headers: { Origin: ORIGIN } });
    expect(listing.status).toBe(200);
    expect(listing.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('cross-origin requests', () => {
  const EXPOSED = ['etag', 'content-disposition', 'content-range', 'accept-ranges', 'retry-after', 'ratelimit', 'ratelimit-policy', 'link'];

  it('a GET is granted to any origin, without credentials, exposing the headers clients read', async () => {
    const res = await api('/v1/splits', { headers: { Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    const exposed = listed(res.headers.get('Access-Control-Expose-Headers'));
    for (const h of EXPOSED) expect(exposed).toContain(h);
    expect(res.headers.get('ETag')).toBeTruthy();
  });

  it('a POST of predictions and its error answer are granted too', async () => {
    const res = await api('/v1/scores?split=val', {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: '{"predictions": {"0": "A"}}',
    });
    expect(res.status).toBe(409); // no VAL imported in this file: the problem must still reach the page
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(listed(res.headers.get('Access-Control-Expose-Headers'))).toContain('ratelimit-policy');
  });

  it('a ranged image read exposes Content-Range and may be embedded anywhere', async () => {
    const res = await api(imagePath, { headers: { Origin: ORIGIN, Range: 'bytes=0-3' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(listed(res.headers.get('Access-Control-Expose-Headers'))).toContain('content-range');
  });
});

describe('security headers', () => {
  it('nosniff on JSON, image and problem responses', async () => {
    for (const res of [await api('/v1/health'), await api(imagePath), await api('/v1/questions?split=nope')]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      await res.arrayBuffer();
    }
  });

  it('a strict Content-Security-Policy on HTML', async () => {
    const res = await api('/docs');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const policy = new Map(
      (res.headers.get('Content-Security-Policy') ?? '').split(';').map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name!, sources];
      }),
    );
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    // Scripts: only the page's own origin (the bundled reference, which compiles validators with eval), never inline.
    const scripts = policy.get('script-src') ?? policy.get('default-src')!;
    expect(scripts).toEqual(["'self'", "'unsafe-eval'"]);
    const html = await res.text();
    for (const [, src] of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) expect(src).toMatch(/^\/[^/]/);
    for (const [, body] of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) expect(body!.trim()).toBe('');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  });
});
