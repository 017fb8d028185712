import type { Database } from './db/database';
import type { Caller } from './tokens/caller';

/** Secrets and settings an operator may leave unset (wrangler.secrets.env says what each does). */
type OptionalSettings = 'ADMIN_TOKEN' | 'CURSOR_SECRET' | 'SCORING_DAILY_LIMIT' | 'RECEIPT_SIGNING_KEY' | 'RECEIPT_RETIRED_KEYS';

/**
 * The Worker's bindings as `npm run types` generates them from wrangler.toml into
 * worker-configuration.d.ts (checked against it by `npm test`), with the settings left optional.
 */
export type Bindings = Omit<Env, OptionalSettings> & Partial<Pick<Env, OptionalSettings>>;

export interface AppEnv {
  Bindings: Bindings;
  /** `caller` is set by identifyCaller (src/tokens/require-token.ts) on first use. */
  Variables: { db: Database; caller?: Caller };
}
