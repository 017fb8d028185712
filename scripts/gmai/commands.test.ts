// Command paths that end before any request: real files and folders, no server.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyText, importSigningKey, signReceipt } from '../../src/receipts/jws';
import { runGmai, type CliIo } from './commands';

function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = {
    fetch: () => Promise.reject(new Error('no request expected in these tests')),
    readFile: async (file) => new Uint8Array(await readFile(file)),
    listFiles: (folder) => readdir(folder, { recursive: true }),
    appendFile: (file, text) => appendFile(file, text),
    stdout: (text) => void (out.stdout += text),
    stderr: (text) => void (out.stderr += text),
    env,
  };
  return { cli, out };
}

describe('gmai commands before the network', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmai-cmd-'));

  it('runs import: needs a token, an existing folder with VLMEvalKit files, and --model only for one file', async () => {
    mkdirSync(path.join(dir, 'outputs', 'A'), { recursive: true });
    mkdirSync(path.join(dir, 'outputs', 'B'), { recursive: true });
    writeFileSync(path.join(dir, 'outputs', 'A', 'A_GMAI-MMBench_VAL.xlsx'), 'x');
    writeFileSync(path.join(dir, 'outputs', 'B', 'B_GMAI-MMBench_VAL.xlsx'), 'x');
    writeFileSync(path.join(dir, 'outputs', 'A', 'A_GMAI-MMBench_VAL_department_acc.csv'), 'x');
    const cases: Array<[string[], RegExp]> = [
      [['runs', 'import', path.join(dir, 'outputs')], /needs a token/],
      [['runs', 'import', path.join(dir, 'missing'), '--token', 't'], /cannot read folder/],
      [['runs', 'import', path.join(dir, 'outputs', 'A'), '--token', 't', '--model', 'M'], /no request expected/],
      [['runs', 'import', path.join(dir, 'outputs'), '--token', 't', '--model', 'M'], /--model names one run, but .* holds 2 prediction files/],
    ];
    for (const [argv, message] of cases) {
      const { cli, out } = io();
      expect(await runGmai(argv, cli)).toBe(2);
      expect(out.stderr).toMatch(message);
    }
    const empty = mkdtempSync(path.join(tmpdir(), 'gmai-empty-'));
    const { cli, out } = io();
    expect(await runGmai(['runs', 'import', empty, '--token', 't'], cli)).toBe(2);
    expect(out.stderr).toContain('no <model>_GMAI-MMBench_VAL.xlsx file under');
  });

  it('score: refuses an unknown file type and --save without a token', async () => {
    const file = path.join(dir, 'p.txt');
    writeFileSync(file, 'x');
    let run = io();
    expect(await runGmai(['score', file, '--split', 'val'], run.cli)).toBe(2);
    expect(run.out.stderr).toContain('unknown file type');
    writeFileSync(path.join(dir, 'p.json'), '{}');
    run = io();
    expect(await runGmai(['score', path.join(dir, 'p.json'), '--split', 'val', '--save', '--model', 'M'], run.cli)).toBe(2);
    expect(run.out.stderr).toContain('needs a token');
  });

  it('verify: a receipt against a JWKS file, offline', async () => {
    const key = await importSigningKey(await generateSigningKeyText());
    const jwks = path.join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [key.publicJwk] }));
    const receipt = await signReceipt(key, {
      run_id: 'r',
      model: 'M',
      split: 'test',
      dataset_version: 'v',
      predictions_sha256: 'x',
      results: { s: { n: 30, correct: 10, accuracy: 1 / 3 } },
      iat: 0,
    });
    let run = io();
    expect(await runGmai(['verify', receipt, '--jwks', jwks], run.cli)).toBe(0);
    expect(run.out.stdout).toContain('run r: M on test (dataset v)');
    expect(run.out.stdout).toContain('s: 10/30 (33.33%)');
    writeFileSync(path.join(dir, 'not-jwks.json'), '[]');
    run = io();
    expect(await runGmai(['verify', receipt, '--jwks', path.join(dir, 'not-jwks.json')], run.cli)).toBe(2);
    expect(run.out.stderr).toContain('is not a JWK set');
  });
});
