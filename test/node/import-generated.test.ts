// The importer on generated official-format files: TEST as 11 parts with and without the answer key,
// a row-level error report, and an importer process killed half-way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTsvRow } from '../../src/formats/tsv-writer';
import { TEST_ANSWERS_FILE, testPartFiles, VAL_FILE, writeDataset, type Manifest } from '../../r2-seed/write-dataset';
import { runImport } from '../../scripts/import/run-import';
import { REPO_ROOT } from '../../scripts/local-dev';
import { startTestServer, TEST_ADMIN_TOKEN, tempDir, type TestServer } from './support';

describe('import of generated official-format files', () => {
  let server: TestServer;
  let dir: string;
  let manifest: Manifest;
  const testParts = () => testPartFiles(dir);

  beforeAll(async () => {
    dir = tempDir('gmai-gen-');
    manifest = writeDataset({ out: dir, seed: 11, scale: 0.05, large: false });
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('imports TEST from its 11 parts; without the key it cannot be scored, with it it can', async () => {
    const withoutKey = await runImport({ files: testParts(), split: 'test', client: server.client });
    expect(withoutKey).toMatchObject({ status: 'committed', rows: manifest.rows.test, answers: 0 });
    const splitsBefore = await server.json<{ data: Array<{ split: string; scoring_available: boolean }> }>('/v1/splits');
    expect(splitsBefore.data.find((s) => s.split === 'test')).toMatchObject({ scoring_available: false });

    const withKey = await runImport({ files: testParts(), split: 'test', answersFile: path.join(dir, TEST_ANSWERS_FILE), client: server.client });
    expect(withKey).toMatchObject({ status: 'committed', rows: manifest.rows.test, answers: manifest.rows.test });
    const splitsAfter = await server.json<{ data: Array<{ split: string; questions: number; scoring_available: boolean }> }>('/v1/splits');
    expect(splitsAfter.data.find((s) => s.split === 'test')).toMatchObject({ questions: manifest.rows.test, scoring_available: true });
  });

  it('names file, line and column of every bad row and changes nothing', async () => {
    const before = await server.json('/v1/health');
    const png = PNG.sync.write(new PNG({ width: 4, height: 4 })).toString('base64');
    const garbage = Buffer.from('not an image at all, just some text that is long enough').toString('base64');
    const row = (index: string, overrides: Partial<Record<string, string>> = {}) => {
      const cells: Record<string, string> = {
        index,
        question: 'Which?',
        A: 'x',
        B: 'y',
        C: '',
        D: '',
        E: '',
        answer: 'A',
        category: 'x',
        'clinical VQA task': 'Counting',
        department: 'Hematology',
        'perceptual granularity': 'Image level',
        modality: 'Microscopy',
        'original task': 'CLS_2D',
        image: png,
        ...overrides,
      };
      return formatTsvRow(Object.values(cells));
    };
    const file = path.join(dir, 'bad.tsv');
    writeFileSync(
      file,
      [
        formatTsvRow([
          'index',
          'question',
          'A',
          'B',
          'C',
          'D',
          'E',
          'answer',
          'category',
          'clinical VQA task',
          'department',
          'perceptual granularity',
          'modality',
          'original task',
          'image',
        ]),
        row('0'), //                                             line 2: fine
        row('1', { 'perceptual granularity': 'Pixel level' }), // line 3
        row('2', { answer: 'D' }), //                            line 4: no option D
        row('3', { image: garbage }), //                         line 5: not an image
        row('0'), //                                             line 6: duplicate index
        row('5', { C: '', D: 'gap' }), //                        line 7: option after an empty one
        row('6', { image: '99' }), //                            line 8: back-reference to nothing
        row('7', { question: 'multi\nline "quoted"' }), //       lines 9-10: fine
        row('8', { index: 'eight' }), //                         line 11
      ].join(''),
    );
    const report = await runImport({ files: [file], split: 'val', client: server.client });
    expect(report.status).toBe('invalid');
    expect(report.issues.map((i) => `${i.line}:${i.column}`).sort()).toEqual(
      ['3:perceptual granularity', '4:answer', '5:image', '6:index', '7:D', '8:image', '11:index'].sort(),
    );
    expect(report.issues.every((i) => i.file === file && i.message.length > 0)).toBe(true);
    expect(await server.json('/v1/health')).toEqual(before);
  });

  it('takes a replayed row batch (a retry whose first reply was lost) as staged, but not an overlapping one', async () => {
    const importId = await server.client.createImport('val');
    const row = (index: number) => ({
      index,
      question: 'Q?',
      options: ['a', 'b'],
      answer: 'A' as const,
      category: 'a',
      clinical_vqa_task: 'Counting',
      department: null,
      perceptual_granularity: 'Image level' as const,
      modality: 'CT',
      original_task: 'CLS_2D' as const,
      image_sha256: 'c'.repeat(64),
    });
    const batch = [row(1), row(2), row(3)];
    await server.client.stageRows(importId, batch);
    await expect(server.client.stageRows(importId, batch)).resolves.toBeUndefined();
    await expect(server.client.stageRows(importId, [row(3), row(4)])).rejects.toThrow(/422/);
    await server.client.abort(importId);
  });

  it('leaves the served data unchanged when the importer is killed half-way', async () => {
    const valFile = path.join(dir, VAL_FILE);
    expect((await runImport({ files: [valFile], split: 'val', client: server.client })).status).toBe('committed');
    const before = await server.json('/v1/health');

    // Same rows with edited questions, so a completed import would change what is served.
    const edited = path.join(dir, 'edited.tsv');
    const [header, ...rows] = parse(readFileSync(valFile), { delimiter: '\t' }) as string[][];
    writeFileSync(edited, [header!, ...rows.map((r) => r.map((cell, c) => (c === 1 ? `${cell} (edited)` : cell)))].map((r) => formatTsvRow(r)).join(''));
    // Small batches, and the kill comes while fewer than half the rows are staged: the importer has
    // not sent its commit yet, so the kill really lands in the middle of the import.
    const args = ['--import', 'tsx', 'scripts/import.ts', edited, '--split', 'val', '--batch-rows', '5', '--url', server.url, '--token', TEST_ADMIN_TOKEN];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
    type ImportRow = { id: string; status: string; staged_rows: number };
    let staging: ImportRow | undefined;
    while (!staging && child.exitCode === null) {
      const { data } = await server.json<{ data: ImportRow[] }>('/v1/admin/imports', { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      staging = data.find((i) => i.status === 'staging' && i.staged_rows > 0 && i.staged_rows < rows.length / 2);
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(staging, 'the importer finished before it could be killed').toBeDefined();
    expect(await server.json('/v1/health')).toEqual(before);
  });
});
