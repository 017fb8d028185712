// GET /v1/questions (paginated JSON, or NDJSON for the whole selection) and one question by key.
import { Hono, type Context } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import { SPLITS } from '../dataset/vocabulary';
import { readDatasetState } from '../dataset/version';
import { datasetCaching, notModified, requestEtag, withCacheHeaders, type DatasetEnv } from '../http/dataset-cache';
import { invalidQuery, ProblemError } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { jsonResponse, NOT_MODIFIED, problemResponses } from '../openapi/responses';
import { decodeCursor, encodeCursor, STALE_CURSOR } from './cursor';
import { IndexValue, wholeSplit } from '../selection/selection';
import { cursorSelection, DEFAULT_LIMIT, QuestionQuerySchema, type QuestionQuery } from './questions.contract';
import { NDJSON_TYPE, questionStream, wantsNdjson } from './ndjson';
import { QuestionSchema, toQuestionJson } from './question-json';
import { readPage, readRows, rowKey } from './questions.store';


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


type QuestionsContext = Context<DatasetEnv>;

/** Every matching question as NDJSON; the body is read from D1 as the client consumes it. */
async function questionStreamResponse(c: QuestionsContext, { order, limit, cursor, ...filters }: QuestionQuery): Promise<Response> {
  if (limit !== undefined) throw invalidQuery('limit', 'is not used with NDJSON, which streams every matching question');
  if (cursor !== undefined) throw invalidQuery('cursor', 'is not used with NDJSON, which streams every matching question');
  const { version } = await readDatasetState(c.var.db);
  const etag = await requestEtag(c, version);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const stream = questionStream(c.var.db, filters, order, new URL(c.req.url).origin, version);
  return withCacheHeaders(c.body(stream, 200, { 'Content-Type': NDJSON_TYPE }), etag);
}

/** One keyset page: dataset state, page and total come from one D1 round trip. */
async function questionPageResponse(c: QuestionsContext, { order, limit, cursor, ...filters }: QuestionQuery): Promise<Response> {
  const selection = cursorSelection(filters, order);
  const checked = cursor === undefined ? null : await decodeCursor(cursor, selection, c.env.CURSOR_SECRET);
  if (checked && !checked.ok) throw invalidQuery('cursor', checked.reason);
  const pageSize = limit ?? DEFAULT_LIMIT;
  // One row more than the page tells whether another page follows.
  const { dataset, total, rows } = await readPage(c.var.db, filters, order, checked?.key ?? null, pageSize + 1);
  const etag = await requestEtag(c, dataset.version);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  if (checked && checked.version !== dataset.version) throw invalidQuery('cursor', STALE_CURSOR);
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const version = dataset.version;
  const next_cursor = rows.length > pageSize && last ? await encodeCursor({ key: rowKey(last, order), selection, version }, c.env.CURSOR_SECRET) : null;
  const origin = new URL(c.req.url).origin;
  return withCacheHeaders(c.json({ data: page.map((r) => toQuestionJson(r, filters.split, origin)), total, next_cursor, dataset_version: version }), etag);
}

export const questionRoutes = new Hono<DatasetEnv>()
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
        ...problemResponses(400, 429),
      },
    }),
    // Only the NDJSON export of a whole selection is costly; pages are cheap and cached.
    rateLimit('export', wantsNdjson),
    validate('query', QuestionQuerySchema, true),
    async (c) => {
      const query = c.req.valid('query');
      return wantsNdjson(c) ? questionStreamResponse(c, query) : questionPageResponse(c, query);
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
