// Subset ids through the Worker: every response that selects questions names the same id for the
// same selection, GET /v1/subsets/{id} resolves it, `subset=<id>` stands for it everywhere, and an id
// of a dataset version no longer served is a 410.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, importSplit, makePng, postJson, row, sha256Hex, uploadImage } from '../../test/worker/support';

const SECRET = 'SECRET-TEST-LABEL';
let testToken = '';
let shaA = '';
let shaB = '';

beforeAll(async () => {
  const [a, b] = [await makePng(10, 10, 1), await makePng(12, 10, 2)];
  for (const png of [a, b]) expect((await uploadImage(png)).status).toBe(201);
  [shaA, shaB] = [await sha256Hex(a), await sha256Hex(b)];
  // VAL: Urology 0, 2, 4 (images A, B, A), Ophthalmology 1, 3; TEST: 80 rows, Urology the even ones.
  const val = Array.from({ length: 5 }, (_, i) =>
    row(i, i === 2 ? shaB : shaA, { department: i % 2 ? 'Ophthalmology' : 'Urology', answer: 'B', category: 'beta' }),
  );
  expect((await importSplit('val', val, '1'.repeat(64))).status).toBe(200);
  const test = Array.from({ length: 80 }, (_, i) => row(i, shaA, { department: i % 2 ? 'Ophthalmology' : 'Urology', answer: 'A', category: `${SECRET}-${i}` }));
  expect((await importSplit('test', test, '2'.repeat(64))).status).toBe(200);
  testToken = ((await (await postJson('/v1/admin/tokens', { name: 'subsets' })).json()) as { token: string }).token;
});

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await api(path, init);
  expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const score = (query: string, predictions: Record<string, string>, headers: Record<string, string> = {}) =>
  api(`/v1/scores?${query}`, { method: 'POST', body: JSON.stringify({ predictions }), headers: { 'Content-Type': 'application/json', ...headers } });

interface Named {
  subset: { id: string; url: string };
}

describe('subset ids', () => {
  it('are the same in pages, NDJSON, TSV, tree and scores for one selection however spelled or paged', async () => {
    const ids = [
      (await json<Named>('/v1/questions?split=val&department=Urology&q=question')).subset.id,
      (await json<Named>('/v1/questions?q=question&department=Urology&department=Urology&split=val&limit=1')).subset.id,
      (await json<Named>('/v1/tree?department=Urology&split=val&q=question')).subset.id,
      (await api('/v1/questions?split=val&department=Urology&q=question', { headers: { Accept: 'application/x-ndjson' } })).headers.get('Subset-Id'),
      (await api('/v1/questions?split=val&department=Urology&q=question&format=tsv')).headers.get('Subset-Id'),
      (
        await json<Named>('/v1/scores?split=val&department=Urology&q=question', {
          method: 'POST',
          body: '{"predictions": {"0": "B"}}',
          headers: { 'Content-Type': 'application/json' },
        })
      ).subset.id,
    ];
    expect(ids[0]).toMatch(/^[a-z2-7]{16}$/);
    expect(new Set(ids)).toEqual(new Set([ids[0]]));
    expect((await json<Named>('/v1/questions?split=val&department=Ophthalmology')).subset.id).not.toBe(ids[0]);
    expect((await json<Named>('/v1/questions?split=test&department=Urology')).subset.id).not.toBe(
      (await json<Named>('/v1/questions?split=val&department=Urology')).subset.id,
    );
  });

  it('resolve to their selection, dataset version and counts', async () => {
    const page = await json<Named & { dataset_version: string }>('/v1/questions?split=val&department=Urology&limit=2');
    expect(page.subset.url).toBe(`http://api.test/v1/subsets/${page.subset.id}`);
    const subset = await json<Record<string, unknown>>(`/v1/subsets/${page.subset.id}`);
    expect(subset).toEqual({
      id: page.subset.id,
      split: 'val',
      selection: { split: 'val', department: ['Urology'] },
      query: 'split=val&department=Urology',
      dataset_version: page.dataset_version,
      questions: 3,
      images: 2,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('stand for their selection wherever one is taken', async () => {
    const { subset } = await json<Named>('/v1/questions?split=val&department=Urology');
    const byFilters = await json<{ data: { index: number }[]; total: number }>('/v1/questions?split=val&department=Urology');
    const byId = await json<{ data: { index: number }[]; total: number } & Named>(`/v1/questions?subset=${subset.id}`);
    expect(byId).toEqual(byFilters);
    expect(byId.data.map((q) => q.index)).toEqual([0, 2, 4]);
    expect(await json(`/v1/tree?subset=${subset.id}`)).toEqual(await json('/v1/tree?split=val&department=Urology'));
    expect(await json(`/v1/questions?subset=${subset.id}&split=val&limit=2`)).toEqual(await json('/v1/questions?split=val&department=Urology&limit=2'));
    const predictions = { '0': 'B', '1': 'B', '2': 'A', '4': 'B' };
    const scored = (await (await score(`subset=${subset.id}`, predictions)).json()) as {
      coverage: Record<string, number>;
      overall: { correct: number };
    } & Named;
    expect(scored).toMatchObject({ coverage: { in_scope: 3, submitted: 3, ignored: 1 }, overall: { correct: 2 }, subset: { id: subset.id } });
    const tsv = await api(`/v1/questions?subset=${subset.id}&format=tsv`);
    expect(
      (await tsv.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['index', '0', '2', '4']);
  });

  it('take TEST selections without holding any answer data, and score TEST by id with a token', async () => {
    const { subset } = await json<Named>('/v1/questions?split=test&department=Urology');
    const stored = await env.DB.prepare('SELECT * FROM subsets WHERE id = ?').bind(subset.id).first();
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(JSON.stringify(stored)).not.toContain('category');
    const predictions = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [String(i), 'A']));
    expect((await score(`subset=${subset.id}`, predictions)).status).toBe(401);
    const report = (await (await score(`subset=${subset.id}`, predictions, { Authorization: `Bearer ${testToken}` })).json()) as {
      coverage: Record<string, number>;
    } & Named;
    expect(report).toMatchObject({ coverage: { in_scope: 40, submitted: 40, ignored: 40 }, subset: { id: subset.id } });
  });

  it('are refused with filters, another split, a bad spelling or when unknown', async () => {
    const { subset } = await json<Named>('/v1/questions?split=val&department=Urology');
    const problems: [string, number, string][] = [
      [`/v1/questions?subset=${subset.id}&department=Urology`, 400, 'subset'],
      [`/v1/tree?subset=${subset.id}&q=x`, 400, 'subset'],
      [`/v1/questions?subset=${subset.id}&split=test`, 400, 'split'],
      ['/v1/questions?subset=NOT-AN-ID', 400, 'subset'],
      ['/v1/questions?subset=aaaaaaaaaaaaaaaa', 404, 'subset'],
      ['/v1/subsets/aaaaaaaaaaaaaaaa', 404, 'subset'],
      ['/v1/subsets/x', 400, 'id'],
    ];
    for (const [path, status, name] of problems) {
      const res = await api(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(
        ((await res.json()) as { errors: { name: string }[] }).errors.map((e) => e.name),
        path,
      ).toEqual([name]);
    }
    const mixed = await score(`subset=${subset.id}&task=Counting`, { '0': 'B' });
    expect(mixed.status).toBe(400);
  });

  it('answer 410 naming the dataset version once it is no longer served', async () => {
    const page = await json<Named & { dataset_version: string }>('/v1/questions?split=val&department=Ophthalmology');
    const reimported = Array.from({ length: 5 }, (_, i) => row(i, shaA, { department: 'Ophthalmology', answer: 'B', category: 'beta' }));
    expect((await importSplit('val', reimported, '3'.repeat(64))).status).toBe(200);
    for (const path of [`/v1/subsets/${page.subset.id}`, `/v1/questions?subset=${page.subset.id}`, `/v1/tree?subset=${page.subset.id}`]) {
      const res = await api(path);
      expect(res.status, path).toBe(410);
      const problem = (await res.json()) as { dataset_version: string; detail: string };
      expect(problem.dataset_version).toBe(page.dataset_version);
      expect(problem.detail).toContain(page.dataset_version);
    }
    const now = await json<Named & { dataset_version: string; total: number }>('/v1/questions?split=val&department=Ophthalmology');
    expect(now.dataset_version).not.toBe(page.dataset_version);
    expect(now.subset.id).not.toBe(page.subset.id);
    expect(await json<{ questions: number; images: number }>(`/v1/subsets/${now.subset.id}`)).toMatchObject({ questions: 5, images: 1 });
  });
});
