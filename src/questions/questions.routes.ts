// GET /v1/questions (paginated JSON, or NDJSON for the whole selection) and one question by key.
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import { SPLITS } from '../dataset/vocabulary';
import { datasetCaching, type DatasetEnv } from '../http/dataset-cache';
import { ProblemError } from '../http/problem';
import { validate } from '../http/validate';
import { jsonResponse, NOT_MODIFIED, problemResponses } from '../openapi/responses';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor';
import { DEFAULT_LIMIT, IndexValue, QuestionQuerySchema, selectionKey, wholeSplit } from './filters';
import { NDJSON_TYPE, questionStream, wantsNdjson } from './ndjson';
import { QuestionSchema, toQuestionJson } from './question-json';
import { readPage, readRows, rowKey } from './questions.store';

/** CURSOR_SECRET (optional secret) keys the cursor MAC; see cursor.ts for the fallback. */
type QuestionsEnv = DatasetEnv & { Bindings: { CURSOR_SECRET?: string } };

const QuestionPageSchema = v.pipe(
  v.object({
    data: v.array(QuestionSchema),
    total: v.pipe(v.number(), v.description('Number of questions matching the filters (all pages).')),
    next_cursor: v.pipe(v.nullable(v.string()), v.description('Pass as `cursor` for the next page; null on the last page.')),
    dataset_version: v.string(),
  }),
  v.metadata({ ref: 'QuestionPage' }),
);

const QuestionParams = v.object({
  split: v.picklist(SPLITS, 'must be "val" or "test"'),
  index: IndexValue,
});

function invalidQuery(name: string, reason: string): ProblemError {
  return new ProblemError({ status: 400, title: 'Invalid query parameters', errors: [{ name, reason }] });
}

export const questionRoutes = new Hono<QuestionsEnv>()
  .get(
    '/questions',
    describeRoute({
      tags: ['questions'],
      summary: 'Questions matching the filters, page by page (or all of them as NDJSON)',
      description:
        'Filters: repeat a parameter to OR its values; different parameters are AND-ed. Unknown values match nothing; ' +
        `malformed ones (and unknown parameters) are a 400 naming the parameter. Keyset pagination: pass \`next_cursor\` as \`cursor\`, ` +
        `with the same filters and order, until it is null; \`limit\` defaults to ${DEFAULT_LIMIT}. ` +
        `With \`Accept: ${NDJSON_TYPE}\` the response streams every matching question, one JSON object a line, ` +
        'in the requested order, without pagination (`limit` and `cursor` are then refused).',
      responses: {
        200: {
          description: 'A page of questions, or with NDJSON every matching question.',
          content: {
            'application/json': { schema: resolver(QuestionPageSchema) },
            [NDJSON_TYPE]: { schema: resolver(QuestionSchema) },
          },
        },
        ...NOT_MODIFIED,
        ...problemResponses(400),
      },
    }),
    validate('query', QuestionQuerySchema, true),
    datasetCaching,
    async (c) => {
      const { order, limit, cursor, ...filters } = c.req.valid('query');
      const version = c.var.dataset.version;
      const origin = new URL(c.req.url).origin;
      if (wantsNdjson(c.req.header('Accept'))) {
        if (limit !== undefined) throw invalidQuery('limit', 'is not used with NDJSON, which streams every matching question');
        if (cursor !== undefined) throw invalidQuery('cursor', 'is not used with NDJSON, which streams every matching question');
        return c.body(questionStream(c.var.db, filters, order, origin), 200, { 'Content-Type': NDJSON_TYPE });
      }
      const selection = selectionKey(filters, order);
      let after: CursorKey | null = null;
      if (cursor !== undefined) {
        const checked = await decodeCursor(cursor, { selection, version }, c.env.CURSOR_SECRET);
        if (!checked.ok) throw invalidQuery('cursor', checked.reason);
        after = checked.key;
      }
      const pageSize = limit ?? DEFAULT_LIMIT;
      // One row more than the page tells whether another page follows.
      const { total, rows } = await readPage(c.var.db, filters, order, after, pageSize + 1);
      const page = rows.slice(0, pageSize);
      const last = page[page.length - 1];
      const next_cursor = rows.length > pageSize && last ? await encodeCursor({ key: rowKey(last, order), selection, version }, c.env.CURSOR_SECRET) : null;
      return c.json({ data: page.map((r) => toQuestionJson(r, filters.split, origin)), total, next_cursor, dataset_version: version });
    },
  )
  .get(
    '/questions/:split/:index',
    describeRoute({
      tags: ['questions'],
      summary: 'One question by split and index',
      responses: { 200: jsonResponse('The question.', QuestionSchema), ...NOT_MODIFIED, ...problemResponses(400, 404) },
    }),
    validate('param', QuestionParams, true),
    datasetCaching,
    async (c) => {
      const { split, index } = c.req.valid('param');
      const [row] = await readRows(c.var.db, { ...wholeSplit(split), index: [index] }, 'index', null, 1);
      if (!row) throw new ProblemError({ status: 404, title: 'Not found', detail: `No question ${index} in ${split}.` });
      return c.json(toQuestionJson(row, split, new URL(c.req.url).origin));
    },
  );
