// POST /v1/scores end to end through the Worker, on data imported through the admin API.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, importSplit, makePng, postJson, row, sha256Hex, uploadImage } from '../../test/worker/support';
import type { StagedRow } from '../ingest/contract';
import * as v from 'valibot';
import { wilsonInterval } from './accuracy';
import { ScoreResponseSchema } from './score-report';
import { buildTextXlsx, patchCentralDirectory } from '../../test/fixtures/xlsx-fixture';

const SECRET = 'SECRET-TEST-LABEL';
let testToken = '';

/** VAL: 4 questions; TEST: 80 questions in three departments (40 + 30 + 10). */
function valRows(sha: string): StagedRow[] {
  return [
    row(0, sha, { options: ['cyst', 'tumor', 'edema', 'normal'], answer: 'B', category: 'tumor' }),
    row(1, sha, { options: ['left', 'right'], answer: 'A', category: 'left', department: null, clinical_vqa_task: 'Attribute Recognition', modality: 'X-ray' }),
    row(2, sha, {
      options: ['grade I', 'grade II', 'grade III'],
      answer: 'C',
      category: 'grade III',
      perceptual_granularity: 'Box level',
      original_task: 'DET_2D',
    }),
    row(3, sha, {
      options: ['polyp', 'adenomatous polyp', 'ulcer', 'normal', 'bleeding'],
      answer: 'E',
      category: 'bleeding',
      department: 'Gastroenterology and Hepatology',
      modality: 'Endoscopy',
    }),
  ];
}

function testRows(sha: string): StagedRow[] {
  const department = (i: number) => (i < 40 ? 'Hematology' : i < 70 ? 'Nephrology and Hypertension' : 'Urology');
  return Array.from({ length: 80 }, (_, i) =>
    row(i, sha, { options: ['one', 'two', 'three', 'four'], answer: 'ABCD'[i % 4] as 'A', category: `${SECRET}-${i}`, department: department(i) }),
  );
}

function score(query: string, body: BodyInit, headers: Record<string, string> = {}) {
  return api(`/v1/scores?${query}`, { method: 'POST', body, headers });
}

function scoreJson(query: string, payload: unknown, headers: Record<string, string> = {}) {
  return score(query, JSON.stringify(payload), { 'Content-Type': 'application/json', ...headers });
}

interface Report {
  overall: { n: number; correct: number; accuracy: number; ci95: [number, number] };
  coverage: Record<string, number>;
  detail: 'summary' | 'full';
  by: Record<string, Record<string, { n: number; correct: number }>>;
  tree: Record<string, Record<string, { n: number; modalities?: Record<string, { n: number; labels?: Record<string, { n: number }> }> }>>;
  items?: Array<{ index: number; extracted: string; method: string; hit: number }>;
  [key: string]: unknown;
}

beforeAll(async () => {
  const png = await makePng(12, 12, 77);
  await uploadImage(png);
  const sha = await sha256Hex(png);
  expect((await importSplit('val', valRows(sha), '1'.repeat(64))).status).toBe(200);
  expect((await importSplit('test', testRows(sha), '2'.repeat(64))).status).toBe(200);
  testToken = ((await (await postJson('/v1/admin/tokens', { name: 'ci' })).json()) as { token: string }).token;
});

// Hand-derived with the 2024 rules: 0 "B" → B (hit); 1 "I think right" → text "right" → B (miss, answer A);
// 2 "Answer: C." → C (hit); 3 "adenomatous polyp" → both "polyp" and "adenomatous polyp" match → Z (miss).
const VAL_PREDICTIONS = { '0': 'B', '1': 'I think right', '2': 'Answer: C.', '3': 'adenomatous polyp' };

describe('POST /v1/scores on VAL', () => {
  it('scores raw predictions with VLMEvalKit rules and breaks accuracy down', async () => {
    const res = await scoreJson('split=val&items=true&detail=full', { predictions: VAL_PREDICTIONS });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.detail).toBe('full');
    expect(v.safeParse(v.strictObject(ScoreResponseSchema.pipe[0].entries), report).issues).toBeUndefined();
    expect(report).toMatchObject({ split: 'val', scorer: 'vlmevalkit-2024' });
    expect(report.overall).toEqual({ n: 4, correct: 2, accuracy: 0.5, ci95: wilsonInterval(2, 4) });
    expect(report.coverage).toEqual({ in_scope: 4, submitted: 4, missing: 0, unanswered: 1, ignored: 0 });
    expect(report.items).toEqual([
      { index: 0, extracted: 'B', method: 'option', hit: 1 },
      { index: 1, extracted: 'B', method: 'text', hit: 0 },
      { index: 2, extracted: 'C', method: 'option', hit: 1 },
      { index: 3, extracted: 'Z', method: 'none', hit: 0 },
    ]);
    expect(report.methods).toEqual({ refusal: 0, option: 2, regex: 0, text: 1, none: 1 });
    expect(report.by.department).toMatchObject({ 'N/A': { n: 1, correct: 0 }, Ophthalmology: { n: 2, correct: 2 } });
    expect(report.by.category).toMatchObject({ tumor: { n: 1, correct: 1 }, bleeding: { n: 1, correct: 0 } });
    expect(report.tree.department!['N/A']!.modalities!['X-ray']!.labels!.left).toMatchObject({ n: 1 });
  });

  it('answers with the summary a CI gate reads by default: the numbers, no breakdowns', async () => {
    const res = await scoreJson('split=val', { predictions: VAL_PREDICTIONS });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(v.safeParse(v.strictObject(ScoreResponseSchema.pipe[0].entries), report).issues).toBeUndefined();
    expect(report.detail).toBe('summary');
    expect(report.overall).toEqual({ n: 4, correct: 2, accuracy: 0.5, ci95: wilsonInterval(2, 4) });
    expect(report.coverage).toEqual({ in_scope: 4, submitted: 4, missing: 0, unanswered: 1, ignored: 0 });
    expect([report.by, report.tree]).toEqual([undefined, undefined]);
    expect((await scoreJson('split=val&detail=everything', { predictions: VAL_PREDICTIONS })).status).toBe(400);
  });

  it('gives the same result and hash for the array form with the split in the body', async () => {
    const asObject = (await (await scoreJson('split=val', { predictions: VAL_PREDICTIONS })).json()) as Report;
    const asArray = (await (
      await scoreJson('', { split: 'val', predictions: Object.entries(VAL_PREDICTIONS).map(([index, prediction]) => ({ index: Number(index), prediction })) })
    ).json()) as Report;
    expect(asArray).toEqual(asObject);
    expect(asObject.predictions_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads VLMEvalKit files: TSV and CSV bodies, and an xlsx as a multipart file field', async () => {
    const table = [['index', 'question', 'prediction'], ...Object.entries(VAL_PREDICTIONS).map(([i, p]) => [i, 'q', p])];
    const tsv = table.map((r) => r.join('\t')).join('\n');
    const csv = table.map((r) => r.map((f) => `"${f}"`).join(',')).join('\n');
    const expected = ((await (await scoreJson('split=val', { predictions: VAL_PREDICTIONS })).json()) as Report).overall;
    for (const [body, type] of [
      [tsv, 'text/tab-separated-values'],
      [csv, 'text/csv'],
    ] as const) {
      const res = await score('split=val', body, { 'Content-Type': type });
      expect(((await res.json()) as Report).overall).toEqual(expected);
    }
    const form = new FormData();
    form.append('file', new Blob([buildTextXlsx(table)]), 'Model_GMAI-MMBench_VAL.xlsx');
    const res = await api('/v1/scores?split=val', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Report).overall).toEqual(expected);
  });

  // workerd's own zlib (nodejs_compat), not Node's: a lying size or a damaged entry is a 422 naming the part.
  it('refuses an xlsx whose sheet outgrows its declared size, or fails its CRC-32, with a 422 naming the part', async () => {
    const sheet = 'xl/worksheets/sheet1.xml';
    const table = [['index', 'prediction'], ...Array.from({ length: 2000 }, (_, i) => [String(i), 'A'.repeat(100)])];
    const xlsx = buildTextXlsx(table);
    const UNCOMPRESSED_SIZE = 24;
    const CRC = 16;
    for (const [patched, reason] of [
      [patchCentralDirectory(xlsx, sheet, UNCOMPRESSED_SIZE, 1000), /^xl\/worksheets\/sheet1\.xml is corrupt \(invalid deflate data, or more than/],
      [patchCentralDirectory(xlsx, sheet, CRC, 12345), /^xl\/worksheets\/sheet1\.xml is corrupt \(CRC-32 mismatch\)/],
    ] as const) {
      const res = await score('split=val', patched, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { errors: { name: string; reason: string }[] };
      expect(problem.errors).toEqual([{ name: 'file', reason: expect.stringMatching(reason) }]);
    }
  });

  it('reads JSON Lines as a raw body (by media type or sniffed) and as a .jsonl/.ndjson form file; a bad line is a 422 naming it', async () => {
    const lines = `${Object.entries(VAL_PREDICTIONS)
      .map(([index, prediction]) => JSON.stringify({ index: Number(index), prediction }))
      .join('\n')}\n`;
    const expected = ((await (await scoreJson('split=val', { predictions: VAL_PREDICTIONS })).json()) as Report).overall;
    for (const type of ['application/x-ndjson', 'application/jsonl', 'application/octet-stream']) {
      const res = await score('split=val', lines, { 'Content-Type': type });
      expect(res.status, type).toBe(200);
      expect(((await res.json()) as Report).overall).toEqual(expected);
    }
    for (const name of ['predictions.jsonl', 'predictions.ndjson']) {
      const form = new FormData();
      form.append('file', new Blob([lines]), name);
      const res = await api('/v1/scores?split=val', { method: 'POST', body: form });
      expect(((await res.json()) as Report).overall).toEqual(expected);
    }
    const bad = await score('split=val', `${lines}{"index": 1, "prediction": "A"\n{"index": "2", "prediction": "B"}\n`, {
      'Content-Type': 'application/x-ndjson',
    });
    expect(bad.status).toBe(422);
    const lineCount = lines.split('\n').length - 1;
    expect(((await bad.json()) as { errors: { name: string; reason: string }[] }).errors).toEqual([
      { name: `line ${lineCount + 1}`, reason: expect.stringMatching(/^not valid JSON/) },
      { name: `line ${lineCount + 2}`, reason: '"index": expected a non-negative integer, got the string "2"' },
    ]);
  });

  // Hand-derived for question 0 (options cyst/tumor/edema/normal, answer B): `early` names B first of 15
  // tokens (2025-08 wants it among the last four, and the text is over twice the options' 20
  // characters); `stated` names A and B (ambiguous) until 2026-06 reads "answer is B".
  const early = 'B is my first guess, though honestly I cannot be sure of it at all';
  const stated = 'I pick A; no, the correct answer is B';
  it.each([
    ['vlmevalkit-2024', 1, 0],
    ['vlmevalkit-2025-08', 0, 0],
    ['vlmevalkit-2026-06', 0, 1],
  ] as const)('scores under %s when asked in the query or the body', async (scorer, earlyHits, statedHits) => {
    for (const [text, hits] of [
      [early, earlyHits],
      [stated, statedHits],
    ] as const) {
      const viaQuery = (await (await scoreJson(`split=val&scorer=${scorer}`, { predictions: { '0': text } })).json()) as Report;
      expect(viaQuery).toMatchObject({ scorer, overall: { n: 1, correct: hits } });
      const viaBody = (await (await scoreJson('split=val', { scorer, predictions: { '0': text } })).json()) as Report;
      expect(viaBody).toEqual(viaQuery);
    }
  });

  it('refuses an unknown scorer, naming the valid ones, and a body that contradicts the query', async () => {
    for (const res of [
      await scoreJson('split=val&scorer=vlmevalkit-2023', { predictions: { '0': 'B' } }),
      await scoreJson('split=val', { scorer: 'latest', predictions: { '0': 'B' } }),
    ]) {
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: Array<{ name: string; reason: string }> };
      expect(problem.errors[0]).toEqual({ name: 'scorer', reason: 'must be one of vlmevalkit-2024, vlmevalkit-2025-08, vlmevalkit-2026-06' });
    }
    const contradicting = await scoreJson('split=val&scorer=vlmevalkit-2024', { scorer: 'vlmevalkit-2026-06', predictions: { '0': 'B' } });
    expect(contradicting.status).toBe(400);
  });

  it('takes the scorer from a form field beside the file', async () => {
    const form = new FormData();
    form.append('scorer', 'vlmevalkit-2026-06');
    form.append('file', new Blob([`index\tprediction\n0\t${stated}\n`], { type: 'text/tab-separated-values' }), 'p.tsv');
    const report = (await (await api('/v1/scores?split=val', { method: 'POST', body: form })).json()) as Report;
    expect(report).toMatchObject({ scorer: 'vlmevalkit-2026-06', overall: { n: 1, correct: 1 } });
  });

  it('treats a missing prediction like pandas NaN ("nan")', async () => {
    const report = (await (await scoreJson('split=val&items=true', { predictions: { '0': null } })).json()) as Report;
    expect(report.items).toEqual([{ index: 0, extracted: 'Z', method: 'none', hit: 0 }]);
  });

  it('scores a subset, counts predictions outside it, and gates on completeness', async () => {
    const report = (await (await scoreJson('split=val&department=N/A&department=Ophthalmology', { predictions: { '0': 'B', '3': 'E' } })).json()) as Report;
    expect(report.coverage).toEqual({ in_scope: 3, submitted: 1, missing: 2, unanswered: 0, ignored: 1 });
    // Keywords select a subset too: only question 3 has "polyp" among its options.
    const byKeyword = (await (await scoreJson('split=val&q=polyp', { predictions: VAL_PREDICTIONS })).json()) as Report;
    expect(byKeyword.coverage).toEqual({ in_scope: 1, submitted: 1, missing: 0, unanswered: 1, ignored: 3 });
    const gated = await scoreJson('split=val&department=Ophthalmology&require_complete=true', { predictions: { '0': 'B' } });
    expect(gated.status).toBe(422);
    expect(((await gated.json()) as { errors: { name: string }[] }).errors).toEqual([{ name: 'index 2', reason: 'has no prediction' }]);
  });

  it("returns VLMEvalKit's _acc.csv byte for byte", async () => {
    const res = await scoreJson('split=val&format=vlmevalkit-csv&group=department', { predictions: VAL_PREDICTIONS });
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    // Overall 2/4; Gastroenterology 0/1; N/A → column "None" with an empty value; Ophthalmology 2/2.
    expect(await res.text()).toBe('"split","Overall","Gastroenterology and Hepatology","None","Ophthalmology"\n"none","0.5","0.0","","1.0"\n');
  });

  it('refuses unknown and duplicate indexes, bad types and malformed bodies with 4xx problems', async () => {
    const unknown = await scoreJson('split=val', { predictions: { '0': 'A', '999': 'B' } });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { errors: { reason: string }[] }).errors).toEqual([expect.objectContaining({ reason: 'index 999 is not in val' })]);
    const duplicate = await score('split=val', 'index\tprediction\n0\tA\n0\tB\n', { 'Content-Type': 'text/tab-separated-values' });
    expect(duplicate.status).toBe(422);
    const letters = await scoreJson('split=val', { predictions: [{ index: 'zero', prediction: 'A' }] });
    expect(letters.status).toBe(422);
    expect(((await letters.json()) as { errors: { name: string }[] }).errors[0]!.name).toBe('$.predictions[0].index');
    for (const [body, type] of [
      ['{"predictions": ', 'application/json'],
      ['', 'application/json'],
      ['PK\u0003\u0004 broken', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]) {
      const res = await score('split=val', body!, { 'Content-Type': type! });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
    expect((await scoreJson('', { predictions: { '0': 'A' } })).status).toBe(400); // no split anywhere
    expect((await scoreJson('split=val', { split: 'test', predictions: {} })).status).toBe(400);
  });

  it('refuses submissions with more entries than any split could need, before parsing them', async () => {
    const entries = Array.from({ length: 300_000 }, (_, i) => `"${i}":"A"`).join(',');
    const json = await scoreJson('split=val', JSON.parse(`{"predictions":{${entries}}}`));
    expect(json.status).toBe(413);
    const tsv = await score('split=val', `index\tprediction\n${Array.from({ length: 300_000 }, (_, i) => `${i}\tA`).join('\n')}`, {
      'Content-Type': 'text/tab-separated-values',
    });
    expect(tsv.status).toBe(413);
    const jsonl = await score('split=val', Array.from({ length: 300_000 }, (_, i) => `{"index":${i},"prediction":"A"}`).join('\n'), {
      'Content-Type': 'application/x-ndjson',
    });
    expect(jsonl.status).toBe(413);
  });

  it('scores a 10^6-character prediction and refuses bodies over 25 MB with 413', async () => {
    const long = (await scoreJson('split=val&items=true', { predictions: { '2': `${'x '.repeat(500_000)}C` } })).json() as Promise<Report>;
    expect((await long).items).toEqual([{ index: 2, extracted: 'C', method: 'option', hit: 1 }]);
    const huge = await score('split=val', `{"predictions": {"0": "${'a'.repeat(26 * 1024 * 1024)}"}}`, { 'Content-Type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('POST /v1/scores on TEST (answers hidden)', () => {
  const all = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [String(i), 'A']));
  const auth = () => ({ Authorization: `Bearer ${testToken}` });

  it('needs a live scoring token', async () => {
    expect((await scoreJson('split=test', { predictions: all })).status).toBe(401);
    expect((await scoreJson('split=test', { predictions: all }, { Authorization: 'Bearer gmb_not-a-token' })).status).toBe(401);
  });

  it('hides nodes under 30 questions, items and labels, and never shows a TEST label', async () => {
    const res = await scoreJson('split=test&detail=full', { predictions: all }, auth());
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    const report = JSON.parse(text) as Report;
    expect(v.safeParse(v.strictObject(ScoreResponseSchema.pipe[0].entries), report).issues).toBeUndefined();
    // Answers cycle A, B, C, D: "A" hits every fourth question.
    expect(report.overall).toMatchObject({ n: 80, correct: 20 });
    // Urology (10) is too small; Nephrology (30) goes too, or 80 - 40 - 30 would give Urology away.
    expect(Object.keys(report.by.department!)).toEqual(['Hematology']);
    expect(report.by.category).toBeUndefined();
    expect(report.items).toBeUndefined();
    expect(report.hidden_nodes).toBeGreaterThan(0);
    expect(report.tree.department!.Hematology!.modalities!['Fundus Photography']!.labels).toBeUndefined();
    expect((await scoreJson('split=test&items=true', { predictions: all }, auth())).status).toBe(400);
    expect((await scoreJson(`split=test&label=${SECRET}-1`, { predictions: all }, auth())).status).toBe(400);
  });

  it('bounds distinct scorings per token and day (3 in tests), resubmissions being free', async () => {
    const variant = (letter: string) => ({ predictions: { ...all, '0': letter } });
    expect((await scoreJson('split=test', variant('B'), auth())).status).toBe(200); // 2nd distinct set (1st: `all`)
    expect((await scoreJson('split=test', variant('C'), auth())).status).toBe(200); // 3rd
    const over = await scoreJson('split=test', variant('D'), auth());
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBe('3600');
    expect(over.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await scoreJson('split=test', { predictions: all }, auth())).status).toBe(200);
    expect((await scoreJson('split=test', variant('B'), auth())).status).toBe(200);
    // The same predictions scored over another subset are a new question, not a free resubmission.
    expect((await scoreJson('split=test&department=Hematology', { predictions: all }, auth())).status).toBe(429);
    // VAL is not rationed.
    for (const letter of ['A', 'B', 'C', 'D', 'E']) expect((await scoreJson('split=val', { predictions: { '0': letter } })).status).toBe(200);
  });

  it('refuses fewer than 30 predictions so single answers cannot be probed', async () => {
    const res = await scoreJson('split=test', { predictions: { '0': 'A' } }, auth());
    expect(res.status).toBe(422);
    expect(await res.text()).not.toContain(SECRET);
  });
});
