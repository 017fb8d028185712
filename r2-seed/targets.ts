// Marginal counts each generated split must hit: VAL's are the real ones; TEST's are VAL's
// proportions scaled to 21,281 rows, the paper's granularity totals, and small counts for the
// 14 modalities VAL lacks.
import {
  ALL_GRANULARITY_COUNTS,
  MODALITIES,
  TEST_ROWS,
  VAL_ANSWER_COUNTS,
  VAL_DEPARTMENT_COUNTS,
  VAL_GRANULARITY_COUNTS,
  VAL_MODALITY_COUNTS,
  VAL_OPTION_COUNTS,
  VAL_ROWS,
  VAL_TASK_COUNTS,
  type AnswerLetter,
  type ClinicalTask,
  type Department,
  type Modality,
} from './vocabulary';

export type Split = 'val' | 'test';

export interface SplitTargets {
  rows: number;
  tasks: Record<ClinicalTask, number>;
  departments: Record<Department, number>;
  modalities: Record<Modality, number>;
  boxRows: number;
  imageRows: number;
  /** Mask/Contour twin pairs: each is one Mask row and one Contour row. */
  twinPairs: number;
  answers: Record<AnswerLetter, number>;
  optionCounts: Record<2 | 3 | 4 | 5, number>;
}

/** TEST counts of the modalities VAL does not have. */
const TEST_ONLY_MODALITIES: Partial<Record<Modality, number>> = {
  'ASL MRI': 24,
  CMR: 60,
  CTA: 48,
  'DE MRI': 20,
  'DTI MRI': 22,
  'DWI MRI': 36,
  'Fat MRI': 26,
  'LGE MRI': 30,
  'MP-RAGE MRI': 28,
  'PD MRI': 18,
  'T1 MRI': 40,
  'T1ce MRI': 44,
  'T2 MRI': 42,
  'Water MRI': 26,
};

const VAL_TARGETS: SplitTargets = {
  rows: VAL_ROWS,
  tasks: VAL_TASK_COUNTS,
  departments: VAL_DEPARTMENT_COUNTS,
  modalities: VAL_MODALITY_COUNTS,
  boxRows: VAL_GRANULARITY_COUNTS['Box level'],
  imageRows: VAL_GRANULARITY_COUNTS['Image level'],
  twinPairs: VAL_GRANULARITY_COUNTS['Mask level'],
  answers: VAL_ANSWER_COUNTS,
  optionCounts: VAL_OPTION_COUNTS,
};

function testTargets(): SplitTargets {
  const extra = Object.values(TEST_ONLY_MODALITIES).reduce((a, b) => a + b, 0);
  const scaledVal = apportionRecord(VAL_MODALITY_COUNTS, TEST_ROWS - extra);
  const grain = (g: keyof typeof ALL_GRANULARITY_COUNTS): number => ALL_GRANULARITY_COUNTS[g] - VAL_GRANULARITY_COUNTS[g];
  return {
    rows: TEST_ROWS,
    tasks: apportionRecord(VAL_TASK_COUNTS, TEST_ROWS),
    departments: apportionRecord(VAL_DEPARTMENT_COUNTS, TEST_ROWS),
    modalities: Object.fromEntries(MODALITIES.map((m) => [m, scaledVal[m] + (TEST_ONLY_MODALITIES[m] ?? 0)])) as Record<Modality, number>,
    boxRows: grain('Box level'),
    imageRows: grain('Image level'),
    twinPairs: grain('Mask level'),
    answers: apportionRecord(VAL_ANSWER_COUNTS, TEST_ROWS),
    optionCounts: apportionRecord(VAL_OPTION_COUNTS, TEST_ROWS),
  };
}

export function splitTargets(split: Split): SplitTargets {
  return split === 'val' ? VAL_TARGETS : testTargets();
}

/** `apportion` over a record: every non-zero count keeps at least one. */
export function apportionRecord<K extends string | number>(counts: Record<K, number>, total: number): Record<K, number> {
  const entries = Object.entries(counts) as [K, number][];
  const shares = apportion(
    entries.map(([, c]) => c),
    total,
    entries.map(([, c]) => Math.min(1, c)),
  );
  return Object.fromEntries(entries.map(([k], i) => [k, shares[i]])) as Record<K, number>;
}

/**
 * Largest-remainder apportionment of `total` in proportion to `weights`, with per-item floors
 * (`min`) and ceilings (`max`, default unbounded). Ties go to the earlier item.
 */
export function apportion(weights: readonly number[], total: number, min: readonly number[] = [], max: readonly number[] = []): number[] {
  const whole = weights.reduce((a, b) => a + b, 0);
  const quota = weights.map((w) => (whole > 0 ? (w * total) / whole : 0));
  const low = (i: number): number => min[i] ?? 0;
  const high = (i: number): number => max[i] ?? Infinity;
  const result = quota.map((q, i) => Math.min(high(i), Math.max(low(i), Math.floor(q))));
  const slack = (i: number): number => (quota[i] ?? 0) - (result[i] ?? 0);
  for (let diff = total - result.reduce((a, b) => a + b, 0); diff !== 0; diff += diff > 0 ? -1 : 1) {
    // Add where rounding lost most, take back where it gave most, within the bounds.
    let best = -1;
    result.forEach((r, i) => {
      const movable = diff > 0 ? r < high(i) && (weights[i] ?? 0) > 0 : r > low(i);
      if (movable && (best < 0 || (diff > 0 ? slack(i) > slack(best) : slack(i) < slack(best)))) best = i;
    });
    if (best < 0) throw new Error(`cannot apportion ${total} within the bounds`);
    result[best] = (result[best] ?? 0) + (diff > 0 ? 1 : -1);
  }
  return result;
}
