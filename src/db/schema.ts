// Drizzle view of migrations/*.sql (the SQL files are the source of truth; FTS5 lives only there).
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const questionColumns = {
  idx: integer('idx').notNull(),
  question: text('question').notNull(),
  a: text('a'),
  b: text('b'),
  c: text('c'),
  d: text('d'),
  e: text('e'),
  optionCount: integer('option_count').notNull(),
  clinicalVqaTask: text('clinical_vqa_task').notNull(),
  department: text('department'),
  perceptualGranularity: text('perceptual_granularity').notNull(),
  modality: text('modality').notNull(),
  originalTask: text('original_task').notNull(),
  imageSha256: text('image_sha256').notNull(),
};

export const questions = sqliteTable('questions', {
  id: integer('id').primaryKey(),
  split: text('split', { enum: ['val', 'test'] }).notNull(),
  ...questionColumns,
});

export const answerKey = sqliteTable(
  'answer_key',
  {
    split: text('split', { enum: ['val', 'test'] }).notNull(),
    idx: integer('idx').notNull(),
    answer: text('answer', { enum: ['A', 'B', 'C', 'D', 'E'] }),
    category: text('category'),
  },
  (t) => [primaryKey({ columns: [t.split, t.idx] })],
);

export const images = sqliteTable('images', {
  sha256: text('sha256').primaryKey(),
  bytes: integer('bytes').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  contentType: text('content_type').notNull(),
});

export const splits = sqliteTable('splits', {
  split: text('split', { enum: ['val', 'test'] }).primaryKey(),
  questions: integer('questions').notNull(),
  answers: integer('answers').notNull(),
  contentSha256: text('content_sha256').notNull(),
  importedAt: text('imported_at').notNull(),
  /** R2 key of the scoring key blob (migrations/0003_scoring_keys.sql). */
  scoringKey: text('scoring_key'),
});

export const imports = sqliteTable('imports', {
  id: text('id').primaryKey(),
  split: text('split', { enum: ['val', 'test'] }).notNull(),
  status: text('status', { enum: ['staging', 'committed', 'unchanged', 'aborted'] }).notNull(),
  createdAt: text('created_at').notNull(),
  finishedAt: text('finished_at'),
});

export const stagedQuestions = sqliteTable(
  'staged_questions',
  {
    importId: text('import_id').notNull(),
    ...questionColumns,
    answer: text('answer', { enum: ['A', 'B', 'C', 'D', 'E'] }),
    category: text('category'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.idx] })],
);

export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenSha256: text('token_sha256').notNull().unique(),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at'),
});

export const scoringSubmissions = sqliteTable(
  'scoring_submissions',
  {
    tokenId: text('token_id').notNull(),
    split: text('split').notNull(),
    predictionsSha256: text('predictions_sha256').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.split, t.predictionsSha256] })],
);
