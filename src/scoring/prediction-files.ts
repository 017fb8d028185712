import { splitDelimited, UnterminatedQuoteError, type DelimitedRecord } from '../formats/delimited-text';
import { MalformedFileError } from '../formats/malformed-file-error';
import { isPandasNaString } from '../formats/pandas-na';
import { pythonFloatRepr } from '../formats/python-float-repr';
import { forEachWorksheetRow, type CellValue } from '../formats/xlsx';

/**
 * Reads a submitted predictions payload (JSON, TSV, CSV or VLMEvalKit's .xlsx) into rows of
 * (index, raw prediction). Files are read as VLMEvalKit reads them with pandas: columns `index` and
 * `prediction` by exact name, other columns ignored, a missing cell or one pandas reads as NaN
 * ('NA', 'None', 'null'… see pandas-na.ts) is a null prediction, which scoring turns into 'nan'.
 * Problems come back as data, each naming where it is, never as exceptions.
 */

export interface PredictionRow {
  readonly index: number;
  /** The model's raw text; null for a missing value (pandas NaN). */
  readonly prediction: string | null;
  /** Where the row came from, for messages: 'line 17', 'row 17', '$.predictions["12"]', '$.predictions[3]'. */
  readonly source: string;
}

export interface PredictionFileError {
  /** 'line 17' (TSV/CSV), 'row 17' (xlsx), a JSON path, or 'file' for the file as a whole. */
  readonly location: string;
  readonly message: string;
}

export type PredictionParseResult =
  | { readonly ok: true; readonly rows: PredictionRow[] }
  /** `errors` lists the first MAX_LISTED_ERRORS problems; `errorCount` counts them all. */
  | { readonly ok: false; readonly errors: PredictionFileError[]; readonly errorCount: number };

export const MAX_LISTED_ERRORS = 100;
/** Far above the largest split (TEST, 21,281): more rows can only be a mistake or an attack on memory. */
export const MAX_PREDICTION_ROWS = 100_000;

/** `{"predictions": {"<index>": text | null}}` or `{"predictions": [{"index": n, "prediction": text | null}]}`. */
export function parsePredictionsJson(body: unknown): PredictionParseResult {
  const collector = new PredictionCollector();
  const predictions = isObject(body) ? body.predictions : undefined;
  if (Array.isArray(predictions)) {
    predictions.forEach((item: unknown, position) => {
      const path = `$.predictions[${position}]`;
      collectObject(collector, item, path, (field, message) => collector.error(`${path}.${field}`, message));
    });
  } else if (isObject(predictions)) {
    // Keys, not entries: no pair array per prediction (21,281 on TEST).
    for (const key of Object.keys(predictions)) {
      const prediction = predictions[key];
      const index = isPlainDecimal(key) ? Number(key) : NaN;
      // A plain decimal key needs no escaping: its path is built without JSON.stringify.
      const path = Number.isSafeInteger(index) ? `$.predictions["${key}"]` : `$.predictions[${JSON.stringify(key)}]`;
      if (!Number.isSafeInteger(index)) {
        collector.error(path, 'the key must be a non-negative integer written in plain decimal, e.g. "12"');
      } else if (!isPrediction(prediction)) {
        collector.error(path, `expected a string or null, got ${describe(prediction)}`);
      } else {
        collector.add(index, prediction, path);
      }
    }
  } else if (isObject(body)) {
    collector.error('$.predictions', 'expected an object {"<index>": prediction} or an array of {"index", "prediction"}');
  } else {
    collector.error('$', 'expected an object with a "predictions" member');
  }
  return collector.result('$.predictions');
}

/**
 * JSON Lines, the shape home-grown loops write: one `{"index": n, "prediction": text | null}` object a
 * line (other members ignored), blank lines skipped, `\r\n` line ends allowed. Bytes must be UTF-8.
 */
export function parsePredictionsJsonl(input: Uint8Array): PredictionParseResult {
  const collector = new PredictionCollector();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    collector.error('file', 'the file is not valid UTF-8 text');
    return collector.result('file');
  }
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const location = `line ${i + 1}`;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (err) {
      return collector.error(location, `not valid JSON: ${err instanceof SyntaxError ? err.message.slice(0, 120) : 'unreadable'}`);
    }
    collectObject(collector, item, location, (field, message) => collector.error(location, `"${field}": ${message}`));
  });
  return collector.result('file');
}

/** '0', '12': digits without a leading zero (a regex test costs more, once per prediction). */
function isPlainDecimal(key: string): boolean {
  if (key.length === 0 || (key.length > 1 && key.charCodeAt(0) === 0x30)) return false;
  for (let at = 0; at < key.length; at++) {
    const code = key.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** One `{"index", "prediction"}` object; `fieldError` reports a bad member where the format names such things. */
function collectObject(collector: PredictionCollector, item: unknown, location: string, fieldError: (field: string, message: string) => void): void {
  if (!isObject(item)) return collector.error(location, `expected an object {"index": …, "prediction": …}, got ${describe(item)}`);
  const index = item.index;
  const validIndex = typeof index === 'number' && Number.isSafeInteger(index) && index >= 0;
  if (!validIndex) fieldError('index', `expected a non-negative integer, got ${describe(index)}`);
  const prediction = item.prediction;
  if (!isPrediction(prediction)) {
    fieldError('prediction', `expected a string or null, got ${describe(prediction)}`);
  } else if (validIndex) {
    collector.add(index + 0 /* -0 → 0 */, prediction, location);
  }
}

/**
 * Tab- or comma-separated text with a header row, quoted the way pandas writes it (fields holding
 * the separator, a quote or a line break are quoted, inner quotes doubled). Bytes must be UTF-8.
 */
export function parsePredictionsDelimited(input: string | Uint8Array, format: 'tsv' | 'csv'): PredictionParseResult {
  const collector = new PredictionCollector();
  let text: string;
  try {
    // Like pandas, drop a UTF-8 byte order mark (TextDecoder does so for bytes).
    text = typeof input === 'string' ? input.replace(/^\ufeff/, '') : new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    collector.error('file', 'the file is not valid UTF-8 text');
    return collector.result('file');
  }

  let records: DelimitedRecord[];
  try {
    records = splitDelimited(text, format === 'tsv' ? '\t' : ',');
  } catch (error) {
    if (!(error instanceof UnterminatedQuoteError)) throw error;
    collector.error(`line ${error.line}`, error.message);
    return collector.result('file');
  }

  const [header, ...data] = records;
  if (header === undefined) {
    collector.error('file', 'the file is empty');
    return collector.result('file');
  }
  const columns = findColumns(header.fields, `line ${header.line}`, collector);
  if (columns === null) return collector.result('file');
  for (const { fields, line } of data) {
    const location = `line ${line}`;
    if (fields.length > header.fields.length) {
      // pandas refuses such a file ("Expected n fields in line …").
      collector.error(location, `${fields.length} fields, but the header has ${header.fields.length}`);
      continue;
    }
    const indexText = withoutNa(fields[columns.index]);
    const index = indexText === undefined ? undefined : indexFromText(indexText);
    collectRow(collector, location, index, indexText, withoutNa(fields[columns.prediction]) ?? null);
  }
  return collector.result('file');
}

/** VLMEvalKit's prediction .xlsx (or any workbook whose first worksheet has a header row). */
export async function parsePredictionsXlsx(bytes: Uint8Array): Promise<PredictionParseResult> {
  const collector = new PredictionCollector();
  // undefined until the header row is seen; null when it lacks a required column.
  let columns: PredictionColumns | null | undefined;
  try {
    forEachWorksheetRow(bytes, ({ rowNumber, cells, skippedCells }) => {
      if (columns === null) return;
      // pandas skips rows whose cells are all empty, including before the header.
      if (skippedCells === 0 && cells.every((cell) => cell === undefined || (cell.kind === 'string' && cell.text === ''))) {
        return;
      }
      const location = `row ${rowNumber}`;
      if (columns === undefined) {
        const names = [...cells].map((cell) => (cell?.kind === 'string' ? cell.text : undefined));
        columns = findColumns(names, location, collector);
        return columns ? new Set([columns.index, columns.prediction]) : undefined;
      }
      const indexCell = cells[columns.index];
      const index = indexFromCell(indexCell);
      // The index cell is shown as text only in a message.
      collectRow(collector, location, index, index === undefined ? displayCell(indexCell) : undefined, predictionFromCell(cells[columns.prediction]));
    });
  } catch (error) {
    if (!(error instanceof MalformedFileError)) throw error;
    collector.error('file', error.message);
    return collector.result('file');
  }
  if (columns === undefined) collector.error('file', 'the first worksheet is empty');
  return collector.result('file');
}

interface PredictionColumns {
  readonly index: number;
  readonly prediction: number;
}

/** Positions of the first `index` and `prediction` columns (pandas renames later duplicates 'x.1'). */
function findColumns(names: ReadonlyArray<string | undefined>, location: string, collector: PredictionCollector): PredictionColumns | null {
  const index = names.indexOf('index');
  const prediction = names.indexOf('prediction');
  for (const [name, position] of [
    ['index', index],
    ['prediction', prediction],
  ] as const) {
    if (position !== -1) continue;
    const found = names.filter((n): n is string => n !== undefined && n !== '').map((n) => JSON.stringify(n.slice(0, 40)));
    collector.error(location, `the header has no "${name}" column (it has ${found.slice(0, 20).join(', ') || 'none'})`);
  }
  return index === -1 || prediction === -1 ? null : { index, prediction };
}

function collectRow(
  collector: PredictionCollector,
  location: string,
  index: number | undefined,
  indexCell: string | undefined,
  prediction: string | null,
): void {
  if (index !== undefined) collector.add(index, prediction, location);
  else if (indexCell === undefined) collector.error(location, 'the "index" cell has no value');
  else collector.error(location, `the "index" cell ${JSON.stringify(indexCell.slice(0, 40))} is not a non-negative integer`);
}

/** The cell's text, or undefined where pandas sees a missing value. */
function withoutNa(cell: string | undefined): string | undefined {
  return cell === undefined || isPandasNaString(cell) ? undefined : cell;
}

/** pandas reads '12', '012' and '12.0' as the number 12 (a float index still finds the row). */
function indexFromText(cell: string): number | undefined {
  if (!/^[0-9]+(?:\.0*)?$/.test(cell)) return undefined;
  const index = Number(cell);
  return Number.isSafeInteger(index) ? index : undefined;
}

function indexFromCell(cell: CellValue | undefined): number | undefined {
  if (cell?.kind === 'string') {
    const text = withoutNa(cell.text);
    return text === undefined ? undefined : indexFromText(text);
  }
  if (cell?.kind !== 'number') return undefined;
  const index = Number(cell.text);
  return Number.isSafeInteger(index) && index >= 0 ? index + 0 : undefined;
}

/** The cell as text for messages; undefined when pandas would see no value. */
function displayCell(cell: CellValue | undefined): string | undefined {
  const value = predictionFromCell(cell);
  return value === null ? undefined : value;
}

/**
 * What `str(value)` gives in VLMEvalKit for a cell pandas read from the sheet: numbers come from
 * openpyxl as int (no '.' or exponent) or float, and pandas turns integral floats into int.
 */
function predictionFromCell(cell: CellValue | undefined): string | null {
  switch (cell?.kind) {
    case undefined:
    case 'error':
      return null;
    case 'string':
      return withoutNa(cell.text) ?? null;
    case 'boolean':
      return cell.value ? 'True' : 'False';
    case 'number': {
      if (/^[+-]?[0-9]+$/.test(cell.text)) return BigInt(cell.text).toString();
      const value = Number(cell.text);
      return Number.isInteger(value) ? BigInt(value).toString() : pythonFloatRepr(value);
    }
  }
}

/** Indexes below this are marked seen in a byte array (at most 1 MiB); the few above, if any, in a Set. */
const DENSE_INDEXES = 2 ** 20;

class PredictionCollector {
  private readonly rows: PredictionRow[] = [];
  /** Which indexes were given: a Map of 21,281 entries took a fifth of reading a TEST submission. */
  private seen = new Uint8Array(1024);
  private readonly seenLarge = new Set<number>();
  private readonly errors: PredictionFileError[] = [];
  private errorCount = 0;

  /** A message given as a function is only made if the error is listed. */
  error(location: string, message: string | (() => string)): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ location, message: typeof message === 'string' ? message : message() });
  }

  add(index: number, prediction: string | null, source: string): void {
    if (this.rows.length >= MAX_PREDICTION_ROWS) {
      if (this.rows.length === MAX_PREDICTION_ROWS) this.error(source, `more than ${MAX_PREDICTION_ROWS} predictions`);
      return;
    }
    if (!this.markSeen(index)) {
      return this.error(source, () => `index ${index} was already given at ${this.rows.find((row) => row.index === index)?.source}`);
    }
    this.rows.push({ index, prediction, source });
  }

  /** Marks the index as given; false if it already was. */
  private markSeen(index: number): boolean {
    if (index >= DENSE_INDEXES) {
      if (this.seenLarge.has(index)) return false;
      this.seenLarge.add(index);
      return true;
    }
    if (index >= this.seen.length) {
      const grown = new Uint8Array(Math.min(DENSE_INDEXES, Math.max(index + 1, 2 * this.seen.length)));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[index] === 1) return false;
    this.seen[index] = 1;
    return true;
  }

  /** `emptyLocation`: where to report a payload that holds no prediction at all. */
  result(emptyLocation: string): PredictionParseResult {
    if (this.errorCount === 0 && this.rows.length === 0) this.error(emptyLocation, 'there are no predictions');
    if (this.errorCount > 0) return { ok: false, errors: this.errors, errorCount: this.errorCount };
    return { ok: true, rows: this.rows };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrediction(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/** A short description of a JSON value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return String(value);
}
