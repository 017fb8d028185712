// POST /v1/scores: VLMEvalKit-2024 scoring of a model's predictions against the stored answers.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC, SPLITS, type Split } from '../dataset/vocabulary';
import { readDatasetState, type DatasetState } from '../dataset/version';
import { invalidQuery, ProblemError, problemResponse } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { problemResponses } from '../openapi/responses';
import { answersHiddenIssues, hasFilterBeyondSplit, selectionKey } from '../selection/selection';
import { resolveSelection } from '../selection/resolve-selection';
import { subsetHeaders } from '../subsets/subset-headers';
import { nameSubset, subsetRef } from '../subsets/subsets.store';
import { SubsetRefSchema } from '../subsets/subsets.routes';
import { requireScoringToken } from '../tokens/require-token';
import { recordHiddenScoring } from '../tokens/tokens.store';
import type { PredictionParseResult } from './prediction-files';
import { PREDICTION_MEDIA_TYPES, readPredictions } from './read-predictions';
import { DEFAULT_SCORER, ScorerNameSchema } from './scorers';
import { scorePredictions, ScoringError } from './score-pipeline';
import { MIN_HIDDEN_SPLIT_NODE, ScoreReportSchema } from './score-report';
import { ScoreQuerySchema } from './scoring.contract';
import { scoringKey, subsetIndexes } from './scoring-key.store';

const SplitSchema = v.picklist(SPLITS, 'must be "val" or "test"');

/** Largest accepted body; 21,281 long raw predictions as JSON or xlsx stay well below it. */
export const MAX_SCORE_BODY_BYTES = 25 * 1024 * 1024;
const DEFAULT_DAILY_LIMIT = 20;

/** The report with the subset it was scored on (the report itself is built from scored rows alone). */
export const ScoreResponseSchema = v.pipe(v.object({ ...ScoreReportSchema.entries, subset: SubsetRefSchema }), v.metadata({ ref: 'ScoreReport' }));

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
    requestBody: {
      required: true,
      content: Object.fromEntries(PREDICTION_MEDIA_TYPES.map((type) => [type, { schema: { type: type === 'application/json' ? 'object' : 'string' } }])),
    },
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
  bodyLimit({
    maxSize: MAX_SCORE_BODY_BYTES,
    onError: (c) => problemResponse(c, { status: 413, title: 'Payload too large', detail: `Prediction bodies may be at most ${MAX_SCORE_BODY_BYTES} bytes.` }),
  }),
  validate('query', ScoreQuerySchema),
  async (c) => {
    const query = c.req.valid('query');
    // A hidden split named in the query is authorized before the body is even read.
    const early = query.split && !ANSWERS_PUBLIC[query.split] ? await requireScoringToken(c) : null;
    const submitted = await readPredictions(c.req.raw);
    const givenSplit = queryOrBody('split', SplitSchema, query.split, submitted.fields);
    if (!givenSplit && query.subset === undefined) throw invalidQuery('split', 'is required (in the query or the body)');
    const selection = await resolveSelection(c.var.db, { ...query, split: givenSplit });
    const scorer = queryOrBody('scorer', ScorerNameSchema, query.scorer, submitted.fields) ?? DEFAULT_SCORER;
    const { split } = selection;
    const answersHidden = !ANSWERS_PUBLIC[split];
    let tokenId: string | null = null;
    if (answersHidden) {
      const [hiddenFilter] = answersHiddenIssues(selection);
      if (hiddenFilter) throw invalidQuery(hiddenFilter.name, hiddenFilter.reason);
      if (query.items) throw invalidQuery('items', 'is only available on VAL: items would reveal hidden answers');
      tokenId = (early ?? (await requireScoringToken(c))).id;
    }
    const db = c.var.db;
    const dataset = await readDatasetState(db);
    assertScorable(dataset.splits[split], split);
    if (!submitted.result.ok) throw invalidPredictions(submitted.result);
    const key = await scoringKey(db, c.env.IMAGES, split, dataset.version);
    const [subset, subsetId] = await Promise.all([hasFilterBeyondSplit(selection) ? subsetIndexes(db, selection) : null, nameSubset(db, selection, dataset.version)]);
    const result = await scorePredictions(key, submitted.result.rows, {
      split,
      scorer,
      datasetVersion: dataset.version,
      answersHidden,
      subset,
      selectionKey: selectionKey(selection),
      requireComplete: query.require_complete,
      items: query.items,
      output: query.format === 'vlmevalkit-csv' ? { format: query.format, group: query.group! } : { format: 'json', detail: query.detail },
    }).catch(rethrowAsProblem);
    // The quota counts what was actually scored: the same predictions with another subset are a new question.
    if (tokenId !== null) await chargeQuota(c, tokenId, split, result.submissionSha256);
    const origin = new URL(c.req.url).origin;
    if (result.body.format === 'vlmevalkit-csv') return c.body(result.body.csv, 200, { ...subsetHeaders(subsetId, origin), 'Content-Type': 'text/csv; charset=utf-8' });
    return c.json({ ...result.body.report, subset: subsetRef(subsetId, origin) });
  },
);

function assertScorable(served: DatasetState['splits'][Split], split: Split): void {
  if (!served) throw new ProblemError({ status: 409, title: 'Split not imported', detail: `No ${split} questions have been imported.` });
  if (served.answers === 0) {
    throw new ProblemError({ status: 409, title: 'No answer key', detail: `The ${split} answer key has not been imported, so ${split} cannot be scored here.` });
  }
}

function invalidPredictions(result: Extract<PredictionParseResult, { ok: false }>): ProblemError {
  return new ProblemError({
    status: 422,
    title: 'Invalid predictions',
    detail: `${result.errorCount} problem(s) in the submitted predictions.`,
    errors: result.errors.map((e) => ({ name: e.location, reason: e.message })),
  });
}

/** The problem each scoring failure is for the client. */
function rethrowAsProblem(err: unknown): never {
  if (!(err instanceof ScoringError)) throw err;
  const failure = err.failure;
  switch (failure.kind) {
    case 'unknown-indexes':
      throw new ProblemError({
        status: 422,
        title: 'Unknown indexes',
        detail: `${failure.predictions.length} prediction(s) name an index that is not a ${failure.split} question.`,
        errors: failure.predictions.map((p) => ({ name: p.source, reason: `index ${p.index} is not in ${failure.split}` })),
      });
    case 'no-answer':
      throw new ProblemError({ status: 409, title: 'No answer key', detail: `The answer key has no answer for index ${failure.index}.` });
    case 'incomplete':
      throw new ProblemError({
        status: 422,
        title: 'Incomplete predictions',
        detail: `require_complete: ${failure.missing.length} question(s) of the selected subset have no prediction.`,
        errors: failure.missing.map((i) => ({ name: `index ${i}`, reason: 'has no prediction' })),
      });
    case 'nothing-to-score':
      throw new ProblemError({ status: 422, title: 'Nothing to score', detail: 'No prediction falls in the selected subset.' });
    case 'too-few-predictions':
      throw new ProblemError({
        status: 422,
        title: 'Too few predictions',
        detail: `${failure.split} answers are hidden: a score needs at least ${failure.minimum} predictions in the subset, so single answers cannot be probed.`,
      });
    case 'groups-too-small':
      throw new ProblemError({ status: 422, title: 'Groups too small', detail: `On a hidden split every ${failure.column} group needs ${failure.minimum} predictions for the CSV report.` });
  }
}

/** Hidden answers: each token gets a bounded number of distinct scorings a day (identical ones are free). */
async function chargeQuota(c: Context<AppEnv>, tokenId: string, split: Split, predictionsSha256: string): Promise<void> {
  const configured = Number(c.env.SCORING_DAILY_LIMIT ?? DEFAULT_DAILY_LIMIT);
  const limit = Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_DAILY_LIMIT;
  if (await recordHiddenScoring(c.var.db, tokenId, split, predictionsSha256, limit)) return;
  c.header('Retry-After', String(60 * 60));
  throw new ProblemError({
    status: 429,
    title: 'Scoring quota used up',
    detail: `This token has scored ${split} with ${limit} different prediction sets in the last 24 hours; resubmitting one of them is free.`,
  });
}

/**
 * A parameter the query or the body (JSON field, form field) may give; both must agree. The body's
 * copy is validated with the same schema as the query's.
 */
function queryOrBody<T extends string>(name: string, schema: v.GenericSchema<unknown, T>, fromQuery: T | undefined, fields: Readonly<Record<string, unknown>>): T | undefined {
  let fromBody: T | undefined;
  if (fields[name] !== undefined) {
    const parsed = v.safeParse(schema, fields[name]);
    if (!parsed.success) throw new ProblemError({ status: 400, title: 'Invalid request body', errors: [{ name, reason: parsed.issues[0].message }] });
    fromBody = parsed.output;
  }
  if (fromQuery && fromBody && fromQuery !== fromBody) throw invalidQuery(name, `is ${fromQuery} but the body says ${fromBody}`);
  return fromQuery ?? fromBody;
}
