import { describe, expect, it } from 'vitest';
import type { RowGroups, ScoredRow } from '../scoring/accuracy';
import type { AnswerKey, ScoringQuestion } from '../scoring/score-pipeline';
import { RunOutcomes } from './outcomes';
import { comparePairedRuns, encodeRunOutcomes, rowsBits, rowsFromOutcomes, sortedIndexes, subsetBitset } from './run-scoring';

/** Indexes 10, 20, …, 80 (inserted out of order); departments X for 10–40, Y for 50–80. */
function key(): AnswerKey {
  const groups = (department: string): RowGroups => ({
    clinical_vqa_task: 'T',
    department,
    perceptual_granularity: 'Image level',
    modality: 'CT',
    original_task: 'CLS_2D',
    category: 'c',
  });
  const entries: Array<[number, ScoringQuestion]> = [80, 10, 30, 20, 50, 70, 40, 60].map((i) => [
    i,
    {
      choices: [
        ['A', 'a'],
        ['B', 'b'],
      ],
      answer: 'A',
      groups: groups(i <= 40 ? 'X' : 'Y'),
    },
  ]);
  return new Map(entries);
}

const scored = (k: AnswerKey, hits: Record<number, 0 | 1>, method: ScoredRow['method'] = 'option'): ScoredRow[] =>
  Object.entries(hits).map(([index, hit]) => ({ index: Number(index), hit, extracted: hit ? 'A' : 'B', method, groups: k.get(Number(index))!.groups }));

describe('run outcomes from scored rows and back', () => {
  it('positions are ranks of the sorted indexes', () => {
    expect([...sortedIndexes(key())]).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('rebuilds each scorer’s rows, on a selection too, and counts results', () => {
    const k = key();
    const first = scored(k, { 70: 1, 10: 0, 40: 1 });
    const second = scored(k, { 70: 0, 10: 0, 40: 1 }, 'text');
    const { outcomes, results } = encodeRunOutcomes(k, ['s1', 's2'], [first, second]);
    expect(results).toEqual({ s1: { n: 3, correct: 2 }, s2: { n: 3, correct: 1 } });
    const stored = new RunOutcomes(outcomes);
    const byIndex = (rows: ScoredRow[]) => [...rows].sort((a, b) => a.index - b.index);
    expect(rowsFromOutcomes(k, stored, 0)).toEqual(byIndex(first));
    expect(rowsFromOutcomes(k, stored, 1)).toEqual(byIndex(second));
    expect(rowsFromOutcomes(k, stored, 0, subsetBitset(k, new Set([40, 50, 70, 999])))).toEqual(byIndex(first).filter((r) => r.index !== 10));
    expect(() => encodeRunOutcomes(k, ['s1', 's2'], [first, [...second].reverse()])).toThrow(/not aligned/);
  });
});

describe('comparePairedRuns', () => {
  it('counts the table on shared questions overall and per node', () => {
    const k = key();
    // A answers all 8, B the first 6; shared 10–60. Both right: 10, 50; only A: 20; only B: 30, 60; neither: 40.
    const a = rowsBits(k, scored(k, { 10: 1, 20: 1, 30: 0, 40: 0, 50: 1, 60: 0, 70: 1, 80: 1 }));
    const b = rowsBits(k, scored(k, { 10: 1, 20: 0, 30: 1, 40: 0, 50: 1, 60: 1 }));
    const report = comparePairedRuns(k, a, b, { answersHidden: false });
    expect(report.overall).toMatchObject({ n: 6, both_correct: 2, only_a: 1, only_b: 2, neither: 1, difference: -1 / 6 });
    expect(report.tree.department!.X).toMatchObject({ n: 4, both_correct: 1, only_a: 1, only_b: 1, neither: 1 });
    expect(report.tree.department!.Y).toMatchObject({ n: 2, both_correct: 1, only_a: 0, only_b: 1, neither: 0 });
    expect(report.tree.department!.X!.modalities!.CT!.labels!.c).toMatchObject({ n: 4 });
    const onY = comparePairedRuns(k, a, b, { selection: subsetBitset(k, new Set([50, 60, 70, 80])), answersHidden: false });
    expect(onY.overall).toMatchObject({ n: 2, both_correct: 1, only_b: 1 });
  });

  it('hides nodes under the minimum where answers are hidden', () => {
    const k = key();
    const all = scored(k, { 10: 1, 20: 1, 30: 1, 40: 1, 50: 1, 60: 1, 70: 1, 80: 1 });
    const report = comparePairedRuns(k, rowsBits(k, all), rowsBits(k, all), { answersHidden: true });
    expect(report.tree.department).toEqual({});
    // The top-level nodes, all under 30: task T, departments X and Y, granularity Image level.
    expect(report).toMatchObject({ min_node_size: 30, hidden_nodes: 4 });
  });
});
