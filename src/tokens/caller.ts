// Who is calling: the type the request context carries (env.ts), apart from the code that resolves
// it (require-token.ts), so the context type does not depend on the routes' guards.
import type { TokenLookup, VerifiedToken } from './tokens.store';

export type Caller =
  | { kind: 'admin' }
  | { kind: 'token'; token: VerifiedToken }
  /** `presented`: what the Authorization header held, if anything. */
  | { kind: 'anonymous'; presented: 'none' | Exclude<TokenLookup['status'], 'live'> };
