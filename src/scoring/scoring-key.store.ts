// What scoring needs of every question of a split (options, answer, groups), read from D1 once per
// isolate and dataset version rather than per request.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { ANSWERS_PUBLIC, LETTERS, type Letter, type Split } from '../dataset/vocabulary';
import { filterConditions, optionTexts, type QuestionRow } from '../questions/questions.query';
import type { QuestionFilters } from '../questions/filters';
import type { RowGroups } from './accuracy';
import type { QuestionOptions } from './extract-choice';
import { readScoringKeyBlob } from '../ingest/scoring-key-blob';

export interface ScoringQuestion {
  options: QuestionOptions;
  /** Null where the split's answer key was not imported. */
  answer: Letter | null;
  /** `category` only on splits whose answers are public. */
  groups: RowGroups;
}

type KeyRow = Pick<QuestionRow, 'idx' | 'a' | 'b' | 'c' | 'd' | 'e' | 'clinical_vqa_task' | 'department' | 'perceptual_granularity' | 'modality' | 'original_task'> & {
  answer: Letter | null;
  category: string | null;
};

/** One entry per split: a new dataset version replaces the old key instead of piling up. */
const cache = new Map<Split, { version: string; key: Promise<Map<number, ScoringQuestion>> }>();

/** With `bucket`, the key comes from the blob written at import commit; D1 is the fallback where there is none. */
export function scoringKey(db: Database, split: Split, version: string, bucket?: R2Bucket): Promise<Map<number, ScoringQuestion>> {
  const cached = cache.get(split);
  if (cached?.version === version) return cached.key;
  const key = (bucket ? readScoringKeyBlob(db, bucket, split) : Promise.resolve(null)).then((blob) => blob ?? readScoringKey(db, split));
  cache.set(split, { version, key });
  key.catch(() => cache.delete(split)); // a failed read is retried by the next request
  return key;
}

async function readScoringKey(db: Database, split: Split): Promise<Map<number, ScoringQuestion>> {
  const rows = await db.all<KeyRow>(sql`
    SELECT q.idx, q.a, q.b, q.c, q.d, q.e, q.clinical_vqa_task, q.department, q.perceptual_granularity,
      q.modality, q.original_task, k.answer, k.category
    FROM questions q LEFT JOIN answer_key k ON k.split = q.split AND k.idx = q.idx
    WHERE q.split = ${split}`);
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
    key.set(r.idx, { options: Object.fromEntries(optionTexts(r).map((t, i) => [LETTERS[i], t])), answer: r.answer, groups });
  }
  return key;
}

/** Indexes of the subset the filters select (only called when there is a filter beyond split). */
export async function subsetIndexes(db: Database, f: QuestionFilters): Promise<Set<number>> {
  const rows = await db.all<{ idx: number }>(sql`SELECT q.idx FROM questions q WHERE ${filterConditions(f)}`);
  return new Set(rows.map((r) => r.idx));
}
