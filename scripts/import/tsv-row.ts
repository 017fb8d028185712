// Turns one official-format TSV record into the ingest contract's row, naming TSV columns in errors.
import * as v from 'valibot';
import { LETTERS, type Letter } from '../../src/dataset/vocabulary';
import { StagedRowSchema, type StagedRow } from '../../src/ingest/contract';

export interface RowError {
  column: string;
  message: string;
}

/** Contract field → official TSV column, for error messages. */
const COLUMN_OF: Record<string, string> = {
  index: 'index',
  question: 'question',
  answer: 'answer',
  category: 'category',
  clinical_vqa_task: 'clinical VQA task',
  department: 'department',
  perceptual_granularity: 'perceptual granularity',
  modality: 'modality',
  original_task: 'original task',
  image_sha256: 'image',
};

export const REQUIRED_COLUMNS = ['index', 'question', 'A', 'B', 'clinical VQA task', 'department', 'perceptual granularity', 'modality', 'original task'];

/** Empty cells are pandas' missing values. */
export function tsvCell(fields: Map<string, string>, column: string): string | null {
  const value = fields.get(column);
  return value === undefined || value === '' ? null : value;
}

/** Option texts A-E as filled left to right; a filled option after an empty one is an error. */
export function rowOptions(fields: Map<string, string>): { options: string[]; errors: RowError[] } {
  const options: string[] = [];
  const errors: RowError[] = [];
  let gapAt: Letter | null = null;
  for (const letter of LETTERS) {
    const text = tsvCell(fields, letter);
    if (text === null) gapAt ??= letter;
    else if (gapAt !== null)
      errors.push({ column: letter, message: `option ${letter} is filled but option ${gapAt} is empty (options fill A-E left to right)` });
    else options.push(text);
  }
  return { options, errors };
}

export function tsvRecordToRow(
  fields: Map<string, string>,
  imageSha256: string,
  answerFromKey: Letter | undefined,
): { row: StagedRow; errors: RowError[] } | { row: null; errors: RowError[] } {
  const errors: RowError[] = [];
  const indexText = tsvCell(fields, 'index') ?? '';
  if (!/^\d{1,10}$/.test(indexText)) errors.push({ column: 'index', message: `must be a non-negative integer, got ${JSON.stringify(indexText.slice(0, 40))}` });

  const { options, errors: optionErrors } = rowOptions(fields);
  errors.push(...optionErrors);

  const answerCell = tsvCell(fields, 'answer');
  if (answerCell !== null && answerFromKey !== undefined && answerCell !== answerFromKey) {
    errors.push({ column: 'answer', message: `is ${answerCell} but the answer key says ${answerFromKey}` });
  }
  const answer = answerFromKey ?? answerCell;
  // Checked here as well as in the schema, whose row-level check only runs once every field is valid.
  if (answer !== null && LETTERS.indexOf(answer as Letter) >= options.length) {
    errors.push({ column: 'answer', message: `is ${answer} but the row has only options ${LETTERS.slice(0, options.length).join(', ')}` });
  }
  const candidate = {
    index: Number(indexText),
    question: tsvCell(fields, 'question') ?? '',
    options,
    answer,
    category: tsvCell(fields, 'category'),
    clinical_vqa_task: tsvCell(fields, 'clinical VQA task') ?? '',
    department: tsvCell(fields, 'department'),
    perceptual_granularity: tsvCell(fields, 'perceptual granularity') ?? '',
    modality: tsvCell(fields, 'modality') ?? '',
    original_task: tsvCell(fields, 'original task') ?? '',
    image_sha256: imageSha256,
  };
  const parsed = v.safeParse(StagedRowSchema, candidate);
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const [first, second] = issue.path ?? [];
      const key = String(first?.key);
      const column = key === 'options' ? (typeof second?.key === 'number' ? LETTERS[second.key]! : 'A-E') : (COLUMN_OF[key] ?? key);
      if ((column === 'index' || column === 'answer') && errors.some((e) => e.column === column)) continue;
      errors.push({ column, message: issue.message });
    }
  }
  return parsed.success && errors.length === 0 ? { row: parsed.output, errors } : { row: null, errors };
}
