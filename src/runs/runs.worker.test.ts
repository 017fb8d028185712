// /v1/runs, /v1/leaderboard, /v1/compare and POST /v1/scores?compare_to= through the Worker, on data
// imported through the admin API. Expected counts are derived by hand from the construction below.
import binomialTest from '@stdlib/stats-binomial-test';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, importSplit, makePng, postJson, row, sha256Hex, uploadImage } from '../../test/worker/support';
import { buildTextXlsx } from '../../test/fixtures/xlsx-fixture';
import { readReceiptPayload, verifyReceipt } from '../receipts/jws';
import { wilsonInterval } from '../stats/wilson';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
/** VAL: 60 questions, answer ABCD by index; departments 0–19 Ophthalmology, 20–39 Urology, 40–59 Hematology. */
const VAL_DEPARTMENTS = (i: number) => (i < 20 ? 'Ophthalmology' : i < 40 ? 'Urology' : 'Hematology');
/** TEST: 80 questions; departments 0–39, 40–69, 70–79. */
const TEST_DEPARTMENTS = (i: number) => (i < 40 ? 'Hematology' : i < 70 ? 'Nephrology and Hypertension' : 'Urology');
const answer = (i: number) => LETTERS[i % 4]!;
const wrong = (i: number) => LETTERS[(i + 1) % 4]!;

/** Right exactly on the indexes where `right(i)`, over `indexes`. */
function predictions(indexes: number[], right: (i: number) => boolean): Record<string, string> {
  return Object.fromEntries(indexes.map((i) => [String(i), right(i) ? answer(i) : wrong(i)]));
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const VAL_A = predictions(range(0, 60), (i) => i % 2 === 0); // 30 right
const VAL_B = predictions(range(0, 60), (i) => i % 3 === 0); // 20 right

/** McNemar's exact test as the binomial test of the discordant pairs, by an independent statistics library. */
const exactMcNemar = (b: number, c: number) => binomialTest(Math.min(b, c), b + c, { p: 0.5, alternative: 'two-sided' }).pValue;

let tokenA = '';
let tokenB = '';
let testOnlyToken = '';

async function newToken(name: string, scopes?: string[]): Promise<string> {
  const res = await postJson('/v1/admin/tokens', { name, ...(scopes ? { scopes } : {}) });
  return ((await res.json()) as { token: string }).token;
}

function postRun(query: string, body: unknown, token: string | null = tokenA): Promise<Response> {
  return api(`/v1/runs?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

function get(path: string, token?: string): Promise<Response> {
  return api(path, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
}

interface Run {
  id: string;
  model: string;
  split: string;
  visibility: string;
  receipt: string;
  overall: Record<string, { n: number; correct: number; accuracy: number; ci95: [number, number] }>;
  links: Record<string, string>;
  [key: string]: unknown;
}

async function createRun(query: string, body: unknown, token = tokenA): Promise<Run> {
  const res = await postRun(query, body, token);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Run;
}

let runA: Run;
let runB: Run;

beforeAll(async () => {
  const png = await makePng(10, 10, 33);
  await uploadImage(png);
  const sha = await sha256Hex(png);
  const val = range(0, 60).map((i) =>
    row(i, sha, { answer: answer(i), category: ['alpha', 'beta', 'gamma', 'delta'][i % 4]!, department: VAL_DEPARTMENTS(i) }),
  );
  const test = range(0, 80).map((i) => row(i, sha, { answer: answer(i), category: `HIDDEN-${i}`, department: TEST_DEPARTMENTS(i) }));
  expect((await importSplit('val', val, '3'.repeat(64))).status).toBe(200);
  expect((await importSplit('test', test, '4'.repeat(64))).status).toBe(200);
  [tokenA, tokenB, testOnlyToken] = [await newToken('team-a'), await newToken('team-b'), await newToken('scores-only', ['score:test'])];
  runA = await createRun('split=val&model=Model-A', { predictions: VAL_A, organization: 'Lab A' });
  runB = await createRun('split=val', { model: 'Model-B', predictions: VAL_B }, tokenB);
});

describe('POST /v1/runs', () => {
  it('stores a run scored under every scorer, with a receipt that verifies against the JWKS', async () => {
    expect(runA).toMatchObject({ model: 'Model-A', organization: 'Lab A', split: 'val', visibility: 'public' });
    expect(runA.id).toMatch(/^run_[A-Za-z0-9_-]{16}$/);
    for (const scorer of ['vlmevalkit-2024', 'vlmevalkit-2025-08', 'vlmevalkit-2026-06']) {
      expect(runA.overall[scorer]).toEqual({ n: 60, correct: 30, accuracy: 0.5, ci95: wilsonInterval(30, 60) });
    }
    expect(runA.links.self).toBe(`http://api.test/v1/runs/${runA.id}`);
    const jwks = (await (await api('/.well-known/jwks.json')).json()) as { keys: [] };
    const verified = await verifyReceipt(runA.receipt, jwks);
    expect(verified.ok).toBe(true);
    expect(readReceiptPayload(runA.receipt)).toMatchObject({
      run_id: runA.id,
      model: 'Model-A',
      split: 'val',
      predictions_sha256: runA.predictions_sha256,
      dataset_version: runA.dataset_version,
      results: { 'vlmevalkit-2024': { n: 60, correct: 30, accuracy: 0.5 } },
    });
    // A changed payload (another model name) under the same signature fails.
    const [header, , signature] = runA.receipt.split('.');
    const forged = btoa(JSON.stringify({ ...readReceiptPayload(runA.receipt), model: 'Model-Z' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect((await verifyReceipt(`${header}.${forged}.${signature}`, jwks)).ok).toBe(false);
  });

  it('answers the stored run (200) for the same token, model and predictions; another model is a new run', async () => {
    const again = await postRun('split=val&model=Model-A', { predictions: VAL_A });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Run).id).toBe(runA.id);
    const other = await postRun('split=val&model=Model-A2', { predictions: VAL_A });
    expect(other.status).toBe(201);
  });

  it('takes the model as a form field beside an xlsx file', async () => {
    const table = [['index', 'prediction'], ...Object.entries(VAL_B).map(([i, p]) => [i, p])];
    const form = new FormData();
    form.append('file', new Blob([buildTextXlsx(table)]), 'Model-B_GMAI-MMBench_VAL.xlsx');
    form.append('model', 'Model-B-xlsx');
    form.append('visibility', 'private');
    const res = await api('/v1/runs?split=val', { method: 'POST', body: form, headers: { Authorization: `Bearer ${tokenB}` } });
    expect(res.status).toBe(201);
    expect((await res.json()) as Run).toMatchObject({ model: 'Model-B-xlsx', visibility: 'private', overall: { 'vlmevalkit-2024': { n: 60, correct: 20 } } });
  });

  it('needs a token with runs:write, a model name of at most 200 characters, and a known scorer', async () => {
    expect((await postRun('split=val&model=M', { predictions: VAL_A }, null)).status).toBe(401);
    expect((await postRun('split=val&model=M', { predictions: VAL_A }, testOnlyToken)).status).toBe(403);
    const cases: Array<[string, unknown, string]> = [
      ['split=val', { predictions: VAL_A }, 'model'],
      ['split=val', { model: '  ', predictions: VAL_A }, 'model'],
      [`split=val&model=${'m'.repeat(201)}`, { predictions: VAL_A }, 'model'],
      ['split=val&model=M&scorer=vlmevalkit-1999', { predictions: VAL_A }, 'scorer'],
      ['split=val&model=M&visibility=secret', { predictions: VAL_A }, 'visibility'],
      ['split=val&model=M', { predictions: VAL_A, model_url: 'not a url' }, 'model_url'],
    ];
    for (const [query, body, field] of cases) {
      const res = await postRun(query, body);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(((await res.json()) as { errors: Array<{ name: string }> }).errors[0]!.name).toBe(field);
    }
  });
});

describe('GET /v1/runs/{id}', () => {
  it('gives the report POST /v1/scores gives on the same selection', async () => {
    const res = await get(`/v1/runs/${runA.id}?department=Ophthalmology&items=true`);
    expect(res.status).toBe(200);
    const { run, receipt, links, ...report } = (await res.json()) as Record<string, unknown> & { overall: { n: number; correct: number } };
    expect(report.overall).toMatchObject({ n: 20, correct: 10 });
    expect(receipt).toBe(runA.receipt);
    expect(run).toMatchObject({ id: runA.id, model: 'Model-A' });
    expect(links).toEqual(runA.links);
    const scored = await api('/v1/scores?split=val&department=Ophthalmology&items=true', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ predictions: VAL_A }),
    });
    expect(report).toEqual(await scored.json());
  });

  it("gives VLMEvalKit's _acc.csv with format=vlmevalkit-csv", async () => {
    // Run B is right where i % 3 = 0: Ophthalmology (0–19) 7 of 20, Urology (20–39) 7, Hematology (40–59) 6; 20 of 60 overall.
    const res = await get(`/v1/runs/${runB.id}?format=vlmevalkit-csv&group=department`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/csv');
    expect(await res.text()).toBe('"split","Overall","Hematology","Ophthalmology","Urology"\n"none","0.3333333333333333","0.3","0.35","0.35"\n');
    const missing = await get(`/v1/runs/${runB.id}?format=vlmevalkit-csv`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: Array<{ name: string }> }).errors.map((e) => e.name)).toEqual(['group']);
  });

  it('404s an unknown id, 400s a split that is not the run’s, and 422s a selection the run did not answer', async () => {
    expect((await get('/v1/runs/run_nope')).status).toBe(404);
    expect((await get(`/v1/runs/${runA.id}?split=test`)).status).toBe(400);
    const partial = await createRun('split=val&model=Partial', { predictions: predictions(range(0, 10), () => true) });
    const res = await get(`/v1/runs/${partial.id}?department=Urology`);
    expect(res.status).toBe(422);
  });

  it('keeps private runs to their token and the admin; PATCH and DELETE by the owner or the admin only', async () => {
    const secret = await createRun('split=val&model=Secret&visibility=private', { predictions: VAL_B });
    expect((await get(`/v1/runs/${secret.id}`)).status).toBe(404);
    expect((await get(`/v1/runs/${secret.id}`, tokenB)).status).toBe(404);
    expect((await get(`/v1/runs/${secret.id}/badge`)).status).toBe(404);
    expect((await get(`/v1/runs/${secret.id}`, tokenA)).status).toBe(200);
    expect((await admin(`/v1/runs/${secret.id}`)).status).toBe(200);
    const list = async (token?: string) => ((await (await get('/v1/runs?split=val&limit=100', token)).json()) as { data: Run[] }).data.map((r) => r.id);
    expect(await list()).not.toContain(secret.id);
    expect(await list(tokenA)).toContain(secret.id);

    const patch = (token: string | null, visibility: string) =>
      api(`/v1/runs/${secret.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ visibility }),
      });
    expect((await patch(null, 'public')).status).toBe(401);
    expect((await patch(tokenB, 'public')).status).toBe(404);
    expect((await patch(tokenA, 'everyone')).status).toBe(400);
    const made = await patch(tokenA, 'public');
    expect(made.status).toBe(200);
    expect(((await made.json()) as Run).visibility).toBe('public');
    expect((await get(`/v1/runs/${secret.id}`)).status).toBe(200);
    expect((await patch(tokenB, 'private')).status).toBe(403);
    expect((await api(`/v1/runs/${secret.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${tokenB}` } })).status).toBe(403);
    expect((await admin(`/v1/runs/${secret.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(`/v1/runs/${secret.id}`, tokenA)).status).toBe(404);
  });

  it('pages the list newest first with next_cursor', async () => {
    const all = ((await (await get('/v1/runs?split=val&limit=100')).json()) as { data: Run[] }).data;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await get(`/v1/runs?split=val&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { data: Run[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.id));
    expect([...all.map((r) => r.created_at as string)]).toEqual([...all.map((r) => r.created_at as string)].sort().reverse());
    expect((await get('/v1/runs?cursor=bogus')).status).toBe(400);
  });

  it('serves badges as shields.io endpoint JSON and SVG', async () => {
    const badge = await get(`/v1/runs/${runA.id}/badge`);
    expect(await badge.json()).toEqual({ schemaVersion: 1, label: 'GMAI-MMBench VAL', message: '50.0% (30/60)', color: 'green' });
    const svg = await get(`/v1/runs/${runB.id}/badge.svg?scorer=vlmevalkit-2026-06`);
    expect(svg.headers.get('Content-Type')).toContain('image/svg+xml');
    expect(await svg.text()).toContain('33.3% (20/60)');
  });
});

interface Leaderboard {
  subset: { id: string; questions: number; whole_split: boolean };
  data: Array<{ rank: number | null; run_id: string | null; model: string; n: number | null; correct: number | null; published: boolean; tied: boolean }>;
  hidden_runs?: number;
}

describe('GET /v1/leaderboard', () => {
  it('ranks public runs on a subset by their counts there', async () => {
    const res = await get('/v1/leaderboard?split=val&department=Ophthalmology');
    expect(res.status).toBe(200);
    const board = (await res.json()) as Leaderboard;
    expect(board.subset).toMatchObject({ questions: 20, whole_split: false, id: expect.stringMatching(/^[a-z2-7]{16}$/) });
    expect(board.data.some((r) => r.published)).toBe(false);
    const a = board.data.find((r) => r.run_id === runA.id)!;
    const b = board.data.find((r) => r.run_id === runB.id)!;
    expect(a).toMatchObject({ n: 20, correct: 10 }); // even indexes 0–18
    expect(b).toMatchObject({ n: 20, correct: 7 }); // multiples of 3 in 0–19
    expect(a.rank!).toBeLessThan(b.rank!);
    // Model-A and Model-A2 hold the same predictions: a visible tie, one rank.
    const a2 = board.data.find((r) => r.model === 'Model-A2')!;
    expect(a2.rank).toBe(a.rank);
    expect(a2.tied && a.tied).toBe(true);
  });

  it('adds the published results as reference rows on the whole split under the 2024 rules only', async () => {
    const whole = (await (await get('/v1/leaderboard?split=val')).json()) as Leaderboard;
    const published = whole.data.filter((r) => r.published);
    expect(published).toHaveLength(30);
    expect(published.find((r) => r.model === 'GPT-4o')).toMatchObject({ run_id: null, n: null, accuracy: 0.5353 });
    expect(published.find((r) => r.model === 'Random')!.rank).toBeNull();
    const other = (await (await get('/v1/leaderboard?split=val&scorer=vlmevalkit-2026-06')).json()) as Leaderboard;
    expect(other.data.some((r) => r.published)).toBe(false);
  });

  it('refuses an unknown scorer and, on TEST, selections under 30 questions', async () => {
    expect((await get('/v1/leaderboard?split=val&scorer=best')).status).toBe(400);
    expect((await get('/v1/leaderboard?split=test&department=Urology')).status).toBe(422);
    expect((await get('/v1/leaderboard?split=test&label=x')).status).toBe(400);
  });
});

interface Paired {
  n: number;
  both_correct: number;
  only_a: number;
  only_b: number;
  neither: number;
  difference: number;
  mcnemar_p: number;
}

describe('paired comparisons', () => {
  it('counts the 2×2 table overall and per node, with the exact McNemar p-value', async () => {
    const res = await get(`/v1/compare?a=${runA.id}&b=${runB.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { overall: Paired; tree: { department: Record<string, Paired & { modalities: Record<string, Paired> }> } };
    // Both right on multiples of 6 (10), only A on other evens (20), only B on odd multiples of 3 (10).
    expect(body.overall).toMatchObject({ n: 60, both_correct: 10, only_a: 20, only_b: 10, neither: 20, difference: 10 / 60 });
    expect(body.overall.mcnemar_p).toBeCloseTo(exactMcNemar(20, 10), 12);
    // Ophthalmology 0–19: both {0,6,12,18}, only A 6 more evens, only B {3,9,15}.
    expect(body.tree.department.Ophthalmology).toMatchObject({ n: 20, both_correct: 4, only_a: 6, only_b: 3, neither: 7 });
    expect(body.tree.department.Ophthalmology!.mcnemar_p).toBeCloseTo(exactMcNemar(6, 3), 12);
    const sub = (await (await get(`/v1/compare?a=${runA.id}&b=${runB.id}&department=Ophthalmology`)).json()) as { overall: Paired };
    expect(sub.overall).toMatchObject({ n: 20, both_correct: 4, only_a: 6, only_b: 3 });
  });

  it('POST /v1/scores?compare_to= gives the same comparison for an unsaved submission', async () => {
    const res = await api(`/v1/scores?split=val&compare_to=${runB.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ predictions: VAL_A }),
    });
    expect(res.status).toBe(200);
    const { comparison } = (await res.json()) as { comparison: Paired & { run_id: string; tree: unknown } };
    const stored = (await (await get(`/v1/compare?a=${runA.id}&b=${runB.id}`)).json()) as { overall: Paired; tree: unknown };
    expect(comparison).toEqual({ run_id: runB.id, ...stored.overall, tree: stored.tree });
  });

  it('refuses unknown runs (404 naming the parameter), other splits (409), and selections without shared questions (422)', async () => {
    const unknown = await get(`/v1/compare?a=${runA.id}&b=run_missing`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: Array<{ name: string }> }).errors[0]!.name).toBe('b');
    const testRun = await createRun('split=test&model=Test-A', { predictions: predictions(range(0, 80), (i) => i % 2 === 0) });
    const mixed = await get(`/v1/compare?a=${runA.id}&b=${testRun.id}`);
    expect(mixed.status).toBe(409);
    expect(((await mixed.json()) as { detail: string }).detail).toMatch(new RegExp(`${runA.id}.*val.*${testRun.id}.*test`));
    const partial = await createRun('split=val&model=Partial-2', { predictions: predictions(range(0, 10), () => false) });
    expect((await get(`/v1/compare?a=${runA.id}&b=${partial.id}&department=Hematology`)).status).toBe(422);
    expect((await get(`/v1/compare?a=${runA.id}&b=${runB.id}&scorer=nope`)).status).toBe(400);
  });
});

describe('runs on TEST', () => {
  it('report with no items and small nodes hidden; TEST runs count against the daily quota, resubmissions do not', async () => {
    const token = await newToken('test-quota');
    const body = (k: number) => ({ predictions: predictions(range(0, 80), (i) => i % (k + 2) === 0) });
    const first = await createRun('split=test&model=T0', body(0), token);
    expect(first.overall['vlmevalkit-2024']).toMatchObject({ n: 80, correct: 40 });
    const report = (await (await get(`/v1/runs/${first.id}?detail=full`)).json()) as {
      items?: unknown;
      min_node_size: number;
      by: { department: Record<string, unknown> };
    };
    expect(report.items).toBeUndefined();
    expect(report.min_node_size).toBe(30);
    // 40 + 30 + 10: Urology (10) is under 30, and showing Nephrology (30) would give Urology away as the remainder.
    expect(Object.keys(report.by.department)).toEqual(['Hematology']);
    expect(JSON.stringify(report)).not.toContain('HIDDEN-');
    expect((await get(`/v1/runs/${first.id}?items=true`)).status).toBe(400);
    // A narrower TEST selection is a scoring: a score:test token (401 without) and a quota slot.
    expect((await get(`/v1/runs/${first.id}?department=Urology`)).status).toBe(401);
    expect((await get(`/v1/runs/${first.id}?department=Urology`, tokenB)).status).toBe(422);
    // A department CSV would show Urology's 10 questions.
    expect((await get(`/v1/runs/${first.id}?format=vlmevalkit-csv&group=department`)).status).toBe(422);
    // SCORING_DAILY_LIMIT is 3 in the tests.
    await createRun('split=test&model=T1', body(1), token);
    await createRun('split=test&model=T2', body(2), token);
    expect((await postRun('split=test&model=T3', body(3), token)).status).toBe(429);
    const again = await postRun('split=test&model=T0', body(0), token);
    expect(again.status).toBe(200);
    expect((await get('/v1/leaderboard?split=test&department=Hematology')).status).toBe(401);
    const board = (await (await get('/v1/leaderboard?split=test&department=Hematology', tokenB)).json()) as Leaderboard;
    expect(board.data.find((r) => r.run_id === first.id)).toMatchObject({ n: 40, correct: 20 });
    // tokenB has used 2 of its 3 slots (the report, the leaderboard): the same selection again is free, a third fits, a fourth does not.
    expect((await get('/v1/leaderboard?split=test&department=Hematology', tokenB)).status).toBe(200);
    expect((await get('/v1/leaderboard?split=test&department=Nephrology%20and%20Hypertension', tokenB)).status).toBe(200);
    expect((await get('/v1/leaderboard?split=test&department=Hematology&department=Urology', tokenB)).status).toBe(429);
    // The whole split is public.
    expect((await get('/v1/leaderboard?split=test')).status).toBe(200);
  });
});
