// Per-client request rates through the real Rate Limiting bindings of wrangler.toml (miniflare).
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, importSplit, makePng, postJson, row, sha256Hex, uploadImage } from '../../test/worker/support';

// The documented defaults (README, wrangler.toml): 120 scorings and 60 NDJSON exports a minute per client.
const SCORING_LIMIT = 120;
const EXPORT_LIMIT = 60;
const WINDOW_SECONDS = 60;

beforeAll(async () => {
  const png = await makePng(4, 4, 30);
  await uploadImage(png);
  const sha = await sha256Hex(png);
  expect((await importSplit('val', [row(0, sha), row(1, sha)])).status).toBe(200);
});

function scoreVal(headers: Record<string, string>): Promise<Response> {
  return api('/v1/scores?split=val', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: '{"predictions": {"0": "B", "1": "A"}}',
  });
}

/** The limiter runs before validation, so a malformed request (400, no D1 read) counts like any other: a cheap burst. */
function malformedScoring(headers: Record<string, string>): Promise<Response> {
  return api('/v1/scores?split=nope', { method: 'POST', headers });
}

/**
 * Requests until the first refusal; how many passed. The binding counts in fixed windows, so a burst
 * that straddles a window edge may pass up to twice the limit, never more.
 */
async function burstUntilRefused(send: () => Promise<Response>, limit: number): Promise<{ passed: number; refused: Response }> {
  for (let passed = 0; passed < 2 * limit + 1; passed++) {
    const res = await send();
    if (res.status === 429) return { passed, refused: res };
    expect(res.status).toBeLessThan(429);
    await res.arrayBuffer();
  }
  throw new Error(`no 429 after ${2 * limit + 1} requests`);
}

describe('rate limits', () => {
  it('a burst of scorings from one client ends in 429 with Retry-After and RateLimit headers; others are unaffected', async () => {
    const client = { 'CF-Connecting-IP': '198.51.100.7' };
    const first = await scoreVal(client);
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Policy')).toBe(`"scoring";q=${SCORING_LIMIT};w=${WINDOW_SECONDS}`);
    const { passed, refused } = await burstUntilRefused(() => malformedScoring(client), SCORING_LIMIT);
    expect(passed + 1).toBeGreaterThanOrEqual(SCORING_LIMIT);
    // The first scoring and the burst together: at most two windows' worth.
    expect(passed + 1).toBeLessThanOrEqual(2 * SCORING_LIMIT);

    expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
    expect(refused.headers.get('Retry-After')).toBe(String(WINDOW_SECONDS));
    expect(refused.headers.get('RateLimit-Policy')).toBe(`"scoring";q=${SCORING_LIMIT};w=${WINDOW_SECONDS}`);
    expect(refused.headers.get('RateLimit')).toBe(`"scoring";r=0;t=${WINDOW_SECONDS}`);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    expect((await scoreVal(client)).status).toBe(429);
    // A made-up token does not buy a fresh quota: it counts against the address.
    expect((await scoreVal({ ...client, Authorization: 'Bearer gmb_made-up' })).status).toBe(429);

    // Another address, a live token (counted by its id, whatever address it comes from) and the admin pass.
    expect((await scoreVal({ 'CF-Connecting-IP': '198.51.100.8' })).status).toBe(200);
    const { token } = (await (await postJson('/v1/admin/tokens', { name: 'ci' })).json()) as { token: string };
    expect((await scoreVal({ ...client, Authorization: `Bearer ${token}` })).status).toBe(200);
    const asAdmin = { ...client, Authorization: `Bearer ${env.ADMIN_TOKEN}` };
    for (let i = 0; i < 2 * SCORING_LIMIT + 1; i++) {
      const res = await malformedScoring(asAdmin);
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    }
    const scored = await scoreVal(asAdmin);
    expect(scored.status).toBe(200);
    expect(scored.headers.get('RateLimit-Policy')).toBeNull();
  });

  it('NDJSON exports are limited; JSON pages of the same route are not', async () => {
    const client = { 'CF-Connecting-IP': '198.51.100.10' };
    const ndjson = (query = 'split=val') => api(`/v1/questions?${query}`, { headers: { ...client, Accept: 'application/x-ndjson' } });
    const first = await ndjson();
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Policy')).toBe(`"export";q=${EXPORT_LIMIT};w=${WINDOW_SECONDS}`);
    await first.arrayBuffer();
    const { passed, refused } = await burstUntilRefused(() => ndjson('split=nope'), EXPORT_LIMIT);
    expect(passed + 1).toBeGreaterThanOrEqual(EXPORT_LIMIT);
    expect(refused.headers.get('RateLimit')).toBe(`"export";r=0;t=${WINDOW_SECONDS}`);
    await refused.arrayBuffer();
    const page = await api('/v1/questions?split=val', { headers: client });
    expect(page.status).toBe(200);
    expect(page.headers.get('RateLimit-Policy')).toBeNull();
    await page.arrayBuffer();
    // Still the same window: the export stays refused.
    expect((await ndjson()).status).toBe(429);
  });
});
