// Which representation of a selection a request of /v1/questions wants: `format` when given (links,
// `curl -O`), else Accept by its q-values (JSON on ties, wildcards and no header).
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { QUESTION_FORMATS, type QuestionFormat } from './questions.contract';
import { NDJSON_TYPE } from './ndjson';
import { TSV_TYPE } from './tsv-export';

export const MEDIA_TYPES: Record<QuestionFormat, string> = { json: 'application/json', ndjson: NDJSON_TYPE, tsv: TSV_TYPE };

export function questionFormat(c: Context): QuestionFormat {
  const given = c.req.query('format');
  if (QUESTION_FORMATS.includes(given as QuestionFormat)) return given as QuestionFormat;
  const type = accepts(c, { header: 'Accept', supports: Object.values(MEDIA_TYPES), default: MEDIA_TYPES.json });
  return QUESTION_FORMATS.find((format) => MEDIA_TYPES[format] === type) ?? 'json';
}
