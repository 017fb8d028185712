import { sql, type SQL } from 'drizzle-orm';
import { prepare, type Database } from '../db/database';
import type { splits } from '../db/schema';
import { sha256Hex } from '../lib/digest';
import type { Split } from './vocabulary';

export interface DatasetState {
  /** Changes whenever any split's imported content changes; "empty" before the first import. */
  version: string;
  splits: Partial<Record<Split, { questions: number; answers: number; scoringKey: string | null }>>;
}

export type SplitStateRow = Pick<typeof splits.$inferSelect, 'split' | 'questions' | 'answers' | 'contentSha256' | 'scoringKey'>;

/**
 * The rows the state is computed from, as a statement a caller can put in a batch with its own reads.
 * It carries each split's scoring key pointer (server-side only: never part of a response), so the
 * key read starts from the same snapshot as the version, without a D1 round trip of its own.
 */
export const datasetStateStatement = sql`SELECT split, questions, answers, content_sha256 AS contentSha256, scoring_key AS scoringKey FROM splits ORDER BY split`;

/** The version of splits with this content (the npm start script checks the generated dataset's with it). */
export async function datasetVersion(rows: readonly Pick<SplitStateRow, 'split' | 'contentSha256'>[]): Promise<string> {
  if (rows.length === 0) return 'empty';
  return (await sha256Hex(rows.map((r) => `${r.split}:${r.contentSha256}`).join('\n'))).slice(0, 16);
}

export async function datasetStateFromRows(rows: readonly SplitStateRow[]): Promise<DatasetState> {
  const version = await datasetVersion(rows);
  if (rows.length === 0) return { version, splits: {} };
  return {
    version,
    splits: Object.fromEntries(rows.map((r) => [r.split, { questions: r.questions, answers: r.answers, scoringKey: r.scoringKey }])),
  };
}

/** A read together with the dataset version it was read at: one batch, one snapshot. */
export async function readWithVersion<T>(db: Database, statement: SQL): Promise<{ version: string; rows: T[] }> {
  const [state, read] = await db.$client.batch([prepare(db, datasetStateStatement), prepare(db, statement)]);
  const { version } = await datasetStateFromRows(state!.results as SplitStateRow[]);
  return { version, rows: read!.results as T[] };
}

export async function readDatasetState(db: Database): Promise<DatasetState> {
  return datasetStateFromRows(await db.all<SplitStateRow>(datasetStateStatement));
}
