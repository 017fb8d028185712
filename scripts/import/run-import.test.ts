// The importer on files that appear while it runs (npm start hands it the generated files one by one).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ANSWERS_FILE, VAL_FILE, writeDataset } from '../../r2-seed/write-dataset';
import { runImport } from './run-import';

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `run-import-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const source = tempDir('source');
const written: string[] = [];
const manifest = writeDataset({ out: source, seed: 3, scale: 0.01, large: false, onFileWritten: (name) => written.push(name) });
const parts = manifest.files.filter((f) => f.split === 'test' && f.role === 'questions').map((f) => path.basename(f.name));

describe('runImport with files still being written', () => {
  it('is told of each generated file once it is complete, the TEST key before the parts', () => {
    expect(written).toEqual([VAL_FILE, TEST_ANSWERS_FILE, ...Array.from({ length: 11 }, (_, i) => `GMAI_mm_bench_TEST_part_${i + 1}.tsv`)]);
  });

  it('reads every file, the answer key included, only once it is announced', async () => {
    // Each file comes into existence only when announced, so any earlier read would fail the import.
    const target = tempDir('target');
    const answersFile = path.join(target, TEST_ANSWERS_FILE);
    const files = parts.map((name) => path.join(target, name));
    const announced: string[] = [];
    const report = await runImport({
      files,
      split: 'test',
      answersFile,
      awaitFile: async (file) => {
        await new Promise((r) => setTimeout(r, 5));
        copyFileSync(path.join(source, path.basename(file)), file);
        announced.push(file);
      },
    });
    expect(report.issues).toEqual([]);
    expect(report.status).toBe('valid');
    expect(announced).toEqual([answersFile, ...files]);
    expect(report.rows).toBe(manifest.rows.test);
    expect(report.answers).toBe(manifest.rows.test);
  });

  it('still checks each header once the file is there, and does not read a file whose header is unusable', async () => {
    const target = tempDir('header');
    const file = path.join(target, 'val.tsv');
    const report = await runImport({ files: [file], split: 'val', awaitFile: async () => copyFileSync(path.join(source, TEST_ANSWERS_FILE), file) });
    expect(report.status).toBe('invalid');
    expect(report.issues.every((i) => i.line === 1)).toBe(true);
    expect(report.issues).toContainEqual({ file, line: 1, column: 'question', message: 'column is missing from the header' });
  });
});
