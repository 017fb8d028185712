// The importer on the real VAL rows (../shared/gmai), paired with generated images through
// VLMEvalKit's localized `image_path` form, checked through the public read API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../scripts/import/run-import';
import { readRealVal, writeLocalizedVal } from './real-val';
import { allQuestions, HAVE_SHARED, SHARED_GMAI, startTestServer, tempDir, TEST_ADMIN_TOKEN, type TestServer } from './support';

// Counts from ../shared/docs/gmai-mmbench.md (VAL).
const TASKS = {
  'Attribute Recognition': 135,
  'Blood Vessels Recognition': 135,
  Bone: 175,
  'Cell Recognition': 115,
  Counting: 188,
  'Disease Diagnosis': 2122,
  'Image Quality Grading': 50,
  'Microorganism Recognition': 135,
  Muscle: 50,
  'Nervous Tissue': 40,
  'Organ Recognition - Abdomen': 245,
  'Organ Recognition - Head and Neck': 155,
  'Organ Recognition - Pelvic': 75,
  'Organ Recognition - Thorax': 170,
  'Severity Grading': 336,
  'Surgeon Action Recognition': 115,
  'Surgical Instrument Recognition': 239,
  'Surgical Workflow Recognition': 70,
};
const DEPARTMENTS = {
  'Cardiovascular Surgery': 85,
  Dermatology: 185,
  Endocrinology: 50,
  'Gastroenterology and Hepatology': 410,
  'General Surgery': 454,
  Hematology: 458,
  'Infectious Diseases': 35,
  'Laboratory Medicine and Pathology': 257,
  'Nephrology and Hypertension': 75,
  Neurosurgery: 55,
  'Obstetrics and Gynecology': 75,
  'Oncology (Medical)': 347,
  Ophthalmology: 569,
  'Orthopedic Surgery': 360,
  'Otolaryngology (ENT)/Head and Neck Surgery': 130,
  'Pulmonary Medicine': 405,
  'Sports Medicine': 345,
  Urology: 180,
  null: 75,
};
const GRANULARITIES = { 'Box level': 295, 'Contour level': 947, 'Image level': 2361, 'Mask level': 947 };
const MODALITIES = {
  'ADC MRI': 8,
  'Adaptive Optics Ophthalmoscopy': 10,
  CT: 934,
  Colposcopy: 15,
  'DCE MRI': 10,
  Dermoscopy: 210,
  Endoscopy: 654,
  'FLAIR MRI': 10,
  'Fundus Photography': 409,
  'Gadolinium MRI': 4,
  Histopathology: 624,
  'In-phase MRI': 2,
  'Infrared Reflectance (IR) imaging': 75,
  MRI: 706,
  Microscopy: 218,
  OCT: 95,
  'Opposed-phase MRI': 8,
  'SWI MRI': 2,
  'T1 weighted MRI': 10,
  'T1Gd MRI': 10,
  'T2 weighted MRI': 26,
  'Texture Characterization of Bone Radiograph': 10,
  UltraSound: 105,
  'X-ray': 395,
};
const ANSWERS = { A: 1150, B: 1175, C: 1055, D: 977, E: 193 };
const OPTION_COUNTS = { 2: 304, 3: 165, 4: 3075, 5: 1006 };

const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

function countBy<T>(items: T[], key: (item: T) => unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = String(key(item));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!HAVE_SHARED)('import of the real VAL metadata', () => {
  let server: TestServer;
  let records: string[][];
  let header: string[];
  let localized: string;

  beforeAll(async () => {
    records = readRealVal();
    header = records[0]!;
    localized = writeLocalizedVal(tempDir('gmai-val-'), records);
    server = await startTestServer();
    const report = await runImport({ files: [localized], split: 'val', client: server.client });
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({ status: 'committed', rows: 4550, answers: 4550, imagesUploaded: 64 });
  });
  afterAll(() => server?.close());

  it('gives exactly the documented VAL counts', async () => {
    const questions = await allQuestions(server, 'val');
    expect(questions).toHaveLength(4550);
    expect(countBy(questions, (q) => q.clinical_vqa_task)).toEqual(TASKS);
    expect(countBy(questions, (q) => q.department)).toEqual(DEPARTMENTS);
    expect(countBy(questions, (q) => q.perceptual_granularity)).toEqual(GRANULARITIES);
    expect(countBy(questions, (q) => q.modality)).toEqual(MODALITIES);
    expect(countBy(questions, (q) => q.answer)).toEqual(ANSWERS);
    expect(countBy(questions, (q) => Object.keys(q.options as object).length)).toEqual(OPTION_COUNTS);

    const tree = await server.json<{ total: number; lexicons: Record<string, Array<{ value: string | null; count: number }>> }>('/v1/tree?split=val');
    expect(tree.total).toBe(4550);
    expect(Object.fromEntries(tree.lexicons.department!.map((d) => [String(d.value), d.count]))).toEqual(DEPARTMENTS);
  });

  it('round-trips every field byte for byte', async () => {
    const byIndex = new Map((await allQuestions(server, 'val')).map((q) => [q.index, q]));
    const column = (name: string) => header.indexOf(name);
    for (const record of records.slice(1)) {
      const q = byIndex.get(Number(record[column('index')]))!;
      const options = Object.fromEntries(LETTERS.filter((l) => record[column(l)] !== '').map((l) => [l, record[column(l)]]));
      expect({
        question: q.question,
        options: q.options,
        answer: q.answer,
        category: q.category,
        task: q.clinical_vqa_task,
        department: q.department,
        granularity: q.perceptual_granularity,
        modality: q.modality,
        original: q.original_task,
      }).toEqual({
        question: record[column('question')],
        options,
        answer: record[column('answer')],
        category: record[column('category')],
        task: record[column('clinical VQA task')],
        department: record[column('department')] || null,
        granularity: record[column('perceptual granularity')],
        modality: record[column('modality')],
        original: record[column('original task')],
      });
    }
  });

  it.each(['Qwen2-VL-7B-Instruct', 'qwen_chat'])("scores VLMEvalKit's real %s xlsx exactly as VLMEvalKit did", async (model) => {
    const dir = path.join(SHARED_GMAI, 'vlmevalkit', model);
    const post = (query: string) => {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(path.join(dir, `${model}_GMAI-MMBench_VAL.xlsx`))]), `${model}_GMAI-MMBench_VAL.xlsx`);
      return fetch(`${server.url}/v1/scores?split=val${query}`, { method: 'POST', body: form });
    };
    const report = (await (await post('')).json()) as { overall: { n: number; correct: number } };
    expect(report.overall).toMatchObject({ n: 4550, correct: { 'Qwen2-VL-7B-Instruct': 2114, qwen_chat: 1530 }[model] });
    for (const group of ['clinical vqa task', 'department', 'perceptual granularity']) {
      const res = await post(`&format=vlmevalkit-csv&group=${encodeURIComponent(group)}`);
      expect(await res.text()).toBe(readFileSync(path.join(dir, `${model}_GMAI-MMBench_VAL_${group}_acc.csv`), 'utf8'));
    }
  });

  it('treats re-running the same import as a no-op', async () => {
    const before = await server.json('/v1/health');
    const report = await runImport({ files: [localized], split: 'val', client: server.client });
    expect(report).toMatchObject({ status: 'unchanged', imagesUploaded: 0 });
    expect(await server.json('/v1/health')).toEqual(before);
  });

  it('rejects a file with a bad row in the middle, names it, and changes nothing', async () => {
    const before = await server.json('/v1/health');
    const granularity = header.indexOf('perceptual granularity');
    const bad = writeLocalizedVal(tempDir('gmai-val-bad-'), records, (row, i) =>
      i === 2000 ? row.map((cell, c) => (c === granularity ? 'Pixel level' : cell)) : row.map((cell, c) => (c === 1 ? `${cell} (edited)` : cell)),
    );
    const report = await runImport({ files: [bad], split: 'val', client: server.client });
    expect(report.status).toBe('invalid');
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ file: bad, column: 'perceptual granularity' });
    // Line of the 2001st data row: header is line 1 and the real file has no multi-line cells before it.
    expect(report.issues[0]!.line).toBe(2002);
    expect(await server.json('/v1/health')).toEqual(before);
    const first = (await allQuestions(server, 'val'))[0]!;
    expect(first.question).toBe(records[1]![1]);
  });

  describe('as a hidden split whose answers come from category (as the official TEST files allow)', () => {
    const withoutAnswers = () => {
      const answer = header.indexOf('answer');
      return records.map((r) => r.filter((_, c) => c !== answer));
    };

    it('stores the real answers: they score 4,550 of 4,550, all-A scores the A count; no label is served', async () => {
      const file = writeLocalizedVal(tempDir('gmai-val-as-test-'), withoutAnswers());
      const report = await runImport({ files: [file], split: 'test', answersFromCategory: true, client: server.client });
      expect(report.issues).toEqual([]);
      expect(report).toMatchObject({ status: 'committed', rows: 4550, answers: 4550 });

      const { token } = await server.json<{ token: string }>('/v1/admin/tokens', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'category-test' }),
      });
      const score = async (letter: (record: string[]) => string) => {
        const predictions = Object.fromEntries(records.slice(1).map((r) => [r[0], letter(r)]));
        const res = await server.json<{ overall: { n: number; correct: number } }>('/v1/scores?split=test', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ predictions }),
        });
        return res.overall;
      };
      expect(await score((r) => r[header.indexOf('answer')]!)).toMatchObject({ n: 4550, correct: 4550 });
      expect(await score(() => 'A')).toMatchObject({ n: 4550, correct: ANSWERS.A });
      const served = await allQuestions(server, 'test');
      expect(served).toHaveLength(4550);
      expect(served.filter((q) => 'category' in q || 'answer' in q)).toEqual([]);
    });

    it('fails on a category that equals no option, unless such rows may go without an answer', async () => {
      const category = withoutAnswers()[0]!.indexOf('category');
      const file = writeLocalizedVal(tempDir('gmai-val-unmatched-'), withoutAnswers(), (row, i) =>
        i === 10 ? row.map((cell, c) => (c === category ? 'no such option' : cell)) : row,
      );
      const strict = await runImport({ files: [file], split: 'test', answersFromCategory: true });
      expect(strict.status).toBe('invalid');
      expect(strict.issues).toEqual([{ file, line: 12, column: 'category', message: expect.stringContaining('equals no option') }]);
      const lenient = await runImport({ files: [file], split: 'test', answersFromCategory: true, allowUnmatched: true });
      expect(lenient).toMatchObject({ status: 'valid', rows: 4550, answers: 4549, issues: [] });
      expect(lenient.warnings).toEqual(strict.issues);
    });
  });
});
