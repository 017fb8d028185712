import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { apiTokens } from '../db/schema';
import { toBase64Url } from '../lib/base64url';
import { sha256Hex } from '../lib/digest';
import { formatScopes, parseScopes, type TokenScope } from './scopes';

/** Prefix makes leaked tokens easy to recognise (and to scan for). */
const TOKEN_PREFIX = 'gmb_';
/** last_used_at is a hint for operators, so one write a minute per token is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewToken {
  name: string;
  scopes: readonly TokenScope[];
  /** ISO 8601 instant, or null for a token that does not expire. */
  expiresAt: string | null;
}

export async function createToken(db: Database, { name, scopes, expiresAt }: NewToken) {
  const secret = new Uint8Array(32);
  crypto.getRandomValues(secret);
  const token = TOKEN_PREFIX + toBase64Url(secret);
  const row = {
    id: crypto.randomUUID(),
    name,
    tokenSha256: await sha256Hex(token),
    createdAt: new Date().toISOString(),
    expiresAt,
    scopes: formatScopes(scopes),
  };
  await db.insert(apiTokens).values(row);
  return { id: row.id, name, scopes: parseScopes(row.scopes), created_at: row.createdAt, expires_at: expiresAt, token };
}

export async function listTokens(db: Database) {
  const rows = await db.select().from(apiTokens).orderBy(apiTokens.createdAt);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: parseScopes(r.scopes),
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    revoked_at: r.revokedAt,
    last_used_at: r.lastUsedAt,
  }));
}

/** True when a live token was revoked by this call. */
export async function revokeToken(db: Database, id: string): Promise<boolean> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length > 0;
}

export interface VerifiedToken {
  id: string;
  name: string;
  scopes: TokenScope[];
}

export type TokenLookup = { status: 'live'; token: VerifiedToken } | { status: 'unknown' | 'revoked' | 'expired' };

/** What the presented token is; a live one has its last use recorded (at most once a minute). */
export async function lookupToken(db: Database, token: string, now = new Date()): Promise<TokenLookup> {
  const row = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenSha256, await sha256Hex(token)))
    .get();
  if (!row) return { status: 'unknown' };
  if (row.revokedAt !== null) return { status: 'revoked' };
  if (row.expiresAt !== null && row.expiresAt <= now.toISOString()) return { status: 'expired' };
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
  if (row.lastUsedAt === null || row.lastUsedAt < staleBefore) {
    // The condition repeats the check so concurrent requests write once.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now.toISOString() })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore))));
  }
  return { status: 'live', token: { id: row.id, name: row.name, scopes: parseScopes(row.scopes) } };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records a scoring of hidden answers under the token's daily quota. Identical predictions were
 * already answered, so they pass without counting; otherwise at most `dailyLimit` distinct
 * submissions per 24 hours. Returns false (nothing recorded) when the quota is used up.
 */
export async function recordHiddenScoring(
  db: Database,
  tokenId: string,
  split: string,
  predictionsSha256: string,
  dailyLimit: number,
  now = new Date(),
): Promise<boolean> {
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  // One conditional statement, so concurrent submissions cannot both take the last slot.
  const inserted = await db.all<{ token_id: string }>(sql`
    INSERT INTO scoring_submissions (token_id, split, predictions_sha256, created_at)
    SELECT ${tokenId}, ${split}, ${predictionsSha256}, ${now.toISOString()}
    WHERE (SELECT count(*) FROM scoring_submissions WHERE token_id = ${tokenId} AND created_at > ${since}) < ${dailyLimit}
      AND NOT EXISTS (SELECT 1 FROM scoring_submissions WHERE token_id = ${tokenId} AND split = ${split} AND predictions_sha256 = ${predictionsSha256})
    RETURNING token_id`);
  if (inserted.length) return true;
  const seen = await db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM scoring_submissions WHERE token_id = ${tokenId} AND split = ${split} AND predictions_sha256 = ${predictionsSha256}`);
  return (seen?.n ?? 0) > 0;
}
