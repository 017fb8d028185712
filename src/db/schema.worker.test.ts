// src/db/schema.ts and migrations/ describe the same tables and columns (name, type, NOT NULL,
// primary key), checked both ways against the database the migrations built.
import { env } from 'cloudflare:workers';
import { is, Table } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from './schema';

interface ColumnShape {
  type: string;
  notNull: boolean;
  primaryKey: boolean;
}

const drizzleTables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, Table));

function drizzleColumns(table: SQLiteTable): Record<string, ColumnShape> {
  const config = getTableConfig(table);
  const compositeKey = new Set(config.primaryKeys.flatMap((key) => key.columns.map((c) => c.name)));
  return Object.fromEntries(
    config.columns.map((c) => [
      c.name,
      { type: c.getSQLType().toUpperCase(), notNull: c.notNull || c.primary, primaryKey: c.primary || compositeKey.has(c.name) },
    ]),
  );
}

async function migratedTables(): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all<{ name: string; sql: string }>();
  // FTS5 tables live in the migrations only (drizzle has no virtual tables), with their shadow tables.
  const virtual = results.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  expect(virtual).toEqual(['questions_fts']);
  return results
    .map((t) => t.name)
    .filter((name) => !/^(sqlite_|_cf_|d1_migrations$)/.test(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)))
    .sort();
}

async function migratedColumns(table: string): Promise<Record<string, ColumnShape>> {
  const { results } = await env.DB.prepare(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)`)
    .bind(table)
    .all<{ name: string; type: string; not_null: number; pk: number }>();
  // A single-column INTEGER PRIMARY KEY is the rowid: never null although not declared NOT NULL.
  return Object.fromEntries(results.map((c) => [c.name, { type: c.type.toUpperCase(), notNull: c.not_null === 1 || c.pk > 0, primaryKey: c.pk > 0 }]));
}

describe('schema.ts and migrations/', () => {
  it('name the same tables', async () => {
    expect(drizzleTables.map((t) => getTableConfig(t).name).sort()).toEqual(await migratedTables());
  });

  it('give every table the same columns, types, NOT NULL and primary keys', async () => {
    for (const table of drizzleTables) {
      const name = getTableConfig(table).name;
      expect(drizzleColumns(table), name).toEqual(await migratedColumns(name));
    }
  });
});
