// SQL for selecting questions: one WHERE builder for every filter, bound parameters only. Lists
// travel as one JSON text (`IN (SELECT value FROM json_each(?))`) since D1 allows 100 parameters per
// statement; a single value uses `=` so the (split, column, idx) index yields rows in key order.
import { sql, type SQL } from 'drizzle-orm';
import { ANSWERS_PUBLIC, type Split } from '../dataset/vocabulary';
import type { CursorKey } from './cursor';
import { NA_DEPARTMENT, type QuestionFilters, type QuestionOrder } from './filters';
import { ftsMatchExpression } from './keywords';

/** The non-empty options of a row, in letter order (the importer fills A-E left to right). */
export function optionTexts(row: Pick<QuestionRow, 'a' | 'b' | 'c' | 'd' | 'e'>): string[] {
  return [row.a, row.b, row.c, row.d, row.e].filter((t): t is string => t !== null);
}

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
 * Keyword matches with their bm25 `rank` (alias m) joined to `questions q`: the match drives the
 * loop and questions are read by rowid. CROSS JOIN fixes that order, which the planner cannot infer
 * without table statistics (it would probe the FTS index once per question instead).
 */
function rankedMatches(phrases: readonly string[]): SQL {
  return sql`(SELECT rowid AS id, rank FROM questions_fts WHERE questions_fts MATCH ${ftsMatchExpression(phrases)}) m
    CROSS JOIN questions q ON q.id = m.id`;
}

/** Conditions on `questions q`: OR within a filter, AND across filters (keywords: unless ranked in FROM). */
export function filterConditions(f: QuestionFilters, keywordsRanked = false): SQL {
  const conditions: SQL[] = [sql`q.split = ${f.split}`];
  if (f.task.length) conditions.push(inList('q.clinical_vqa_task', f.task));
  if (f.department.length) conditions.push(departmentCondition(f.department));
  if (f.granularity.length) conditions.push(inList('q.perceptual_granularity', f.granularity));
  if (f.modality.length) conditions.push(inList('q.modality', f.modality));
  if (f.original_task.length) conditions.push(inList('q.original_task', f.original_task));
  if (f.index.length) conditions.push(inList('q.idx', f.index));
  if (f.label.length) conditions.push(sql`q.idx IN (SELECT idx FROM answer_key WHERE split = ${f.split} AND ${inList('category', f.label)})`);
  // The match list is built once; unary + keeps the planner on the split/filter index in key order,
  // checking membership, instead of fetching every match by rowid and sorting them all (slow for
  // common words). Cost stays bounded by split size + matches either way.
  if (f.q && !keywordsRanked) conditions.push(sql`+q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ${ftsMatchExpression(f.q)})`);
  return sql.join(conditions, sql` AND `);
}

export function countStatement(f: QuestionFilters): SQL {
  return sql`SELECT count(*) AS total FROM questions q WHERE ${filterConditions(f)}`;
}

const QUESTION_COLUMNS = sql.raw(
  'q.idx, q.question, q.a, q.b, q.c, q.d, q.e, q.clinical_vqa_task, q.department, q.perceptual_granularity, q.modality, ' +
    'q.original_task, q.image_sha256, i.bytes, i.width, i.height, i.content_type',
);

/** Up to `limit` rows after `after` in the given order (keyset pagination: no OFFSET). */
export function pageStatement(f: QuestionFilters, order: QuestionOrder, after: CursorKey | null, limit: number): SQL {
  const answers = answerKeyJoin(f.split);
  const ranked = order === 'relevance' ? f.q : undefined;
  const columns = sql`${QUESTION_COLUMNS}${answers ? sql`, k.answer, k.category` : sql``}${ranked ? sql`, m.rank AS rank` : sql``}`;
  // Every question has its image row: an import cannot commit while one is missing.
  const from = sql`${ranked ? rankedMatches(ranked) : sql`questions q`} JOIN images i ON i.sha256 = q.image_sha256 ${answers ?? sql``}`;
  const where = filterConditions(f, ranked !== undefined);
  if (ranked) {
    const keyset = after && 'rank' in after ? sql` AND (m.rank > ${after.rank} OR (m.rank = ${after.rank} AND q.idx > ${after.index}))` : sql``;
    return sql`SELECT ${columns} FROM ${from} WHERE ${where}${keyset} ORDER BY m.rank, q.idx LIMIT ${limit}`;
  }
  const keyset = after ? sql` AND q.idx > ${after.index}` : sql``;
  return sql`SELECT ${columns} FROM ${from} WHERE ${where}${keyset} ORDER BY q.idx LIMIT ${limit}`;
}
