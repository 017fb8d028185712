// `npm run gmai` against a real Worker (wrangler dev) with a generated VAL split: exit codes of passing
// and failing gates, unreadable files and server errors, the step summary, and receipt verification
// against the served JWKS (whose key comes from a .dev.vars file as `npm start` writes it).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAL_FILE, writeDataset } from '../../r2-seed/write-dataset';
import { runImport } from '../../scripts/import/run-import';
import { ensureLocalReceiptKey, readDevVar, REPO_ROOT } from '../../scripts/local-dev';
import { generateSigningKeyText, importSigningKey, signReceipt } from '../../src/receipts/jws';
import { buildTextXlsx } from '../fixtures/xlsx-fixture';
import { allQuestions, startTestServer, tempDir, TEST_ADMIN_TOKEN, type TestServer } from './support';

async function gmai(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'gmai.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, GMAI_URL: '', GMAI_TOKEN: '', GITHUB_STEP_SUMMARY: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

describe('gmai CLI against a real server', () => {
  let server: TestServer;
  let dir: string;
  let envFile: string;
  let predictionsFile: string;
  let expected: { n: number; correct: number };
  let allWrongFile: string;
  let token: string;

  beforeAll(async () => {
    dir = tempDir('gmai-cli-');
    writeDataset({ out: dir, seed: 5, scale: 0.02, large: false });
    envFile = path.join(dir, '.dev.vars');
    await ensureLocalReceiptKey(envFile);
    server = await startTestServer({ envFile });
    const report = await runImport({ files: [path.join(dir, VAL_FILE)], split: 'val', client: server.client });
    expect(report.status).toBe('committed');

    // Right on 3 of every 5 questions (in index order), a wrong option letter otherwise.
    const questions = (await allQuestions(server, 'val')) as Array<{ index: number; answer: string; options: Record<string, string> }>;
    questions.sort((a, b) => a.index - b.index);
    const predictions: Record<string, string> = {};
    let correct = 0;
    questions.forEach((q, i) => {
      const right = i % 5 < 3;
      const wrong = ['A', 'B', 'C', 'D', 'E'].find((l) => l !== q.answer && q.options[l] !== undefined);
      expect(wrong).toBeDefined();
      predictions[q.index] = right ? q.answer : wrong!;
      if (right) correct++;
    });
    expected = { n: questions.length, correct };
    predictionsFile = path.join(dir, 'predictions.json');
    writeFileSync(predictionsFile, JSON.stringify({ predictions }));
    // The same questions, every one wrong (a regression against any run of the file above).
    allWrongFile = path.join(dir, 'all-wrong.json');
    const wrongOf = (q: (typeof questions)[number]) => ['A', 'B', 'C', 'D', 'E'].find((l) => l !== q.answer && q.options[l] !== undefined)!;
    writeFileSync(allWrongFile, JSON.stringify({ predictions: Object.fromEntries(questions.map((q) => [q.index, wrongOf(q)])) }));
    const created = await fetch(`${server.url}/v1/admin/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'cli' }),
    });
    token = ((await created.json()) as { token: string }).token;
  });
  afterAll(() => server?.close());

  it('exits 0 when the accuracy gate passes, and writes the step summary', async () => {
    const summary = path.join(dir, 'summary-pass.md');
    const accuracy = expected.correct / expected.n;
    const result = await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--min-accuracy', String(accuracy - 0.01)], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`(${expected.correct}/${expected.n}, 95% CI`);
    expect(result.stdout).toMatch(/^PASS\s+accuracy ≥/m);
    expect(readFileSync(summary, 'utf8')).toContain('✅ gates pass');
  });

  it('exits 1 when the accuracy gate fails', async () => {
    const summary = path.join(dir, 'summary-fail.md');
    const result = await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--min-accuracy', '0.65'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL\s+accuracy ≥ 65.00%: 6\d\.\d\d%$/m);
    expect(readFileSync(summary, 'utf8')).toContain('❌ gate failed');
  });

  it('exits 2 for an unreadable file, a refused submission (with the problem detail) and an unreachable server', async () => {
    const missing = await gmai(['score', path.join(dir, 'nope.json'), '--split', 'val', '--url', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ predictions: { 999999: 'A' } }));
    const refused = await gmai(['score', bad, '--split', 'val', '--url', server.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('422 Unknown indexes');
    expect(refused.stderr).toContain('index 999999 is not in val');

    const offline = await gmai(['score', predictionsFile, '--split', 'val', '--url', 'http://127.0.0.1:9']);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('cannot reach http://127.0.0.1:9');

    const usage = await gmai(['score', predictionsFile]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
  });

  it('verifies a receipt against the served JWKS, and rejects a changed one', async () => {
    const keyText = readDevVar('RECEIPT_SIGNING_KEY', envFile)!;
    const key = await importSigningKey(keyText);
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toEqual([key.kid]);
    const receipt = await signReceipt(key, {
      run_id: 'run_cli',
      model: 'M',
      split: 'val',
      dataset_version: 'v',
      predictions_sha256: '0'.repeat(64),
      results: { 'vlmevalkit-2024': { n: expected.n, correct: expected.correct, accuracy: expected.correct / expected.n } },
      iat: 1_700_000_000,
    });
    const valid = await gmai(['verify', receipt, '--url', server.url]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain(`valid receipt, signed by key ${key.kid} at 2023-11-14T22:13:20.000Z`);

    const [h, , s] = receipt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ run_id: 'run_cli', results: {} })).toString('base64url')}.${s}`;
    const invalid = await gmai(['verify', forged, '--url', server.url]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('INVALID receipt (claims run run_cli)');

    const otherKeys = path.join(dir, 'other-jwks.json');
    writeFileSync(otherKeys, JSON.stringify({ keys: [(await importSigningKey(await generateSigningKeyText())).publicJwk] }));
    expect((await gmai(['verify', receipt, '--jwks', otherKeys])).code).toBe(1);
  });

  it('saves a run (--save), compares with it (--compare-to: exit 0 on par, 1 on a significant drop) and verifies it by run id', async () => {
    const saved = await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--save', '--model', 'CLI-Model'], { GMAI_TOKEN: token });
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    const runId = /^run\s+(run_\S+) \(saved\)/m.exec(saved.stdout)?.[1];
    expect(runId).toBeDefined();
    const again = await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--save', '--model', 'CLI-Model', '--token', token]);
    expect(again.stdout).toContain(`${runId} (already saved)`);
    expect((await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--save', '--model', 'CLI-Model'])).code).toBe(2);

    const same = await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--compare-to', runId!]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`both right ${expected.correct}, only this 0, only ${runId} 0, neither ${expected.n - expected.correct}`);
    expect(same.stdout).toMatch(/^PASS\s+no regression/m);
    const worse = await gmai(['score', allWrongFile, '--split', 'val', '--url', server.url, '--compare-to', runId!, '--max-drop', '1%']);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/^FAIL\s+no regression.*McNemar p = /m);
    expect((await gmai(['score', predictionsFile, '--split', 'val', '--url', server.url, '--compare-to', 'run_unknown'])).stderr).toContain(
      '404 Run not found',
    );

    const verified = await gmai(['verify', runId!, '--url', server.url]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`run ${runId}: CLI-Model on val`);
    expect(verified.stdout).toContain(`vlmevalkit-2024: ${expected.correct}/${expected.n}`);
  });

  it('imports a folder of VLMEvalKit prediction files as runs', async () => {
    const folder = path.join(dir, 'outputs');
    mkdirSync(path.join(folder, 'Model-X'), { recursive: true });
    const predictions = JSON.parse(readFileSync(predictionsFile, 'utf8')).predictions as Record<string, string>;
    const table = [['index', 'prediction'], ...Object.entries(predictions)];
    writeFileSync(path.join(folder, 'Model-X', 'Model-X_GMAI-MMBench_VAL.xlsx'), buildTextXlsx(table));
    writeFileSync(path.join(folder, 'notes.txt'), 'not a prediction file');
    const imported = await gmai(['runs', 'import', folder, '--url', server.url, '--token', token]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`^Model-X: run_\\S+ saved, ${expected.correct}/${expected.n} correct$`, 'm'));
    expect(imported.stdout).toContain('1 of 1 run(s) imported');
    const listed = (await (await fetch(`${server.url}/v1/runs?model=Model-X`)).json()) as { data: Array<{ model: string }> };
    expect(listed.data.map((r) => r.model)).toEqual(['Model-X']);
  });
});
