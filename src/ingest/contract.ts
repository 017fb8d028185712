// Wire contract of the admin ingest API, shared by the Worker (validation) and the Node importer
// (which validates every TSV row with the same schema before sending it).
import * as v from 'valibot';
import { GRANULARITIES, LETTERS, ORIGINAL_TASKS, SplitSchema } from '../dataset/vocabulary';
import { Sha256Hex } from '../lib/digest';

/** D1 caps strings at 2 MB; no benchmark text comes close, so anything big is a broken row. */
const MAX_TEXT_BYTES = 64 * 1024;
const Text = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long text needs encoding to be measured.
  v.check((s) => s.length <= MAX_TEXT_BYTES / 3 || new TextEncoder().encode(s).length <= MAX_TEXT_BYTES, `must be at most ${MAX_TEXT_BYTES} bytes`),
);

export const IndexSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be an integer'),
  v.minValue(0, 'must be >= 0'),
  v.maxValue(2 ** 31 - 1, 'is too large'),
);

export const StagedRowSchema = v.pipe(
  v.strictObject({
    index: IndexSchema,
    question: Text,
    options: v.pipe(v.array(Text), v.minLength(2, 'needs at least 2 options (A, B)'), v.maxLength(5, 'has more than 5 options')),
    answer: v.nullable(v.picklist(LETTERS, 'must be one of A-E')),
    category: v.nullable(Text),
    clinical_vqa_task: Text,
    department: v.nullable(Text),
    perceptual_granularity: v.picklist(GRANULARITIES, `must be one of ${GRANULARITIES.join(', ')}`),
    modality: Text,
    original_task: v.picklist(ORIGINAL_TASKS, `must be one of ${ORIGINAL_TASKS.join(', ')}`),
    image_sha256: Sha256Hex,
  }),
  v.forward(
    v.check((row) => row.answer === null || LETTERS.indexOf(row.answer) < row.options.length, 'names an option the row does not have'),
    ['answer'],
  ),
);
export type StagedRow = v.InferOutput<typeof StagedRowSchema>;

/**
 * A row batch is bound to one statement as a single JSON text, and D1 caps a bound value at 2 MB:
 * requests are limited by rows and by bytes (the importer flushes well before either).
 */
export const MAX_ROWS_PER_BATCH = 1000;
export const MAX_ROW_BATCH_BYTES = 1_500_000;
export const RowBatchSchema = v.strictObject({
  rows: v.pipe(v.array(StagedRowSchema), v.minLength(1), v.maxLength(MAX_ROWS_PER_BATCH)),
});

export const CreateImportSchema = v.strictObject({ split: SplitSchema });

export const CommitImportSchema = v.strictObject({
  /** sha256 of the canonical row stream, computed by the importer; equal to what is served → no-op. */
  content_sha256: Sha256Hex,
  rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

export const MissingImagesSchema = v.strictObject({
  sha256: v.pipe(v.array(Sha256Hex), v.maxLength(1000)),
});

export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg'] as const;
