// Closed vocabularies of the benchmark. Tasks, departments and modalities are open strings
// (the data is authoritative), but these two columns have a fixed set of values.
import * as v from 'valibot';

export const SPLITS = ['val', 'test'] as const;
export type Split = (typeof SPLITS)[number];
/** A split named in a body or a query. */
export const SplitSchema = v.picklist(SPLITS, 'must be "val" or "test"');

export const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Letter = (typeof LETTERS)[number];

export const GRANULARITIES = ['Box level', 'Contour level', 'Image level', 'Mask level'] as const;
export const ORIGINAL_TASKS = ['CLS_2D', 'DET_2D', 'SEG_2D', 'SEG_3D'] as const;

/** Whether a split's answers (and `category`, the answer text) may ever leave the server. */
export const ANSWERS_PUBLIC: Record<Split, boolean> = { val: true, test: false };

/**
 * The data columns of the official VLMEvalKit TSV, in the official order (`image` follows them in a
 * dataset file; VLMEvalKit's prediction files have `image_path` and `prediction` instead).
 */
export const TSV_DATA_COLUMNS = [
  'index',
  'question',
  'A',
  'B',
  'C',
  'D',
  'E',
  'answer',
  'category',
  'clinical VQA task',
  'department',
  'perceptual granularity',
  'modality',
  'original task',
] as const;
