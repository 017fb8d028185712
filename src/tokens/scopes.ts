// What a scoring token may do. Stored space-separated and sorted (OAuth's scope syntax).

export const TOKEN_SCOPES = ['runs:write', 'score:test'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function formatScopes(scopes: readonly TokenScope[]): string {
  return [...new Set(scopes)].sort().join(' ');
}

/** Unknown words (a scope removed from a later version) are dropped rather than trusted. */
export function parseScopes(stored: string): TokenScope[] {
  return stored.split(' ').filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}
