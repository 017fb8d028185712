// Query parameters of GET /v1/questions: a selection (src/selection/) plus order and paging.
import * as v from 'valibot';
import { once, UNKNOWN_PARAMETER } from '../http/query-parameters';
import { refuseAnswerFiltersOnHiddenSplits, selectionEntries, selectionKey, type Selection } from '../selection/selection';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export const QUESTION_ORDERS = ['index', 'relevance'] as const;
export type QuestionOrder = (typeof QUESTION_ORDERS)[number];

export const QuestionQuerySchema = v.pipe(
  v.strictObject(
    {
      ...selectionEntries,
      order: v.optional(
        v.pipe(
          v.picklist(QUESTION_ORDERS, 'must be "index" or "relevance", given once'),
          v.description('`index` (default): ascending question index. `relevance`: best keyword match first (bm25), ties by index; needs `q`.'),
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
          v.description(`Page size, default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}. Not used with NDJSON.`),
        ),
      ),
      cursor: v.optional(
        v.pipe(
          once(v.pipe(v.string(), v.maxLength(512, 'is not a cursor issued by this API'))),
          v.description('`next_cursor` of the previous page, with the same filters and order. Not used with NDJSON.'),
        ),
      ),
    },
    UNKNOWN_PARAMETER,
  ),
  refuseAnswerFiltersOnHiddenSplits(),
  v.forward(
    v.check((query) => query.order !== 'relevance' || query.q !== undefined, 'relevance order needs keywords (q)'),
    ['order'],
  ),
);
export type QuestionQuery = v.InferOutput<typeof QuestionQuerySchema>;

/** What a cursor is bound to: the selection and its order (not the page size). */
export function cursorSelection(s: Selection, order: QuestionOrder): string {
  return JSON.stringify([selectionKey(s), order]);
}
