// Query parameters of GET /v1/questions: a selection (src/selection/) plus order and paging.
import * as v from 'valibot';
import { once, UNKNOWN_PARAMETER } from '../http/query-parameters';
import {
  refuseAnswerFiltersOnHiddenSplits,
  refuseFiltersWithSubset,
  requireSplitOrSubset,
  selectionEntries,
  selectionKey,
  type Selection,
} from '../selection/selection';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Representations of a selection; `format` picks one where Accept cannot be set (links, `curl -O`). */
export const QUESTION_FORMATS = ['json', 'ndjson', 'tsv'] as const;
export type QuestionFormat = (typeof QUESTION_FORMATS)[number];

export const QUESTION_ORDERS = ['index', 'relevance'] as const;
export type QuestionOrder = (typeof QUESTION_ORDERS)[number];

export const QuestionQuerySchema = v.pipe(
  v.strictObject(
    {
      ...selectionEntries,
      order: v.optional(
        v.pipe(
          v.picklist(QUESTION_ORDERS, 'must be "index" or "relevance", given once'),
          v.description(
            '`index` (default): ascending question index. `relevance`: best keyword match first (bm25), ties by index; needs `q` (given, or in the subset).',
          ),
        ),
        'index',
      ),
      // No schema default: NDJSON must tell a given limit (refused) from an absent one.
      limit: v.optional(
        v.pipe(
          once(v.pipe(v.string(), v.regex(/^\d{1,4}$/, `must be an integer from 1 to ${MAX_LIMIT}`))),
          v.transform(Number),
          v.number(),
          v.integer(),
          v.minValue(1, `must be an integer from 1 to ${MAX_LIMIT}`),
          v.maxValue(MAX_LIMIT, `must be an integer from 1 to ${MAX_LIMIT}`),
          v.description(`Page size, default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}. Not used with NDJSON or TSV.`),
        ),
      ),
      cursor: v.optional(
        v.pipe(
          once(v.pipe(v.string(), v.maxLength(512, 'is not a cursor issued by this API'))),
          v.description('`next_cursor` of the previous page, with the same filters and order. Not used with NDJSON or TSV.'),
        ),
      ),
      format: v.optional(
        v.pipe(
          once(v.picklist(QUESTION_FORMATS, 'must be json, ndjson or tsv, given once')),
          v.description(
            'The representation, instead of `Accept`: `json` (pages), `ndjson` (every matching question, one JSON object a line) or `tsv` ' +
              "(VLMEvalKit's TSV of every matching question, images inline as base64, a download).",
          ),
        ),
      ),
    },
    UNKNOWN_PARAMETER,
  ),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
  requireSplitOrSubset(),
);
export type QuestionQuery = v.InferOutput<typeof QuestionQuerySchema>;

/** Relevance needs keywords, which a subset id may hold: checked on the resolved selection. */
export function orderProblem(s: Selection, order: QuestionOrder): string | null {
  return order === 'relevance' && s.q === undefined ? 'relevance order needs keywords (q)' : null;
}

/** What a cursor is bound to: the selection and its order (not the page size). */
export function cursorSelection(s: Selection, order: QuestionOrder): string {
  return JSON.stringify([selectionKey(s), order]);
}
