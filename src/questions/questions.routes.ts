// GET /v1/questions (paginated JSON, or NDJSON / VLMEvalKit TSV for the whole selection) and one question by key.
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
import { IndexValue, wholeSplit, type Selection } from '../selection/selection';
import { resolveSelection } from '../selection/resolve-selection';
import { nameSubset, subsetRef } from '../subsets/subsets.store';
import { SubsetRefSchema } from '../subsets/subset-ref';
import { subsetHeaders } from '../subsets/subset-headers';
import { decodeCursor, encodeCursor, STALE_CURSOR } from './cursor';
import { cursorSelection, DEFAULT_LIMIT, orderProblem, QuestionQuerySchema, type QuestionOrder, type QuestionQuery } from './questions.contract';
import { NDJSON_TYPE, questionStream } from './ndjson';
import { QuestionSchema, toQuestionJson } from './question-json';
import { readPage, readRows, rowKey } from './questions.store';
import { MEDIA_TYPES, questionFormat } from './representation';
import { tsvFileName, tsvStream, TSV_TYPE } from './tsv-export';

const QuestionPageSchema = v.pipe(
  v.object({
    data: v.array(QuestionSchema),
    total: v.pipe(v.number(), v.description('Number of questions matching the filters (all pages).')),
    next_cursor: v.pipe(v.nullable(v.string()), v.description('Pass as `cursor` for the next page; null on the last page.')),
    dataset_version: v.string(),
    subset: SubsetRefSchema,
  }),
  v.metadata({ ref: 'QuestionPage' }),
);

const QuestionParams = v.object({
  split: v.picklist(SPLITS, 'must be "val" or "test"'),
  index: IndexValue,
});

type QuestionsContext = Context<DatasetEnv>;

/** Every matching question as NDJSON or TSV; the body is read from D1 (and R2) as the client consumes it. */
async function exportResponse(c: QuestionsContext, format: 'ndjson' | 'tsv', selection: Selection, { order, limit, cursor }: QuestionQuery): Promise<Response> {
  const what = format === 'tsv' ? 'TSV' : 'NDJSON';
  if (limit !== undefined) throw invalidQuery('limit', `is not used with ${what}, which streams every matching question`);
  if (cursor !== undefined) throw invalidQuery('cursor', `is not used with ${what}, which streams every matching question`);
  const { version } = await readDatasetState(c.var.db);
  const etag = await requestEtag(c, version);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const subset = await nameSubset(c.var.db, selection, version);
  const headers = subsetHeaders(subset, new URL(c.req.url).origin);
  if (format === 'ndjson')
    return withCacheHeaders(
      c.body(questionStream(c.var.db, selection, order, new URL(c.req.url).origin, version), 200, { ...headers, 'Content-Type': NDJSON_TYPE }),
      etag,
    );
  const body = tsvStream(c.var.db, c.env.IMAGES, selection, order, version);
  return withCacheHeaders(
    c.body(body, 200, {
      ...headers,
      'Content-Type': `${TSV_TYPE}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="${tsvFileName(selection.split, subset)}"`,
    }),
    etag,
  );
}

/** One keyset page: dataset state, page, total and the subset's record come from one D1 round trip. */
async function questionPageResponse(c: QuestionsContext, selection: Selection, order: QuestionOrder, { limit, cursor }: QuestionQuery): Promise<Response> {
  const bound = cursorSelection(selection, order);
  const checked = cursor === undefined ? null : await decodeCursor(cursor, bound, c.env.CURSOR_SECRET);
  if (checked && !checked.ok) throw invalidQuery('cursor', checked.reason);
  const pageSize = limit ?? DEFAULT_LIMIT;
  // One row more than the page tells whether another page follows.
  const { dataset, total, rows, subset } = await readPage(c.var.db, selection, order, checked?.key ?? null, pageSize + 1);
  const etag = await requestEtag(c, dataset.version);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  if (checked && checked.version !== dataset.version) throw invalidQuery('cursor', STALE_CURSOR);
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const version = dataset.version;
  const next_cursor = rows.length > pageSize && last ? await encodeCursor({ key: rowKey(last, order), selection: bound, version }, c.env.CURSOR_SECRET) : null;
  const origin = new URL(c.req.url).origin;
  return withCacheHeaders(
    c.json({
      data: page.map((r) => toQuestionJson(r, selection.split, origin)),
      total,
      next_cursor,
      dataset_version: version,
      subset: subsetRef(subset, origin),
    }),
    etag,
  );
}

export const questionRoutes = new Hono<DatasetEnv>()
  .get(
    '/questions',
    describeRoute({
      tags: ['questions'],
      summary: 'Questions matching the filters, page by page (or all of them as NDJSON or as VLMEvalKit TSV)',
      description:
        'Filters: repeat a parameter to OR its values; different parameters are AND-ed; or `subset=<id>` alone. Unknown values match nothing; ' +
        `malformed ones (and unknown parameters) are a 400 naming the parameter. Keyset pagination: pass \`next_cursor\` as \`cursor\`, ` +
        `with the same filters and order, until it is null; \`limit\` defaults to ${DEFAULT_LIMIT}. ` +
        `With \`Accept: ${NDJSON_TYPE}\` (or \`format=ndjson\`) the response streams every matching question, one JSON object a line, ` +
        'in the requested order, without pagination (`limit` and `cursor` are then refused). ' +
        `With \`Accept: ${TSV_TYPE}\` (or \`format=tsv\`) it is VLMEvalKit's TSV of every matching question, a file \`run.py --data\` takes: ` +
        'columns `index, question, A, B, C, D, E, answer, category, clinical VQA task, department, perceptual granularity, modality, original task, image` ' +
        '(TEST: without `answer` and `category`), quoted as pandas writes them, an empty department for N/A, each image as base64 of its stored bytes, ' +
        'and for an image already written earlier in the file the index of that row (VLMEvalKit reads an `image` of at most 64 characters so). ' +
        'NDJSON and TSV name their subset in the `Subset-Id` header; the TSV comes as a download named after the split and the subset id.',
      responses: {
        200: {
          description: 'A page of questions, or with NDJSON or TSV every matching question.',
          headers: {
            'Subset-Id': { description: 'NDJSON and TSV: the subset id of the selection (pages carry `subset` in the body).', schema: { type: 'string' } },
            'Content-Disposition': { description: 'TSV: `attachment; filename="GMAI-MMBench_<SPLIT>_<subset id>.tsv"`.', schema: { type: 'string' } },
          },
          content: {
            [MEDIA_TYPES.json]: { schema: resolver(QuestionPageSchema) },
            [NDJSON_TYPE]: { schema: resolver(QuestionSchema) },
            [TSV_TYPE]: { schema: { type: 'string', description: "VLMEvalKit's TSV (header row, one row a question)." } },
          },
        },
        ...NOT_MODIFIED,
        ...problemResponses(400, 404, 410, 429),
      },
    }),
    // Only the NDJSON and TSV exports of a whole selection are costly; pages are cheap and cached.
    rateLimit('export', (c) => questionFormat(c) !== 'json'),
    validate('query', QuestionQuerySchema, true),
    async (c) => {
      const query = c.req.valid('query');
      const selection = await resolveSelection(c.var.db, query);
      const problem = orderProblem(selection, query.order);
      if (problem) throw invalidQuery('order', problem);
      const format = questionFormat(c);
      return format === 'json' ? questionPageResponse(c, selection, query.order, query) : exportResponse(c, format, selection, query);
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
