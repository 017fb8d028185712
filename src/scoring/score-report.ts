// The JSON body of POST /v1/scores, built from scored rows (the aggregation stage of scoring), and
// its schema for the OpenAPI document. Pure: no Workers imports.
import * as v from 'valibot';
import { LETTERS, SPLITS } from '../dataset/vocabulary';
import { NA_DEPARTMENT } from '../selection/selection';
import { SubsetRefSchema } from '../subsets/subset-ref';
import { EXTRACTION_METHODS, type ExtractionMethod } from './extract-choice';
import { SCORER_NAMES, type ScorerName } from './scorers';
import {
  FLAT_GROUP_COLUMNS,
  LEXICONS,
  statsOf,
  summarizeAccuracy,
  type AccuracyStats,
  type GroupAccuracy,
  type ScoredRow,
  type TreeNodeAccuracy,
} from './accuracy';

/** On hidden splits no node smaller than this is reported, so breakdowns cannot isolate single answers. */
export const MIN_HIDDEN_SPLIT_NODE = 30;
/** Name of the benchmark's N/A department in reports (also its filter value). */
const NA = NA_DEPARTMENT;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/**
 * An interval [low, high] as an array of two rather than a tuple: tuples become JSON Schema's
 * draft-04 `items: [...]`, which OpenAPI 3.1 refuses.
 */
export const IntervalSchema = v.nullable(v.pipe(v.array(v.number()), v.length(2), v.readonly()));
const StatsSchema = v.object({
  n: Count,
  correct: Count,
  accuracy: v.pipe(v.nullable(v.number()), v.description('correct / n (null only for an empty set).')),
  ci95: v.pipe(IntervalSchema, v.description('95% Wilson score interval [low, high].')),
});
const ModalityNodeSchema = v.object({
  ...StatsSchema.entries,
  labels: v.pipe(v.optional(v.record(v.string(), StatsSchema)), v.description('Per lexical-tree label (VAL only).')),
});
const LexiconNodeSchema = v.object({ ...StatsSchema.entries, modalities: v.optional(v.record(v.string(), ModalityNodeSchema)) });
const ByValue = v.record(v.string(), StatsSchema);

const CoverageSchema = v.object({
  in_scope: v.pipe(Count, v.description("Questions the request's subset selects.")),
  submitted: v.pipe(Count, v.description('In-scope questions with a prediction (the `n` of overall).')),
  missing: v.pipe(Count, v.description('In-scope questions without a prediction.')),
  unanswered: v.pipe(Count, v.description('Submitted predictions from which no letter could be extracted (scored as Z, a miss).')),
  ignored: v.pipe(Count, v.description('Predictions for questions outside the subset: not scored.')),
});
export type Coverage = v.InferOutput<typeof CoverageSchema>;

/** `summary`: overall, coverage and methods (what a CI gate reads; ~1 KB); `full`: also `by` and `tree` (VAL: ~340 KB). */
export const SCORE_DETAILS = ['summary', 'full'] as const;

/** How much of the report: the numbers a CI gate reads, or every breakdown too. */
export const DetailParamSchema = v.optional(
  v.pipe(
    v.picklist(SCORE_DETAILS, 'must be summary or full'),
    v.description(
      '`summary` (default): overall accuracy, coverage and extraction methods, what a CI gate reads; `full`: also accuracy per column value (`by`) and per lexical-tree node (`tree`).',
    ),
  ),
  'summary',
);
export type ScoreDetail = (typeof SCORE_DETAILS)[number];

export const ScoreReportSchema = v.pipe(
  v.object({
    split: v.picklist(SPLITS),
    scorer: v.pipe(v.picklist(SCORER_NAMES), v.description('The answer-extraction rules used (GET /v1/scorers).')),
    dataset_version: v.string(),
    predictions_sha256: v.pipe(v.string(), v.description('sha256 of the canonical submitted predictions (every index, sorted).')),
    overall: StatsSchema,
    coverage: CoverageSchema,
    methods: v.pipe(
      v.object(Object.fromEntries(EXTRACTION_METHODS.map((m) => [m, Count])) as Record<ExtractionMethod, typeof Count>),
      v.description(
        'Scored predictions per extraction step: `refusal` (a refusal phrase: Z), `option` (a letter token), `regex` (the 2026-06 `answer is X` fallback), `text` (an option text), `none` (nothing matched: Z).',
      ),
    ),
    detail: v.pipe(v.picklist(SCORE_DETAILS), v.description('What the report holds (the `detail` parameter): `full` adds `by` and `tree`.')),
    by: v.pipe(
      v.optional(
        v.object({
          ...(Object.fromEntries(FLAT_GROUP_COLUMNS.map((column) => [column, ByValue])) as Record<(typeof FLAT_GROUP_COLUMNS)[number], typeof ByValue>),
          category: v.optional(ByValue),
        }),
      ),
      v.description(`With detail=full: accuracy per value of each column (\`${NA}\`: the N/A department); \`category\` (the label) on VAL only.`),
    ),
    tree: v.pipe(
      v.optional(
        v.object(
          Object.fromEntries(LEXICONS.map((lexicon) => [lexicon, v.record(v.string(), LexiconNodeSchema)])) as Record<
            (typeof LEXICONS)[number],
            v.RecordSchema<v.StringSchema<undefined>, typeof LexiconNodeSchema, undefined>
          >,
        ),
      ),
      v.description('With detail=full: accuracy per node of the three lexical trees: value → modality → label.'),
    ),
    min_node_size: v.pipe(v.optional(Count), v.description('Hidden answers (TEST), with detail=full: nodes with fewer questions are not reported.')),
    hidden_nodes: v.pipe(v.optional(Count), v.description('Hidden answers (TEST), with detail=full: how many nodes were left out.')),
    items: v.pipe(
      v.optional(
        v.array(v.object({ index: Count, extracted: v.picklist([...LETTERS, 'Z']), method: v.picklist(EXTRACTION_METHODS), hit: v.picklist([0, 1]) })),
      ),
      v.description('With items=true, on VAL only: every scored question with the extracted letter (Z: none), how it was found, and the hit.'),
    ),
  }),
  v.metadata({ ref: 'ScoreReport' }),
);
export type ScoreReport = v.InferOutput<typeof ScoreReportSchema>;

/** The report with the subset it was scored on (the report itself is built from scored rows alone). */
export const ScoreResponseSchema = v.pipe(v.object({ ...ScoreReportSchema.entries, subset: SubsetRefSchema }), v.metadata({ ref: 'ScoreReport' }));

export interface ReportOptions {
  split: ScoreReport['split'];
  scorer: ScorerName;
  datasetVersion: string;
  predictionsSha256: string;
  coverage: Coverage;
  /** Hide nodes below MIN_HIDDEN_SPLIT_NODE and never list items (answers hidden). */
  answersHidden: boolean;
  items: boolean;
  detail: ScoreDetail;
}

type Stats = v.InferOutput<typeof StatsSchema>;
interface TreeNodeJson extends Stats {
  modalities?: Record<string, TreeNodeJson>;
  labels?: Record<string, Stats>;
}

export function buildScoreReport(rows: readonly ScoredRow[], options: ReportOptions): ScoreReport {
  const report: ScoreReport = {
    split: options.split,
    scorer: options.scorer,
    dataset_version: options.datasetVersion,
    predictions_sha256: options.predictionsSha256,
    overall: stats(statsOf(rows)),
    coverage: options.coverage,
    methods: countMethods(rows),
    detail: options.detail,
  };
  const items =
    options.items && !options.answersHidden ? { items: rows.map((r) => ({ index: r.index, extracted: r.extracted, method: r.method, hit: r.hit })) } : {};
  return options.detail === 'summary' ? { ...report, ...items } : { ...report, ...breakdowns(rows, options.answersHidden), ...items };
}

/** `by`, `tree` and, where answers are hidden, how many nodes were left out. */
function breakdowns(rows: readonly ScoredRow[], answersHidden: boolean): Pick<ScoreReport, 'by' | 'tree' | 'min_node_size' | 'hidden_nodes'> {
  const summary = summarizeAccuracy(rows);
  let hidden = 0;
  const shown = <T extends AccuracyStats>(children: readonly T[], parentN: number): readonly T[] => {
    if (!answersHidden) return children;
    const kept = visibleChildren(children, parentN);
    hidden += children.length - kept.length;
    return kept;
  };
  const byName = (groups: readonly GroupAccuracy[]): Record<string, Stats> =>
    Object.fromEntries(shown(groups, summary.overall.n).map((g) => [g.value ?? NA, stats(g)]));
  const treeLevel = (nodes: readonly TreeNodeAccuracy[], parentN: number, childLevels: readonly ('modalities' | 'labels')[]): Record<string, TreeNodeJson> =>
    Object.fromEntries(
      shown(nodes, parentN).map((node) => {
        const [childKey, ...deeper] = childLevels;
        const json: TreeNodeJson = stats(node);
        if (childKey && node.children) json[childKey] = treeLevel(node.children, node.n, deeper);
        return [node.value ?? NA, json];
      }),
    );

  const { category, ...columns } = summary.groups;
  const by = {
    ...(Object.fromEntries(Object.entries(columns).map(([column, groups]) => [column, byName(groups)])) as Record<keyof typeof columns, Record<string, Stats>>),
    ...(category && !answersHidden ? { category: byName(category) } : {}),
  };
  const tree = Object.fromEntries(
    Object.entries(summary.tree).map(([lexicon, nodes]) => [lexicon, treeLevel(nodes, summary.overall.n, ['modalities', 'labels'])]),
  ) as ScoreReport['tree'];
  return { by, tree, ...(answersHidden ? { min_node_size: MIN_HIDDEN_SPLIT_NODE, hidden_nodes: hidden } : {}) };
}

function countMethods(rows: readonly ScoredRow[]): Record<ExtractionMethod, number> {
  const counts = Object.fromEntries(EXTRACTION_METHODS.map((m) => [m, 0])) as Record<ExtractionMethod, number>;
  for (const row of rows) counts[row.method] += 1;
  return counts;
}

/**
 * The children of a node that may be shown where answers are hidden: none under the minimum size,
 * and no hidden remainder under it either (parent minus the shown children would give its numbers
 * away), so the smallest shown siblings are hidden too until the remainder is large enough.
 */
export function visibleChildren<T extends { n: number }>(children: readonly T[], parentN: number): T[] {
  const kept = children.filter((c) => c.n >= MIN_HIDDEN_SPLIT_NODE);
  let remainder = parentN - kept.reduce((n, c) => n + c.n, 0);
  while (remainder > 0 && remainder < MIN_HIDDEN_SPLIT_NODE && kept.length > 0) {
    const smallest = kept.reduce((a, b) => (b.n < a.n ? b : a));
    kept.splice(kept.indexOf(smallest), 1);
    remainder += smallest.n;
  }
  return kept;
}

function stats(s: AccuracyStats): Stats {
  return { n: s.n, correct: s.correct, accuracy: s.accuracy, ci95: s.ci95 };
}
