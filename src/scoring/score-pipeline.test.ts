import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { PredictionRow } from './prediction-files';
import { scorePredictions, scoreRows, ScoringError, type AnswerKey, type ScoringFailure, type ScoringOptions, type ScoringQuestion } from './score-pipeline';
import { ScoreReportSchema } from './score-report';

const question = (answer: 'A' | 'B', department: string | null, category?: string): ScoringQuestion => ({
  choices: [
    ['A', 'polyp'],
    ['B', 'normal'],
  ],
  answer,
  groups: {
    clinical_vqa_task: 'Disease Diagnosis',
    department,
    perceptual_granularity: 'Image level',
    modality: 'CT',
    original_task: 'CLS_2D',
    ...(category ? { category } : {}),
  },
});
/** Questions 0-3: answers A, B, A, B; departments Eye, Eye, Eye, N/A. */
const KEY: AnswerKey = new Map([
  [0, question('A', 'Eye', 'polyp')],
  [1, question('B', 'Eye', 'normal')],
  [2, question('A', 'Eye', 'polyp')],
  [3, question('B', null, 'normal')],
]);
const predictions = (entries: Record<number, string | null>): PredictionRow[] =>
  Object.entries(entries).map(([index, prediction]) => ({ index: Number(index), prediction, source: `row ${index}` }));
const options = (overrides: Partial<ScoringOptions> = {}): ScoringOptions => ({
  split: 'val',
  scorer: 'vlmevalkit-2024',
  datasetVersion: 'v1',
  answersHidden: false,
  subset: null,
  selectionKey: '["val"]',
  requireComplete: false,
  items: false,
  output: { format: 'json' },
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<ScoringFailure> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScoringError);
  return (err as ScoringError).failure;
}

describe('scoreRows', () => {
  it('extracts each letter with the stored options and marks the hit', () => {
    // "B." is the letter B; "it is a polyp" names option A's text; "maybe" names nothing (Z).
    expect(scoreRows(KEY, predictions({ 0: 'B.', 1: 'it is a polyp', 2: 'maybe' }), 'vlmevalkit-2024').map((r) => [r.index, r.extracted, r.hit])).toEqual([
      [0, 'B', 0],
      [1, 'A', 0],
      [2, 'Z', 0],
    ]);
    expect(scoreRows(KEY, predictions({ 3: 'B' }), 'vlmevalkit-2024')[0]).toMatchObject({
      extracted: 'B',
      method: 'option',
      hit: 1,
      groups: { department: null },
    });
  });
});

describe('scoreRows under each scorer', () => {
  // A letter at the start of a long answer: 2024 takes it; 2025-08 needs it among the last four of
  // its 9 tokens and the text is too long to try option texts; 2026-06 adds "answer is X".
  const early = 'A seems likely but I would not rule anything out';
  const stated = 'A seems likely; on reflection the answer is B';
  it.each([
    ['vlmevalkit-2024', early, 'A', 'option'],
    ['vlmevalkit-2025-08', early, 'Z', 'none'],
    ['vlmevalkit-2026-06', early, 'Z', 'none'],
    ['vlmevalkit-2024', stated, 'Z', 'none'],
    ['vlmevalkit-2025-08', stated, 'Z', 'none'],
    ['vlmevalkit-2026-06', stated, 'B', 'regex'],
  ] as const)('%s reads %j as %s (%s)', (scorer, text, letter, method) => {
    expect(scoreRows(KEY, predictions({ 0: text }), scorer)[0]).toMatchObject({ extracted: letter, method });
  });
});

describe('scorePredictions', () => {
  it('leaves the breakdowns out of a summary, items still listed', async () => {
    const { body } = await scorePredictions(
      KEY,
      predictions({ 0: 'A', 1: 'A', 3: 'nonsense' }),
      options({ items: true, output: { format: 'json', detail: 'summary' } }),
    );
    if (body.format !== 'json') throw new Error('expected JSON');
    const report = v.parse(ScoreReportSchema, body.report);
    expect(Object.keys(report).sort()).toEqual([
      'coverage',
      'dataset_version',
      'detail',
      'items',
      'methods',
      'overall',
      'predictions_sha256',
      'scorer',
      'split',
    ]);
    expect(report).toMatchObject({ detail: 'summary', overall: { n: 3, correct: 1 }, methods: { option: 2, none: 1 } });
    expect(report.items).toHaveLength(3);
  });

  it('reports accuracy, coverage and items over the submitted questions', async () => {
    const { body, coverage } = await scorePredictions(KEY, predictions({ 0: 'A', 1: 'A', 3: 'nonsense' }), options({ items: true }));
    expect(coverage).toEqual({ in_scope: 4, submitted: 3, missing: 1, unanswered: 1, ignored: 0 });
    if (body.format !== 'json') throw new Error('expected JSON');
    const report = v.parse(ScoreReportSchema, body.report);
    expect(report.overall).toMatchObject({ n: 3, correct: 1, accuracy: 1 / 3 });
    expect(report.detail).toBe('full');
    expect(report.by?.department).toMatchObject({ Eye: { n: 2, correct: 1 }, 'N/A': { n: 1, correct: 0 } });
    expect(report.by?.category).toMatchObject({ polyp: { n: 1, correct: 1 }, normal: { n: 2, correct: 0 } });
    expect(report.tree?.department.Eye?.modalities?.CT?.labels?.polyp).toMatchObject({ n: 1, correct: 1 });
    expect(report.items).toEqual([
      { index: 0, extracted: 'A', method: 'option', hit: 1 },
      { index: 1, extracted: 'A', method: 'option', hit: 0 },
      { index: 3, extracted: 'Z', method: 'none', hit: 0 },
    ]);
    expect(report.scorer).toBe('vlmevalkit-2024');
    expect(report.methods).toEqual({ refusal: 0, option: 2, regex: 0, text: 0, none: 1 });
  });

  it('scores only the subset and counts the rest as ignored', async () => {
    const result = await scorePredictions(KEY, predictions({ 0: 'A', 1: 'B', 2: 'B' }), options({ subset: new Set([1, 2, 3]) }));
    expect(result.coverage).toEqual({ in_scope: 3, submitted: 2, missing: 1, unanswered: 0, ignored: 1 });
    expect(result.rows.map((r) => r.index)).toEqual([1, 2]);
  });

  it('refuses unknown indexes, incomplete submissions under requireComplete and empty scopes', async () => {
    expect(await failure(scorePredictions(KEY, predictions({ 0: 'A', 9: 'B' }), options()))).toMatchObject({
      kind: 'unknown-indexes',
      predictions: [{ index: 9 }],
    });
    expect(await failure(scorePredictions(KEY, predictions({ 2: 'A' }), options({ requireComplete: true })))).toEqual({
      kind: 'incomplete',
      missing: [0, 1, 3],
    });
    expect(await failure(scorePredictions(KEY, predictions({ 0: 'A' }), options({ subset: new Set([3]) })))).toEqual({ kind: 'nothing-to-score' });
    const noAnswer: AnswerKey = new Map([[0, { ...question('A', 'Eye'), answer: null }]]);
    expect(await failure(scorePredictions(noAnswer, predictions({ 0: 'A' }), options()))).toEqual({ kind: 'no-answer', index: 0 });
  });

  it('needs 30 predictions where answers are hidden, and 30 per group for the CSV', async () => {
    const hidden: AnswerKey = new Map(Array.from({ length: 40 }, (_, i) => [i, question('A', i < 35 ? 'Eye' : 'Ear')]));
    const all = predictions(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i, 'A'])));
    const hiddenOptions = options({ split: 'test', answersHidden: true });
    expect(await failure(scorePredictions(hidden, all.slice(0, 29), hiddenOptions))).toMatchObject({ kind: 'too-few-predictions', minimum: 30 });
    const csv = { ...hiddenOptions, output: { format: 'vlmevalkit-csv', group: 'department' } } as const;
    expect(await failure(scorePredictions(hidden, all, csv))).toEqual({ kind: 'groups-too-small', column: 'department', minimum: 30 });
    const result = await scorePredictions(hidden, all, { ...csv, output: { format: 'vlmevalkit-csv', group: 'perceptual granularity' } });
    expect(result.body).toEqual({ format: 'vlmevalkit-csv', csv: '"split","Overall","Image level"\n"none","1.0","1.0"\n' });
  });

  it('digests what was scored: equal for reordered predictions, different for another selection', async () => {
    const a = await scorePredictions(KEY, predictions({ 0: 'A', 1: 'B' }), options());
    const reordered = await scorePredictions(KEY, [...predictions({ 0: 'A', 1: 'B' })].reverse(), options());
    const otherSelection = await scorePredictions(KEY, predictions({ 0: 'A', 1: 'B' }), options({ selectionKey: '["val",["Bone"]]' }));
    expect(reordered.submissionSha256).toBe(a.submissionSha256);
    expect(otherSelection.submissionSha256).not.toBe(a.submissionSha256);
    // The documented canonical forms, so that digests of stored runs stay comparable.
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const canonical = [
      [0, 'A'],
      [1, 'B'],
    ];
    expect(a.body.format === 'json' && a.body.report.predictions_sha256).toBe(sha256(JSON.stringify(canonical)));
    expect(a.submissionSha256).toBe(sha256(JSON.stringify([JSON.stringify(['["val"]', 'vlmevalkit-2024']), canonical])));
  });
});
