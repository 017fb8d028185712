// Pure steps between scored rows and stored outcomes: a run's outcome bytes from its rows under every
// scorer, the scored rows of a selection rebuilt from those bytes (so a run's report is the one
// POST /v1/scores gives), selection bitsets, and the paired comparison of two runs overall and per
// node of the lexical trees. Positions are ranks in the sorted index list of the scoring key.
import type { AccuracyStats, ScoredRow, TreeNodeAccuracy } from '../scoring/accuracy';
import { LEXICONS, summarizeAccuracy } from '../scoring/accuracy';
import type { AnswerKey } from '../scoring/score-pipeline';
import { MIN_HIDDEN_SPLIT_NODE, visibleChildren } from '../scoring/score-report';
import { NA_DEPARTMENT } from '../selection/selection';
import { comparePaired, type PairedComparison } from '../stats/paired';
import { encodeOutcomes, pairedCounts, positionOf, type RunOutcomes, selectionBitset, type PositionOutcomes, type RunBits } from './outcomes';

const sorted = new WeakMap<AnswerKey, Int32Array>();

/** The key's indexes in ascending order: position p is the question sortedIndexes(key)[p]. */
export function sortedIndexes(key: AnswerKey): Int32Array {
  let indexes = sorted.get(key);
  if (!indexes) {
    indexes = Int32Array.from(key.keys()).sort();
    sorted.set(key, indexes);
  }
  return indexes;
}

/** Per scorer, over every submitted question. */
export type RunResults = Record<string, { n: number; correct: number }>;

/**
 * The outcome bytes of one submission scored under each scorer: `rowsByScorer[k]` are its rows under
 * scorer k, the same indexes in every list (scoreRows of the same predictions).
 */
export function encodeRunOutcomes(
  key: AnswerKey,
  scorers: readonly string[],
  rowsByScorer: ReadonlyArray<readonly ScoredRow[]>,
): { outcomes: Uint8Array; results: RunResults } {
  const indexes = sortedIndexes(key);
  const first = rowsByScorer[0] ?? [];
  const entries: PositionOutcomes[] = first.map((row, i) => ({
    position: positionOf(indexes, row.index),
    scorers: rowsByScorer.map((rows) => {
      const r = rows[i]!;
      if (r.index !== row.index) throw new RangeError('rows of different scorers are not aligned');
      return { letter: r.extracted, method: r.method, hit: r.hit };
    }),
  }));
  const results: RunResults = Object.fromEntries(
    scorers.map((name, k) => [name, { n: first.length, correct: rowsByScorer[k]!.reduce((sum, r) => sum + r.hit, 0) }]),
  );
  return { outcomes: encodeOutcomes(indexes.length, scorers.length, entries), results };
}

/** The position bitset of a subset of indexes (null: every question, undefined back). */
export function subsetBitset(key: AnswerKey, subset: ReadonlySet<number> | null): Uint8Array | undefined {
  if (!subset) return undefined;
  const indexes = sortedIndexes(key);
  const positions: number[] = [];
  for (const index of subset) {
    const p = positionOf(indexes, index);
    if (p >= 0) positions.push(p);
  }
  return selectionBitset(indexes.length, positions);
}

/** The scored rows of a stored run under one scorer, on the selected positions (all when omitted), in index order. */
export function rowsFromOutcomes(key: AnswerKey, outcomes: RunOutcomes, scorer: number, selection?: Uint8Array): ScoredRow[] {
  const indexes = sortedIndexes(key);
  if (indexes.length !== outcomes.questionCount) throw new RangeError(`the run has ${outcomes.questionCount} questions, the key ${indexes.length}`);
  const rows: ScoredRow[] = [];
  for (let p = 0; p < indexes.length; p++) {
    if (selection && !(selection[p >> 3]! & (1 << (p & 7)))) continue;
    const outcome = outcomes.outcome(scorer, p);
    if (!outcome) continue;
    const index = indexes[p]!;
    rows.push({ index, extracted: outcome.letter, method: outcome.method, hit: outcome.hit, groups: key.get(index)!.groups });
  }
  return rows;
}

/** Submitted and hit bitsets of scored rows (an unsaved submission, compared with a stored run). */
export function rowsBits(key: AnswerKey, rows: readonly ScoredRow[]): RunBits {
  const indexes = sortedIndexes(key);
  const submitted = selectionBitset(
    indexes.length,
    rows.map((r) => positionOf(indexes, r.index)),
  );
  const hits = selectionBitset(
    indexes.length,
    rows.filter((r) => r.hit).map((r) => positionOf(indexes, r.index)),
  );
  return { submitted, hits };
}

export interface PairedNode extends PairedComparison {
  modalities?: Record<string, PairedNode>;
  labels?: Record<string, PairedNode>;
}

export interface PairedReport {
  overall: PairedComparison;
  /** lexicon → value → modality → label (labels only where rows carry them), like a score report's tree. */
  tree: Record<string, Record<string, PairedNode>>;
  min_node_size?: number;
  hidden_nodes?: number;
}

/**
 * The paired comparison of A and B on the selected positions both submitted, overall and per tree
 * node. Each node's table comes from three accuracy summaries of the shared questions (hit = both
 * right, only A right, only B right), so the tree has exactly the nodes and order of a score report.
 * Where answers are hidden, nodes follow the report's rule (visibleChildren).
 */
export function comparePairedRuns(key: AnswerKey, a: RunBits, b: RunBits, options: { selection?: Uint8Array; answersHidden: boolean }): PairedReport {
  const indexes = sortedIndexes(key);
  const shared: Array<{ index: number; ha: boolean; hb: boolean }> = [];
  const both = pairedCounts(a, b, options.selection);
  for (let p = 0; p < indexes.length; p++) {
    const bit = 1 << (p & 7);
    const byte = p >> 3;
    if (!(a.submitted[byte]! & b.submitted[byte]! & bit)) continue;
    if (options.selection && !(options.selection[byte]! & bit)) continue;
    shared.push({ index: indexes[p]!, ha: (a.hits[byte]! & bit) !== 0, hb: (b.hits[byte]! & bit) !== 0 });
  }
  const summary = (hit: (s: { ha: boolean; hb: boolean }) => boolean) =>
    summarizeAccuracy(shared.map((s) => ({ index: s.index, extracted: 'Z', method: 'none', hit: hit(s) ? 1 : 0, groups: key.get(s.index)!.groups })));
  const bothRight = summary((s) => s.ha && s.hb);
  const onlyA = summary((s) => s.ha && !s.hb);
  const onlyB = summary((s) => !s.ha && s.hb);
  let hidden = 0;
  const paired = (x: AccuracyStats, y: AccuracyStats, z: AccuracyStats): PairedComparison =>
    comparePaired({ n: x.n, both_correct: x.correct, only_a: y.correct, only_b: z.correct, neither: x.n - x.correct - y.correct - z.correct });
  const level = (
    xs: readonly TreeNodeAccuracy[],
    ys: readonly TreeNodeAccuracy[],
    zs: readonly TreeNodeAccuracy[],
    parentN: number,
    childKeys: readonly ('modalities' | 'labels')[],
  ): Record<string, PairedNode> => {
    const shown = new Set(options.answersHidden ? visibleChildren(xs, parentN) : xs);
    hidden += xs.length - shown.size;
    const out: Record<string, PairedNode> = {};
    xs.forEach((x, i) => {
      if (!shown.has(x)) return;
      const node: PairedNode = paired(x, ys[i]!, zs[i]!);
      const [childKey, ...deeper] = childKeys;
      if (childKey && x.children) node[childKey] = level(x.children, ys[i]!.children!, zs[i]!.children!, x.n, deeper);
      out[x.value ?? NA_DEPARTMENT] = node;
    });
    return out;
  };
  const tree = Object.fromEntries(
    LEXICONS.map((lexicon) => [lexicon, level(bothRight.tree[lexicon], onlyA.tree[lexicon], onlyB.tree[lexicon], shared.length, ['modalities', 'labels'])]),
  );
  return {
    overall: comparePaired(both),
    tree,
    ...(options.answersHidden ? { min_node_size: MIN_HIDDEN_SPLIT_NODE, hidden_nodes: hidden } : {}),
  };
}
