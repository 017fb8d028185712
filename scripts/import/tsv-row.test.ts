import { describe, expect, it } from 'vitest';
import { tsvRecordToRow } from './tsv-row';

const SHA = 'ab'.repeat(32);

function record(overrides: Record<string, string> = {}): Map<string, string> {
  return new Map(
    Object.entries({
      index: '12',
      question: 'What is shown?',
      A: 'cyst',
      B: 'tumor',
      C: '',
      D: '',
      E: '',
      answer: 'B',
      category: 'tumor',
      'clinical VQA task': 'Disease Diagnosis',
      department: '',
      'perceptual granularity': 'Mask level',
      modality: 'MRI',
      'original task': 'SEG_3D',
      ...overrides,
    }),
  );
}

describe('tsvRecordToRow', () => {
  it('maps an official row, with empty cells as missing values', () => {
    expect(tsvRecordToRow(record(), SHA, undefined)).toEqual({
      errors: [],
      row: {
        index: 12,
        question: 'What is shown?',
        options: ['cyst', 'tumor'],
        answer: 'B',
        category: 'tumor',
        clinical_vqa_task: 'Disease Diagnosis',
        department: null,
        perceptual_granularity: 'Mask level',
        modality: 'MRI',
        original_task: 'SEG_3D',
        image_sha256: SHA,
      },
    });
  });

  it('takes the answer from the key when the TSV has none (TEST)', () => {
    const result = tsvRecordToRow(record({ answer: '' }), SHA, 'A');
    expect(result.row?.answer).toBe('A');
  });

  it('names the TSV column of every problem', () => {
    const result = tsvRecordToRow(record({ index: '1.5', C: '', D: 'filled after a gap', 'perceptual granularity': 'Box Level', answer: 'E' }), SHA, undefined);
    expect(result.row).toBeNull();
    expect(result.errors.map((e) => e.column).sort()).toEqual(['D', 'answer', 'index', 'perceptual granularity']);
  });

  it('reports a disagreement between the TSV answer and the answer key', () => {
    expect(tsvRecordToRow(record(), SHA, 'A').errors).toEqual([{ column: 'answer', message: 'is B but the answer key says A' }]);
  });
});
