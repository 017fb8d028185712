// GET /v1/questions as VLMEvalKit's TSV, through the Worker on data imported through the admin API.
// The file is read back with the pandas-compatible splitter (src/formats/delimited-text.ts, checked
// against pandas elsewhere) and VLMEvalKit's back-reference rule; the real pandas check is in
// test/node/vlmevalkit-tsv.test.ts.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, importSplit, makePng, row, sha256Hex, uploadImage } from '../../test/worker/support';
import { splitDelimited } from '../formats/delimited-text';

const SECRET = 'SECRET-TEST-LABEL';
const TSV = { Accept: 'text/tab-separated-values' };
const VAL_COLUMNS = [
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
];
const TEST_COLUMNS = VAL_COLUMNS.filter((c) => c !== 'answer' && c !== 'category');

let shared: Uint8Array;
let own: Uint8Array;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

beforeAll(async () => {
  shared = await makePng(40, 30, 10);
  own = await makePng(20, 20, 200);
  for (const png of [shared, own]) expect((await uploadImage(png)).status).toBe(201);
  const [s, o] = [await sha256Hex(shared), await sha256Hex(own)];
  const val = [
    row(0, s, { question: 'Tab\there, "quoted", line\nbreak and \r return?', options: ['a "b"', 'c\td'], answer: 'B', category: 'c\td' }),
    row(1, o, {
      options: ['one', 'two', 'three', 'four', 'five'],
      answer: 'E',
      category: 'five',
      department: null,
      clinical_vqa_task: 'Attribute Recognition',
      modality: 'X-ray',
    }),
    row(2, s, { department: 'Urology' }),
    row(3, s, { department: 'Urology' }),
  ];
  expect((await importSplit('val', val, '1'.repeat(64))).status).toBe(200);
  const test = Array.from({ length: 5 }, (_, i) => row(i, i % 2 ? o : s, { answer: 'A', category: `${SECRET}-${i}`, options: [`${SECRET}-${i}`, 'other'] }));
  expect((await importSplit('test', test, '2'.repeat(64))).status).toBe(200);
});

async function tsv(query: string, headers: Record<string, string> = TSV) {
  const res = await api(`/v1/questions?${query}`, { headers });
  const text = await res.text();
  const [header, ...rows] = res.ok ? splitDelimited(text, '\t').map((r) => r.fields) : [[]];
  return { res, text, header: header!, rows };
}

/** VLMEvalKit's reading: an `image` of at most 64 characters is the index of the row holding it. */
function images(header: string[], rows: string[][]): Map<string, string> {
  const at = header.indexOf('image');
  const byIndex = new Map(rows.map((r) => [r[0]!, r[at]!]));
  for (const [index, image] of byIndex) {
    if (image.length > 64) continue;
    const target = byIndex.get(image);
    expect(target, `row ${index} refers to ${image}, a row of this file`).toBeDefined();
    expect(target!.length).toBeGreaterThan(64);
    expect(Number(image)).toBeLessThan(Number(index));
    byIndex.set(index, target!);
  }
  return byIndex;
}

describe('GET /v1/questions as TSV', () => {
  it('writes the official VAL columns, fields quoted as pandas reads them, N/A as an empty department', async () => {
    const { res, header, rows } = await tsv('split=val');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/tab-separated-values; charset=utf-8');
    expect(header).toEqual(VAL_COLUMNS);
    const col = (r: string[], name: string) => r[VAL_COLUMNS.indexOf(name)];
    expect(rows.map((r) => r[0])).toEqual(['0', '1', '2', '3']);
    expect(col(rows[0]!, 'question')).toBe('Tab\there, "quoted", line\nbreak and \r return?');
    expect(rows[0]!.slice(2, 9)).toEqual(['a "b"', 'c\td', '', '', '', 'B', 'c\td']);
    expect(rows[1]!.slice(2, 9)).toEqual(['one', 'two', 'three', 'four', 'five', 'E', 'five']);
    expect(col(rows[1]!, 'department')).toBe('');
    expect([col(rows[1]!, 'clinical VQA task'), col(rows[1]!, 'perceptual granularity'), col(rows[1]!, 'modality'), col(rows[1]!, 'original task')]).toEqual([
      'Attribute Recognition',
      'Image level',
      'X-ray',
      'CLS_2D',
    ]);
  });

  it('inlines each image once as base64 of the stored bytes and refers back to the first row that holds it', async () => {
    const { header, rows } = await tsv('split=val');
    const at = header.indexOf('image');
    expect(rows.map((r) => (r[at]!.length <= 64 ? r[at] : 'base64'))).toEqual(['base64', 'base64', '0', '0']);
    const resolved = images(header, rows);
    expect(resolved.get('0')).toBe(base64(shared));
    expect(resolved.get('1')).toBe(base64(own));
    expect(resolved.get('3')).toBe(base64(shared));
  });

  it('never refers outside the file: in a subset the first row with an image holds it', async () => {
    const { header, rows } = await tsv('split=val&department=Urology&format=tsv', {});
    expect(rows.map((r) => r[0])).toEqual(['2', '3']);
    expect(rows.map((r) => r[header.indexOf('image')])).toEqual([base64(shared), '2']);
  });

  it('leaves answer and category out of TEST, in every form', async () => {
    const { text, header, rows } = await tsv('split=test');
    expect(header).toEqual(TEST_COLUMNS);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.length === TEST_COLUMNS.length)).toBe(true);
    // The label is an option text here, so it appears as an option; never in a column of its own.
    const optionTexts = rows.map((r) => r[2]);
    expect(optionTexts).toEqual(Array.from({ length: 5 }, (_, i) => `${SECRET}-${i}`));
    expect(text.split(SECRET).length - 1).toBe(5);
    expect(images(header, rows).get('4')).toBe(base64(shared));
  });

  it('comes as a download named after the split and the subset id, which pages name too', async () => {
    const { res } = await tsv('split=val&department=Urology');
    const page = (await (await api('/v1/questions?department=Urology&split=val&limit=1')).json()) as { subset: { id: string } };
    expect(res.headers.get('Subset-Id')).toBe(page.subset.id);
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="GMAI-MMBench_VAL_${page.subset.id}.tsv"`);
    expect((await tsv('split=test')).res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="GMAI-MMBench_TEST_[a-z2-7]{16}\.tsv"$/);
  });

  it('answers If-None-Match with 304, its ETag differing from the JSON page of the same query', async () => {
    const { res } = await tsv('split=val&format=tsv', {});
    const etag = res.headers.get('ETag')!;
    expect(etag).toMatch(/^W\//);
    const again = await api('/v1/questions?split=val&format=tsv', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const json = await api('/v1/questions?split=val');
    expect(json.headers.get('ETag')).not.toBe(etag);
  });

  it('refuses paging parameters and a bad format, naming them', async () => {
    for (const [query, name] of [
      ['split=val&format=tsv&limit=5', 'limit'],
      ['split=val&format=tsv&cursor=x', 'cursor'],
      ['split=val&format=xml', 'format'],
    ] as const) {
      const res = await api(`/v1/questions?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { errors: { name: string }[] }).errors.map((e) => e.name)).toEqual([name]);
    }
  });

  it('aborts the body, never ends it cleanly, when an image differs from its record', async () => {
    const sha = await sha256Hex(own);
    await env.DB.prepare('UPDATE images SET bytes = bytes + 1 WHERE sha256 = ?').bind(sha).run();
    try {
      const res = await api('/v1/questions?split=val&index=1', { headers: TSV });
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    } finally {
      await env.DB.prepare('UPDATE images SET bytes = bytes - 1 WHERE sha256 = ?').bind(sha).run();
    }
  });
});
