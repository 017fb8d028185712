// Test support: the real VAL split of ../shared/gmai (see its README), read as VLMEvalKit reads it.
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScoredRow } from './accuracy';
import type { QuestionOptions } from './extract-choice';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GMAI_DIR = path.resolve(repoRoot, '../shared/gmai');
const META_TSV = path.join(GMAI_DIR, 'GMAI-MMBench_VAL.meta.tsv');
export const HAVE_VAL_META = existsSync(META_TSV);

export interface MetaRow {
  readonly options: QuestionOptions;
  readonly answer: string;
  readonly groups: ScoredRow['groups'];
}

/** Every VAL question by index: the option cells as written (extract-choice applies pandas' NA rule). */
export function readValMeta(): Map<number, MetaRow> {
  const records: Array<Record<string, string>> = parse(readFileSync(META_TSV), {
    columns: true,
    delimiter: '\t',
    relax_quotes: true,
  });
  const cell = (record: Record<string, string>, column: string) => {
    const value = record[column];
    if (value === undefined) throw new Error(`meta TSV has no column ${column}`);
    return value;
  };
  return new Map(
    records.map((record) => [
      Number(cell(record, 'index')),
      {
        options: { A: cell(record, 'A'), B: cell(record, 'B'), C: cell(record, 'C'), D: cell(record, 'D'), E: cell(record, 'E') },
        answer: cell(record, 'answer'),
        groups: {
          clinical_vqa_task: cell(record, 'clinical VQA task'),
          department: cell(record, 'department') || null,
          perceptual_granularity: cell(record, 'perceptual granularity'),
          modality: cell(record, 'modality'),
          original_task: cell(record, 'original task'),
        },
      },
    ]),
  );
}
