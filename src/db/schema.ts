// Drizzle view of migrations/*.sql. The SQL files are the source of truth (FTS5 lives only there);
// schema.worker.test.ts proves both describe the same tables and columns. Drizzle's role is kept to
// two things: the query builder for plain writes and lookups (ingest, tokens), and the row types of
// every read, including the raw SQL ones (keyset pages, FTS, json_each lists) that the builder cannot
// express: those read rows as `DbRow<table>`, keyed by column name, never hand-written types.
import type { InferSelectModel, Table } from 'drizzle-orm';
import { customType, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A row of `table` as raw SQL returns it: keyed by column name (`clinical_vqa_task`), not by the builder's field name. */
export type DbRow<T extends Table> = InferSelectModel<T, { dbColumnNames: true }>;

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
  /** The pack (one R2 object of a whole upload batch) holding the image at packOffset; null: the object under sha256. */
  packKey: text('pack_key'),
  packOffset: integer('pack_offset'),
  storedAt: text('stored_at'),
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
  expiresAt: text('expires_at'),
  /** Space-separated, sorted (see src/tokens/scopes.ts). */
  scopes: text('scopes').notNull(),
  lastUsedAt: text('last_used_at'),
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

/** A BLOB as bytes. D1 hands BLOBs back as an array of numbers (or an ArrayBuffer); both become a Uint8Array. */
const bytes = customType<{ data: Uint8Array; driverData: ArrayBuffer | ArrayBufferView | number[] }>({
  dataType: () => 'blob',
  toDriver: (value) => value,
  fromDriver: (value) => blobBytes(value),
});

export function blobBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  throw new TypeError(`expected a BLOB, got ${typeof value}`);
}

export const runs = sqliteTable('runs', {
  id: text('id').primaryKey(),
  tokenId: text('token_id').notNull(),
  model: text('model').notNull(),
  organization: text('organization'),
  modelUrl: text('model_url'),
  paperUrl: text('paper_url'),
  notes: text('notes'),
  visibility: text('visibility', { enum: ['public', 'private'] }).notNull(),
  split: text('split', { enum: ['val', 'test'] }).notNull(),
  datasetVersion: text('dataset_version').notNull(),
  predictionsSha256: text('predictions_sha256').notNull(),
  createdAt: text('created_at').notNull(),
  scorers: text('scorers', { mode: 'json' }).$type<string[]>().notNull(),
  results: text('results', { mode: 'json' }).$type<Record<string, { n: number; correct: number }>>().notNull(),
  questionCount: integer('question_count').notNull(),
  outcomes: bytes('outcomes').notNull(),
  receipt: text('receipt').notNull(),
});

export const subsets = sqliteTable('subsets', {
  id: text('id').primaryKey(),
  split: text('split', { enum: ['val', 'test'] }).notNull(),
  /** canonicalSelection() as JSON (migrations/0005_subsets.sql). */
  selection: text('selection').notNull(),
  datasetVersion: text('dataset_version').notNull(),
  questions: integer('questions').notNull(),
  images: integer('images').notNull(),
  createdAt: text('created_at').notNull(),
});
