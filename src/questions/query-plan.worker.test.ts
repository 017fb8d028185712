// The main query shapes read through indexes (or the FTS index): never a full scan of questions.
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as v from 'valibot';
import { treeStatement } from '../tree/tree.query';
import { SelectionSchema, type Selection } from '../selection/selection';
import { countStatement, pageStatement } from './questions.query';
import { seedReadFixture } from '../../test/worker/read-fixture';

const dialect = new SQLiteAsyncDialect();

async function plan(statement: SQL): Promise<string[]> {
  const { sql, params } = dialect.sqlToQuery(statement);
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

const filters = (input: Record<string, unknown>): Selection => v.parse(SelectionSchema, input);

const SHAPES: [string, Selection][] = [
  ['split only', filters({ split: 'val' })],
  ['split + task', filters({ split: 'val', task: 'Bone' })],
  ['split + two tasks', filters({ split: 'val', task: ['Bone', 'Counting'] })],
  ['split + department + modality', filters({ split: 'val', department: 'Ophthalmology', modality: 'CT' })],
  ['split + N/A department', filters({ split: 'val', department: 'N/A' })],
  ['index list', filters({ split: 'test', index: ['1', '5', '9'] })],
  ['label', filters({ split: 'val', label: ['polyp', 'drusen'] })],
];

beforeAll(async () => {
  await seedReadFixture(60, 30);
});

describe('EXPLAIN QUERY PLAN', () => {
  for (const [name, f] of SHAPES) {
    it(`${name}: page, count and tree search an index`, async () => {
      const plans = {
        page: await plan(pageStatement(f, 'index', { index: 10 }, 51)),
        count: await plan(countStatement(f)),
        tree: await plan(treeStatement(f)),
      };
      for (const [kind, details] of Object.entries(plans)) {
        const onQuestions = details.filter((d) => /^(SCAN|SEARCH) q\b/.test(d));
        expect(onQuestions, `${name} ${kind}: ${details.join(' | ')}`).toHaveLength(1);
        expect(onQuestions[0], `${name} ${kind}`).toMatch(/^SEARCH q USING (COVERING )?INDEX \S+ \(split=\?/);
      }
    });
  }

  it('keywords: the match list is built once from the FTS index; questions are read through an index', async () => {
    for (const f of [filters({ split: 'val', q: 'fundus' }), filters({ split: 'val', q: 'fundus', task: 'Bone' })]) {
      for (const statement of [pageStatement(f, 'index', { index: 10 }, 51), countStatement(f), treeStatement(f)]) {
        const details = await plan(statement);
        expect(details.filter((d) => /^(SCAN|SEARCH) q\b/.test(d))).toEqual([expect.stringMatching(/^SEARCH q USING (COVERING )?INDEX \S+ \(split=\?/)]);
        expect(details).toContain('LIST SUBQUERY 1');
        expect(details.some((d) => /^SCAN questions_fts VIRTUAL TABLE INDEX \d+:M/.test(d))).toBe(true);
      }
    }
  });

  it('keywords by relevance: the FTS match drives the loop and questions are read by rowid', async () => {
    const details = await plan(pageStatement(filters({ split: 'val', q: 'fundus', task: 'Bone' }), 'relevance', { rank: -1, index: 3 }, 51));
    expect(details[0]).toMatch(/^SCAN questions_fts VIRTUAL TABLE INDEX \d+:M/);
    expect(details.filter((d) => /^(SCAN|SEARCH) q\b/.test(d))).toEqual(['SEARCH q USING INTEGER PRIMARY KEY (rowid=?)']);
  });
});
