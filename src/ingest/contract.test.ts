import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { StagedRowSchema, type StagedRow } from './contract';

const row = (question: string): StagedRow => ({
  index: 1,
  question,
  options: ['yes', 'no'],
  answer: 'A',
  category: 'yes',
  clinical_vqa_task: 'Disease Diagnosis',
  department: null,
  perceptual_granularity: 'Image level',
  modality: 'CT',
  original_task: 'CLS_2D',
  image_sha256: 'a'.repeat(64),
});
const problems = (question: string) => {
  const result = v.safeParse(StagedRowSchema, row(question));
  return result.success ? [] : result.issues.map((i) => i.message);
};

describe('staged row texts', () => {
  it('are limited to 64 KiB of UTF-8, however many UTF-16 units that is', () => {
    expect(problems('a'.repeat(65536))).toEqual([]);
    expect(problems('a'.repeat(65537))).toEqual(['must be at most 65536 bytes']);
    // "€" is 3 bytes in UTF-8: 21,845 of them fit (65,535 bytes), 21,846 do not.
    expect(problems('€'.repeat(21845))).toEqual([]);
    expect(problems('€'.repeat(21846))).toEqual(['must be at most 65536 bytes']);
    // An astral character is 2 UTF-16 units and 4 bytes.
    expect(problems('😀'.repeat(16384))).toEqual([]);
    expect(problems(`${'😀'.repeat(16384)}a`)).toEqual(['must be at most 65536 bytes']);
    expect(problems('')).toEqual(['must not be empty']);
  });
});
