import { and, eq, isNull } from 'drizzle-orm';
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

/** The name of the live token, or null. */
export async function verifyToken(db: Database, token: string): Promise<string | null> {
  const row = await db
    .select({ name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenSha256, await sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .get();
  return row?.name ?? null;
}
