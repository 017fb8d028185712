// Reads the predictions of a POST /v1/scores body, whatever form a harness sends them in:
// JSON, JSON Lines, a VLMEvalKit file as the raw body (xlsx / TSV / CSV), or a multipart/form-data file field.
import { mediaTypeOf } from '../http/media-type';
import { ProblemError } from '../http/problem';
import {
  MAX_PREDICTION_ROWS,
  parsePredictionsDelimited,
  parsePredictionsJson,
  parsePredictionsJsonl,
  parsePredictionsXlsx,
  type PredictionParseResult,
} from './prediction-files';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const JSONL_TYPE = 'application/x-ndjson';
export const PREDICTION_MEDIA_TYPES = ['application/json', JSONL_TYPE, XLSX_TYPE, 'text/tab-separated-values', 'text/csv', 'multipart/form-data'] as const;
/** Other names of JSON Lines in use. */
const JSONL_TYPES = new Set([JSONL_TYPE, 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines']);

type FileFormat = 'json' | 'jsonl' | 'xlsx' | 'tsv' | 'csv';

export interface SubmittedPredictions {
  result: PredictionParseResult;
  /** The other fields of a JSON object body or of the form (`split`, `scorer`, a run's `model`…), unvalidated. */
  fields: Readonly<Record<string, unknown>>;
}

export async function readPredictions(request: Request): Promise<SubmittedPredictions> {
  const mediaType = mediaTypeOf(request);
  if (mediaType === 'multipart/form-data') return readForm(request);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length === 0) throw badBody('The request body is empty: send predictions as JSON or a VLMEvalKit file.');
  return await parseFile(bytes, formatOfMediaType(mediaType) ?? sniffFormat(bytes));
}

async function readForm(request: Request): Promise<SubmittedPredictions> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badBody('The multipart/form-data body cannot be parsed.');
  }
  const file = form.get('file') ?? [...form.values()].find((value) => typeof value !== 'string');
  if (!file || typeof file === 'string') throw badBody('The form has no file field: send the predictions file as `file`.', 'file');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = formatOfFileName(file.name) ?? formatOfMediaType(file.type) ?? sniffFormat(bytes);
  const submitted = await parseFile(bytes, format);
  const formFields = Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string'));
  return { result: submitted.result, fields: { ...submitted.fields, ...formFields } };
}

async function parseFile(bytes: Uint8Array, format: FileFormat): Promise<SubmittedPredictions> {
  refuseTooManyEntries(bytes, format);
  if (format === 'xlsx') return { result: await parsePredictionsXlsx(bytes), fields: {} };
  if (format === 'jsonl') return { result: parsePredictionsJsonl(bytes), fields: {} };
  if (format !== 'json') return { result: parsePredictionsDelimited(bytes, format), fields: {} };
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (err) {
    throw badBody(`The body is not valid JSON: ${err instanceof SyntaxError ? err.message.slice(0, 200) : 'not UTF-8'}.`);
  }
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'predictions'))
      : {};
  return { result: parsePredictionsJson(body), fields };
}

/**
 * JSON.parse and the TSV/CSV/JSONL splitters materialize every entry before rows are counted, and 25 MB
 * of tiny entries would take gigabytes. Each JSON entry needs two quotes and each TSV/CSV/JSONL row a
 * line break, so counting those bytes bounds the entries before anything is parsed.
 */
function refuseTooManyEntries(bytes: Uint8Array, format: FileFormat): void {
  if (format === 'xlsx') return; // bounded by the xlsx reader's expansion cap
  const marker = format === 'json' ? 0x22 : 0x0a;
  const perEntry = format === 'json' ? 2 : 1;
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === marker) count++;
  if (count / perEntry > 2 * MAX_PREDICTION_ROWS) {
    throw new ProblemError({ status: 413, title: 'Payload too large', detail: `A submission holds at most ${MAX_PREDICTION_ROWS} predictions.` });
  }
}

function formatOfMediaType(mediaType: string): FileFormat | null {
  if (JSONL_TYPES.has(mediaType)) return 'jsonl';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === XLSX_TYPE) return 'xlsx';
  if (mediaType === 'text/tab-separated-values') return 'tsv';
  if (mediaType === 'text/csv') return 'csv';
  return null;
}

function formatOfFileName(name: string): FileFormat | null {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return extension === 'xlsx' || extension === 'tsv' || extension === 'csv' || extension === 'json' ? extension : null;
}

/**
 * For bodies sent as application/octet-stream or without a type: zip → xlsx; a first line that is a
 * whole JSON object with an `index` → JSON Lines; {/[ → JSON; tab → TSV.
 */
function sniffFormat(bytes: Uint8Array): FileFormat {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).trimStart();
  if (head.startsWith('{') && isJsonlRecord(head.split('\n', 1)[0]!)) return 'jsonl';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  const firstLine = head.split('\n', 1)[0] ?? '';
  return firstLine.includes('\t') ? 'tsv' : 'csv';
}

function isJsonlRecord(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && 'index' in value;
  } catch {
    return false;
  }
}

function badBody(detail: string, name = '(body)'): ProblemError {
  return new ProblemError({ status: 400, title: 'Invalid request body', detail, errors: [{ name, reason: detail }] });
}
