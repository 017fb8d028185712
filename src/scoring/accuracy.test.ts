import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeAccuracy, wilsonInterval, type RowGroups, type ScoredRow } from './accuracy';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3
  // (Wilson score without continuity correction), to the 4 decimals published.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → [%f, %f]', (correct, n, low, high) => {
    const [lower, upper] = wilsonInterval(correct, n);
    expect(lower).toBeCloseTo(low, 4);
    expect(upper).toBeCloseTo(high, 4);
  });

  it('is [0, 1]-bounded and exactly 0 / 1 at the extremes', () => {
    expect(wilsonInterval(0, 7)[0]).toBe(0);
    expect(wilsonInterval(7, 7)[1]).toBe(1);
  });

  it('gives the roots of (p̂ − p)² = z²·p(1 − p)/n', () => {
    // Solved as a quadratic in p: (1 + z²/n)p² − (2p̂ + z²/n)p + p̂² = 0.
    const z = 1.959963984540054;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([correct, n]) => {
          const p = correct / n;
          const a = 1 + (z * z) / n;
          const b = -(2 * p + (z * z) / n);
          const c = p * p;
          const root = Math.sqrt(b * b - 4 * a * c);
          const [lower, upper] = wilsonInterval(correct, n);
          expect(lower).toBeCloseTo(Math.max(0, (-b - root) / (2 * a)), 9);
          expect(upper).toBeCloseTo(Math.min(1, (-b + root) / (2 * a)), 9);
          expect(lower).toBeLessThanOrEqual(p);
          expect(upper).toBeGreaterThanOrEqual(p);
        },
      ),
    );
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
  });
});

const base: RowGroups = {
  clinical_vqa_task: 'Disease Diagnosis',
  department: 'Dermatology',
  perceptual_granularity: 'Image level',
  modality: 'Dermoscopy',
  original_task: 'CLS_2D',
};

function row(index: number, hit: 0 | 1, groups: Partial<RowGroups> = {}): ScoredRow {
  return { index, hit, extracted: hit ? 'A' : 'B', method: 'option', groups: { ...base, ...groups } };
}

describe('summarizeAccuracy', () => {
  it('counts overall and per column, sorting values by code point with the N/A department last', () => {
    const report = summarizeAccuracy([
      row(0, 1, { department: null }),
      row(1, 0, { department: 'ophthalmology' }),
      row(2, 1, { department: 'Urology' }),
      row(3, 1, { department: 'Urology' }),
      row(4, 0, { department: '\uff01 fullwidth' }),
      row(5, 0, { department: '\u{1F600} astral' }),
    ]);
    expect(report.overall).toEqual({ n: 6, correct: 3, accuracy: 0.5, ci95: wilsonInterval(3, 6) });
    // 'U' (U+0055) < 'o' (U+006F) < U+FF01 < U+1F600 (JavaScript's default sort would put the astral one before U+FF01).
    expect(report.groups.department.map((g) => [g.value, g.n, g.correct])).toEqual([
      ['Urology', 2, 2],
      ['ophthalmology', 1, 0],
      ['\uff01 fullwidth', 1, 0],
      ['\u{1F600} astral', 1, 0],
      [null, 1, 1],
    ]);
    expect(report.groups.modality).toEqual([{ value: 'Dermoscopy', n: 6, correct: 3, accuracy: 0.5, ci95: wilsonInterval(3, 6) }]);
  });

  it('builds each lexicon tree value → modality, with the same numbers at every node', () => {
    const report = summarizeAccuracy([
      row(0, 1, { perceptual_granularity: 'Mask level', modality: 'MRI' }),
      row(1, 0, { perceptual_granularity: 'Mask level', modality: 'CT' }),
      row(2, 1, { perceptual_granularity: 'Mask level', modality: 'CT' }),
      row(3, 1, { perceptual_granularity: 'Box level', modality: 'X-ray' }),
    ]);
    const stats = (correct: number, n: number) => ({ n, correct, accuracy: correct / n, ci95: wilsonInterval(correct, n) });
    expect(report.tree.perceptual_granularity).toEqual([
      { value: 'Box level', ...stats(1, 1), children: [{ value: 'X-ray', ...stats(1, 1) }] },
      {
        value: 'Mask level',
        ...stats(2, 3),
        children: [
          { value: 'CT', ...stats(1, 2) },
          { value: 'MRI', ...stats(1, 1) },
        ],
      },
    ]);
    expect(report.tree.clinical_vqa_task).toHaveLength(1);
    expect(report.tree.department[0]?.children?.map((m) => m.value)).toEqual(['CT', 'MRI', 'X-ray']);
  });

  it('adds the label level only when rows carry category', () => {
    const report = summarizeAccuracy([row(0, 1, { category: 'melanoma' }), row(1, 0, { category: 'nevus' }), row(2, 0, { category: 'melanoma' })]);
    const modality = report.tree.department[0]?.children?.[0];
    expect(modality?.children?.map((label) => [label.value, label.n, label.correct])).toEqual([
      ['melanoma', 2, 1],
      ['nevus', 1, 0],
    ]);
    expect(modality?.children?.[0]?.children).toBeUndefined();
    expect(summarizeAccuracy([row(0, 1)]).tree.department[0]?.children?.[0]?.children).toBeUndefined();
  });

  it('refuses category on some rows only', () => {
    expect(() => summarizeAccuracy([row(0, 1, { category: 'x' }), row(1, 1)])).toThrow(TypeError);
  });

  it('reports no accuracy for no rows', () => {
    const report = summarizeAccuracy([]);
    expect(report.overall).toEqual({ n: 0, correct: 0, accuracy: null, ci95: null });
    expect(report.groups.department).toEqual([]);
    expect(report.tree.clinical_vqa_task).toEqual([]);
  });
});

describe('summarizeAccuracy by label', () => {
  it('groups by category only when rows carry it', () => {
    const labelled = summarizeAccuracy([row(1, 1, { category: 'cyst' }), row(2, 0, { category: 'cyst' }), row(3, 1, { category: 'tumor' })]);
    expect(labelled.groups.category?.map((g) => [g.value, g.n, g.correct])).toEqual([
      ['cyst', 2, 1],
      ['tumor', 1, 1],
    ]);
    expect(summarizeAccuracy([row(1, 1)]).groups.category).toBeUndefined();
  });
});
