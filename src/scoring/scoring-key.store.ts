// What scoring needs of every question of a split (options, answer, groups), read from D1 once per
// isolate and dataset version rather than per request.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { presentChoices } from '../dataset/choices';
import { readWithVersion, type DatasetState } from '../dataset/version';
import { ProblemError } from '../http/problem';
import { ANSWERS_PUBLIC, type Split } from '../dataset/vocabulary';
import type { answerKey, DbRow } from '../db/schema';
import { questionOptions, type QuestionFields } from '../questions/questions.query';
import { selectionConditions, type Selection } from '../selection/selection';
import type { RowGroups } from './accuracy';
import type { AnswerKey, ScoringQuestion } from './score-pipeline';
import { readScoringKeyBlob } from './scoring-key-blob';

type KeyRow = Omit<QuestionFields, 'question' | 'image_sha256'> & Pick<DbRow<typeof answerKey>, 'answer' | 'category'>;

/** One entry per split: a new dataset version replaces the old key instead of piling up. */
const cache = new Map<Split, { version: string; key: Promise<AnswerKey> }>();

/**
 * The key of the split at the dataset state read (its version and blob pointer come from one
 * snapshot): the blob written at import commit (one R2 read); D1 rows are the fallback where there is none.
 */
export function scoringKey(db: Database, bucket: R2Bucket, split: Split, dataset: DatasetState): Promise<AnswerKey> {
  const { version } = dataset;
  const cached = cache.get(split);
  if (cached?.version === version) return cached.key;
  // Data imported before the blob existed has none until its next import: read the rows instead.
  const pointer = dataset.splits[split]?.scoringKey ?? null;
  const key = readScoringKeyBlob(bucket, split, pointer).then((blob) => blob ?? readScoringKey(db, split, version));
  cache.set(split, { version, key });
  // A failed read is retried by the next request; an entry set since (another version) stays.
  key.catch(() => {
    if (cache.get(split)?.key === key) cache.delete(split);
  });
  return key;
}

/**
 * The key from the split's D1 rows, read in one batch with the dataset state: rows of another version
 * than the request's (an import committed since its state was read) are a 409 to retry, never a key
 * cached under the older version. (A blob needs no such check: it is immutable, named by its content.)
 */
async function readScoringKey(db: Database, split: Split, version: string): Promise<Map<number, ScoringQuestion>> {
  const read = await readWithVersion<KeyRow>(
    db,
    sql`SELECT q.idx, q.a, q.b, q.c, q.d, q.e, q.clinical_vqa_task, q.department, q.perceptual_granularity,
      q.modality, q.original_task, k.answer, k.category
    FROM questions q LEFT JOIN answer_key k ON k.split = q.split AND k.idx = q.idx
    WHERE q.split = ${split}`,
  );
  if (read.version !== version) {
    throw new ProblemError({ status: 409, title: 'Dataset changed', detail: 'An import committed while this request read the answer key; send it again.' });
  }
  const { rows } = read;
  // Labels only where answers are public, and for every row or none (accuracy trees need all or none).
  const withLabels = ANSWERS_PUBLIC[split] && rows.every((r) => r.category !== null);
  const key = new Map<number, ScoringQuestion>();
  for (const r of rows) {
    const groups: RowGroups = {
      clinical_vqa_task: r.clinical_vqa_task,
      department: r.department,
      perceptual_granularity: r.perceptual_granularity,
      modality: r.modality,
      original_task: r.original_task,
      ...(withLabels ? { category: r.category! } : {}),
    };
    key.set(r.idx, { choices: presentChoices(questionOptions(r)), answer: r.answer, groups });
  }
  return key;
}

/** Indexes of the subset the filters select (only called when there is a filter beyond split). */
export async function subsetIndexes(db: Database, f: Selection): Promise<Set<number>> {
  const rows = await db.all<{ idx: number }>(sql`SELECT q.idx FROM questions q WHERE ${selectionConditions(f)}`);
  return new Set(rows.map((r) => r.idx));
}
