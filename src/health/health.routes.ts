import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../env';
import * as v from 'valibot';
import { readDatasetState } from '../dataset/version';
import { jsonResponse, problemResponses } from '../openapi/responses';

const HealthSchema = v.object({
  status: v.literal('ok'),
  dataset_version: v.string(),
  questions: v.pipe(v.record(v.string(), v.number()), v.description('Questions served per split.')),
});

export const healthRoutes = new Hono<AppEnv>().get(
  '/health',
  describeRoute({
    summary: 'Liveness, dataset version and rows per split',
    tags: ['meta'],
    responses: { 200: jsonResponse('The service is up.', HealthSchema), ...problemResponses(503) },
  }),
  async (c) => {
    const dataset = await readDatasetState(c.var.db);
    const counts = Object.fromEntries(Object.entries(dataset.splits).map(([split, s]) => [split, s.questions]));
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok', dataset_version: dataset.version, questions: counts });
  },
);
