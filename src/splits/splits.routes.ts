// GET /v1/splits: what is served per split, and whether its answers are public or scorable.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { ANSWERS_PUBLIC, SPLITS } from '../dataset/vocabulary';
import { datasetCaching, type DatasetEnv } from '../http/dataset-cache';
import { jsonResponse, NOT_MODIFIED } from '../openapi/responses';

const SplitsSchema = v.pipe(
  v.object({
    dataset_version: v.string(),
    data: v.array(
      v.object({
        split: v.picklist(SPLITS),
        questions: v.pipe(v.number(), v.description('Questions served (0 before the split is imported).')),
        answers_public: v.pipe(v.boolean(), v.description('Whether answers and labels are served (VAL only).')),
        scoring_available: v.pipe(v.boolean(), v.description('Whether an answer key is loaded, so predictions can be scored.')),
      }),
    ),
  }),
  v.metadata({ ref: 'Splits' }),
);

export const splitRoutes = new Hono<DatasetEnv>().get(
  '/splits',
  describeRoute({
    tags: ['meta'],
    summary: 'Splits, their sizes and answer availability',
    responses: { 200: jsonResponse('The splits.', SplitsSchema), ...NOT_MODIFIED },
  }),
  datasetCaching,
  (c) => {
    const { version, splits } = c.var.dataset;
    const data = SPLITS.map((split) => ({
      split,
      questions: splits[split]?.questions ?? 0,
      answers_public: ANSWERS_PUBLIC[split],
      scoring_available: (splits[split]?.answers ?? 0) > 0,
    }));
    return c.json({ dataset_version: version, data });
  },
);
