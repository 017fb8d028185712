import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRows, type RowPlan } from './plan';
import { MANIFEST_FILE, TEST_ANSWERS_FILE, VAL_FILE, testPartFile, writeDataset, type DatasetOptions, type Manifest } from './write-dataset';

// Column order as documented (docs/gmai-mmbench.md §2).
const OFFICIAL_COLUMNS =
  'index, question, A, B, C, D, E, answer, category, clinical VQA task, department, perceptual granularity, modality, original task, image'.split(', ');
const TEST_PART_FILES = Array.from({ length: 11 }, (_, i) => `GMAI_mm_bench_TEST_part_${i + 1}.tsv`);

const dirs: string[] = [];
function generate(options: Omit<DatasetOptions, 'out'>): { dir: string; manifest: Manifest } {
  const dir = mkdtempSync(join(tmpdir(), 'r2-seed-'));
  dirs.push(dir);
  return { dir, manifest: writeDataset({ out: dir, ...options }) };
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function readTsv(path: string): { header: string; records: Record<string, string>[] } {
  const text = readFileSync(path, 'utf8');
  return { header: text.slice(0, text.indexOf('\n')), records: parse(text, { delimiter: '\t', relax_quotes: false, columns: true }) };
}

/** The manifest without its timing fields, which are the only non-deterministic bytes. */
function stableManifest(dir: string): unknown {
  const { generatedAt: _at, generationMs: _ms, ...rest } = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  return rest;
}

const options = { seed: 11, scale: 0.03, large: false };
let first: { dir: string; manifest: Manifest };
let again: { dir: string; manifest: Manifest };
let otherSeed: { dir: string; manifest: Manifest };
beforeAll(() => {
  first = generate(options);
  again = generate(options);
  otherSeed = generate({ ...options, seed: 12 });
});

describe('writeDataset files', () => {
  it('writes the official file names, the answer key and the manifest', () => {
    expect(testPartFile(3)).toBe('GMAI_mm_bench_TEST_part_3.tsv');
    expect(readdirSync(first.dir).sort()).toEqual([VAL_FILE, TEST_ANSWERS_FILE, MANIFEST_FILE, ...TEST_PART_FILES].sort());
    expect(VAL_FILE).toBe('GMAI-MMBench_VAL.tsv');
  });

  it('is byte-identical for the same seed and differs for another seed', () => {
    for (const name of readdirSync(first.dir).filter((n) => n !== MANIFEST_FILE)) {
      expect(readFileSync(join(again.dir, name)).equals(readFileSync(join(first.dir, name))), name).toBe(true);
    }
    expect(stableManifest(again.dir)).toEqual(stableManifest(first.dir));
    expect(readFileSync(join(otherSeed.dir, VAL_FILE)).equals(readFileSync(join(first.dir, VAL_FILE)))).toBe(false);
  });

  it('records each file with its rows, size and SHA-256 in the manifest', () => {
    expect(first.manifest.files).toHaveLength(13);
    for (const file of first.manifest.files) {
      const bytes = readFileSync(join(first.dir, file.name));
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.rows).toBe(bytes.toString('utf8').match(/\n(?=\d)/g)?.length);
    }
  });
});

describe.each(['val', 'test'] as const)('%s TSV content', (split) => {
  const load = (): { headers: string[]; records: Record<string, string>[] } => {
    const files = split === 'val' ? [VAL_FILE] : TEST_PART_FILES;
    const parsed = files.map((name) => readTsv(join(first.dir, name)));
    return { headers: parsed.map((p) => p.header), records: parsed.flatMap((p) => p.records) };
  };
  const plan = (): RowPlan[] => planRows(split, options).rows;

  it('has the official header (TEST without `answer`)', () => {
    const expected = OFFICIAL_COLUMNS.filter((c) => split === 'val' || c !== 'answer').join('\t');
    for (const header of load().headers) expect(header).toBe(expected);
  });

  it('parses back (strict quotes) into exactly the planned rows, indices continuing across parts', () => {
    const { records } = load();
    const rows = plan();
    expect(records.map((r) => r.index)).toEqual(rows.map((_, i) => String(i)));
    records.forEach((record, i) => {
      const row = rows[i] as RowPlan;
      expect({ ...record, image: undefined }).toEqual({
        index: String(row.index),
        question: row.question,
        ...Object.fromEntries(['A', 'B', 'C', 'D', 'E'].map((letter, k) => [letter, row.options[k] ?? ''])),
        ...(split === 'val' ? { answer: row.answer } : {}),
        category: row.category,
        'clinical VQA task': row.task,
        department: row.department,
        'perceptual granularity': row.granularity,
        modality: row.modality,
        'original task': row.originalTask,
        image: undefined,
      });
    });
    expect(records.some((r) => /[\t\n\r"]/.test(r.question ?? ''))).toBe(true);
  });

  it('holds a decodable PNG of the planned size, or the index of an earlier row holding one', () => {
    const { records } = load();
    const rows = plan();
    records.forEach((record, i) => {
      const row = rows[i] as RowPlan;
      const image = record.image ?? '';
      if (row.image.kind === 'ref') {
        expect(image).toBe(String(row.image.index));
        expect(records[row.image.index]?.image?.length).toBeGreaterThan(64);
        return;
      }
      expect(image.length).toBeGreaterThan(64);
      const png = PNG.sync.read(Buffer.from(image, 'base64'));
      expect([png.width, png.height]).toEqual([row.image.spec.width, row.image.spec.height]);
    });
  });

  it('repeats the PNG data byte for byte where rows share a base image without a reference', () => {
    const { records } = load();
    const bySpec = new Map<string, string>();
    let repeats = 0;
    plan().forEach((row, i) => {
      if (row.image.kind !== 'png') return;
      const key = JSON.stringify(row.image.spec);
      const seen = bySpec.get(key);
      if (seen !== undefined) {
        expect(records[i]?.image).toBe(seen);
        repeats++;
      }
      bySpec.set(key, records[i]?.image ?? '');
    });
    expect(repeats).toBeGreaterThan(0);
  });
});

describe('TEST parts and answer key', () => {
  it('splits TEST into 11 parts of almost equal row counts', () => {
    const counts = TEST_PART_FILES.map((name) => readTsv(join(first.dir, name)).records.length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('keeps the hidden answers in a separate index/answer file', () => {
    const { header, records } = readTsv(join(first.dir, TEST_ANSWERS_FILE));
    expect(header).toBe('index\tanswer');
    expect(records).toEqual(planRows('test', options).rows.map((r) => ({ index: String(r.index), answer: r.answer })));
  });
});

describe('large benchmark images', () => {
  it('are within ±10% of 300 KB and 2 MB and listed in the manifest', () => {
    const { dir, manifest } = generate({ seed: 4, scale: 0.01, large: true });
    expect(manifest.largeImages.map((l) => [l.split, l.targetBytes]).sort()).toEqual([
      ['test', 2_000_000],
      ['test', 300_000],
      ['val', 2_000_000],
      ['val', 300_000],
    ]);
    const valRecords = readTsv(join(dir, VAL_FILE)).records;
    for (const large of manifest.largeImages) {
      expect(Math.abs(large.pngBytes / large.targetBytes - 1)).toBeLessThan(0.1);
      if (large.split === 'val') expect(Buffer.from(valRecords[large.index]?.image ?? '', 'base64').length).toBe(large.pngBytes);
    }
  });
});

describe('CLI', () => {
  it('generates with --out --seed --scale --no-large', () => {
    const dir = mkdtempSync(join(tmpdir(), 'r2-seed-cli-'));
    dirs.push(dir);
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'r2-seed/generate.ts', '--out', dir, '--seed', '11', '--scale', '0.03', '--no-large'], {
      encoding: 'utf8',
    });
    expect(output).toMatch(/^wrote \d+ VAL rows/);
    expect(readFileSync(join(dir, VAL_FILE)).equals(readFileSync(join(first.dir, VAL_FILE)))).toBe(true);
  });
});
