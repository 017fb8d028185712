import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractChoice, scorePrediction } from './extract-choice';
import { GMAI_DIR, HAVE_VAL_META, readValMeta, type MetaRow } from '../../test/fixtures/real-val-meta';
import { SCORER_NAMES, type ScorerName } from './scorers';

/**
 * The letters VLMEvalKit's own matching code extracts at each rule version's first commit, on real
 * model outputs (../shared/gmai/matching/README.md), and the correct counts of its summary.json.
 */

const matchingDir = path.join(GMAI_DIR, 'matching');
const available = HAVE_VAL_META && existsSync(path.join(matchingDir, 'summary.json'));
if (!available) console.warn(`Skipping rule-version reference tests: real data not found at ${matchingDir}`);

interface ReferenceRow {
  readonly index: number;
  readonly prediction: string;
  readonly extracted: Readonly<Record<ScorerName, string>>;
}
type Summary = Record<string, { predictions: number; correct: Record<ScorerName, number> }>;

const summary: Summary = available ? JSON.parse(readFileSync(path.join(matchingDir, 'summary.json'), 'utf8')) : {};
const files = Object.keys(summary).sort();

function readReference(file: string): ReferenceRow[] {
  return readFileSync(path.join(matchingDir, `${file}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ReferenceRow);
}

describe.skipIf(!available)('extractChoice against VLMEvalKit at each rule version', () => {
  const meta = available ? readValMeta() : new Map<number, MetaRow>();
  const question = (index: number) => {
    const row = meta.get(index);
    if (row === undefined) throw new Error(`index ${index} is not in VAL`);
    return row;
  };

  it('has the three reference files', () => {
    expect(files).toEqual(['Qwen2-VL-7B-Instruct', 'gemma-cot', 'qwen_chat']);
  });

  it.each(files.flatMap((file) => SCORER_NAMES.map((scorer) => [file, scorer] as const)))('%s under %s: every letter and the correct count', (file, scorer) => {
    const rows = readReference(file);
    expect(rows).toHaveLength(summary[file]?.predictions ?? -1);
    const mismatches = rows
      .map((row) => ({ index: row.index, expected: row.extracted[scorer], actual: extractChoice(row.prediction, question(row.index).options, scorer) }))
      .filter(({ expected, actual }) => expected !== actual);
    expect(mismatches.slice(0, 10)).toEqual([]);
    const correct = rows.reduce((sum, row) => sum + scorePrediction(row.prediction, question(row.index), scorer).hit, 0);
    expect(correct).toBe(summary[file]?.correct[scorer]);
  });

  it('the versions really differ on these files (the test above would catch a rule applied to the wrong version)', () => {
    const rows = files.flatMap(readReference);
    const differing = (a: ScorerName, b: ScorerName) => rows.filter((row) => row.extracted[a] !== row.extracted[b]).length;
    expect(differing('vlmevalkit-2024', 'vlmevalkit-2025-08')).toBeGreaterThan(100);
    expect(differing('vlmevalkit-2025-08', 'vlmevalkit-2026-06')).toBeGreaterThan(10);
  });
});
