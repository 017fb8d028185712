import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, SHARED_GMAI } from '../../test/node/support';
import { presentChoices } from '../dataset/choices';
import type { Letter } from '../dataset/vocabulary';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeScoringKey, encodeScoringKey, SCORING_KEY_FORMAT, type ScoringKeyRow } from './scoring-key-codec';

const row = (index: number, overrides: Partial<ScoringKeyRow> = {}): ScoringKeyRow => ({
  index,
  options: { A: 'cyst', B: 'None', C: 'NA' },
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
  it('holds the choices pandas sees (an NA string such as "None" is none), answers or none, groups with N/A departments, and labels', async () => {
    const rows = [row(7), row(3, { answer: null, department: 'Urology', options: { A: 'a', B: 'b', C: 'c', D: 'd', E: 'e' }, category: 'e' })];
    const { split, key } = decodeScoringKey(encodeScoringKey('val', rows));
    expect(split).toBe('val');
    expect([...key.keys()]).toEqual([3, 7]);
    expect(key.get(7)).toEqual({
      choices: [['A', 'cyst']],
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
    expect(key.get(3)).toMatchObject({
      choices: [
        ['A', 'a'],
        ['B', 'b'],
        ['C', 'c'],
        ['D', 'd'],
        ['E', 'e'],
      ],
      answer: null,
      groups: { department: 'Urology', category: 'e' },
    });
  });

  it('keeps each choice under its own letter where a letter between holds none, and texts beyond ASCII', () => {
    const options = { A: 'x', B: 'Ωmega 😀', D: 'z', E: 'NA' };
    const { key } = decodeScoringKey(encodeScoringKey('val', [row(1, { options }), row(2, { options: { B: 'Ωmega 😀' } })]));
    expect(key.get(1)?.choices).toEqual([
      ['A', 'x'],
      ['B', 'Ωmega 😀'],
      ['D', 'z'],
    ]);
    expect(key.get(2)?.choices).toEqual([['B', 'Ωmega 😀']]);
  });

  it('answers as a map of index to question: size, has, get, keys in order, entries and forEach agree', () => {
    const rows = [row(40, { answer: 'A' }), row(-3, { answer: 'C' }), row(7), row(1_000_000, { answer: 'E', options: { A: 'p', E: 'q' } })];
    const { key } = decodeScoringKey(encodeScoringKey('test', rows));
    expect(key.size).toBe(4);
    expect([...key.keys()]).toEqual([-3, 7, 40, 1_000_000]);
    for (const missing of [0, 8, 39, 41, -4, 999_999, 1_000_001]) {
      expect(key.has(missing)).toBe(false);
      expect(key.get(missing)).toBeUndefined();
    }
    expect(key.get(1_000_000)).toMatchObject({
      answer: 'E',
      choices: [
        ['A', 'p'],
        ['E', 'q'],
      ],
    });
    const entries = [...key.entries()];
    expect(entries.map(([index, q]) => [index, q.answer])).toEqual([
      [-3, 'C'],
      [7, 'B'],
      [40, 'A'],
      [1_000_000, 'E'],
    ]);
    expect([...key]).toEqual(entries);
    expect([...key.values()]).toEqual(entries.map(([, q]) => q));
    const seen: [number, string | null][] = [];
    key.forEach((q, index) => seen.push([index, q.answer]));
    expect(seen).toEqual(entries.map(([index, q]) => [index, q.answer]));
    expect(decodeScoringKey(encodeScoringKey('val', [])).key.size).toBe(0);
  });

  it('never carries labels of a hidden split, nor of a split where some row has none', () => {
    const label = 'a label that is no option text';
    const hidden = encodeScoringKey('test', [row(1, { category: label }), row(2, { category: label })]);
    expect(gunzipSync(hidden).includes(Buffer.from(label))).toBe(false);
    const { key } = decodeScoringKey(hidden);
    expect(key.get(1)).toMatchObject({ answer: 'B' });
    expect('category' in key.get(1)!.groups).toBe(false);
    const partial = decodeScoringKey(encodeScoringKey('val', [row(1, { category: label }), row(2, { category: null })]));
    expect('category' in partial.key.get(1)!.groups).toBe(false);
    expect(decodeScoringKey(encodeScoringKey('val', [row(1, { category: label })])).key.get(1)?.groups.category).toBe(label);
  });

  it('refuses a blob of another format, or one that is no blob at all', () => {
    const header = (json: string) => {
      const bytes = Buffer.from(json);
      return Buffer.concat([Buffer.from(Uint32Array.of(bytes.length).buffer), bytes]);
    };
    for (const other of [
      gzipSync(header('{"format":"gmai-mmbench-scoring-key/1","split":"val"}')),
      gzipSync(JSON.stringify({ format: 'gmai-mmbench-scoring-key/1', split: 'val' })), // the first format: gzipped JSON
      gzipSync(header(JSON.stringify({ format: SCORING_KEY_FORMAT, split: 'val', rows: 1000, texts: 0, tuples: [], values: {} }))), // columns cut short
      new Uint8Array([1, 2, 3]),
    ]) {
      expect(() => decodeScoringKey(other)).toThrow(/not a gmai-mmbench-scoring-key\/2 blob/);
    }
  });

  it('keeps a leading U+FEFF as part of the first text, not as a byte-order mark', () => {
    const { key } = decodeScoringKey(
      encodeScoringKey('val', [row(1, { options: { A: '\uFEFFalpha', B: 'beta' } }), row(2, { options: { A: 'gamma', B: 'delta' } })]),
    );
    expect(key.get(1)?.choices).toEqual([
      ['A', '\uFEFFalpha'],
      ['B', 'beta'],
    ]);
    expect(key.get(2)?.choices).toEqual([
      ['A', 'gamma'],
      ['B', 'delta'],
    ]);
  });

  it('refuses a blob that inflates but does not hold together, and a key with an index twice', () => {
    const blob = encodeScoringKey('val', [row(1), row(2, { department: 'Urology', options: { A: 'p', B: 'q' } })]);
    /** The blob with its header rewritten (the columns after it kept as they are). */
    const tampered = (change: (header: Record<string, unknown>) => void) => {
      const bytes = gunzipSync(blob);
      const length = bytes.readUInt32LE(0);
      const header = JSON.parse(bytes.subarray(4, 4 + length).toString()) as Record<string, unknown>;
      change(header);
      const json = Buffer.from(JSON.stringify(header));
      const padded = Buffer.concat([json, Buffer.alloc((4 - (json.length % 4)) % 4)]);
      return gzipSync(Buffer.concat([Buffer.from(Uint32Array.of(json.length).buffer), padded, bytes.subarray(4 + ((length + 3) & ~3))]));
    };
    expect(decodeScoringKey(tampered(() => {})).key.get(2)?.choices).toEqual([
      ['A', 'p'],
      ['B', 'q'],
    ]);
    for (const change of [
      (h: Record<string, unknown>) => (h.texts = 1), // choices name texts beyond the dictionary
      (h: Record<string, unknown>) => (h.tuples = []),
      (h: Record<string, unknown>) => ((h.values as Record<string, unknown>).department = []),
      (h: Record<string, unknown>) => (h.rows = 1.5),
      (h: Record<string, unknown>) => delete h.values,
    ]) {
      expect(() => decodeScoringKey(tampered(change))).toThrow(/not a (consistent )?gmai-mmbench-scoring-key\/2 blob/);
    }
    expect(() => encodeScoringKey('val', [row(3), row(3)])).toThrow(/index 3 is in the key twice/);
  });

  it.skipIf(!HAVE_SHARED)('round-trips all 4,550 real VAL rows against the TSV itself', async () => {
    const [header, ...records] = parse(readFileSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv')), { delimiter: '\t' }) as string[][];
    const col = (name: string) => header!.indexOf(name);
    const letters = ['A', 'B', 'C', 'D', 'E'] as const;
    const rows: ScoringKeyRow[] = records.map((r) => ({
      index: Number(r[col('index')]),
      options: Object.fromEntries(letters.filter((l) => r[col(l)] !== '').map((l) => [l, r[col(l)]!])),
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
      expect(q.choices).toEqual(presentChoices(Object.fromEntries(letters.map((l) => [l, r[col(l)]]))));
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
