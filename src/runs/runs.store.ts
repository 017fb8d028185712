// Storage of runs in D1 (table `runs`, migrations/0004_runs.sql) behind the one DB seam.
import { and, desc, eq, getTableColumns, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { blobBytes, runs } from '../db/schema';
import type { Split } from '../dataset/vocabulary';
import { bitsetRange, encodedBytes, type RunBits } from './outcomes';

export type Visibility = 'public' | 'private';
export type NewRun = typeof runs.$inferInsert & { visibility: Visibility; split: Split };
/** A run without its outcome bytes (what lists and reports start from). */
export type RunRecord = Omit<typeof runs.$inferSelect, 'outcomes'>;

/** Keyset position in the list order (newest first). */
export interface RunListKey {
  readonly createdAt: string;
  readonly id: string;
}

export interface RunListQuery {
  readonly split?: Split;
  readonly model?: string;
  /** Public runs plus this token's private ones; `allPrivate` (admin) sees every run. */
  readonly viewerTokenId?: string | null;
  readonly allPrivate?: boolean;
  readonly limit: number;
  readonly after?: RunListKey;
}

/** The run of a public leaderboard: identity and one scorer's bits. */
export interface PublicRunBits {
  readonly id: string;
  readonly model: string;
  readonly organization: string | null;
  readonly createdAt: string;
  readonly questionCount: number;
  readonly bits: RunBits;
}

const { outcomes: _outcomes, ...recordColumns } = getTableColumns(runs);

/**
 * Stores a run unless the same token already stored the same model and predictions on this split and
 * dataset version; either way answers the stored run. `created` says whether this call stored it.
 */
export async function insertRun(db: Database, run: NewRun): Promise<{ run: RunRecord; created: boolean }> {
  // The SQL offsets of publicRunBits rely on the BLOB matching question_count and scorers.
  if (run.outcomes.length !== encodedBytes(run.questionCount, run.scorers.length)) {
    throw new RangeError(`outcomes of ${run.outcomes.length} bytes do not fit ${run.questionCount} questions × ${run.scorers.length} scorers`);
  }
  const [, existing] = await db.batch([
    db.insert(runs).values(run).onConflictDoNothing(),
    db
      .select(recordColumns)
      .from(runs)
      .where(
        and(
          eq(runs.tokenId, run.tokenId),
          eq(runs.model, run.model),
          eq(runs.split, run.split),
          eq(runs.datasetVersion, run.datasetVersion),
          eq(runs.predictionsSha256, run.predictionsSha256),
        ),
      ),
  ]);
  const stored = existing[0];
  if (!stored) throw new Error('a run just inserted could not be read back');
  return { run: stored, created: stored.id === run.id };
}

export async function getRun(db: Database, id: string): Promise<RunRecord | null> {
  const [row] = await db.select(recordColumns).from(runs).where(eq(runs.id, id));
  return row ?? null;
}

/** A run with its outcome bytes (for a report or a comparison). */
export async function getRunWithOutcomes(db: Database, id: string): Promise<(RunRecord & { outcomes: Uint8Array }) | null> {
  const [row] = await db.select().from(runs).where(eq(runs.id, id));
  return row ?? null;
}

/** Newest first, `limit` per page; `next` is the key to pass as `after` for the following page. */
export async function listRuns(db: Database, query: RunListQuery): Promise<{ runs: RunRecord[]; next: RunListKey | null }> {
  const conditions: SQL[] = [];
  if (query.split) conditions.push(eq(runs.split, query.split));
  if (query.model !== undefined) conditions.push(eq(runs.model, query.model));
  if (!query.allPrivate) {
    conditions.push(query.viewerTokenId ? or(eq(runs.visibility, 'public'), eq(runs.tokenId, query.viewerTokenId))! : eq(runs.visibility, 'public'));
  }
  if (query.after) conditions.push(sql`(${runs.createdAt}, ${runs.id}) < (${query.after.createdAt}, ${query.after.id})`);
  const rows = await db
    .select(recordColumns)
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { runs: page, next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** false when there is no such run. */
export async function setRunVisibility(db: Database, id: string, visibility: Visibility): Promise<boolean> {
  const changed = await db.update(runs).set({ visibility }).where(eq(runs.id, id)).returning({ id: runs.id });
  return changed.length > 0;
}

/** false when there is no such run. */
export async function deleteRun(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(runs).where(eq(runs.id, id)).returning({ id: runs.id });
  return deleted.length > 0;
}

/**
 * Every public run of a split and dataset version that has `scorer`, with only the submitted and that
 * scorer's hit bitsets (substr() of the BLOB at the offsets of the outcome format), in one query:
 * ~2.7 KB per TEST run instead of the ~75 KB BLOB.
 */
export async function publicRunBits(db: Database, split: Split, datasetVersion: string, scorer: string): Promise<PublicRunBits[]> {
  // Offsets are computed per row in SQL from question_count and the scorer's position in `scorers`;
  // bitsetRange (offset 8, length ceil(N/8)) is the same arithmetic on the JavaScript side.
  const rows = await db.all<{
    id: string;
    model: string;
    organization: string | null;
    createdAt: string;
    questionCount: number;
    submitted: unknown;
    hits: unknown;
  }>(sql`
    SELECT r.id, r.model, r.organization, r.created_at AS createdAt, r.question_count AS questionCount,
      substr(r.outcomes, ${bitsetRange(0, null).offset + 1}, (r.question_count + 7) / 8) AS submitted,
      substr(r.outcomes, ${bitsetRange(0, null).offset + 1} + ((r.question_count + 7) / 8) * (1 + s.key), (r.question_count + 7) / 8) AS hits
    FROM runs r JOIN json_each(r.scorers) s ON s.value = ${scorer}
    WHERE r.split = ${split} AND r.dataset_version = ${datasetVersion} AND r.visibility = 'public'
    ORDER BY r.created_at, r.id`);
  return rows.map(({ submitted, hits, ...run }) => ({ ...run, bits: { submitted: blobBytes(submitted), hits: blobBytes(hits) } }));
}
