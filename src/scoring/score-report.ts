// The JSON body of POST /v1/scores, built from scored rows. Pure: no Workers imports.
import { summarizeAccuracy, type AccuracyStats, type GroupAccuracy, type ScoredRow, type TreeNodeAccuracy } from './accuracy';

export const SCORER = 'vlmevalkit-2024';
/** On hidden splits no node smaller than this is reported, so breakdowns cannot isolate single answers. */
export const MIN_HIDDEN_SPLIT_NODE = 30;
/** Name of the benchmark's N/A department in reports (also its filter value). */
const NA = 'N/A';

export interface Coverage {
  /** Questions the request's subset selects. */
  in_scope: number;
  /** In-scope questions with a prediction (the `n` of overall). */
  submitted: number;
  /** In-scope questions without a prediction. */
  missing: number;
  /** Submitted predictions from which no letter could be extracted (scored as Z, a miss). */
  unanswered: number;
  /** Predictions for questions outside the subset: not scored. */
  ignored: number;
}

export interface ReportOptions {
  split: string;
  datasetVersion: string;
  predictionsSha256: string;
  coverage: Coverage;
  /** Hide nodes below MIN_HIDDEN_SPLIT_NODE and never list items (answers hidden). */
  answersHidden: boolean;
  items: boolean;
}

type Stats = Pick<AccuracyStats, 'n' | 'correct' | 'accuracy' | 'ci95'>;
interface TreeNodeJson extends Stats {
  modalities?: Record<string, TreeNodeJson>;
  labels?: Record<string, Stats>;
}

export function buildScoreReport(rows: readonly ScoredRow[], options: ReportOptions) {
  const summary = summarizeAccuracy(rows);
  let hidden = 0;
  const shown = <T extends AccuracyStats>(children: readonly T[], parentN: number): readonly T[] => {
    if (!options.answersHidden) return children;
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
    ...Object.fromEntries(Object.entries(columns).map(([column, groups]) => [column, byName(groups)])),
    ...(category && !options.answersHidden ? { category: byName(category) } : {}),
  };
  const tree = Object.fromEntries(Object.entries(summary.tree).map(([lexicon, nodes]) => [lexicon, treeLevel(nodes, summary.overall.n, ['modalities', 'labels'])]));
  return {
    split: options.split,
    scorer: SCORER,
    dataset_version: options.datasetVersion,
    predictions_sha256: options.predictionsSha256,
    overall: stats(summary.overall),
    coverage: options.coverage,
    by,
    tree,
    ...(options.answersHidden ? { min_node_size: MIN_HIDDEN_SPLIT_NODE, hidden_nodes: hidden } : {}),
    ...(options.items && !options.answersHidden ? { items: rows.map((r) => ({ index: r.index, extracted: r.extracted, hit: r.hit })) } : {}),
  };
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
