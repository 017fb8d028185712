import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { apiTokens } from '../db/schema';
import { sha256Hex } from '../lib/digest';

/** Prefix makes leaked tokens easy to recognise (and to scan for). */
const TOKEN_PREFIX = 'gmb_';

export async function createToken(db: Database, name: string) {
  const secret = new Uint8Array(32);
  crypto.getRandomValues(secret);
  const token = TOKEN_PREFIX + btoa(String.fromCharCode(...secret)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const row = { id: crypto.randomUUID(), name, tokenSha256: await sha256Hex(token), createdAt: new Date().toISOString() };
  await db.insert(apiTokens).values(row);
  return { id: row.id, name, created_at: row.createdAt, token };
}

export async function listTokens(db: Database) {
  const rows = await db.select().from(apiTokens).orderBy(apiTokens.createdAt);
  return rows.map((r) => ({ id: r.id, name: r.name, created_at: r.createdAt, revoked_at: r.revokedAt }));
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

/** The live token's id and name, or null. */
export async function verifyToken(db: Database, token: string): Promise<{ id: string; name: string } | null> {
  const row = await db
    .select({ id: apiTokens.id, name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenSha256, await sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .get();
  return row ?? null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records a scoring of hidden answers under the token's daily quota. Identical predictions were
 * already answered, so they pass without counting; otherwise at most `dailyLimit` distinct
 * submissions per 24 hours. Returns false (nothing recorded) when the quota is used up.
 */
export async function recordHiddenScoring(db: Database, tokenId: string, split: string, predictionsSha256: string, dailyLimit: number, now = new Date()): Promise<boolean> {
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
