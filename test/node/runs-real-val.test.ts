// Runs on the real VAL rows (../shared/gmai) through a real Worker: the two VLMEvalKit prediction
// files and the three matching files posted as runs; the leaderboard of Ophthalmology ∩ Fundus
// Photography ∩ "retinopathy" under two rule versions and paired comparisons checked against counts
// computed here from the matching files' reference letters (VLMEvalKit's own can_infer) and the meta
// TSV's answers, p-values against @stdlib; receipts verified with node:crypto against the JWKS.
import binomialTest from '@stdlib/stats-binomial-test';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../scripts/import/run-import';
import { ensureLocalReceiptKey } from '../../scripts/local-dev';
import { readRealVal, writeLocalizedVal } from './real-val';
import { HAVE_SHARED, SHARED_GMAI, startTestServer, tempDir, TEST_ADMIN_TOKEN, type TestServer } from './support';

const XLSX_MODELS = ['Qwen2-VL-7B-Instruct', 'qwen_chat'];
const JSONL_MODELS = ['Qwen2-VL-7B-Instruct', 'qwen_chat', 'gemma-cot'];
const SCORERS = ['vlmevalkit-2024', 'vlmevalkit-2026-06'] as const;
const KEYWORD = 'retinopathy';

interface Reference {
  predictions: Map<number, { prediction: string; extracted: Record<string, string> }>;
}

describe.skipIf(!HAVE_SHARED)('runs on the real VAL split', () => {
  let server: TestServer;
  let token: string;
  const answers = new Map<number, string>();
  const subset = new Set<number>();
  /** Run id → the matching file whose letters are its reference. */
  const runs: Array<{ id: string; model: string; reference: string }> = [];
  const references = new Map<string, Reference>();

  beforeAll(async () => {
    const records = readRealVal();
    const header = records[0]!;
    const column = (name: string) => header.indexOf(name);
    for (const r of records.slice(1)) {
      const index = Number(r[column('index')]);
      answers.set(index, r[column('answer')]!);
      const text = [r[column('question')], ...['A', 'B', 'C', 'D', 'E'].map((l) => r[column(l)])].join(' ').toLowerCase();
      // The selection by hand: exact department and modality, and the word as a whole token.
      if (r[column('department')] === 'Ophthalmology' && r[column('modality')] === 'Fundus Photography' && new RegExp(`\\b${KEYWORD}\\b`).test(text))
        subset.add(index);
    }
    for (const name of JSONL_MODELS) {
      const lines = readFileSync(path.join(SHARED_GMAI, 'matching', `${name}.jsonl`), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { index: number; prediction: string; extracted: Record<string, string> });
      references.set(name, { predictions: new Map(lines.map((l) => [l.index, l])) });
    }
    const dir = tempDir('gmai-runs-real-');
    const envFile = path.join(dir, '.dev.vars');
    await ensureLocalReceiptKey(envFile);
    server = await startTestServer({ envFile });
    const report = await runImport({ files: [writeLocalizedVal(dir, records)], split: 'val', client: server.client });
    expect(report.status).toBe('committed');
    const created = await fetch(`${server.url}/v1/admin/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'real-runs' }),
    });
    token = ((await created.json()) as { token: string }).token;

    for (const name of XLSX_MODELS) {
      const body = readFileSync(path.join(SHARED_GMAI, 'vlmevalkit', name, `${name}_GMAI-MMBench_VAL.xlsx`));
      const res = await postRun(
        `split=val&model=${encodeURIComponent(`${name} (xlsx)`)}`,
        body,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.status, await res.clone().text()).toBe(201);
      runs.push({ id: ((await res.json()) as { id: string }).id, model: `${name} (xlsx)`, reference: name });
    }
    for (const name of JSONL_MODELS) {
      const predictions = Object.fromEntries([...references.get(name)!.predictions].map(([index, p]) => [index, p.prediction]));
      const res = await postRun('split=val', JSON.stringify({ model: `${name} (jsonl)`, predictions }), 'application/json');
      expect(res.status, await res.clone().text()).toBe(201);
      runs.push({ id: ((await res.json()) as { id: string }).id, model: `${name} (jsonl)`, reference: name });
    }
  }, 300_000);
  afterAll(() => server?.close());

  function postRun(query: string, body: BodyInit, type: string, withToken = true): Promise<Response> {
    return fetch(`${server.url}/v1/runs?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': type, ...(withToken ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });
  }

  /** n and correct of a matching file on a set of indexes, from its reference letters. */
  function expectedCounts(reference: string, scorer: string, within: Set<number> | null) {
    let n = 0;
    let correct = 0;
    for (const [index, p] of references.get(reference)!.predictions) {
      if (within && !within.has(index)) continue;
      n++;
      if (p.extracted[scorer] === answers.get(index)) correct++;
    }
    return { n, correct };
  }

  it('ranks the example subset with exactly the reference counts, under the default and the 2026-06 rules', async () => {
    expect(subset.size).toBeGreaterThan(100);
    for (const scorer of SCORERS) {
      const query = new URLSearchParams({ split: 'val', department: 'Ophthalmology', modality: 'Fundus Photography', q: KEYWORD, scorer });
      const board = (await server.json(`/v1/leaderboard?${query}`)) as {
        subset: { questions: number };
        data: Array<{ rank: number; run_id: string | null; n: number; correct: number; accuracy: number }>;
      };
      expect(board.subset.questions).toBe(subset.size);
      const rows = board.data.filter((r) => runs.some((run) => run.id === r.run_id));
      expect(rows).toHaveLength(runs.length);
      expect(board.data.some((r) => r.run_id === null)).toBe(false); // no published rows on a subset
      for (const row of rows) {
        const run = runs.find((r) => r.id === row.run_id)!;
        expect({ model: run.model, n: row.n, correct: row.correct }).toEqual({ model: run.model, ...expectedCounts(run.reference, scorer, subset) });
      }
      // Rank order: by accuracy, equal accuracies sharing a rank (the xlsx and jsonl runs of a model tie).
      const accuracies = rows.map((r) => r.correct / r.n);
      expect(accuracies).toEqual([...accuracies].sort((x, y) => y - x));
      expect(rows.map((r) => r.rank)).toEqual(accuracies.map((a) => 1 + accuracies.filter((b) => b > a).length));
    }
  });

  it('gives the summary counts on the whole split and shows the published results there', async () => {
    const summary = JSON.parse(readFileSync(path.join(SHARED_GMAI, 'matching', 'summary.json'), 'utf8')) as Record<string, { correct: Record<string, number> }>;
    const board = (await server.json('/v1/leaderboard?split=val')) as {
      data: Array<{ run_id: string | null; model: string; correct: number | null; published: boolean }>;
    };
    for (const run of runs) expect(board.data.find((r) => r.run_id === run.id)!.correct).toBe(summary[run.reference]!.correct['vlmevalkit-2024']);
    expect(board.data.filter((r) => r.published).map((r) => r.model)).toContain('GPT-4o');
  });

  it('compares two runs with discordant counts and the McNemar p-value of an independent library', async () => {
    const a = runs.find((r) => r.model === 'Qwen2-VL-7B-Instruct (jsonl)')!;
    const b = runs.find((r) => r.model === 'qwen_chat (jsonl)')!;
    for (const [scorer, within] of [
      ['vlmevalkit-2024', null],
      ['vlmevalkit-2026-06', subset],
    ] as const) {
      const query = new URLSearchParams({
        a: a.id,
        b: b.id,
        scorer,
        ...(within ? { department: 'Ophthalmology', modality: 'Fundus Photography', q: KEYWORD } : {}),
      });
      const body = (await server.json(`/v1/compare?${query}`)) as {
        overall: { n: number; both_correct: number; only_a: number; only_b: number; neither: number; mcnemar_p: number };
      };
      const right = (ref: string, index: number) => references.get(ref)!.predictions.get(index)!.extracted[scorer] === answers.get(index);
      const table = { n: 0, both_correct: 0, only_a: 0, only_b: 0, neither: 0 };
      for (const index of references.get(a.reference)!.predictions.keys()) {
        if ((within && !within.has(index)) || !references.get(b.reference)!.predictions.has(index)) continue;
        const [ra, rb] = [right(a.reference, index), right(b.reference, index)];
        table.n++;
        if (ra && rb) table.both_correct++;
        else if (ra) table.only_a++;
        else if (rb) table.only_b++;
        else table.neither++;
      }
      expect(body.overall).toMatchObject(table);
      // Exact McNemar: 2·P(X ≤ min(b, c)), X ~ Binomial(b + c, 1/2), from stdlib's lower tail (its CDF is good to ~1e-6
      // relative). Its own two-sided answer keeps only one tail once p is below ~1e-18, so it is compared only above that.
      const [low, discordant] = [Math.min(table.only_a, table.only_b), table.only_a + table.only_b];
      const reference = Math.min(1, 2 * binomialTest(low, discordant, { p: 0.5, alternative: 'less' }).pValue);
      const twoSided = binomialTest(low, discordant, { p: 0.5, alternative: 'two-sided' }).pValue;
      if (twoSided > 1e-15) expect(Math.abs(body.overall.mcnemar_p - twoSided) / twoSided).toBeLessThan(1e-5);
      expect(Math.abs(body.overall.mcnemar_p - reference) / reference).toBeLessThan(1e-5);
    }
  });

  it('signs receipts that node:crypto verifies against the JWKS; a changed payload fails', async () => {
    const jwks = (await server.json('/.well-known/jwks.json')) as { keys: Array<{ kid: string; kty: string; crv: string; x: string }> };
    const run = (await server.json(`/v1/runs/${runs[0]!.id}`)) as { receipt: string };
    const [header, payload, signature] = run.receipt.split('.') as [string, string, string];
    const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
    expect(alg).toBe('EdDSA');
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    const check = (p: string) => verify(null, Buffer.from(`${header}.${p}`), key, Buffer.from(signature, 'base64url'));
    expect(check(payload)).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { run_id: string; results: Record<string, { correct: number }> };
    expect(claims.run_id).toBe(runs[0]!.id);
    expect(check(Buffer.from(JSON.stringify({ ...claims, results: { ...claims.results, 'vlmevalkit-2024': { correct: 4550 } } })).toString('base64url'))).toBe(
      false,
    );
  });

  it('answers a resubmission with the stored run and refuses a request without a token', async () => {
    const name = XLSX_MODELS[0]!;
    const body = readFileSync(path.join(SHARED_GMAI, 'vlmevalkit', name, `${name}_GMAI-MMBench_VAL.xlsx`));
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const again = await postRun(`split=val&model=${encodeURIComponent(`${name} (xlsx)`)}`, body, type);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(runs[0]!.id);
    expect((await postRun(`split=val&model=x`, body, type, false)).status).toBe(401);
  });
});
