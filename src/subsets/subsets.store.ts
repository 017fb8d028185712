// Stored subset ids: written when a response first names a selection, read back by GET
// /v1/subsets/{id} and by `subset=<id>` (resolve-selection.ts). A row never changes once written.
import { sql, type SQL } from 'drizzle-orm';
import { prepare, type Database } from '../db/database';
import type { subsets } from '../db/schema';
import type { DbRow } from '../db/schema';
import { readWithVersion } from '../dataset/version';
import { ProblemError } from '../http/problem';
import { canonicalSelection, selectionConditions, selectionFromCanonical, type CanonicalSelection, type Selection } from '../selection/selection';
import { subsetId } from './subset-id';

export type SubsetRow = DbRow<typeof subsets>;

/** What every response that selects questions says about its selection. */
export interface SubsetRef {
  id: string;
  /** GET /v1/subsets/{id}. */
  url: string;
}

/** Ids this isolate has written (or seen written): their INSERT would change nothing. Bounded. */
const recorded = new Set<string>();
const MAX_RECORDED = 10_000;

function remember(id: string): void {
  if (recorded.size >= MAX_RECORDED) recorded.clear();
  recorded.add(id);
}

export function subsetRef(id: string, origin: string): SubsetRef {
  return { id, url: `${origin}/v1/subsets/${id}` };
}

/**
 * The INSERT of a subset with its counts at `version`, or null when this isolate knows it is stored.
 * The NOT EXISTS guard skips the counting scan when another isolate stored it already.
 */
export function subsetRecordStatement(id: string, selection: Selection, version: string): SQL | null {
  if (recorded.has(id)) return null;
  const canonical = JSON.stringify(canonicalSelection(selection));
  return sql`INSERT OR IGNORE INTO subsets (id, split, selection, dataset_version, questions, images, created_at)
    SELECT ${id}, ${selection.split}, ${canonical}, ${version}, count(*), count(DISTINCT q.image_sha256), ${new Date().toISOString()}
    FROM questions q WHERE NOT EXISTS (SELECT 1 FROM subsets WHERE id = ${id}) AND ${selectionConditions(selection)}`;
}

/** Call once the statement of subsetRecordStatement has run. */
export function markSubsetRecorded(id: string): void {
  remember(id);
}

/** The id of a selection at `version`, stored if this isolate has not stored it yet (one write, first time only). */
export async function nameSubset(db: Database, selection: Selection, version: string): Promise<string> {
  const id = await subsetId(version, selection);
  const statement = subsetRecordStatement(id, selection, version);
  if (statement) {
    await prepare(db, statement).run();
    markSubsetRecorded(id);
  }
  return id;
}

/** A stored subset and the dataset version served now, in one round trip. */
export async function findSubset(db: Database, id: string): Promise<{ row: SubsetRow | null; servedVersion: string }> {
  const { version, rows } = await readWithVersion<SubsetRow>(db, sql`SELECT * FROM subsets WHERE id = ${id}`);
  return { row: rows[0] ?? null, servedVersion: version };
}

/** The selection of a stored subset that the served dataset still has: 404 unknown, 410 another version. */
export async function servedSubset(db: Database, id: string): Promise<{ row: SubsetRow; selection: Selection }> {
  const { row, servedVersion } = await findSubset(db, id);
  if (!row)
    throw new ProblemError({
      status: 404,
      title: 'Not found',
      detail: `No subset ${id} has been named by this service.`,
      errors: [{ name: 'subset', reason: `${id} is not a known subset id` }],
    });
  if (row.dataset_version !== servedVersion) {
    throw new ProblemError({
      status: 410,
      title: 'Dataset version no longer served',
      detail: `Subset ${id} selects questions of dataset version ${row.dataset_version}, which is no longer served (the current version is ${servedVersion}).`,
      errors: [{ name: 'subset', reason: `is of dataset version ${row.dataset_version}` }],
      extensions: { dataset_version: row.dataset_version },
    });
  }
  remember(id);
  return { row, selection: selectionFromCanonical(JSON.parse(row.selection) as CanonicalSelection) };
}
