// GET /v1/compare: two stored runs paired on the questions both answered in a selection.
import { resolveSelection } from '../selection/resolve-selection';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC } from '../dataset/vocabulary';
import { invalidQuery } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { jsonResponse, problemResponses } from '../openapi/responses';
import { MIN_HIDDEN_SPLIT_NODE } from '../scoring/score-report';
import { RunOutcomes } from './outcomes';
import { assertComparable, assertEnoughShared, chargeHiddenSelection, readableRun, runKeyAndSubset, scorerPosition } from './run-access';
import { comparePairedRuns, subsetBitset } from './run-scoring';
import { CompareQuerySchema, ComparisonSchema } from './runs.contract';

export const compareRoutes = new Hono<AppEnv>().get(
  '/compare',
  describeRoute({
    tags: ['runs'],
    summary: 'Paired comparison of two runs',
    description:
      'On the questions of the selection both runs answered: `n, both_correct, only_a, only_b, neither`, the accuracy difference A − B with Newcombe’s paired 95% interval, ' +
      'and the exact two-sided McNemar p-value, overall and per lexical-tree node. Runs must share split and dataset version (409). ' +
      `TEST: at least ${MIN_HIDDEN_SPLIT_NODE} shared questions, nodes follow the report rules (smaller ones hidden), and a selection narrower than the split needs a score:test token and uses a slot of its daily quota.`,
    responses: { 200: jsonResponse('The comparison.', ComparisonSchema), ...problemResponses(400, 404, 409, 422, 429) },
  }),
  rateLimit('compare'),
  validate('query', CompareQuerySchema),
  async (c) => {
    const query = c.req.valid('query');
    const [a, b] = await Promise.all([readableRun(c, query.a, 'a'), readableRun(c, query.b, 'b')]);
    assertComparable(
      { name: `run ${a.id} (a)`, split: a.split, datasetVersion: a.datasetVersion },
      { name: `run ${b.id} (b)`, split: b.split, datasetVersion: b.datasetVersion },
    );
    if (query.split && query.split !== a.split) throw invalidQuery('split', `is ${query.split} but the runs are on ${a.split}`);
    // resolveSelection keeps the selection's own fields (FILTERS), so the whole query can be handed over.
    const selection = await resolveSelection(c.var.db, { ...query, split: a.split });
    const answersHidden = !ANSWERS_PUBLIC[a.split];
    const { key, subset } = await runKeyAndSubset(c, a, selection);
    await chargeHiddenSelection(c, selection, ['compare', a.id, b.id, query.scorer]);
    const report = comparePairedRuns(
      key,
      new RunOutcomes(a.outcomes).bits(scorerPosition(a, query.scorer)),
      new RunOutcomes(b.outcomes).bits(scorerPosition(b, query.scorer)),
      {
        selection: subsetBitset(key, subset),
        answersHidden,
      },
    );
    assertEnoughShared(report, answersHidden);
    return c.json({
      split: a.split,
      scorer: query.scorer,
      dataset_version: a.datasetVersion,
      a: { id: a.id, model: a.model },
      b: { id: b.id, model: b.model },
      ...report,
    });
  },
);
