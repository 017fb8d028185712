// Request-rate limits per client, one Workers Rate Limiting binding per class of costly request.
// The binding enforces its `simple` block in wrangler.toml; it cannot tell its numbers, so they are
// stated here too for the RateLimit-Policy header (rate-limit-policy.test.ts checks both agree).
// The defaults are far above what a busy CI pipeline sends and stop a runaway loop within a minute.

export const RATE_LIMITS = {
  scoring: { binding: 'SCORING_RATE_LIMITER', limit: 120, period: 60 },
  runs: { binding: 'RUNS_RATE_LIMITER', limit: 120, period: 60 },
  compare: { binding: 'COMPARE_RATE_LIMITER', limit: 300, period: 60 },
  export: { binding: 'EXPORT_RATE_LIMITER', limit: 60, period: 60 },
} as const;

export type RateLimitClass = keyof typeof RATE_LIMITS;

/** draft-ietf-httpapi-ratelimit-headers: the quota `q` per window `w` seconds. */
export function rateLimitPolicyHeader(kind: RateLimitClass): string {
  const { limit, period } = RATE_LIMITS[kind];
  return `"${kind}";q=${limit};w=${period}`;
}

/**
 * Headers of a refused request. The binding does not say when its window ends, so a full period is
 * the honest bound on when a retry succeeds.
 */
export function rateLimitExceededHeaders(kind: RateLimitClass): Record<string, string> {
  const { period } = RATE_LIMITS[kind];
  return { 'Retry-After': String(period), 'RateLimit-Policy': rateLimitPolicyHeader(kind), RateLimit: `"${kind}";r=0;t=${period}` };
}
