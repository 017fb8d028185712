// SQL for selecting questions: one WHERE builder for every filter, bound parameters only. Lists
// travel as one JSON text (`IN (SELECT value FROM json_each(?))`) since D1 allows 100 parameters per
// statement; a single value uses `=` so the (split, column, idx) index yields rows in key order.
import { sql, type SQL } from 'drizzle-orm';
import { ANSWERS_PUBLIC, type Split } from '../dataset/vocabulary';
import type { CursorKey } from './cursor';
import { NA_DEPARTMENT, type QuestionFilters, type QuestionOrder } from './filters';
import { ftsMatchExpression } from './keywords';

/** One page row; `answer`/`category` only exist where answers are public, `rank` only by relevance. */
export interface QuestionRow {
  idx: number;
  question: string;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  e: string | null;
  clinical_vqa_task: string;
  department: string | null;
  perceptual_granularity: string;
  modality: string;
  original_task: string;
  image_sha256: string;
  bytes: number;
  width: number;
  height: number;
  content_type: string;
  answer?: string | null;
  category?: string | null;
  rank?: number;
}

/**
 * The only place the answer key is joined for output (alias k: k.answer, k.category). Null for
 * splits whose answers are hidden, so their answers and labels cannot be selected by any query.
 */
export function answerKeyJoin(split: Split): SQL | null {
  return ANSWERS_PUBLIC[split] ? sql`LEFT JOIN answer_key k ON k.split = q.split AND k.idx = q.idx` : null;
}

function inList(column: string, values: readonly (string | number)[]): SQL {
  return values.length === 1
    ? sql`${sql.raw(column)} = ${values[0]}`
    : sql`${sql.raw(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

function departmentCondition(departments: readonly string[]): SQL {
  const named = departments.filter((d) => d !== NA_DEPARTMENT);
  const parts = [...(named.length < departments.length ? [sql`q.department IS NULL`] : []), ...(named.length ? [inList('q.department', named)] : [])];
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * The rows to filter, as `questions q`. With keywords the FTS5 match (alias m, with its bm25 `rank`
 * when asked) drives the loop and questions are read by rowid; CROSS JOIN fixes that order, which
 * the planner cannot infer without table statistics (it would probe the FTS index per row instead).
 */
export function questionsFrom(f: QuestionFilters, withRank = false): SQL {
  if (!f.q) return sql`questions q`;
  return sql`(SELECT rowid AS id${withRank ? sql`, rank` : sql``} FROM questions_fts WHERE questions_fts MATCH ${ftsMatchExpression(f.q)}) m
    CROSS JOIN questions q ON q.id = m.id`;
}

/** Conditions on `questions q`: OR within a filter, AND across filters (keywords are in questionsFrom). */
export function filterConditions(f: QuestionFilters): SQL {
  const conditions: SQL[] = [sql`q.split = ${f.split}`];
  if (f.task.length) conditions.push(inList('q.clinical_vqa_task', f.task));
  if (f.department.length) conditions.push(departmentCondition(f.department));
  if (f.granularity.length) conditions.push(inList('q.perceptual_granularity', f.granularity));
  if (f.modality.length) conditions.push(inList('q.modality', f.modality));
  if (f.original_task.length) conditions.push(inList('q.original_task', f.original_task));
  if (f.index.length) conditions.push(inList('q.idx', f.index));
  if (f.label.length) conditions.push(sql`q.idx IN (SELECT idx FROM answer_key WHERE split = ${f.split} AND ${inList('category', f.label)})`);
  return sql.join(conditions, sql` AND `);
}

export function countStatement(f: QuestionFilters): SQL {
  return sql`SELECT count(*) AS total FROM ${questionsFrom(f)} WHERE ${filterConditions(f)}`;
}

const QUESTION_COLUMNS = sql.raw(
  'q.idx, q.question, q.a, q.b, q.c, q.d, q.e, q.clinical_vqa_task, q.department, q.perceptual_granularity, q.modality, ' +
    'q.original_task, q.image_sha256, i.bytes, i.width, i.height, i.content_type',
);

/** Up to `limit` rows after `after` in the given order (keyset pagination: no OFFSET). */
export function pageStatement(f: QuestionFilters, order: QuestionOrder, after: CursorKey | null, limit: number): SQL {
  const answers = answerKeyJoin(f.split);
  const byRelevance = order === 'relevance' && f.q !== undefined;
  const columns = sql`${QUESTION_COLUMNS}${answers ? sql`, k.answer, k.category` : sql``}${byRelevance ? sql`, m.rank AS rank` : sql``}`;
  // Every question has its image row: an import cannot commit while one is missing.
  const from = sql`${questionsFrom(f, byRelevance)} JOIN images i ON i.sha256 = q.image_sha256 ${answers ?? sql``}`;
  if (byRelevance) {
    const keyset = after && 'rank' in after ? sql` AND (m.rank > ${after.rank} OR (m.rank = ${after.rank} AND q.idx > ${after.index}))` : sql``;
    return sql`SELECT ${columns} FROM ${from} WHERE ${filterConditions(f)}${keyset} ORDER BY m.rank, q.idx LIMIT ${limit}`;
  }
  const keyset = after ? sql` AND q.idx > ${after.index}` : sql``;
  return sql`SELECT ${columns} FROM ${from} WHERE ${filterConditions(f)}${keyset} ORDER BY q.idx LIMIT ${limit}`;
}
