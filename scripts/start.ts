// npm start: serve the API locally (wrangler dev, persisted D1 + R2 in .wrangler/state), generating
// and importing the default synthetic dataset first for any split that holds no data yet.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SPLITS, type Split } from '../src/dataset/vocabulary';
import { startDevServer } from './dev-server';
import { IngestClient } from './import/ingest-client';
import { TerminalProgress } from './import/progress';
import { runImport } from './import/run-import';
import { ensureLocalAdminToken, ensureLocalReceiptKey, REPO_ROOT } from './local-dev';
import { TEST_ANSWERS_FILE, testPartFiles, VAL_FILE } from '../r2-seed/write-dataset';
import { ensureSyntheticRuns, recordDefaultImport } from './synthetic-runs';

const DATA_DIR = path.join(REPO_ROOT, 'r2-seed', 'data');
/** wrangler dev's default local state (D1, R2), where the default-dataset marker lives beside the data. */
const STATE_DIR = path.join(REPO_ROOT, '.wrangler', 'state');
const DEFAULT_FILES: Record<Split, { files: string[]; answers?: string }> = {
  val: { files: [path.join(DATA_DIR, VAL_FILE)] },
  test: { files: testPartFiles(DATA_DIR), answers: path.join(DATA_DIR, TEST_ANSWERS_FILE) },
};

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8787' } } });
const started = performance.now();
const token = ensureLocalAdminToken();
await ensureLocalReceiptKey();
// A fresh clone has no dataset files: generation starts at once, beside wrangler's start-up.
const haveFiles = SPLITS.every((split) => DEFAULT_FILES[split].files.every((f) => existsSync(f))) && existsSync(path.join(DATA_DIR, 'manifest.json'));
const generation = haveFiles ? null : generateDefaultDataset();
const server = await startDevServer({ port: Number(values.port), onOutputLine: printWranglerLine() });
const stop = async () => {
  generation?.child.kill();
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const health = (await (await fetch(`${server.url}/v1/health`)).json()) as { questions: Partial<Record<Split, number>> };
const empty = SPLITS.filter((split) => !health.questions[split]);
if (!empty.length) generation?.child.kill(); // the served data stays; the files were only missing
const client = new IngestClient(server.url, token);
for (const split of empty) {
  const { files, answers } = DEFAULT_FILES[split];
  // While the generator runs, each file is read as soon as it is complete (TEST's key comes first).
  const awaitFile = generation ? (file: string) => generation.written(file) : undefined;
  const report = await runImport({ files, split, answersFile: answers, awaitFile, client, progress: new TerminalProgress(`importing default ${split}`) });
  if (report.status === 'invalid') throw new Error(`default ${split} dataset did not import: ${JSON.stringify(report.issues.slice(0, 5))}`);
  console.log(`imported default ${split}: ${report.rows} rows in ${report.seconds.toFixed(1)} s`);
  if (report.contentSha256) recordDefaultImport(STATE_DIR, split, report.contentSha256);
}
await generation?.done;
// Only while the generated default dataset is what is served (never on real data).
if (existsSync(DEFAULT_FILES.test.answers!)) {
  await ensureSyntheticRuns({ url: server.url, adminToken: token, stateDir: STATE_DIR, testAnswersFile: DEFAULT_FILES.test.answers!, log: console.log });
}

console.log(`
GMAI-MMBench API ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${server.url}
  ${server.url}/v1/health        dataset version and rows per split
  ${server.url}/v1/tree?split=val
  ${server.url}/v1/questions?split=val&department=Ophthalmology&limit=5
  ${server.url}/v1/leaderboard?split=val&granularity=Box%20level
  ${server.url}/docs             interactive API reference
Import the real benchmark with: npm run import -- <GMAI-MMBench_VAL.tsv> --split val
Ctrl-C stops the server; data stays in .wrangler/state.`);

/**
 * Wrangler's output, less two kinds of noise: the admin requests of the initial import, and the
 * offline failure to fetch Request.cf data (harmless without network access).
 */
function printWranglerLine(): (line: string) => void {
  let inOfflineTrace = false;
  return (line) => {
    if (line.includes('ENOTFOUND workers.cloudflare.com')) inOfflineTrace = true;
    else if (!(inOfflineTrace && /^\s+at /.test(line))) inOfflineTrace = false;
    if (!inOfflineTrace && !line.includes('/v1/admin/')) console.log(line);
  };
}

/** The generator as a child process that reports each file as soon as it is complete. */
function generateDefaultDataset() {
  console.log('generating the default synthetic dataset (first start only) ...');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'r2-seed', 'generate.ts'), '--out', DATA_DIR], {
    cwd: REPO_ROOT,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const writtenFiles = new Set<string>();
  const waiting: Array<() => void> = [];
  child.on('message', (message: { written?: string }) => {
    if (message.written) writtenFiles.add(path.join(DATA_DIR, message.written));
    for (const wake of waiting.splice(0)) wake();
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code, signal) => (code === 0 || signal === 'SIGTERM' ? resolve() : reject(new Error(`dataset generator failed (${code ?? signal})`))));
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  /** Resolves once the generator has written `file` (a path in DATA_DIR). */
  const written = async (file: string): Promise<void> => {
    while (!writtenFiles.has(file)) {
      if (exited) return done.then(() => Promise.reject(new Error(`dataset generator ended before writing ${file}`)));
      await Promise.race([done, new Promise<void>((wake) => waiting.push(wake))]);
    }
  };
  return { child, done, written };
}
