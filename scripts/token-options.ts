// Parsing of `npm run token -- create` options (pure, so it is tested without a server).

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * `--expires`: a duration from now (`12h`, `90d`, `8w`), a date (`2027-01-01`, midnight UTC) or an
 * ISO 8601 date-time; the ISO instant the admin API takes as `expires_at`.
 */
export function parseExpiry(text: string, now = new Date()): string {
  const duration = /^(\d+)([hdw])$/.exec(text);
  if (duration) return new Date(now.getTime() + Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]).toISOString();
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const instant = date ? new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : null;
  // Date.UTC rolls 2027-02-30 over to March; a date that does not round-trip does not exist.
  if (!instant || Number.isNaN(instant.getTime()) || (date && instant.toISOString().slice(0, 10) !== text)) {
    throw new Error(`--expires ${text}: expected a duration (90d, 12h, 8w), a date (2027-01-01) or an ISO date-time`);
  }
  return instant.toISOString();
}

/** `--scopes score:test,runs:write`; the server validates the names. */
export function parseScopeList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface ListedToken {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** One line of `token list`. */
export function tokenLine(t: ListedToken, now = new Date()): string {
  const state = t.revoked_at ? 'revoked' : t.expires_at && t.expires_at <= now.toISOString() ? 'expired' : 'live';
  return [
    t.id,
    state.padEnd(7),
    `created ${t.created_at}`,
    `expires ${t.expires_at ?? 'never'}`,
    `last used ${t.last_used_at ?? 'never'}`,
    t.scopes.join(','),
    t.name,
  ].join('  ');
}
