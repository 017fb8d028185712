// Who may see and change a run, its JSON, and the comparison of scored rows with a stored run
// (GET /v1/compare, POST /v1/scores?compare_to=, POST /v1/runs?compare_to=).
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import type { Split } from '../dataset/vocabulary';
import { ANSWERS_PUBLIC } from '../dataset/vocabulary';
import { readDatasetState } from '../dataset/version';
import { sha256Hex } from '../lib/digest';
import { ProblemError } from '../http/problem';
import { hasFilterBeyondSplit, selectionKey, type Selection } from '../selection/selection';
import { scoringKey, subsetIndexes } from '../scoring/scoring-key.store';
import { chargeQuota } from '../scoring/scoring-request';
import { wilsonInterval } from '../stats/wilson';
import { identifyCaller, requireScoringToken, requireToken } from '../tokens/require-token';
import type { ScoredRow } from '../scoring/accuracy';
import type { AnswerKey } from '../scoring/score-pipeline';
import { MIN_HIDDEN_SPLIT_NODE } from '../scoring/score-report';
import { RunOutcomes } from './outcomes';
import { comparePairedRuns, rowsBits, type PairedReport } from './run-scoring';
import { getRunWithOutcomes, type RunRecord } from './runs.store';

export type StoredRun = RunRecord & { outcomes: Uint8Array };

/** The 404 of a run that does not exist or that the caller may not see (the two look the same). */
export function runNotFound(id: string, parameter?: string): ProblemError {
  return new ProblemError({
    status: 404,
    title: 'Run not found',
    detail: `There is no run ${JSON.stringify(id)} visible to this caller.`,
    ...(parameter ? { errors: [{ name: parameter, reason: 'names no run visible to this caller' }] } : {}),
  });
}

/** Public runs are everyone's; a private one only its token's and the admin's. */
export async function canSee(c: Context<AppEnv>, run: RunRecord): Promise<boolean> {
  if (run.visibility === 'public') return true;
  const caller = await identifyCaller(c);
  return caller.kind === 'admin' || (caller.kind === 'token' && caller.token.id === run.tokenId);
}

/** The run with its outcomes, or a 404 (`parameter` names the query parameter that gave the id). */
export async function readableRun(c: Context<AppEnv>, id: string, parameter?: string): Promise<StoredRun> {
  const run = await getRunWithOutcomes(c.var.db, id);
  if (!run || !(await canSee(c, run))) throw runNotFound(id, parameter);
  return run;
}

/** Changing a run: its submitting token or the admin; anyone else gets 401/403, or 404 where the run is hidden from them. */
export async function requireRunOwner(c: Context<AppEnv>, run: RunRecord): Promise<void> {
  if ((await identifyCaller(c)).kind === 'admin') return;
  const token = await requireToken(c, 'runs:write');
  if (token.id === run.tokenId) return;
  if (run.visibility === 'private') throw runNotFound(run.id);
  throw new ProblemError({
    status: 403,
    title: 'Not your run',
    detail: `Run ${run.id} was submitted by another token; only that token or the admin may change it.`,
  });
}

/** A run as JSON: metadata, per-scorer results over every submitted question, receipt and links. */
export function runJson(run: RunRecord, origin: string) {
  const self = `${origin}/v1/runs/${run.id}`;
  return {
    id: run.id,
    model: run.model,
    organization: run.organization,
    model_url: run.modelUrl,
    paper_url: run.paperUrl,
    notes: run.notes,
    split: run.split,
    dataset_version: run.datasetVersion,
    predictions_sha256: run.predictionsSha256,
    visibility: run.visibility,
    created_at: run.createdAt,
    overall: Object.fromEntries(
      Object.entries(run.results).map(([scorer, { n, correct }]) => [
        scorer,
        { n, correct, accuracy: n ? correct / n : null, ci95: n ? wilsonInterval(correct, n) : null },
      ]),
    ),
    receipt: run.receipt,
    links: { self, badge: `${self}/badge`, badge_svg: `${self}/badge.svg`, leaderboard: `${origin}/v1/leaderboard?split=${run.split}` },
  };
}

/** Runs compared must be on the same split and dataset version (positions mean the same questions). */
export function assertComparable(a: { split: Split; datasetVersion: string; name: string }, b: { split: Split; datasetVersion: string; name: string }): void {
  if (a.split !== b.split || a.datasetVersion !== b.datasetVersion) {
    throw new ProblemError({
      status: 409,
      title: 'Runs not comparable',
      detail: `${a.name} is on ${a.split} (dataset ${a.datasetVersion}) but ${b.name} is on ${b.split} (dataset ${b.datasetVersion}): only runs of the same split and dataset version can be compared.`,
    });
  }
}

/** A stored run's position of a scorer, or a 422 naming the scorer. */
export function scorerPosition(run: RunRecord, scorer: string): number {
  const k = run.scorers.indexOf(scorer);
  if (k < 0)
    throw new ProblemError({
      status: 422,
      title: 'Scorer not in run',
      detail: `Run ${run.id} was not scored with ${scorer}.`,
      errors: [{ name: 'scorer', reason: `run ${run.id} has no ${scorer} outcomes` }],
    });
  return k;
}

/** Paired reports need shared questions, and where answers are hidden at least the node minimum of them. */
export function assertEnoughShared(report: PairedReport, answersHidden: boolean): void {
  const { n } = report.overall;
  if (n === 0) throw new ProblemError({ status: 422, title: 'No shared question', detail: 'The two runs answered no question of the selection in common.' });
  if (answersHidden && n < MIN_HIDDEN_SPLIT_NODE) {
    throw new ProblemError({
      status: 422,
      title: 'Too few shared questions',
      detail: `Answers are hidden: a comparison needs at least ${MIN_HIDDEN_SPLIT_NODE} shared questions (this selection has ${n}).`,
    });
  }
}

/** `comparison` of a submission (its scored rows under `scorer`) with stored run `runId`: A is the submission. */
export async function compareWithStoredRun(
  c: Context<AppEnv>,
  runId: string,
  submission: { key: AnswerKey; split: Split; datasetVersion: string; scorer: string; answersHidden: boolean; rows: readonly ScoredRow[] },
) {
  const run = await readableRun(c, runId, 'compare_to');
  assertComparable({ name: 'this submission', ...submission }, { name: `run ${run.id}`, split: run.split, datasetVersion: run.datasetVersion });
  const stored = new RunOutcomes(run.outcomes).bits(scorerPosition(run, submission.scorer));
  const report = comparePairedRuns(submission.key, rowsBits(submission.key, submission.rows), stored, { answersHidden: submission.answersHidden });
  assertEnoughShared(report, submission.answersHidden);
  return {
    run_id: run.id,
    ...report.overall,
    tree: report.tree,
    ...(report.min_node_size ? { min_node_size: report.min_node_size, hidden_nodes: report.hidden_nodes } : {}),
  };
}

/** The scoring key of the run's dataset version (409 once the dataset changed) and the selection's indexes. */
export async function runKeyAndSubset(
  c: Context<AppEnv>,
  run: StoredRun,
  selection: Selection,
): Promise<{ key: AnswerKey; subset: ReadonlySet<number> | null }> {
  const dataset = await readDatasetState(c.var.db);
  if (dataset.version !== run.datasetVersion) {
    throw new ProblemError({
      status: 409,
      title: 'Dataset version changed',
      detail: `Run ${run.id} was scored on dataset ${run.datasetVersion}; the served dataset is ${dataset.version}, so its questions cannot be selected any more.`,
    });
  }
  const key = await scoringKey(c.var.db, c.env.IMAGES, run.split, dataset);
  return { key, subset: hasFilterBeyondSplit(selection) ? await subsetIndexes(c.var.db, selection) : null };
}

/**
 * Stored TEST outcomes read on a selection narrower than the split are scorings: without a bound,
 * two selections differing by one question would tell that question's hit. So each distinct one
 * (what, selection, scorer, runs) needs a score:test token and a slot of its daily quota, as
 * POST /v1/scores does; the whole split stays public.
 */
export async function chargeHiddenSelection(c: Context<AppEnv>, selection: Selection, what: readonly string[]): Promise<void> {
  if (ANSWERS_PUBLIC[selection.split] || !hasFilterBeyondSplit(selection)) return;
  const token = await requireScoringToken(c);
  await chargeQuota(c, token.id, selection.split, await sha256Hex(JSON.stringify([...what, selectionKey(selection)])));
}
