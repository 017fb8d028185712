import type { Database } from './db/database';
import type { Caller } from './tokens/caller';

/** Bindings declared in wrangler.toml (and the ADMIN_TOKEN secret). */
export interface Bindings {
  DB: D1Database;
  IMAGES: R2Bucket;
  /** Request-rate limits per client (wrangler.toml `[[ratelimits]]`, see src/http/rate-limit.ts). */
  SCORING_RATE_LIMITER: RateLimit;
  RUNS_RATE_LIMITER: RateLimit;
  COMPARE_RATE_LIMITER: RateLimit;
  EXPORT_RATE_LIMITER: RateLimit;
  /** Guards imports and token management; unset means those routes answer 503. */
  ADMIN_TOKEN?: string;
  /** Keys the HMAC of pagination cursors; optional (a built-in key keeps them tamper-evident). */
  CURSOR_SECRET?: string;
  /** Distinct TEST scorings a token may request per 24 hours (default 20). */
  SCORING_DAILY_LIMIT?: string;
  /** Private Ed25519 JWK (JSON text) that signs run receipts; unset means runs and the JWKS answer 503. */
  RECEIPT_SIGNING_KEY?: string;
  /** JSON array of public JWKs of keys signed with before a rotation, still published in the JWKS. */
  RECEIPT_RETIRED_KEYS?: string;
}

export interface AppEnv {
  Bindings: Bindings;
  /** `caller` is set by identifyCaller (src/tokens/require-token.ts) on first use. */
  Variables: { db: Database; caller?: Caller };
}
