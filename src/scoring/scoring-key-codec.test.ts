import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, SHARED_GMAI } from '../../test/node/support';
import type { Letter } from '../dataset/vocabulary';
import { decodeScoringKey, encodeScoringKey, SCORING_KEY_FORMAT, type ScoringKeyRow } from './scoring-key-codec';

const row = (index: number, overrides: Partial<ScoringKeyRow> = {}): ScoringKeyRow => ({
  index,
  options: ['cyst', 'None', 'NA'],
  answer: 'B',
  clinical_vqa_task: 'Disease Diagnosis',
  department: null,
  perceptual_granularity: 'Image level',
  modality: 'CT',
  original_task: 'CLS_2D',
  category: 'None',
  ...overrides,
});

describe('scoring key codec', () => {
  it('round-trips options exactly (pandas NA strings too), answers or none, groups with N/A departments, and labels', async () => {
    const rows = [row(7), row(3, { answer: null, department: 'Urology', options: ['a', 'b', 'c', 'd', 'e'], category: 'e' })];
    const { split, key } = decodeScoringKey(encodeScoringKey('val', rows));
    expect(split).toBe('val');
    expect([...key.keys()]).toEqual([3, 7]);
    expect(key.get(7)).toEqual({
      options: { A: 'cyst', B: 'None', C: 'NA' },
      answer: 'B',
      groups: {
        clinical_vqa_task: 'Disease Diagnosis',
        department: null,
        perceptual_granularity: 'Image level',
        modality: 'CT',
        original_task: 'CLS_2D',
        category: 'None',
      },
    });
    expect(key.get(3)).toMatchObject({ options: { A: 'a', B: 'b', C: 'c', D: 'd', E: 'e' }, answer: null, groups: { department: 'Urology', category: 'e' } });
  });

  it('never carries labels of a hidden split, nor of a split where some row has none', async () => {
    const hidden = encodeScoringKey('test', [row(1), row(2)]);
    const json = (await new Response(new Blob([hidden]).stream().pipeThrough(new DecompressionStream('gzip'))).json()) as { groups: Record<string, unknown> };
    expect(json).toMatchObject({ format: SCORING_KEY_FORMAT, split: 'test' });
    expect(json.groups.category).toBeUndefined();
    const { key } = decodeScoringKey(hidden);
    expect(key.get(1)).toMatchObject({ answer: 'B' });
    expect('category' in key.get(1)!.groups).toBe(false);
    const partial = decodeScoringKey(encodeScoringKey('val', [row(1), row(2, { category: null })]));
    expect('category' in partial.key.get(1)!.groups).toBe(false);
  });

  it('refuses a blob of another format', async () => {
    const other = new Uint8Array(await new Response(new Blob(['{"format":"x"}']).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    expect(() => decodeScoringKey(other)).toThrow(/not a gmai-mmbench-scoring-key/);
  });

  it.skipIf(!HAVE_SHARED)('round-trips all 4,550 real VAL rows against the TSV itself', async () => {
    const [header, ...records] = parse(readFileSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv')), { delimiter: '\t' }) as string[][];
    const col = (name: string) => header!.indexOf(name);
    const letters = ['A', 'B', 'C', 'D', 'E'] as const;
    const rows: ScoringKeyRow[] = records.map((r) => ({
      index: Number(r[col('index')]),
      options: letters.map((l) => r[col(l)]!).filter((t) => t !== ''),
      answer: r[col('answer')] as Letter,
      clinical_vqa_task: r[col('clinical VQA task')]!,
      department: r[col('department')] || null,
      perceptual_granularity: r[col('perceptual granularity')]!,
      modality: r[col('modality')]!,
      original_task: r[col('original task')]!,
      category: r[col('category')]!,
    }));
    const blob = encodeScoringKey('val', rows);
    const { key } = decodeScoringKey(blob);
    expect(key.size).toBe(4550);
    for (const r of records) {
      const q = key.get(Number(r[col('index')]))!;
      expect(q.answer).toBe(r[col('answer')]);
      expect(q.options).toEqual(Object.fromEntries(letters.filter((l) => r[col(l)] !== '').map((l) => [l, r[col(l)]])));
      expect(q.groups).toEqual({
        clinical_vqa_task: r[col('clinical VQA task')],
        department: r[col('department')] || null,
        perceptual_granularity: r[col('perceptual granularity')],
        modality: r[col('modality')],
        original_task: r[col('original task')],
        category: r[col('category')],
      });
    }
  });
});
