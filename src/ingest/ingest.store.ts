// Staged imports: rows are written to staged_questions under an import id and swapped into the
// served tables by one atomic D1 batch, so nothing a client sees changes until the commit succeeds.
import { and, eq, lt, sql } from 'drizzle-orm';
import { runBatch, type Database } from '../db/database';
import { imports, stagedQuestions } from '../db/schema';
import { ANSWERS_PUBLIC, SPLITS, type Split } from '../dataset/vocabulary';
import { dependencyFailure } from '../http/dependencies';
import type { StagedRow } from './contract';
import { questionOptions } from '../questions/questions.query';
import type { ScoringKeyRow } from '../scoring/scoring-key-codec';

/** Imports left in staging longer than this were interrupted; their rows are dropped. */
const STALE_STAGING_MS = 6 * 60 * 60 * 1000;

export async function createImport(db: Database, split: Split, now = new Date()): Promise<string> {
  const id = crypto.randomUUID();
  const staleBefore = new Date(now.getTime() - STALE_STAGING_MS).toISOString();
  const stale = db
    .select({ id: imports.id })
    .from(imports)
    .where(and(eq(imports.status, 'staging'), lt(imports.createdAt, staleBefore)));
  await runBatch(db, [
    db.delete(stagedQuestions).where(sql`${stagedQuestions.importId} IN ${stale}`),
    db
      .update(imports)
      .set({ status: 'aborted', finishedAt: now.toISOString() })
      .where(and(eq(imports.status, 'staging'), lt(imports.createdAt, staleBefore))),
    db.insert(imports).values({ id, split, status: 'staging', createdAt: now.toISOString() }),
  ]);
  return id;
}

/** Recent imports with how many rows each has staged (an interrupted one stays in 'staging'). */
export async function listImports(db: Database, limit = 50) {
  return db.all<{ id: string; split: string; status: string; created_at: string; finished_at: string | null; staged_rows: number }>(sql`
    SELECT i.id, i.split, i.status, i.created_at, i.finished_at,
      (SELECT count(*) FROM staged_questions s WHERE s.import_id = i.id) AS staged_rows
    FROM imports i ORDER BY i.created_at DESC LIMIT ${limit}`);
}

export async function findImport(db: Database, id: string) {
  return db.select().from(imports).where(eq(imports.id, id)).get();
}

export type StageResult = { staged: number } | { duplicates: number[] };

/** The splits whose labels are kept (in SQL, for the staging statement). */
const PUBLIC_SPLITS = sql.join(
  SPLITS.filter((split) => ANSWERS_PUBLIC[split]).map((split) => sql`${split}`),
  sql`, `,
);

/**
 * One statement per batch, which also checks that the import is still staging: the rows travel as a
 * single bound JSON text (D1 allows 100 parameters) and a batch is staged whole or not at all (an
 * index staged twice fails the statement). `staged` is 0 when the import is not staging. A hidden
 * split's `category` (its answers' text) is not even staged.
 */
export async function stageRows(db: Database, importId: string, rows: StagedRow[]): Promise<StageResult> {
  try {
    const result = await db.run(sql`
      INSERT INTO staged_questions (import_id, idx, question, a, b, c, d, e, option_count, answer, category,
        clinical_vqa_task, department, perceptual_granularity, modality, original_task, image_sha256)
      SELECT i.id, json_extract(value, '$.index'), json_extract(value, '$.question'),
        json_extract(value, '$.options[0]'), json_extract(value, '$.options[1]'), json_extract(value, '$.options[2]'),
        json_extract(value, '$.options[3]'), json_extract(value, '$.options[4]'), json_array_length(value, '$.options'),
        json_extract(value, '$.answer'), CASE WHEN i.split IN (${PUBLIC_SPLITS}) THEN json_extract(value, '$.category') END,
        json_extract(value, '$.clinical_vqa_task'), json_extract(value, '$.department'), json_extract(value, '$.perceptual_granularity'),
        json_extract(value, '$.modality'), json_extract(value, '$.original_task'), json_extract(value, '$.image_sha256')
      FROM imports i JOIN json_each(${JSON.stringify(rows)})
      WHERE i.id = ${importId} AND i.status = 'staging'`);
    return { staged: result.meta.changes };
  } catch (err) {
    if (!isPrimaryKeyConflict(err)) throw err;
    const duplicates = await duplicateIndexes(db, importId, rows);
    // None found: the conflicting rows went meanwhile (a concurrent abort); the conflict stands unexplained.
    if (duplicates.length === 0) throw err;
    return { duplicates };
  }
}

/** The batch's indexes that appear twice in it or are already staged (only asked after a conflict). */
async function duplicateIndexes(db: Database, importId: string, rows: StagedRow[]): Promise<number[]> {
  const seen = new Set<number>();
  const within = rows.map((r) => r.index).filter((i) => seen.has(i) || !seen.add(i));
  const staged = await db.all<{ idx: number }>(sql`
    SELECT idx FROM staged_questions
    WHERE import_id = ${importId} AND idx IN (SELECT value FROM json_each(${JSON.stringify([...seen])}))
    ORDER BY idx`);
  return [...new Set([...within, ...staged.map((r) => r.idx)])];
}

/** SQLite's UNIQUE failure as D1 reports it, locally and remotely ("UNIQUE constraint failed: staged_questions.import_id, ..."). */
function isPrimaryKeyConflict(err: unknown): boolean {
  const failed = dependencyFailure(err);
  return failed?.dependency === 'D1' && /UNIQUE constraint failed: staged_questions\.import_id, staged_questions\.idx/.test(String(failed.cause));
}

export async function stagedSummary(db: Database, importId: string) {
  const summary = await db.get<{ rows: number; answers: number }>(sql`
    SELECT count(*) AS rows, count(answer) AS answers FROM staged_questions WHERE import_id = ${importId}`);
  const missing = await db.all<{ sha256: string }>(sql`
    SELECT DISTINCT s.image_sha256 AS sha256 FROM staged_questions s
    LEFT JOIN images i ON i.sha256 = s.image_sha256
    WHERE s.import_id = ${importId} AND i.sha256 IS NULL LIMIT 20`);
  return { rows: summary?.rows ?? 0, answers: summary?.answers ?? 0, missingImages: missing.map((m) => m.sha256) };
}

/** What is served of the split: its content hash and the R2 key of its scoring key blob (if any). */
export async function currentSplit(db: Database, split: Split): Promise<{ contentSha256: string; scoringKey: string | null } | undefined> {
  return db.get<{ contentSha256: string; scoringKey: string | null }>(sql`
    SELECT content_sha256 AS contentSha256, scoring_key AS scoringKey FROM splits WHERE split = ${split}`);
}

/** Everything scoring needs of the staged rows, for the scoring key blob written at commit. */
export async function stagedScoringRows(db: Database, importId: string, split: Split): Promise<ScoringKeyRow[]> {
  const category = ANSWERS_PUBLIC[split] ? sql`category` : sql`NULL`;
  const rows = await db.all<
    Omit<ScoringKeyRow, 'index' | 'options'> & { idx: number; a: string | null; b: string | null; c: string | null; d: string | null; e: string | null }
  >(sql`
    SELECT idx, a, b, c, d, e, answer, ${category} AS category, clinical_vqa_task, department, perceptual_granularity, modality, original_task
    FROM staged_questions WHERE import_id = ${importId}`);
  return rows.map(({ idx, a, b, c, d, e, ...rest }) => ({ ...rest, index: idx, options: questionOptions({ a, b, c, d, e }) }));
}

/**
 * Drops the staged rows and records how the import ended. An unchanged split served without a
 * scoring key blob of the current format (imported before blobs, or before this format, existed)
 * gets the one just written, unless another commit changed its pointer meanwhile.
 */
export async function finishWithoutSwap(
  db: Database,
  importId: string,
  status: 'unchanged' | 'aborted',
  backfill?: { split: Split; replaces: string | null; scoringKey: string },
): Promise<void> {
  await runBatch(db, [
    db.delete(stagedQuestions).where(eq(stagedQuestions.importId, importId)),
    db.update(imports).set({ status, finishedAt: new Date().toISOString() }).where(eq(imports.id, importId)),
    ...(backfill ? [sql`UPDATE splits SET scoring_key = ${backfill.scoringKey} WHERE split = ${backfill.split} AND scoring_key IS ${backfill.replaces}`] : []),
  ]);
}

/**
 * Replaces the split's questions and answer key with the staged rows in one atomic batch, and points
 * the split at its scoring key blob (already in R2: a failure before here leaves the old one served). Every
 * write is conditional on the import still being in staging, so a second commit of the same import
 * (a retry, or a concurrent call) finds it committed and changes nothing.
 */
export async function swapIn(
  db: Database,
  importId: string,
  split: Split,
  counts: { rows: number; answers: number },
  contentSha256: string,
  scoringKey: string,
) {
  const now = new Date().toISOString();
  const staging = sql`EXISTS (SELECT 1 FROM imports WHERE id = ${importId} AND status = 'staging')`;
  // TEST labels are the hidden answers' text and nothing reads them: they are not kept at all.
  const category = ANSWERS_PUBLIC[split] ? sql`category` : sql`NULL`;
  await runBatch(db, [
    sql`DELETE FROM questions WHERE split = ${split} AND ${staging}`,
    sql`DELETE FROM answer_key WHERE split = ${split} AND ${staging}`,
    sql`
      INSERT INTO questions (split, idx, question, a, b, c, d, e, option_count, clinical_vqa_task, department,
        perceptual_granularity, modality, original_task, image_sha256)
      SELECT ${split}, idx, question, a, b, c, d, e, option_count, clinical_vqa_task, department,
        perceptual_granularity, modality, original_task, image_sha256
      FROM staged_questions WHERE import_id = ${importId} ORDER BY idx`,
    sql`
      INSERT INTO answer_key (split, idx, answer, category)
      SELECT ${split}, idx, answer, ${category} FROM staged_questions
      WHERE import_id = ${importId} AND (answer IS NOT NULL OR ${category} IS NOT NULL)`,
    sql`INSERT INTO questions_fts (questions_fts) VALUES ('rebuild')`,
    sql`
      INSERT INTO splits (split, questions, answers, content_sha256, imported_at, scoring_key)
      SELECT ${split}, ${counts.rows}, ${counts.answers}, ${contentSha256}, ${now}, ${scoringKey} WHERE ${staging}
      ON CONFLICT (split) DO UPDATE SET questions = excluded.questions, answers = excluded.answers,
        content_sha256 = excluded.content_sha256, imported_at = excluded.imported_at, scoring_key = excluded.scoring_key`,
    db.delete(stagedQuestions).where(eq(stagedQuestions.importId, importId)),
    db.update(imports).set({ status: 'committed', finishedAt: now }).where(eq(imports.id, importId)),
  ]);
}

export async function missingImages(db: Database, shas: string[]): Promise<string[]> {
  const present = await db.all<{ sha256: string }>(sql`
    SELECT sha256 FROM images WHERE sha256 IN (SELECT value FROM json_each(${JSON.stringify(shas)}))`);
  const have = new Set(present.map((p) => p.sha256));
  return [...new Set(shas)].filter((s) => !have.has(s));
}
