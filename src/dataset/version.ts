import { splits } from '../db/schema';
import type { Database } from '../db/database';
import { sha256Hex } from '../lib/digest';
import type { Split } from './vocabulary';

export interface DatasetState {
  /** Changes whenever any split's imported content changes; "empty" before the first import. */
  version: string;
  splits: Partial<Record<Split, { questions: number; answers: number }>>;
}

export async function readDatasetState(db: Database): Promise<DatasetState> {
  const rows = await db.select().from(splits).orderBy(splits.split);
  if (rows.length === 0) return { version: 'empty', splits: {} };
  const version = (await sha256Hex(rows.map((r) => `${r.split}:${r.contentSha256}`).join('\n'))).slice(0, 16);
  return { version, splits: Object.fromEntries(rows.map((r) => [r.split, { questions: r.questions, answers: r.answers }])) };
}
