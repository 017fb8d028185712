// POST /v1/scores: VLMEvalKit-2024 scoring of a model's predictions against the stored answers.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC, SPLITS, type Split } from '../dataset/vocabulary';
import { readDatasetState } from '../dataset/version';
import { invalidQuery, ProblemError, problemResponse } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { sha256Hex } from '../lib/digest';
import { problemResponses } from '../openapi/responses';
import { LABEL_HIDDEN, selectionKey, type QuestionFilters } from '../questions/filters';
import { requireScoringToken } from '../tokens/require-token';
import { recordHiddenScoring } from '../tokens/tokens.store';
import type { ScoredRow } from './accuracy';
import { scorePrediction } from './extract-choice';
import type { PredictionRow } from './prediction-files';
import { PREDICTION_MEDIA_TYPES, readPredictions } from './read-predictions';
import { buildScoreReport, MIN_HIDDEN_SPLIT_NODE } from './score-report';
import { ScoreQuerySchema } from './scoring.contract';
import { scoringKey, subsetIndexes, type ScoringQuestion } from './scoring-key.store';
import { VLMEVALKIT_GROUP_FIELDS, vlmevalkitAccuracyCsv, type VlmevalkitGroupColumn } from './vlmevalkit-csv';

/** Largest accepted body; 21,281 long raw predictions as JSON or xlsx stay well below it. */
export const MAX_SCORE_BODY_BYTES = 25 * 1024 * 1024;
const DEFAULT_DAILY_LIMIT = 20;

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
      'submitted questions of the selected subset (the same filters as /v1/questions); predictions outside it are ignored and counted. ' +
      `TEST needs \`Authorization: Bearer <token>\`, never lists items or labels, and hides every node with fewer than ${MIN_HIDDEN_SPLIT_NODE} questions. ` +
      `Bodies over ${MAX_SCORE_BODY_BYTES / 1024 / 1024} MB are refused (413).`,
    requestBody: {
      required: true,
      content: Object.fromEntries(PREDICTION_MEDIA_TYPES.map((type) => [type, { schema: { type: type === 'application/json' ? 'object' : 'string' } }])),
    },
    responses: {
      200: {
        description: 'Accuracy overall, per group and per lexical-tree node (or the VLMEvalKit CSV).',
        content: { 'application/json': { schema: resolver(v.object({})) }, 'text/csv': { schema: { type: 'string' } } },
      },
      ...problemResponses(400, 401, 403, 409, 413, 422, 429, 503),
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
    const split = resolveSplit(query.split, submitted.split);
    const filters: QuestionFilters = { ...query, split };
    const answersHidden = !ANSWERS_PUBLIC[split];
    let tokenId: string | null = null;
    if (answersHidden) {
      if (query.label.length) throw invalidQuery('label', LABEL_HIDDEN);
      if (query.items) throw invalidQuery('items', 'is only available on VAL: items would reveal hidden answers');
      tokenId = (early ?? (await requireScoringToken(c))).id;
    }
    const db = c.var.db;
    const dataset = await readDatasetState(db);
    const served = dataset.splits[split];
    if (!served) throw new ProblemError({ status: 409, title: 'Split not imported', detail: `No ${split} questions have been imported.` });
    if (served.answers === 0) {
      throw new ProblemError({ status: 409, title: 'No answer key', detail: `The ${split} answer key has not been imported, so ${split} cannot be scored here.` });
    }
    if (!submitted.result.ok) {
      throw new ProblemError({
        status: 422,
        title: 'Invalid predictions',
        detail: `${submitted.result.errorCount} problem(s) in the submitted predictions.`,
        errors: submitted.result.errors.map((e) => ({ name: e.location, reason: e.message })),
      });
    }
    const predictions = submitted.result.rows;
    const key = await scoringKey(db, split, dataset.version);
    const unknown = predictions.filter((p) => !key.has(p.index));
    if (unknown.length) {
      throw new ProblemError({
        status: 422,
        title: 'Unknown indexes',
        detail: `${unknown.length} prediction(s) name an index that is not a ${split} question.`,
        errors: unknown.map((p) => ({ name: p.source, reason: `index ${p.index} is not in ${split}` })),
      });
    }

    const subset = hasSubsetFilter(filters) ? await subsetIndexes(db, filters) : null;
    const inScope = subset ? predictions.filter((p) => subset.has(p.index)) : predictions;
    const inScopeCount = subset ? subset.size : key.size;
    const scored = inScope.map((p) => scoreRow(p, key.get(p.index)!));
    const coverage = {
      in_scope: inScopeCount,
      submitted: scored.length,
      missing: inScopeCount - scored.length,
      unanswered: scored.filter((r) => r.extracted === 'Z').length,
      ignored: predictions.length - inScope.length,
    };
    if (query.require_complete && coverage.missing > 0) {
      const given = new Set(inScope.map((p) => p.index));
      const missing = [...(subset ?? key.keys())].filter((i) => !given.has(i)).sort((a, b) => a - b);
      throw new ProblemError({
        status: 422,
        title: 'Incomplete predictions',
        detail: `require_complete: ${missing.length} question(s) of the selected subset have no prediction.`,
        errors: missing.map((i) => ({ name: `index ${i}`, reason: 'has no prediction' })),
      });
    }
    if (scored.length === 0) throw new ProblemError({ status: 422, title: 'Nothing to score', detail: 'No prediction falls in the selected subset.' });
    if (answersHidden && scored.length < MIN_HIDDEN_SPLIT_NODE) {
      throw new ProblemError({
        status: 422,
        title: 'Too few predictions',
        detail: `${split} answers are hidden: a score needs at least ${MIN_HIDDEN_SPLIT_NODE} predictions in the subset, so single answers cannot be probed.`,
      });
    }

    if (answersHidden && query.format === 'vlmevalkit-csv') assertCsvGroupsLargeEnough(scored, query.group!);
    const predictionsSha256 = await predictionsDigest(predictions);
    // The quota counts what was actually scored: the same predictions with another subset are a new question.
    if (tokenId !== null) await chargeQuota(c, tokenId, split, await predictionsDigest(inScope, selectionKey(filters, 'index')));
    if (query.format === 'vlmevalkit-csv') {
      return new Response(vlmevalkitAccuracyCsv(scored, query.group!), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
    }
    return c.json(
      buildScoreReport(scored, { split, datasetVersion: dataset.version, predictionsSha256, coverage, answersHidden, items: query.items }),
    );
  },
);

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

function scoreRow(prediction: PredictionRow, question: ScoringQuestion): ScoredRow {
  if (question.answer === null) {
    throw new ProblemError({ status: 409, title: 'No answer key', detail: `The answer key has no answer for index ${prediction.index}.` });
  }
  const { extracted, hit } = scorePrediction(prediction.prediction, { options: question.options, answer: question.answer });
  return { index: prediction.index, extracted, hit, groups: question.groups };
}

/** Hidden answers: the CSV shows every group of the column, so each must be large enough. */
function assertCsvGroupsLargeEnough(scored: ScoredRow[], column: VlmevalkitGroupColumn): void {
  const field = VLMEVALKIT_GROUP_FIELDS[column];
  const sizes = new Map<string | null, number>();
  for (const r of scored) sizes.set(r.groups[field], (sizes.get(r.groups[field]) ?? 0) + 1);
  if ([...sizes.values()].some((n) => n < MIN_HIDDEN_SPLIT_NODE)) {
    throw new ProblemError({ status: 422, title: 'Groups too small', detail: `On a hidden split every ${column} group needs ${MIN_HIDDEN_SPLIT_NODE} predictions for the CSV report.` });
  }
}

/** Canonical digest of predictions (by index), optionally bound to a selection. */
function predictionsDigest(predictions: readonly PredictionRow[], selection = ''): Promise<string> {
  const sorted = [...predictions].sort((a, b) => a.index - b.index).map((p) => [p.index, p.prediction]);
  return sha256Hex(JSON.stringify(selection ? [selection, sorted] : sorted));
}

function resolveSplit(fromQuery: Split | undefined, fromBody: unknown): Split {
  if (fromBody !== undefined && !(SPLITS as readonly unknown[]).includes(fromBody)) {
    throw new ProblemError({ status: 400, title: 'Invalid request body', errors: [{ name: 'split', reason: 'must be "val" or "test"' }] });
  }
  const bodySplit = fromBody as Split | undefined;
  if (fromQuery && bodySplit && fromQuery !== bodySplit) throw invalidQuery('split', `is ${fromQuery} but the body says ${bodySplit}`);
  const split = fromQuery ?? bodySplit;
  if (!split) throw invalidQuery('split', 'is required (in the query or the body)');
  return split;
}

function hasSubsetFilter(f: QuestionFilters): boolean {
  return f.task.length + f.department.length + f.granularity.length + f.modality.length + f.original_task.length + f.label.length + f.index.length > 0 || f.q !== undefined;
}

