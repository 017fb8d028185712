// GET /v1/subsets/{id}: what a subset id stands for (split, canonical selection, dataset version,
// counts), while that dataset version is served; 410 once it is not.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { SPLITS } from '../dataset/vocabulary';
import { datasetCaching, type DatasetEnv } from '../http/dataset-cache';
import { validate } from '../http/validate';
import { jsonResponse, NOT_MODIFIED, problemResponses } from '../openapi/responses';
import { canonicalSelection, selectionQueryString, SUBSET_ID_PATTERN } from '../selection/selection';
import { servedSubset } from './subsets.store';

const SubsetSchema = v.pipe(
  v.object({
    id: v.string(),
    split: v.picklist(SPLITS),
    selection: v.pipe(
      v.record(v.string(), v.unknown()),
      v.description('The canonical selection: `split` and each given filter with its values as a sorted set (`q`: its keyword phrases).'),
    ),
    query: v.pipe(v.string(), v.description('Query parameters that select the same questions, e.g. for /v1/questions.')),
    dataset_version: v.string(),
    questions: v.pipe(v.number(), v.description('Questions selected.')),
    images: v.pipe(v.number(), v.description('Distinct images among them (a TSV export holds each once).')),
    created_at: v.pipe(v.string(), v.description('When a response first named this subset.')),
  }),
  v.metadata({ ref: 'Subset' }),
);

export const subsetRoutes = new Hono<DatasetEnv>().get(
  '/subsets/:id',
  describeRoute({
    tags: ['questions'],
    summary: 'What a subset id stands for',
    description:
      'Every response that selects questions names its subset (`subset.id`, or the `Subset-Id` header of NDJSON and TSV): a short hash of the ' +
      'dataset version and the canonical selection, equal for equal selections however they were spelled, paged or represented. ' +
      'It is what a paper cites and what runs are keyed by. 404 for an id never named here, 410 once its dataset version is no longer served.',
    responses: { 200: jsonResponse('The subset.', SubsetSchema), ...NOT_MODIFIED, ...problemResponses(400, 404, 410) },
  }),
  validate('param', v.object({ id: v.pipe(v.string(), v.regex(SUBSET_ID_PATTERN, 'is not a subset id (16 characters a-z, 2-7)')) })),
  datasetCaching,
  async (c) => {
    const { row, selection } = await servedSubset(c.var.db, c.req.valid('param').id);
    return c.json({
      id: row.id,
      split: row.split,
      selection: canonicalSelection(selection),
      query: selectionQueryString(selection),
      dataset_version: row.dataset_version,
      questions: row.questions,
      images: row.images,
      created_at: row.created_at,
    });
  },
);
