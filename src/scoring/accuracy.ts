import { compareCodePoints } from '../lib/code-point-order';
import type { ExtractedChoice, ExtractionMethod } from './extract-choice';
import { wilsonInterval } from '../stats/wilson';

// Defined in src/stats (paired comparisons use it too); re-exported for the scoring callers.
export { wilsonInterval };

/** The dataset columns a scored row is grouped by (from the dataset, never from the submission). */
export interface RowGroups {
  readonly clinical_vqa_task: string;
  /** null for the rows the paper lists as N/A (an empty cell in the TSV). */
  readonly department: string | null;
  readonly perceptual_granularity: string;
  readonly modality: string;
  readonly original_task: string;
  /** The lexical-tree leaf label. It reveals the answer: pass it only where answers are public. */
  readonly category?: string;
}

export interface ScoredRow {
  readonly index: number;
  readonly hit: 0 | 1;
  readonly extracted: ExtractedChoice;
  /** Which extraction step decided the letter. */
  readonly method: ExtractionMethod;
  readonly groups: RowGroups;
}

export interface AccuracyStats {
  readonly n: number;
  readonly correct: number;
  /** correct / n; null only for an empty set of rows. */
  readonly accuracy: number | null;
  /** 95% Wilson score interval; null only for an empty set of rows. */
  readonly ci95: readonly [number, number] | null;
}

export interface GroupAccuracy extends AccuracyStats {
  readonly value: string | null;
}

export interface TreeNodeAccuracy extends GroupAccuracy {
  /** Lexicon value → modalities; modality → labels (only when rows carry `category`); absent on leaves. */
  readonly children?: readonly TreeNodeAccuracy[];
}

export const FLAT_GROUP_COLUMNS = ['clinical_vqa_task', 'department', 'perceptual_granularity', 'modality', 'original_task'] as const;
export type FlatGroupColumn = (typeof FLAT_GROUP_COLUMNS)[number];

/** The three lexicons of the benchmark's lexical tree, each a tree value → modality → label. */
export const LEXICONS = ['clinical_vqa_task', 'department', 'perceptual_granularity'] as const;
export type Lexicon = (typeof LEXICONS)[number];

export interface AccuracyReport {
  readonly overall: AccuracyStats;
  /** Every value of each column, sorted by code point (null, the N/A department, last). */
  readonly groups: Readonly<Record<FlatGroupColumn, readonly GroupAccuracy[]>> & { readonly category?: readonly GroupAccuracy[] };
  readonly tree: Readonly<Record<Lexicon, readonly TreeNodeAccuracy[]>>;
}

export function accuracyStats(correct: number, n: number): AccuracyStats {
  if (n === 0) return { n, correct, accuracy: null, ci95: null };
  return { n, correct, accuracy: correct / n, ci95: wilsonInterval(correct, n) };
}

/**
 * Overall accuracy, accuracy per value of each dataset column, and per node of the three lexical
 * trees. `category` must be given for every row or for none (a partial label level would not add up).
 */
export function summarizeAccuracy(rows: readonly ScoredRow[]): AccuracyReport {
  const labelled = rows.filter((row) => row.groups.category !== undefined).length;
  if (labelled !== 0 && labelled !== rows.length) {
    throw new TypeError(`category is given for ${labelled} of ${rows.length} rows: give it for all or none`);
  }
  const modalityLevel = labelled > 0 ? [byModality, byCategory] : [byModality];

  const groups = {} as Record<FlatGroupColumn | 'category', readonly GroupAccuracy[]>;
  for (const column of FLAT_GROUP_COLUMNS) groups[column] = groupTree(rows, [(row) => row.groups[column]]);
  if (labelled > 0) groups.category = groupTree(rows, [byCategory]);
  const tree = {} as Record<Lexicon, readonly TreeNodeAccuracy[]>;
  for (const lexicon of LEXICONS) tree[lexicon] = groupTree(rows, [(row) => row.groups[lexicon], ...modalityLevel]);

  return { overall: statsOf(rows), groups, tree };
}

type GroupKey = (row: ScoredRow) => string | null;
const byModality: GroupKey = (row) => row.groups.modality;
const byCategory: GroupKey = (row) => row.groups.category ?? null;

/** Accuracy over all the rows (what summarizeAccuracy reports as `overall`), without the breakdowns. */
export function statsOf(rows: readonly ScoredRow[]): AccuracyStats {
  let correct = 0;
  for (const row of rows) correct += row.hit;
  return accuracyStats(correct, rows.length);
}

/** Groups rows by the first key, then each group by the remaining keys, in code-point order. */
function groupTree(rows: readonly ScoredRow[], keys: readonly GroupKey[]): TreeNodeAccuracy[] {
  const [key, ...deeper] = keys;
  if (key === undefined) return [];
  const buckets = new Map<string | null, ScoredRow[]>();
  for (const row of rows) {
    const value = key(row);
    const bucket = buckets.get(value);
    if (bucket) bucket.push(row);
    else buckets.set(value, [row]);
  }
  return [...buckets.keys()].sort(compareGroupValues).map((value) => {
    const members = buckets.get(value) ?? [];
    const node = { value, ...statsOf(members) };
    return deeper.length > 0 ? { ...node, children: groupTree(members, deeper) } : node;
  });
}

function compareGroupValues(a: string | null, b: string | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return compareCodePoints(a, b);
}
