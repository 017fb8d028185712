import { beforeAll, describe, expect, it } from 'vitest';
import type { StagedRow } from '../ingest/contract';
import { api, BASE, importSplit, sha256Hex } from '../../test/worker/support';
import { DEPARTMENTS, MODALITIES, seedReadFixture, type ReadFixture } from '../../test/worker/read-fixture';

interface Question {
  split: string;
  index: number;
  question: string;
  options: Record<string, string>;
  department: string | null;
  image: { url: string; sha256: string; bytes: number; width: number; height: number; content_type: string };
  prompt: string;
  answer?: string | null;
  category?: string | null;
  [key: string]: unknown;
}
interface Page {
  data: Question[];
  total: number;
  next_cursor: string | null;
  dataset_version: string;
}
interface Problem {
  status: number;
  errors?: { name: string; reason: string }[];
}

let fixture: ReadFixture;
beforeAll(async () => {
  fixture = await seedReadFixture();
});

function query(params: Record<string, string | number | (string | number)[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of [value].flat()) search.append(name, String(v));
  return search.toString();
}

async function page(params: Record<string, string | number | (string | number)[]>): Promise<Page> {
  const res = await api(`/v1/questions?${query(params)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Follows next_cursor to the end, checking that total is the same on every page. */
async function allPages(params: Record<string, string | number | (string | number)[]>): Promise<Question[]> {
  const seen: Question[] = [];
  let cursor: string | null = null;
  let total: number | null = null;
  do {
    const p: Page = await page(cursor ? { ...params, cursor } : params);
    total ??= p.total;
    expect(p.total).toBe(total);
    seen.push(...p.data);
    cursor = p.next_cursor;
  } while (cursor);
  expect(seen.length).toBe(total);
  return seen;
}

/** NDJSON is text; reading it as bytes avoids workerd's warning about non-text media types. */
async function bodyText(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

async function problem(path: string): Promise<Problem> {
  const res = await api(path);
  expect(res.status).toBe(400);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  return (await res.json()) as Problem;
}

const indexes = (rows: { index: number }[]) => rows.map((r) => r.index);
const sorted = (rows: StagedRow[]) => rows.map((r) => r.index).sort((a, b) => a - b);

describe('GET /v1/questions filters', () => {
  it('returns the whole split in index order, page by page', async () => {
    expect(indexes(await allPages({ split: 'val', limit: 37 }))).toEqual(sorted(fixture.val));
    expect(indexes(await allPages({ split: 'test', limit: 500 }))).toEqual(sorted(fixture.test));
  });

  it('ORs values of one filter and ANDs different filters', async () => {
    const [t1, t2] = ['Bone', 'Counting'];
    const expected = fixture.val.filter(
      (r) => (r.clinical_vqa_task === t1 || r.clinical_vqa_task === t2) && r.modality === 'CT' && r.perceptual_granularity !== 'Box level',
    );
    const got = await allPages({ split: 'val', task: [t1, t2], modality: 'CT', granularity: ['Image level', 'Contour level', 'Mask level'], limit: 5 });
    expect(indexes(got)).toEqual(sorted(expected));
    expect(expected.length).toBeGreaterThan(5);
  });

  it('treats every filter value as plain text, including commas, parentheses, slashes, quotes and SQL', async () => {
    for (const department of DEPARTMENTS.filter((d) => d !== null)) {
      const got = await allPages({ split: 'val', department });
      expect(indexes(got)).toEqual(sorted(fixture.val.filter((r) => r.department === department)));
      expect(got.length).toBeGreaterThan(0);
    }
    for (const modality of MODALITIES) {
      expect(indexes(await allPages({ split: 'test', modality }))).toEqual(sorted(fixture.test.filter((r) => r.modality === modality)));
    }
  });

  it('selects the N/A department with department=N/A and reports it as null', async () => {
    const got = await allPages({ split: 'val', department: 'N/A' });
    expect(indexes(got)).toEqual(sorted(fixture.val.filter((r) => r.department === null)));
    expect(got.every((q) => q.department === null)).toBe(true);
    const withNamed = await allPages({ split: 'val', department: ['N/A', 'Ophthalmology'] });
    expect(indexes(withNamed)).toEqual(sorted(fixture.val.filter((r) => r.department === null || r.department === 'Ophthalmology')));
  });

  it('filters by original task, label (VAL) and explicit indexes', async () => {
    expect(indexes(await allPages({ split: 'val', original_task: ['SEG_3D', 'CLS_2D'] }))).toEqual(
      sorted(fixture.val.filter((r) => r.original_task === 'SEG_3D' || r.original_task === 'CLS_2D')),
    );
    const labels = ['cataract, mature', 'glaucoma (suspected)'];
    const byLabel = await allPages({ split: 'val', label: labels });
    expect(indexes(byLabel)).toEqual(sorted(fixture.val.filter((r) => labels.includes(r.category!))));
    expect(byLabel.every((q) => labels.includes(q.category!))).toBe(true);
    expect(indexes(await allPages({ split: 'val', index: [9, 0, 4, 999999, 9] }))).toEqual([0, 9]);
  });

  it('takes up to 1000 indexes in one request (one bound parameter, not 1000)', async () => {
    const wanted = Array.from({ length: 1000 }, (_, i) => i);
    const got = await allPages({ split: 'test', index: wanted, limit: 500 });
    expect(indexes(got)).toEqual(sorted(fixture.test));
  });

  it('matches nothing for unknown values, without an error', async () => {
    const unknown: Record<string, string | number>[] = [
      { task: 'No such task' },
      { modality: 'Ultrasound of the soul' },
      { label: 'nope' },
      { index: 1 },
      { granularity: 'Pixel level' },
    ];
    for (const params of unknown) {
      expect(await page({ split: 'val', ...params })).toMatchObject({ data: [], total: 0, next_cursor: null });
    }
  });

  it('names each malformed parameter in a problem+json 400', async () => {
    const cases: [string, string][] = [
      ['', 'split'],
      ['split=train', 'split'],
      ['split=val&split=test', 'split'],
      ['split=val&task=', 'task'],
      ['split=val&index=abc', 'index'],
      ['split=val&index=-1', 'index'],
      ['split=val&limit=0', 'limit'],
      ['split=val&limit=501', 'limit'],
      ['split=val&limit=ten', 'limit'],
      ['split=val&q=%22%20--%20*', 'q'],
      ['split=val&order=relevance', 'order'],
      ['split=val&order=newest', 'order'],
      ['split=test&label=polyp', 'label'],
      ['split=val&department=Ophthalmology&depratment=Bone', 'depratment'],
      [`split=val&${Array.from({ length: 101 }, (_, i) => `task=t${i}`).join('&')}`, 'task'],
      [`split=val&${Array.from({ length: 1001 }, (_, i) => `index=${i}`).join('&')}`, 'index'],
      ['split=val&cursor=not-a-cursor', 'cursor'],
    ];
    for (const [search, name] of cases) {
      const body = await problem(`/v1/questions?${search}`);
      expect(
        body.errors?.map((e) => e.name),
        search,
      ).toEqual([name]);
    }
  });
});

describe('GET /v1/questions question objects', () => {
  it('carry the row, its image, the VLMEvalKit prompt and on VAL the answer and label', async () => {
    const source = fixture.val.find((r) => r.options.length === 5 && r.department === null)!;
    const [q] = (await page({ split: 'val', index: source.index })).data;
    expect(q).toEqual({
      split: 'val',
      index: source.index,
      question: source.question,
      options: { A: source.options[0], B: source.options[1], C: source.options[2], D: source.options[3], E: source.options[4] },
      clinical_vqa_task: source.clinical_vqa_task,
      department: null,
      perceptual_granularity: source.perceptual_granularity,
      modality: source.modality,
      original_task: source.original_task,
      image: expect.objectContaining({ url: `${BASE}/v1/images/${source.image_sha256}`, sha256: source.image_sha256, content_type: 'image/png' }),
      prompt:
        `Question: ${source.question}\nOptions:\n` +
        source.options.map((o, i) => `${'ABCDE'[i]}. ${o}\n`).join('') +
        'Please select the correct answer from the options above. \n',
      answer: source.answer,
      category: source.category,
    });
  });

  it('describe the image exactly as uploaded', async () => {
    const all = await allPages({ split: 'val', limit: 500 });
    for (const png of fixture.images) {
      const sha = await sha256Hex(png);
      const described = all.find((q) => q.image.sha256 === sha)!.image;
      const served = await api(new URL(described.url).pathname);
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
      expect(described.bytes).toBe(png.length);
    }
    const sizes = new Set(all.map((q) => `${q.image.width}x${q.image.height}`));
    expect(sizes).toEqual(new Set(['40x30', '8x8', '64x48']));
  });

  it('list only the options a row has (2 to 5)', async () => {
    const all = await allPages({ split: 'val', limit: 500 });
    for (const q of all) {
      const source = fixture.val.find((r) => r.index === q.index)!;
      expect(Object.values(q.options)).toEqual(source.options);
      expect(Object.keys(q.options)).toEqual(['A', 'B', 'C', 'D', 'E'].slice(0, source.options.length));
    }
  });

  it('have no answer or label on TEST', async () => {
    const all = await allPages({ split: 'test', limit: 500 });
    for (const q of all) {
      expect(q).not.toHaveProperty('answer');
      expect(q).not.toHaveProperty('category');
    }
    expect(JSON.stringify(all)).not.toContain('SECRET-LABEL');
  });
});

describe('GET /v1/questions pagination', () => {
  it('uses limit 50 by default and refuses tampered cursors or cursors of other filters', async () => {
    const first = await page({ split: 'val' });
    expect(first.data).toHaveLength(50);
    expect(first.total).toBe(fixture.val.length);
    const cursor = first.next_cursor!;
    const tampered = cursor.slice(0, 5) + (cursor[5] === 'x' ? 'y' : 'x') + cursor.slice(6);
    expect((await problem(`/v1/questions?split=val&cursor=${tampered}`)).errors).toEqual([{ name: 'cursor', reason: 'is not a cursor issued by this API' }]);
    const foreign = await problem(`/v1/questions?split=val&task=Bone&cursor=${cursor}`);
    expect(foreign.errors?.[0]?.name).toBe('cursor');
    expect((await problem(`/v1/questions?split=test&cursor=${cursor}`)).errors?.[0]?.name).toBe('cursor');
    // A different page size is the same selection: the cursor stays valid.
    expect((await page({ split: 'val', limit: 3, cursor })).data.map((q) => q.index)).toEqual(sorted(fixture.val).slice(50, 53));
  });

  it('ends with next_cursor null exactly on the last page', async () => {
    const n = fixture.val.filter((r) => r.clinical_vqa_task === 'Bone').length;
    const exact = await page({ split: 'val', task: 'Bone', limit: n });
    expect(exact.data).toHaveLength(n);
    expect(exact.next_cursor).toBeNull();
  });
});

describe('GET /v1/questions keyword search', () => {
  const words = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/);
  const hasWord = (r: StagedRow, w: string) => [r.question, ...r.options].some((t) => words(t).includes(w));

  it('matches words of the question or option texts, every word required', async () => {
    const esophagus = await allPages({ split: 'val', q: 'ESOPHAGUS' });
    expect(indexes(esophagus)).toEqual(sorted(fixture.val.filter((r) => hasWord(r, 'esophagus'))));
    const both = await allPages({ split: 'val', q: 'fundus polyp' });
    expect(indexes(both)).toEqual(sorted(fixture.val.filter((r) => hasWord(r, 'fundus') && hasWord(r, 'polyp'))));
    expect(both.length).toBeGreaterThan(0);
  });

  it('treats FTS5 syntax as plain words', async () => {
    for (const q of ['AND', 'NEAR(polyp', 'polyp*', 'question:fundus', '"unbalanced', "' OR 1=1 --"]) {
      const res = await api(`/v1/questions?${query({ split: 'val', q })}`);
      expect(res.status, q).toBe(200);
    }
    // "AND" is an option text in the fixture, so as a plain word it matches those rows.
    expect(indexes(await allPages({ split: 'val', q: 'AND' }))).toEqual(sorted(fixture.val.filter((r) => r.options.includes('AND'))));
  });

  it('orders by relevance on request, best first, ties by index, across pages', async () => {
    const byIndex = await allPages({ split: 'val', q: 'barrett esophagus' });
    const byRelevance = await allPages({ split: 'val', q: 'barrett esophagus', order: 'relevance', limit: 7 });
    expect(indexes(byRelevance).sort((a, b) => a - b)).toEqual(indexes(byIndex));
    // Rows that mention the words in both the question and an option rank above rows that mention them once.
    const twice = (q: Question) => q.question.includes('Barrett') && Object.values(q.options).some((o) => o.includes('barrett'));
    const firstOnce = byRelevance.findIndex((q) => !twice(q));
    expect(firstOnce).toBeGreaterThan(0);
    expect(byRelevance.slice(firstOnce).some(twice)).toBe(false);
  });
});

describe('GET /v1/questions/{split}/{index}', () => {
  it('returns one question, with VAL and TEST indexes kept apart', async () => {
    const valRow = fixture.val[7]!;
    const res = await api(`/v1/questions/val/${valRow.index}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ split: 'val', index: valRow.index, question: valRow.question, answer: valRow.answer, category: valRow.category });
    const testRow = fixture.test.find((r) => r.index === valRow.index)!;
    const testQ = (await (await api(`/v1/questions/test/${valRow.index}`)).json()) as Question;
    expect(testQ).toMatchObject({ split: 'test', index: valRow.index, question: testRow.question });
    expect(testQ).not.toHaveProperty('answer');
  });

  it('is a 404 problem for an absent question and a 400 for a malformed key', async () => {
    const missing = await api('/v1/questions/val/1');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toBe('application/problem+json');
    for (const path of ['/v1/questions/train/1', '/v1/questions/val/-1', '/v1/questions/val/1e3', '/v1/questions/val/99999999999']) {
      expect((await api(path)).status, path).toBe(400);
    }
  });
});

describe('NDJSON', () => {
  const ndjson = { headers: { Accept: 'application/x-ndjson' } };

  it('streams every matching question, one object a line, in the same order as the pages', async () => {
    const res = await api(`/v1/questions?${query({ split: 'val', department: 'N/A' })}`, ndjson);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/x-ndjson');
    const text = await bodyText(res);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Question);
    expect(lines).toEqual(await allPages({ split: 'val', department: 'N/A' }));
  });

  it('streams a whole split beyond one internal read, without the answers on TEST', async () => {
    const text = await bodyText(await api('/v1/questions?split=test', ndjson));
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Question);
    expect(indexes(lines)).toEqual(sorted(fixture.test));
    expect(text).not.toContain('SECRET-LABEL');
    expect(text).not.toContain('"answer"');
  });

  it('follows the requested order, relevance included, and revalidates with its own ETag', async () => {
    const path = `/v1/questions?${query({ split: 'val', q: 'barrett esophagus', order: 'relevance' })}`;
    const res = await api(path, ndjson);
    const lines = (await bodyText(res))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Question);
    expect(lines).toEqual(await allPages({ split: 'val', q: 'barrett esophagus', order: 'relevance', limit: 7 }));
    const etag = res.headers.get('ETag')!;
    const again = await api(path, { headers: { ...ndjson.headers, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await bodyText(again)).toBe('');
  });

  it('is empty for an empty selection and refuses paging parameters', async () => {
    expect(await bodyText(await api('/v1/questions?split=val&task=none', ndjson))).toBe('');
    for (const name of ['limit', 'cursor']) {
      const res = await api(`/v1/questions?split=val&${name}=10`, ndjson);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors?.[0]?.name).toBe(name);
    }
  });
});

describe('caching', () => {
  it('gives dataset responses a weak ETag and short max-age, and answers If-None-Match with 304', async () => {
    const path = '/v1/questions?split=val&task=Bone&task=Counting';
    const first = await api(path);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=60');
    const again = await api('/v1/questions?task=Counting&split=val&task=Bone', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('ETag')).toBe(etag);
    const other = await api('/v1/questions?split=val&task=Bone');
    expect(other.headers.get('ETag')).not.toBe(etag);
    const asNdjson = await api(path, { headers: { Accept: 'application/x-ndjson', 'If-None-Match': etag } });
    expect(asNdjson.status).toBe(200);
    await bodyText(asNdjson);
    const head = await api(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('ETag')).toBe(etag);
    expect(await head.text()).toBe('');
  });

  it('changes the ETag when the dataset changes', async () => {
    const before = (await api('/v1/questions/test/3')).headers.get('ETag');
    const changed = fixture.test.map((r) => (r.index === 3 ? { ...r, question: 'Edited?' } : r));
    expect((await importSplit('test', changed, 'e'.repeat(64))).status).toBe(200);
    const after = await api('/v1/questions/test/3', { headers: { 'If-None-Match': before! } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as Question).question).toBe('Edited?');
    expect(after.headers.get('ETag')).not.toBe(before);
  });

  it('counts afresh after an import changes the data, and refuses cursors of the previous version', async () => {
    const params = { split: 'test', task: 'Bone', limit: 2 };
    const before = await page(params);
    expect(before.total).toBe(fixture.test.filter((r) => r.clinical_vqa_task === 'Bone').length);
    // Same filters again: the total is the remembered one, still right.
    expect((await page(params)).total).toBe(before.total);
    const fewer = fixture.test.filter((r) => r.index % 2 === 0);
    expect((await importSplit('test', fewer, 'f'.repeat(64))).status).toBe(200);
    const after = await page(params);
    expect(after.total).toBe(fewer.filter((r) => r.clinical_vqa_task === 'Bone').length);
    expect(after.total).toBeLessThan(before.total);
    const stale = await problem(`/v1/questions?${query(params)}&cursor=${before.next_cursor}`);
    expect(stale.errors).toEqual([{ name: 'cursor', reason: 'was issued for an earlier dataset version; restart without a cursor' }]);
  });
});
