// POST /v1/scores: VLMEvalKit-2024 scoring of a model's predictions against the stored answers.
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import type { AppEnv } from '../env';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { problemResponses } from '../openapi/responses';
import { selectionKey } from '../selection/selection';
import { subsetHeaders } from '../subsets/subset-headers';
import { subsetRef } from '../subsets/subsets.store';
import { scorePredictions } from './score-pipeline';
import { ScoreQuerySchema } from './scoring.contract';
import { MIN_HIDDEN_SPLIT_NODE, ScoreResponseSchema } from './score-report';
import { compareWithStoredRun } from '../runs/run-access';
import { chargeQuota, MAX_SCORE_BODY_BYTES, PREDICTION_REQUEST_BODY, predictionBodyLimit, readScoringRequest, rethrowAsProblem } from './scoring-request';

export const scoringRoutes = new Hono<AppEnv>().post(
  '/scores',
  describeRoute({
    tags: ['scoring'],
    summary: "Score a model's predictions with VLMEvalKit's 2024 rules",
    description:
      'Body: JSON `{"split"?, "predictions": {"<index>": "<raw model text>"}}` or `{"predictions": [{"index", "prediction"}]}`, ' +
      `or a VLMEvalKit prediction file (.xlsx, .tsv, .csv with columns \`index\` and \`prediction\`) as the raw body with its media type ` +
      'or as the `file` field of multipart/form-data (`curl -F file=@Model_GMAI-MMBench_VAL.xlsx`). The letter is extracted exactly as ' +
      'VLMEvalKit 2024 does (no LLM judge: an unmatched prediction is Z, a miss) with the options of the stored question. Accuracy is over the ' +
      'submitted questions of the selected subset (the same filters as /v1/questions, or `subset=<id>`); predictions outside it are ignored and counted. ' +
      'Predictions may also be JSON Lines (`application/x-ndjson`, `.jsonl`/`.ndjson` files): one `{"index", "prediction"}` object a line; a bad line is a 422 naming it. ' +
      `TEST needs \`Authorization: Bearer <token>\`, never lists items or labels, and hides every node with fewer than ${MIN_HIDDEN_SPLIT_NODE} questions. ` +
      `Bodies over ${MAX_SCORE_BODY_BYTES / 1024 / 1024} MB are refused (413).`,
    requestBody: PREDICTION_REQUEST_BODY,
    responses: {
      200: {
        description: 'Accuracy overall, per group and per lexical-tree node (or the VLMEvalKit CSV).',
        headers: { 'Subset-Id': { description: 'The subset id of the selection (also `subset` in the JSON report).', schema: { type: 'string' } } },
        content: { 'application/json': { schema: resolver(ScoreResponseSchema) }, 'text/csv': { schema: { type: 'string' } } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 410, 413, 422, 429, 503),
    },
  }),
  rateLimit('scoring'),
  predictionBodyLimit,
  validate('query', ScoreQuerySchema),
  async (c) => {
    const query = c.req.valid('query');
    // The query's filters (or subset) are the selection; resolveSelection keeps only those fields.
    const request = await readScoringRequest(c, { split: query.split, scorer: query.scorer, items: query.items, selection: query });
    const { key, split, scorer, answersHidden, subset } = request;
    const result = await scorePredictions(key, request.predictions, {
      split,
      scorer,
      datasetVersion: request.datasetVersion,
      answersHidden,
      subset,
      selectionKey: selectionKey(request.selection),
      requireComplete: query.require_complete,
      items: query.items,
      output: query.format === 'vlmevalkit-csv' ? { format: query.format, group: query.group! } : { format: 'json', detail: query.detail },
    }).catch(rethrowAsProblem);
    // The quota counts what was actually scored: the same predictions with another subset are a new question.
    if (request.token && answersHidden) await chargeQuota(c, request.token.id, split, result.submissionSha256);
    const origin = new URL(c.req.url).origin;
    if (result.body.format === 'vlmevalkit-csv')
      return c.body(result.body.csv, 200, { ...subsetHeaders(request.subsetId, origin), 'Content-Type': 'text/csv; charset=utf-8' });
    const comparison = query.compare_to ? await compareWithStoredRun(c, query.compare_to, { ...request, rows: result.rows }) : null;
    return c.json({ ...result.body.report, subset: subsetRef(request.subsetId, origin), ...(comparison ? { comparison } : {}) });
  },
);
