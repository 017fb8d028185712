// /v1/runs: store a submission as a run (scored under every scorer, outcomes kept compactly, a signed
// receipt), list runs, a run's report on any selection, visibility, deletion, and its badge.
import { resolveSelection } from '../selection/resolve-selection';
import { nameSubset, subsetRef } from '../subsets/subsets.store';
import { Hono, type Context } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC } from '../dataset/vocabulary';
import { invalidQuery } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { fromBase64Url, toBase64Url } from '../lib/base64url';
import { jsonResponse, problemResponses } from '../openapi/responses';
import { signReceipt } from '../receipts/jws';
import { receiptSigningKey } from '../receipts/receipts.routes';
import { selectionKey, wholeSplit } from '../selection/selection';
import { identifyCaller } from '../tokens/require-token';
import { DEFAULT_SCORER, SCORER_NAMES } from '../scoring/scorers';
import { scorePredictions, scoreRows, ScoringError, vlmevalkitCsvReport } from '../scoring/score-pipeline';
import { buildScoreReport, MIN_HIDDEN_SPLIT_NODE } from '../scoring/score-report';
import { chargeQuota, PREDICTION_REQUEST_BODY, predictionBodyLimit, queryOrBody, readScoringRequest, rethrowAsProblem } from '../scoring/scoring-request';
import { badgeSvg, shieldsEndpoint } from './badge';
import { RunOutcomes } from './outcomes';
import {
  canSee,
  chargeHiddenSelection,
  compareWithStoredRun,
  readableRun,
  requireRunOwner,
  runJson,
  runKeyAndSubset,
  runNotFound,
  scorerPosition,
} from './run-access';
import { encodeRunOutcomes, rowsFromOutcomes, subsetBitset } from './run-scoring';
import {
  BadgeQuerySchema,
  RUN_FIELDS,
  RunIdSchema,
  RunListQuerySchema,
  RunListSchema,
  RunReportQuerySchema,
  RunReportSchema,
  RunSchema,
  RunSubmitQuerySchema,
  VisibilityBodySchema,
  type RunFieldName,
} from './runs.contract';
import { deleteRun, getRun, insertRun, listRuns, setRunVisibility, type RunListKey } from './runs.store';

const IdParam = v.object({ id: RunIdSchema });

export const runRoutes = new Hono<AppEnv>()
  .post(
    '/runs',
    describeRoute({
      tags: ['runs'],
      summary: 'Store a submission as a run',
      description:
        'The bodies of POST /v1/scores (JSON, xlsx / TSV / CSV raw or as the `file` field of multipart/form-data), plus `model` (required) and optionally ' +
        '`organization`, `model_url`, `paper_url`, `notes`, `visibility` in the query, the JSON body or form fields. Needs `Authorization: Bearer <token>` ' +
        '(scope runs:write; on TEST also score:test) on both splits: the token is the submitter. The predictions are scored under every scorer and the ' +
        'per-question outcomes stored compactly; the answer carries a signed receipt. The same token, model and predictions again answer the stored run ' +
        '(200) without new quota use; TEST runs count against the daily TEST quota like scorings. With `compare_to`, `comparison` pairs the run with a stored one.',
      requestBody: PREDICTION_REQUEST_BODY,
      responses: {
        201: jsonResponse('The new run.', RunSchema),
        200: jsonResponse('The same run was stored before.', RunSchema),
        ...problemResponses(400, 401, 403, 404, 409, 413, 422, 429, 503),
      },
    }),
    rateLimit('runs'),
    predictionBodyLimit,
    validate('query', RunSubmitQuerySchema),
    async (c) => {
      const query = c.req.valid('query');
      const signingKey = await receiptSigningKey(c.env); // a 503 before anything is scored or charged
      const request = await readScoringRequest(c, { split: query.split, scorer: query.scorer, alwaysRequire: 'runs:write' });
      const fields = runFields(query, request.fields);
      const { key, split, answersHidden, datasetVersion, predictions } = request;
      // The default scorer's pass validates the submission and gives the digests; the others only score.
      const scored = await scorePredictions(key, predictions, {
        split,
        scorer: DEFAULT_SCORER,
        datasetVersion,
        answersHidden,
        subset: null,
        selectionKey: selectionKey(wholeSplit(split)),
        requireComplete: false,
        items: false,
        output: { format: 'json' },
      }).catch(rethrowAsProblem);
      if (scored.body.format !== 'json') throw new Error('unreachable: runs are scored as JSON');
      // The same unit as POST /v1/scores on the whole split: a run and a scoring of the same predictions share one quota slot.
      if (answersHidden) await chargeQuota(c, request.token!.id, split, scored.submissionSha256);
      const rowsByScorer = SCORER_NAMES.map((name) => (name === DEFAULT_SCORER ? scored.rows : scoreRows(key, predictions, name)));
      const { outcomes, results } = encodeRunOutcomes(key, SCORER_NAMES, rowsByScorer);
      const id = `run_${toBase64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
      const createdAt = new Date().toISOString();
      const predictionsSha256 = scored.body.report.predictions_sha256;
      const receipt = await signReceipt(signingKey, {
        run_id: id,
        model: fields.model,
        split,
        dataset_version: datasetVersion,
        predictions_sha256: predictionsSha256,
        results: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { ...r, accuracy: r.n ? r.correct / r.n : null }])),
        iat: Math.floor(Date.parse(createdAt) / 1000),
      });
      const { run, created } = await insertRun(c.var.db, {
        id,
        tokenId: request.token!.id,
        model: fields.model,
        organization: fields.organization ?? null,
        modelUrl: fields.model_url ?? null,
        paperUrl: fields.paper_url ?? null,
        notes: fields.notes ?? null,
        visibility: fields.visibility ?? 'public',
        split,
        datasetVersion,
        predictionsSha256,
        createdAt,
        scorers: [...SCORER_NAMES],
        results,
        questionCount: new RunOutcomes(outcomes).questionCount,
        outcomes,
        receipt,
      });
      const comparison = query.compare_to
        ? await compareWithStoredRun(c, query.compare_to, {
            key,
            split,
            datasetVersion,
            scorer: request.scorer,
            answersHidden,
            rows: rowsByScorer[SCORER_NAMES.indexOf(request.scorer)]!,
          })
        : null;
      return c.json({ ...runJson(run, origin(c)), ...(comparison ? { comparison } : {}) }, created ? 201 : 200);
    },
  )
  .get(
    '/runs',
    describeRoute({
      tags: ['runs'],
      summary: 'List runs, newest first',
      description: 'Public runs plus the caller’s own private ones (every run for the admin), optionally of one split or model; `next_cursor` pages on.',
      responses: { 200: jsonResponse('A page of runs.', RunListSchema), ...problemResponses(400) },
    }),
    validate('query', RunListQuerySchema),
    async (c) => {
      const query = c.req.valid('query');
      const caller = await identifyCaller(c);
      const { runs, next } = await listRuns(c.var.db, {
        ...(query.split ? { split: query.split } : {}),
        ...(query.model ? { model: query.model } : {}),
        viewerTokenId: caller.kind === 'token' ? caller.token.id : null,
        allPrivate: caller.kind === 'admin',
        limit: query.limit ?? 50,
        ...(query.cursor ? { after: decodeListCursor(query.cursor) } : {}),
      });
      return c.json({
        data: runs.map((run) => runJson(run, origin(c))),
        next_cursor: next ? toBase64Url(new TextEncoder().encode(JSON.stringify([next.createdAt, next.id]))) : null,
      });
    },
  )
  .get(
    '/runs/:id',
    describeRoute({
      tags: ['runs'],
      summary: "A run's report on any selection",
      description:
        'The report POST /v1/scores would give for the run’s predictions on the selection (the filters of /v1/questions; `split` is the run’s), ' +
        "rebuilt from the stored outcomes, with the run (`run`), its `receipt` and `links`; `format=vlmevalkit-csv&group=` gives VLMEvalKit's `_acc.csv` instead, as on POST /v1/scores. " +
        'TEST rules apply: no items, small nodes hidden (a CSV needs every group of its column large enough), and a selection narrower than the split needs a score:test token and uses a slot of its daily quota. Private runs are 404 to everyone but their token and the admin.',
      responses: {
        200: {
          description: 'The report (or the VLMEvalKit CSV).',
          content: { 'application/json': { schema: resolver(RunReportSchema) }, 'text/csv': { schema: { type: 'string' } } },
        },
        ...problemResponses(400, 404, 409, 422),
      },
    }),
    validate('param', IdParam),
    validate('query', RunReportQuerySchema),
    async (c) => {
      const query = c.req.valid('query');
      const run = await readableRun(c, c.req.valid('param').id);
      if (query.split && query.split !== run.split) throw invalidQuery('split', `is ${query.split} but run ${run.id} is on ${run.split}`);
      const selection = await resolveSelection(c.var.db, { ...query, split: run.split });
      const answersHidden = !ANSWERS_PUBLIC[run.split];
      if (answersHidden && query.items) throw invalidQuery('items', 'is only available on VAL: items would reveal hidden answers');
      const { key, subset } = await runKeyAndSubset(c, run, selection);
      await chargeHiddenSelection(c, selection, ['report', run.id, query.scorer]);
      const k = scorerPosition(run, query.scorer);
      const rows = rowsFromOutcomes(key, new RunOutcomes(run.outcomes), k, subsetBitset(key, subset));
      if (rows.length === 0) rethrowAsProblem(new ScoringError({ kind: 'nothing-to-score' }));
      if (answersHidden && rows.length < MIN_HIDDEN_SPLIT_NODE)
        rethrowAsProblem(new ScoringError({ kind: 'too-few-predictions', split: run.split, minimum: MIN_HIDDEN_SPLIT_NODE }));
      if (query.format === 'vlmevalkit-csv') {
        let csv: string;
        try {
          csv = vlmevalkitCsvReport(rows, query.group!, answersHidden);
        } catch (error) {
          rethrowAsProblem(error);
        }
        return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      }
      const inScope = subset ? subset.size : key.size;
      const submitted = run.results[query.scorer]?.n ?? rows.length;
      const report = buildScoreReport(rows, {
        split: run.split,
        scorer: query.scorer,
        datasetVersion: run.datasetVersion,
        predictionsSha256: run.predictionsSha256,
        coverage: {
          in_scope: inScope,
          submitted: rows.length,
          missing: inScope - rows.length,
          unanswered: rows.filter((r) => r.extracted === 'Z').length,
          ignored: submitted - rows.length,
        },
        answersHidden,
        items: query.items,
        detail: query.detail,
      });
      const { receipt, links, ...meta } = runJson(run, origin(c));
      const subsetId = await nameSubset(c.var.db, selection, run.datasetVersion);
      return c.json({ ...report, subset: subsetRef(subsetId, origin(c)), run: meta, receipt, links });
    },
  )
  .patch(
    '/runs/:id',
    describeRoute({
      tags: ['runs'],
      summary: "Change a run's visibility",
      description: 'JSON body `{"visibility": "public" | "private"}`; by the submitting token or the admin.',
      responses: { 200: jsonResponse('The run.', RunSchema), ...problemResponses(400, 401, 403, 404) },
    }),
    validate('param', IdParam),
    validate('json', VisibilityBodySchema),
    async (c) => {
      const run = await ownedRun(c, c.req.valid('param').id);
      await setRunVisibility(c.var.db, run.id, c.req.valid('json').visibility);
      const changed = await getRun(c.var.db, run.id);
      if (!changed) throw runNotFound(run.id);
      return c.json(runJson(changed, origin(c)));
    },
  )
  .delete(
    '/runs/:id',
    describeRoute({
      tags: ['runs'],
      summary: 'Delete a run',
      description: 'By the submitting token or the admin.',
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(401, 403, 404) },
    }),
    validate('param', IdParam),
    async (c) => {
      const run = await ownedRun(c, c.req.valid('param').id);
      if (!(await deleteRun(c.var.db, run.id))) throw runNotFound(run.id);
      return c.body(null, 204);
    },
  )
  .get(
    '/runs/:id/badge',
    describeRoute({
      tags: ['runs'],
      summary: "A run's accuracy badge (shields.io endpoint JSON)",
      description: 'For `https://img.shields.io/endpoint?url=<this URL>`; `/badge.svg` is the same badge as a self-contained SVG.',
      responses: {
        200: { description: 'shields.io endpoint JSON.', content: { 'application/json': { schema: { type: 'object' } } } },
        ...problemResponses(400, 404),
      },
    }),
    validate('param', IdParam),
    validate('query', BadgeQuerySchema),
    async (c) => {
      const { input, cache } = await badgeOf(c, c.req.valid('param').id, c.req.valid('query').scorer);
      return c.json(shieldsEndpoint(input), 200, { 'Cache-Control': cache });
    },
  )
  .get(
    '/runs/:id/badge.svg',
    describeRoute({
      tags: ['runs'],
      summary: "A run's accuracy badge (SVG)",
      responses: { 200: { description: 'The badge.', content: { 'image/svg+xml': { schema: { type: 'string' } } } }, ...problemResponses(400, 404) },
    }),
    validate('param', IdParam),
    validate('query', BadgeQuerySchema),
    async (c) => {
      const { input, cache } = await badgeOf(c, c.req.valid('param').id, c.req.valid('query').scorer);
      return c.body(badgeSvg(input), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': cache });
    },
  );

function origin(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

/** model (required) and the optional run fields, from the query or the body; both must agree. */
function runFields(query: v.InferOutput<typeof RunSubmitQuerySchema>, body: Readonly<Record<string, unknown>>) {
  const value = (name: RunFieldName) => queryOrBody(name, RUN_FIELDS[name] as v.GenericSchema<unknown, string>, query[name], body);
  const model = value('model');
  if (!model) throw invalidQuery('model', 'is required (in the query, the JSON body or a form field)');
  return {
    model,
    organization: value('organization'),
    model_url: value('model_url'),
    paper_url: value('paper_url'),
    notes: value('notes'),
    visibility: value('visibility') as 'public' | 'private' | undefined,
  };
}

function decodeListCursor(cursor: string): RunListKey {
  const bytes = fromBase64Url(cursor);
  try {
    const [createdAt, id] = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // reported below
  }
  throw invalidQuery('cursor', 'is not a cursor of this list');
}

async function ownedRun(c: Context<AppEnv>, id: string) {
  const run = await getRun(c.var.db, id);
  if (!run) throw runNotFound(id);
  await requireRunOwner(c, run);
  return run;
}

async function badgeOf(c: Context<AppEnv>, id: string, scorer: string) {
  const run = await getRun(c.var.db, id); // without the outcome bytes
  if (!run || !(await canSee(c, run))) throw runNotFound(id);
  const result = run.results[scorer];
  if (!result) scorerPosition(run, scorer); // the 422 naming the scorer
  return {
    input: { label: `GMAI-MMBench ${run.split.toUpperCase()}`, correct: result?.correct ?? 0, n: result?.n ?? 0 },
    cache: run.visibility === 'public' ? 'public, max-age=300' : 'private, no-store',
  };
}
