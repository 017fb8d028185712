import type { RowGroups, ScoredRow } from './accuracy';
import { compareCodePoints } from '../lib/code-point-order';
import { pythonFloatRepr } from '../formats/python-float-repr';

/**
 * VLMEvalKit's `{model}_GMAI-MMBench_VAL_{column}_acc.csv` (GMAIMMBenchDataset.report_acc_by_groups
 * written by `dump`), byte for byte.
 */

/** VLMEvalKit's (lower-cased) column names → our group fields. */
export const VLMEVALKIT_GROUP_FIELDS = {
  'clinical vqa task': 'clinical_vqa_task',
  department: 'department',
  'perceptual granularity': 'perceptual_granularity',
} as const satisfies Record<string, keyof RowGroups>;
export type VlmevalkitGroupColumn = keyof typeof VLMEVALKIT_GROUP_FIELDS;
export const VLMEVALKIT_GROUP_COLUMNS = Object.keys(VLMEVALKIT_GROUP_FIELDS) as VlmevalkitGroupColumn[];

/**
 * The report for one column: header `split,Overall,<values sorted by code point>`, one row
 * `none,<overall mean>,<mean per value>`, every field quoted (csv.QUOTE_ALL), '\n' line ends.
 *
 * Quirks kept on purpose: a missing value (the N/A department) becomes a column named 'None' whose
 * mean is taken over the rows equal to the string 'None' (none), so it prints as NaN, i.e. an
 * empty field, while those rows still count in Overall. Columns live in a Python dict, so a value
 * named 'split' or 'Overall' overwrites that column in place.
 */
export function vlmevalkitAccuracyCsv(rows: ReadonlyArray<Pick<ScoredRow, 'hit' | 'groups'>>, column: VlmevalkitGroupColumn): string {
  const field = VLMEVALKIT_GROUP_FIELDS[column];
  const columns = new Map<string, string>([
    ['split', 'none'],
    ['Overall', meanHit(rows)],
  ]);
  const names = new Set(rows.map((row) => row.groups[field] ?? 'None'));
  for (const name of [...names].sort(compareCodePoints)) {
    columns.set(name, meanHit(rows.filter((row) => row.groups[field] === name)));
  }
  const line = (fields: Iterable<string>) => `${[...fields].map(quoteField).join(',')}\n`;
  return line(columns.keys()) + line(columns.values());
}

/** pandas' mean of the 0/1 hits (an exact float64 sum divided by n), NaN (empty) when there are no rows. */
function meanHit(rows: ReadonlyArray<Pick<ScoredRow, 'hit'>>): string {
  if (rows.length === 0) return '';
  let correct = 0;
  for (const row of rows) correct += row.hit;
  return pythonFloatRepr(correct / rows.length);
}

function quoteField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
