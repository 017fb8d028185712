// The steps POST /v1/scores and POST /v1/runs share before and after scoring: authorize, read the
// body, resolve split / scorer / selection, check the dataset, load the key and the subset, charge the
// hidden-split quota, and turn scoring failures into problems.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC, SplitSchema, type Split } from '../dataset/vocabulary';
import { readDatasetState, type DatasetState } from '../dataset/version';
import { invalidQuery, ProblemError, problemResponse } from '../http/problem';
import { resolveSelection } from '../selection/resolve-selection';
import { answersHiddenIssues, hasFilterBeyondSplit, wholeSplit, type Selection, type SelectionQuery } from '../selection/selection';
import { nameSubset } from '../subsets/subsets.store';
import { requireScoringToken, requireToken } from '../tokens/require-token';
import type { TokenScope } from '../tokens/scopes';
import { recordHiddenScoring, type VerifiedToken } from '../tokens/tokens.store';
import type { PredictionParseResult, PredictionRow } from './prediction-files';
import { PREDICTION_MEDIA_TYPES, readPredictions } from './read-predictions';
import { DEFAULT_SCORER, ScorerNameSchema, type ScorerName } from './scorers';
import { ScoringError, type AnswerKey } from './score-pipeline';
import { scoringKey, subsetIndexes } from './scoring-key.store';

/** Largest accepted body; 21,281 long raw predictions as JSON or xlsx stay well below it. */
export const MAX_SCORE_BODY_BYTES = 25 * 1024 * 1024;

/** The body limit of routes that take predictions (a 413 problem). */
export const predictionBodyLimit = bodyLimit({
  maxSize: MAX_SCORE_BODY_BYTES,
  onError: (c) => problemResponse(c, { status: 413, title: 'Payload too large', detail: `Prediction bodies may be at most ${MAX_SCORE_BODY_BYTES} bytes.` }),
});

/** The OpenAPI request body of routes that take predictions. */
export const PREDICTION_REQUEST_BODY = {
  required: true,
  content: Object.fromEntries(
    PREDICTION_MEDIA_TYPES.map((type) => [type, { schema: { type: type === 'application/json' ? ('object' as const) : ('string' as const) } }]),
  ),
};

const DEFAULT_DAILY_LIMIT = 20;

export interface ScoringRequestOptions {
  /** `split` and `scorer` as the query gave them (the body may give them instead). */
  split?: Split;
  scorer?: ScorerName;
  /** items=true was asked for (refused where answers are hidden). */
  items?: boolean;
  /** The query's selection (filters or `subset=`; POST /v1/scores); absent: the whole split (a run). */
  selection?: Omit<SelectionQuery, 'split'>;
  /** A token with this scope is needed on every split (runs); without it, only hidden splits need one (score:test). */
  alwaysRequire?: TokenScope;
}

export interface ScoringRequest {
  /** The other fields of the JSON body or form (unvalidated): see queryOrBody. */
  fields: Readonly<Record<string, unknown>>;
  predictions: readonly PredictionRow[];
  selection: Selection;
  split: Split;
  scorer: ScorerName;
  answersHidden: boolean;
  /** The caller's token where one was required. */
  token: VerifiedToken | null;
  datasetVersion: string;
  key: AnswerKey;
  /** Indexes of the selection; null for the whole split. */
  subset: ReadonlySet<number> | null;
  /** The selection's subset id (GET /v1/subsets/{id}). */
  subsetId: string;
}

export async function readScoringRequest(c: Context<AppEnv>, options: ScoringRequestOptions): Promise<ScoringRequest> {
  // A token the request needs whatever its body says is checked before the body is even read.
  let token: VerifiedToken | null = options.alwaysRequire ? await requireToken(c, options.alwaysRequire) : null;
  if (options.split && !ANSWERS_PUBLIC[options.split]) token = await requireScoringToken(c);
  const db = c.var.db;
  // The dataset state does not depend on the body: its read overlaps the body's parsing. (Marked
  // handled here so that a refused body leaves no unhandled rejection; it is awaited below.)
  const datasetRead = readDatasetState(db);
  datasetRead.catch(() => {});
  const submitted = await readPredictions(c.req.raw);
  const givenSplit = queryOrBody('split', SplitSchema, options.split, submitted.fields);
  if (!givenSplit && options.selection?.subset === undefined) throw invalidQuery('split', 'is required (in the query or the body)');
  // A subset id stands for its split and filters; without a selection the whole split is scored.
  const selection = options.selection ? await resolveSelection(db, { ...options.selection, split: givenSplit }) : wholeSplit(givenSplit!);
  const { split } = selection;
  const scorer = queryOrBody('scorer', ScorerNameSchema, options.scorer, submitted.fields) ?? DEFAULT_SCORER;
  const answersHidden = !ANSWERS_PUBLIC[split];
  if (answersHidden) {
    const [hiddenFilter] = answersHiddenIssues(selection);
    if (hiddenFilter) throw invalidQuery(hiddenFilter.name, hiddenFilter.reason);
    if (options.items) throw invalidQuery('items', 'is only available on VAL: items would reveal hidden answers');
    token = await requireScoringToken(c); // cached caller: no second lookup
  }
  const dataset = await datasetRead;
  assertScorable(dataset.splits[split], split);
  if (!submitted.result.ok) throw invalidPredictions(submitted.result);
  const [key, subset, subsetId] = await Promise.all([
    scoringKey(db, c.env.IMAGES, split, dataset),
    hasFilterBeyondSplit(selection) ? subsetIndexes(db, selection) : null,
    nameSubset(db, selection, dataset.version),
  ]);
  return {
    fields: submitted.fields,
    predictions: submitted.result.rows,
    selection,
    split,
    scorer,
    answersHidden,
    token,
    datasetVersion: dataset.version,
    key,
    subset,
    subsetId,
  };
}

function assertScorable(served: DatasetState['splits'][Split], split: Split): void {
  if (!served) throw new ProblemError({ status: 409, title: 'Split not imported', detail: `No ${split} questions have been imported.` });
  if (served.answers === 0) {
    throw new ProblemError({
      status: 409,
      title: 'No answer key',
      detail: `The ${split} answer key has not been imported, so ${split} cannot be scored here.`,
    });
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
export function rethrowAsProblem(err: unknown): never {
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
      throw new ProblemError({
        status: 422,
        title: 'Groups too small',
        detail: `On a hidden split every ${failure.column} group needs ${failure.minimum} predictions for the CSV report.`,
      });
  }
}

/** Hidden answers: each token gets a bounded number of distinct scorings a day (identical ones are free). */
export async function chargeQuota(c: Context<AppEnv>, tokenId: string, split: Split, predictionsSha256: string): Promise<void> {
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
export function queryOrBody<T extends string>(
  name: string,
  schema: v.GenericSchema<unknown, T>,
  fromQuery: T | undefined,
  fields: Readonly<Record<string, unknown>>,
): T | undefined {
  let fromBody: T | undefined;
  if (fields[name] !== undefined) {
    const parsed = v.safeParse(schema, fields[name]);
    if (!parsed.success) throw new ProblemError({ status: 400, title: 'Invalid request body', errors: [{ name, reason: parsed.issues[0].message }] });
    fromBody = parsed.output;
  }
  if (fromQuery && fromBody && fromQuery !== fromBody) throw invalidQuery(name, `is ${fromQuery} but the body says ${fromBody}`);
  return fromQuery ?? fromBody;
}
