/**
 * The strings pandas (>= 2.0) reads as NaN by default in `read_csv` and `read_excel`.
 * VLMEvalKit loads both the dataset TSV and prediction files with those defaults, so a cell holding
 * exactly one of these is a missing value there: an option that is never a choice, a prediction
 * that becomes the string 'nan'. Matching is exact (no trimming, case-sensitive), as in pandas.
 */
const PANDAS_NA_STRINGS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export function isPandasNaString(cell: string): boolean {
  return PANDAS_NA_STRINGS.has(cell);
}
