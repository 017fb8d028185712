// Scoring as a pure pipeline (no Hono, no D1): answer key + predictions + options → report.
// Two stages a caller can also run apart: scoreRows (extract the letter and the hit of each
// prediction) and aggregation (buildScoreReport / vlmevalkitAccuracyCsv over scored rows, which a
// stored set of per-question outcomes can be fed again). Failures are ScoringErrors; the route
// renders them as problems.
import type { Letter, Split } from '../dataset/vocabulary';
import { sha256Hex } from '../lib/digest';
import type { RowGroups, ScoredRow } from './accuracy';
import type { Choices } from '../dataset/choices';
import { scorePrediction } from './extract-choice';
import type { ScorerName } from './scorers';
import type { PredictionRow } from './prediction-files';
import { buildScoreReport, MIN_HIDDEN_SPLIT_NODE, type Coverage, type ScoreDetail, type ScoreReport } from './score-report';
import { VLMEVALKIT_GROUP_FIELDS, vlmevalkitAccuracyCsv, type VlmevalkitGroupColumn } from './vlmevalkit-csv';

/** What scoring needs of one question: never the submission's copy of it. */
export interface ScoringQuestion {
  /** The question's choices (presentChoices of its options). */
  choices: Choices;
  /** Null where the split's answer key was not imported. */
  answer: Letter | null;
  /** `category` only on splits whose answers are public. */
  groups: RowGroups;
}

/** Every question of a split by index. */
export type AnswerKey = ReadonlyMap<number, ScoringQuestion>;

export type ScoringFailure =
  | { kind: 'unknown-indexes'; split: Split; predictions: readonly PredictionRow[] }
  | { kind: 'no-answer'; index: number }
  | { kind: 'incomplete'; missing: readonly number[] }
  | { kind: 'nothing-to-score' }
  | { kind: 'too-few-predictions'; split: Split; minimum: number }
  | { kind: 'groups-too-small'; column: VlmevalkitGroupColumn; minimum: number };

export class ScoringError extends Error {
  constructor(readonly failure: ScoringFailure) {
    super(failure.kind);
  }
}

export interface ScoringOptions {
  split: Split;
  /** The answer-extraction rules (VLMEvalKit version). */
  scorer: ScorerName;
  datasetVersion: string;
  /** Hidden answers: no items, no node under MIN_HIDDEN_SPLIT_NODE, at least that many predictions. */
  answersHidden: boolean;
  /** Indexes of the selected subset; null for the whole split. */
  subset: ReadonlySet<number> | null;
  /** The canonical key of the selection (selectionKey): binds the submission digest to it. */
  selectionKey: string;
  /** Refuse a submission that misses a question of the subset. */
  requireComplete: boolean;
  /** List every scored question (ignored where answers are hidden). */
  items: boolean;
  /** JSON report (with its breakdowns by default, `detail: 'summary'` without), or VLMEvalKit's `_acc.csv` for one column. */
  output: { format: 'json'; detail?: ScoreDetail } | { format: 'vlmevalkit-csv'; group: VlmevalkitGroupColumn };
}

export interface ScoringResult {
  /** The report as JSON, or the CSV text. */
  body: { format: 'json'; report: ScoreReport } | { format: 'vlmevalkit-csv'; csv: string };
  rows: readonly ScoredRow[];
  coverage: Coverage;
  /** Digest of what was actually scored (the in-scope predictions, the selection and the scorer): the unit of quotas. */
  submissionSha256: string;
}

/** Extraction and hit of each prediction against its question under one scorer (every index must be in the key). */
export function scoreRows(key: AnswerKey, predictions: readonly PredictionRow[], scorer: ScorerName): ScoredRow[] {
  return predictions.map((p) => {
    const question = key.get(p.index)!;
    if (question.answer === null) throw new ScoringError({ kind: 'no-answer', index: p.index });
    const { extracted, method, hit } = scorePrediction(p.prediction, { choices: question.choices, answer: question.answer }, scorer);
    return { index: p.index, extracted, method, hit, groups: question.groups };
  });
}

/** Scores a submission and builds its report, or throws a ScoringError. */
export async function scorePredictions(key: AnswerKey, predictions: readonly PredictionRow[], options: ScoringOptions): Promise<ScoringResult> {
  const unknown = predictions.filter((p) => !key.has(p.index));
  if (unknown.length) throw new ScoringError({ kind: 'unknown-indexes', split: options.split, predictions: unknown });

  const { subset } = options;
  const inScope = subset ? predictions.filter((p) => subset.has(p.index)) : predictions;
  const rows = scoreRows(key, inScope, options.scorer);
  // What was scored, and how: the same predictions under another subset or scorer are another question.
  const scope = JSON.stringify([options.selectionKey, options.scorer]);
  const inScopeCount = subset ? subset.size : key.size;
  const coverage: Coverage = {
    in_scope: inScopeCount,
    submitted: rows.length,
    missing: inScopeCount - rows.length,
    unanswered: rows.filter((r) => r.extracted === 'Z').length,
    ignored: predictions.length - inScope.length,
  };
  if (options.requireComplete && coverage.missing > 0) {
    const given = new Set(inScope.map((p) => p.index));
    const missing = [...(subset ?? key.keys())].filter((i) => !given.has(i)).sort((a, b) => a - b);
    throw new ScoringError({ kind: 'incomplete', missing });
  }
  if (rows.length === 0) throw new ScoringError({ kind: 'nothing-to-score' });
  if (options.answersHidden && rows.length < MIN_HIDDEN_SPLIT_NODE) {
    throw new ScoringError({ kind: 'too-few-predictions', split: options.split, minimum: MIN_HIDDEN_SPLIT_NODE });
  }

  const { output } = options;
  // JSON.stringify([scope, sorted]) without stringifying the predictions again.
  const submissionDigest = (scoped: string) => sha256Hex(`[${JSON.stringify(scope)},${scoped}]`);
  if (output.format === 'vlmevalkit-csv') {
    // Built before any digest: it may still refuse the submission (groups too small).
    const csv = vlmevalkitCsvReport(rows, output.group, options.answersHidden);
    return { body: { format: output.format, csv }, rows, coverage, submissionSha256: await submissionDigest(canonicalPredictions(inScope)) };
  }
  const scoped = canonicalPredictions(inScope);
  const [predictionsSha256, submissionSha256] = await Promise.all([
    sha256Hex(inScope === predictions ? scoped : canonicalPredictions(predictions)),
    submissionDigest(scoped),
  ]);
  const report = buildScoreReport(rows, {
    split: options.split,
    scorer: options.scorer,
    datasetVersion: options.datasetVersion,
    predictionsSha256,
    coverage,
    answersHidden: options.answersHidden,
    items: options.items,
    detail: output.detail ?? 'full',
  });
  return { body: { format: 'json', report }, rows, coverage, submissionSha256 };
}

/** VLMEvalKit's `_acc.csv` of scored rows; with hidden answers it shows every group of the column, so each must be large enough. */
export function vlmevalkitCsvReport(rows: readonly ScoredRow[], column: VlmevalkitGroupColumn, answersHidden: boolean): string {
  if (answersHidden) assertCsvGroupsLargeEnough(rows, column);
  return vlmevalkitAccuracyCsv(rows, column);
}

function assertCsvGroupsLargeEnough(rows: readonly ScoredRow[], column: VlmevalkitGroupColumn): void {
  const field = VLMEVALKIT_GROUP_FIELDS[column];
  const sizes = new Map<string | null, number>();
  for (const r of rows) sizes.set(r.groups[field], (sizes.get(r.groups[field]) ?? 0) + 1);
  if ([...sizes.values()].some((n) => n < MIN_HIDDEN_SPLIT_NODE)) throw new ScoringError({ kind: 'groups-too-small', column, minimum: MIN_HIDDEN_SPLIT_NODE });
}

/** The canonical form of predictions that digests are taken of: `[[index, prediction], …]` by index. */
function canonicalPredictions(predictions: readonly PredictionRow[]): string {
  const inOrder = predictions.every((p, i) => i === 0 || predictions[i - 1]!.index < p.index);
  const sorted = inOrder ? predictions : [...predictions].sort((a, b) => a.index - b.index);
  return JSON.stringify(sorted.map((p) => [p.index, p.prediction]));
}
