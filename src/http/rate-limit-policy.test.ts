// The RateLimit-Policy header states the limits the bindings enforce, which only wrangler.toml knows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS, rateLimitExceededHeaders, rateLimitPolicyHeader } from './rate-limit-policy';

function configuredRateLimits(): Map<string, { limit: number; period: number }> {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  const blocks = toml.split('[[ratelimits]]').slice(1);
  return new Map(
    blocks.map((block) => {
      const name = /^name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
      const simple = /^simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)\s*\}/m.exec(block);
      if (!name || !simple) throw new Error(`unreadable [[ratelimits]] block: ${block}`);
      return [name, { limit: Number(simple[1]), period: Number(simple[2]) }];
    }),
  );
}

describe('rate-limit policies', () => {
  it('agree with the bindings in wrangler.toml, one binding per class', () => {
    const configured = configuredRateLimits();
    expect(configured.size).toBe(Object.keys(RATE_LIMITS).length);
    for (const { binding, limit, period } of Object.values(RATE_LIMITS)) expect(configured.get(binding)).toEqual({ limit, period });
  });

  it('are stated in the draft-ietf-httpapi-ratelimit-headers syntax', () => {
    expect(rateLimitPolicyHeader('scoring')).toBe('"scoring";q=120;w=60');
    expect(rateLimitExceededHeaders('export')).toEqual({ 'Retry-After': '60', 'RateLimit-Policy': '"export";q=60;w=60', RateLimit: '"export";r=0;t=60' });
  });
});
