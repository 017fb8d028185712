import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../env';
import { readDatasetState } from '../dataset/version';

export const healthRoutes = new Hono<AppEnv>().get(
  '/health',
  describeRoute({ summary: 'Liveness, dataset version and rows per split', tags: ['meta'] }),
  async (c) => {
    const dataset = await readDatasetState(c.var.db);
    const counts = Object.fromEntries(Object.entries(dataset.splits).map(([split, s]) => [split, s.questions]));
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok', dataset_version: dataset.version, questions: counts });
  },
);
