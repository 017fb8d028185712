// Reads of questions: a page and its total in one D1 round trip, and keyset pages for streaming.
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/database';
import type { CursorKey } from './cursor';
import type { QuestionFilters, QuestionOrder } from './filters';
import { countStatement, pageStatement, type QuestionRow } from './questions.query';

const dialect = new SQLiteAsyncDialect();

function prepare(db: Database, statement: SQL): D1PreparedStatement {
  const query = dialect.sqlToQuery(statement);
  return db.$client.prepare(query.sql).bind(...query.params);
}

/** The key a cursor carries for the last row of a page. */
export function rowKey(row: QuestionRow, order: QuestionOrder): CursorKey {
  return order === 'relevance' && row.rank !== undefined ? { rank: row.rank, index: row.idx } : { index: row.idx };
}

/** `total` counts every matching row, whatever the cursor; one batch, so one round trip. */
export async function readPage(db: Database, f: QuestionFilters, order: QuestionOrder, after: CursorKey | null, limit: number) {
  const [count, page] = await db.$client.batch([prepare(db, countStatement(f)), prepare(db, pageStatement(f, order, after, limit))]);
  return { total: (count!.results[0] as { total: number }).total, rows: page!.results as QuestionRow[] };
}

export async function readRows(db: Database, f: QuestionFilters, order: QuestionOrder, after: CursorKey | null, limit: number): Promise<QuestionRow[]> {
  const { results } = await prepare(db, pageStatement(f, order, after, limit)).all<QuestionRow>();
  return results;
}
