// SQL for reading questions: counts and keyset pages of a selection (its WHERE comes from
// src/selection/), bound parameters only.
import { sql, type SQL } from 'drizzle-orm';
import type { QuestionOptions } from '../dataset/choices';
import { LETTERS } from '../dataset/vocabulary';
import type { answerKey, DbRow, images, questions } from '../db/schema';
import { ftsMatchExpression } from '../selection/keywords';
import { answerKeyJoin, selectionConditions, type Selection } from '../selection/selection';
import type { CursorKey } from './cursor';
import type { QuestionOrder } from './questions.contract';

/** The stored options of a row by letter (the importer fills A-E left to right; an empty cell is null). */
export function questionOptions(row: Pick<QuestionRow, 'a' | 'b' | 'c' | 'd' | 'e'>): QuestionOptions {
  const texts = [row.a, row.b, row.c, row.d, row.e];
  return Object.fromEntries(LETTERS.flatMap((letter, i) => (texts[i] === null ? [] : [[letter, texts[i]]])));
}

/** The question columns every read of questions selects (QUESTION_COLUMNS below). */
export type QuestionFields = Omit<DbRow<typeof questions>, 'id' | 'split' | 'option_count'>;

/** One page row; `answer`/`category` only exist where answers are public, `rank` only by relevance. */
export type QuestionRow = QuestionFields &
  Pick<DbRow<typeof images>, 'bytes' | 'width' | 'height' | 'content_type'> &
  Partial<Pick<DbRow<typeof answerKey>, 'answer' | 'category'>> & { rank?: number };

/**
 * Keyword matches with their bm25 `rank` (alias m) joined to `questions q`: the match drives the
 * loop and questions are read by rowid. CROSS JOIN fixes that order, which the planner cannot infer
 * without table statistics (it would probe the FTS index once per question instead).
 */
function rankedMatches(phrases: readonly string[]): SQL {
  return sql`(SELECT rowid AS id, rank FROM questions_fts WHERE questions_fts MATCH ${ftsMatchExpression(phrases)}) m
    CROSS JOIN questions q ON q.id = m.id`;
}

export function countStatement(f: Selection): SQL {
  return sql`SELECT count(*) AS total FROM questions q WHERE ${selectionConditions(f)}`;
}

const QUESTION_COLUMNS = sql.raw(
  'q.idx, q.question, q.a, q.b, q.c, q.d, q.e, q.clinical_vqa_task, q.department, q.perceptual_granularity, q.modality, ' +
    'q.original_task, q.image_sha256, i.bytes, i.width, i.height, i.content_type',
);

/** Up to `limit` rows after `after` in the given order (keyset pagination: no OFFSET). */
export function pageStatement(f: Selection, order: QuestionOrder, after: CursorKey | null, limit: number): SQL {
  const answers = answerKeyJoin(f.split);
  const ranked = order === 'relevance' ? f.q : undefined;
  const columns = sql`${QUESTION_COLUMNS}${answers ? sql`, k.answer, k.category` : sql``}${ranked ? sql`, m.rank AS rank` : sql``}`;
  // Every question has its image row: an import cannot commit while one is missing.
  const from = sql`${ranked ? rankedMatches(ranked) : sql`questions q`} JOIN images i ON i.sha256 = q.image_sha256 ${answers ?? sql``}`;
  const where = selectionConditions(f, { keywordsRanked: ranked !== undefined });
  if (ranked) {
    const keyset = after && 'rank' in after ? sql` AND (m.rank > ${after.rank} OR (m.rank = ${after.rank} AND q.idx > ${after.index}))` : sql``;
    return sql`SELECT ${columns} FROM ${from} WHERE ${where}${keyset} ORDER BY m.rank, q.idx LIMIT ${limit}`;
  }
  const keyset = after ? sql` AND q.idx > ${after.index}` : sql``;
  return sql`SELECT ${columns} FROM ${from} WHERE ${where}${keyset} ORDER BY q.idx LIMIT ${limit}`;
}
