// The one place that turns the D1 binding into the query handle every feature uses (c.var.db).
// Read replication (env.DB.withSession()) would be added here without touching handlers.
import { is, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { MiddlewareHandler } from 'hono';

export type Database = ReturnType<typeof createDatabase>;

/**
 * Without the schema object: nothing uses drizzle's relational queries, and building their config
 * cost every request 15-60 µs.
 */
export function createDatabase(d1: D1Database) {
  return drizzle(d1);
}

/** The handle holds no request state, so each binding (stable within an isolate) gets one. */
const databases = new WeakMap<D1Database, Database>();

/** Typed by the bindings it reads, not by the app's env (which refers back to Database). */
export const databaseMiddleware: MiddlewareHandler<{ Bindings: { DB: D1Database }; Variables: { db: Database } }> = async (c, next) => {
  let db = databases.get(c.env.DB);
  if (!db) databases.set(c.env.DB, (db = createDatabase(c.env.DB)));
  c.set('db', db);
  await next();
};

type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };
const dialect = new SQLiteAsyncDialect();

/**
 * Runs statements as one atomic D1 batch (D1 has no BEGIN). Takes raw `sql` as well as query
 * builders, since drizzle's own db.batch() cannot bind parameters of raw statements.
 */
export async function runBatch(db: Database, statements: Statement[]): Promise<void> {
  await db.$client.batch(statements.map((s) => prepare(db, s)));
}

/** A D1 prepared statement for raw `sql` or a query builder, for batches that also read. */
export function prepare(db: Database, statement: Statement): D1PreparedStatement {
  const query = is(statement, SQL) ? dialect.sqlToQuery(statement) : statement.toSQL();
  return db.$client.prepare(query.sql).bind(...query.params);
}
