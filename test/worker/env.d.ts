// Types of the bindings the Workers test pool provides (wrangler.toml + vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    IMAGES: R2Bucket;
    ADMIN_TOKEN?: string;
    SCORING_DAILY_LIMIT?: string;
    RECEIPT_SIGNING_KEY?: string;
    FUZZ_SEED: string;
    TEST_MIGRATIONS: import('@cloudflare/vitest-pool-workers').D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import('../../src/index');
  }
}
