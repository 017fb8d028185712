import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import type { splits } from '../db/schema';
import { sha256Hex } from '../lib/digest';
import type { Split } from './vocabulary';

export interface DatasetState {
  /** Changes whenever any split's imported content changes; "empty" before the first import. */
  version: string;
  splits: Partial<Record<Split, { questions: number; answers: number }>>;
}

export type SplitStateRow = Pick<typeof splits.$inferSelect, 'split' | 'questions' | 'answers' | 'contentSha256'>;

/** The rows the state is computed from, as a statement a caller can put in a batch with its own reads. */
export const datasetStateStatement = sql`SELECT split, questions, answers, content_sha256 AS contentSha256 FROM splits ORDER BY split`;

export async function datasetStateFromRows(rows: readonly SplitStateRow[]): Promise<DatasetState> {
  if (rows.length === 0) return { version: 'empty', splits: {} };
  const version = (await sha256Hex(rows.map((r) => `${r.split}:${r.contentSha256}`).join('\n'))).slice(0, 16);
  return { version, splits: Object.fromEntries(rows.map((r) => [r.split, { questions: r.questions, answers: r.answers }])) };
}

export async function readDatasetState(db: Database): Promise<DatasetState> {
  return datasetStateFromRows(await db.all<SplitStateRow>(datasetStateStatement));
}
