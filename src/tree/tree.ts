// The lexical tree (lexicon value → modality → label, with question counts) assembled from one
// grouped count per distinct (task, department, granularity, modality, original task, label).
import { compareCodePoints } from '../lib/code-point-order';

export interface TreeGroup {
  clinical_vqa_task: string;
  department: string | null;
  perceptual_granularity: string;
  modality: string;
  original_task: string;
  /** Present only where answers are public. */
  label?: string | null;
  count: number;
}

export interface LabelCount {
  label: string | null;
  count: number;
}
export interface ModalityNode {
  modality: string;
  count: number;
  labels?: LabelCount[];
}
export interface LexiconNode {
  value: string | null;
  count: number;
  modalities: ModalityNode[];
}
export interface ValueCount {
  value: string;
  count: number;
}

export interface LexicalTree {
  total: number;
  lexicons: { clinical_vqa_task: LexiconNode[]; department: LexiconNode[]; perceptual_granularity: LexiconNode[] };
  modality: ValueCount[];
  original_task: ValueCount[];
}

/** Code-point order, null (the N/A department, a missing label) last: stable for clients to diff. */
function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareCodePoints(a, b);
}

function add<K>(counts: Map<K, number>, key: K, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

function sortedCounts<K extends string | null>(counts: Map<K, number>): [K, number][] {
  return [...counts].sort(([a], [b]) => compareValues(a, b));
}

function lexicon(groups: readonly TreeGroup[], groupValue: (g: TreeGroup) => string | null, withLabels: boolean): LexiconNode[] {
  const values = new Map<string | null, Map<string, Map<string | null, number>>>();
  for (const g of groups) {
    let modalities = values.get(groupValue(g));
    if (!modalities) values.set(groupValue(g), (modalities = new Map()));
    let labels = modalities.get(g.modality);
    if (!labels) modalities.set(g.modality, (labels = new Map()));
    add(labels, g.label ?? null, g.count);
  }
  return [...values.keys()].sort(compareValues).map((value) => {
    const modalities = [...values.get(value)!]
      .sort(([a], [b]) => compareValues(a, b))
      .map(([modality, labels]): ModalityNode => {
        const sorted = sortedCounts(labels);
        const count = sorted.reduce((n, [, c]) => n + c, 0);
        return withLabels ? { modality, count, labels: sorted.map(([label, c]) => ({ label, count: c })) } : { modality, count };
      });
    return { value, count: modalities.reduce((n, m) => n + m.count, 0), modalities };
  });
}

function flatCounts(groups: readonly TreeGroup[], groupValue: (g: TreeGroup) => string): ValueCount[] {
  const counts = new Map<string, number>();
  for (const g of groups) add(counts, groupValue(g), g.count);
  return sortedCounts(counts).map(([value, count]) => ({ value, count }));
}

export function buildTree(groups: readonly TreeGroup[], withLabels: boolean): LexicalTree {
  return {
    total: groups.reduce((n, g) => n + g.count, 0),
    lexicons: {
      clinical_vqa_task: lexicon(groups, (g) => g.clinical_vqa_task, withLabels),
      department: lexicon(groups, (g) => g.department, withLabels),
      perceptual_granularity: lexicon(groups, (g) => g.perceptual_granularity, withLabels),
    },
    modality: flatCounts(groups, (g) => g.modality),
    original_task: flatCounts(groups, (g) => g.original_task),
  };
}
