// npm run bench [-- --quick]: starts its own Worker (wrangler dev, fresh local state), imports the
// generated dataset (timed), drives the read API with autocannon, times scoring, and writes
// bench/results/latest.{json,md}. Every figure is also given relative to /v1/health of the same run.
// A mixed scenario (pages, tree, images, NDJSON, scoring) at 64 connections ends the load runs;
// `--mixed-only` runs just that one after the imports; `--scoring-only` the imports, scoring timings and pandas path.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../r2-seed/prng';
import { MANIFEST_FILE, TEST_ANSWERS_FILE, testPartFiles, VAL_FILE, writeDataset, type Manifest } from '../r2-seed/write-dataset';
import { freePort, startDevServer } from '../scripts/dev-server';
import { ensureLocalReceiptKey, REPO_ROOT } from '../scripts/local-dev';
import { buildTextXlsx } from '../test/fixtures/xlsx-fixture';
import { GMAI_DIR } from '../test/fixtures/real-val-meta';
import { parsePredictionsXlsx } from '../src/scoring/prediction-files';
import { exportReportLines, timeScorers, timeTsvExports, type ScorerTiming, type TsvExportResult } from './exports';
import { runLoad, type LoadResult, type LoadScenario } from './load';
import { mixedRequests, runMixedLoad, type MixedResult } from './mixed-load';
import { timeRunScenarios } from './runs-scenario';
import { createToken, splitQuestions } from './api';
import { TSV_DATA_COLUMNS } from '../src/dataset/vocabulary';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'mixed-only': { type: 'boolean', default: false },
    'scoring-only': { type: 'boolean', default: false },
  },
});
const QUICK = values.quick;
const MIXED_ONLY = values['mixed-only'];
/** Imports, the scoring timings and the pandas path only: the quick loop for work on scoring. */
const SCORING_ONLY = values['scoring-only'];
const SETTINGS = QUICK
  ? { warmupSeconds: 1, seconds: 2, connections: [32], timedRuns: 3, warmupRuns: 1, deepPages: 5, mixedSeconds: 5 }
  : { warmupSeconds: 3, seconds: 8, connections: [8, 32], timedRuns: 7, warmupRuns: 3, deepPages: 100, mixedSeconds: 60 };
const MIXED_CONNECTIONS = 64;
const ADMIN = 'bench-admin-token';
const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
/** Names of the timed requests the goals table compares. */
const XLSX_REAL = 'score the real VAL xlsx (Qwen2-VL-7B, 4550 rows)';
const JSON_REAL = 'score the same 4550 predictions as JSON';
const TEST_COLD = 'score TEST JSON, first request after a server restart';
const TEST_WARM = 'score TEST JSON after a restart, later requests';
const PANDAS_PATH = "a user's pandas path: read the real VAL xlsx + meta TSV, 2024 rules, group means (process wall)";
const REAL_XLSX_FILE = path.join(GMAI_DIR, 'vlmevalkit', 'Qwen2-VL-7B-Instruct', 'Qwen2-VL-7B-Instruct_GMAI-MMBench_VAL.xlsx');
const VAL_META_FILE = path.join(GMAI_DIR, 'GMAI-MMBench_VAL.meta.tsv');

interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  ok: boolean;
}

interface ImportTiming {
  split: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  peakRssMb: number;
  ok: boolean;
}

const started = Date.now();
const dataDir = QUICK ? path.join(os.tmpdir(), 'gmai-bench-quick-data') : path.join(REPO_ROOT, 'r2-seed', 'data');
const manifest = ensureDataset(dataDir);
const state = path.join(os.tmpdir(), `gmai-bench-state-${process.pid}`);
// Runs are signed: the bench Worker gets its own receipt key, as `npm start` writes one.
const envFile = `${state}.vars`;
await ensureLocalReceiptKey(envFile);
const startServer = async () => startDevServer({ persistTo: state, vars: { ADMIN_TOKEN: ADMIN }, envFile, frozen: true, port: await freePort() });
let server = await startServer();
try {
  const imports = [
    await timeImport('val', [path.join(dataDir, VAL_FILE)]),
    await timeImport('test', testPartFiles(dataDir), path.join(dataDir, TEST_ANSWERS_FILE)),
  ];
  const scenarios = MIXED_ONLY || SCORING_ONLY ? [] : await loadScenarios();
  const load: LoadResult[] = [];
  for (const scenario of scenarios) {
    await runLoad(server.url, scenario, 8, SETTINGS.warmupSeconds);
    for (const connections of SETTINGS.connections) {
      const result = await runLoad(server.url, scenario, connections, SETTINGS.seconds);
      load.push(result);
      console.error(
        `  ${scenario.name} c=${connections}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms${result.failures ? `, ${result.failures} FAILURES` : ''}`,
      );
    }
  }
  const mixed = SCORING_ONLY ? null : await runMixedLoad(server.url, await mixedRequests(server.url), MIXED_CONNECTIONS, SETTINGS.mixedSeconds);
  if (mixed) {
    console.error(
      `  mixed c=${MIXED_CONNECTIONS}: ${mixed.requestsPerSecond.toFixed(0)} req/s, p50 ${mixed.p50Ms} ms, p99 ${mixed.p99Ms} ms, ${mixed.failures} failures`,
    );
    for (const [kind, seen] of Object.entries(mixed.unexpected)) console.error(`    ${kind}: ${JSON.stringify(seen.statuses)} ${seen.firstBody}`);
  }
  const runs = MIXED_ONLY || SCORING_ONLY ? { timings: [], bytesPerRun: {} } : await timeRunScenarios(server.url, ADMIN, timeRuns);
  const timings = MIXED_ONLY ? [] : [await timeNdjson(), ...(await timeScoring()), ...runs.timings, ...(await timeAfterRestart()), ...(await timePandasPath())];
  const scorers = MIXED_ONLY || SCORING_ONLY ? [] : await timeScorers(server.url, SETTINGS.timedRuns);
  // Last: under wrangler dev the request after the whole TEST TSV can stall before reaching the Worker.
  const tsv = MIXED_ONLY || SCORING_ONLY ? [] : await timeTsvExports(server.url, manifest.rows.test);
  writeReport({ imports, load, mixed, timings, tsv, scorers, outcomeBytesPerRun: runs.bytesPerRun });
} finally {
  await server.stop();
  rmSync(state, { recursive: true, force: true });
  rmSync(envFile, { force: true });
}

function ensureDataset(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  console.error(`generating the ${QUICK ? 'small' : 'default'} dataset in ${dir} ...`);
  return writeDataset({ out: dir, seed: 1, scale: QUICK ? 0.05 : 1, large: true });
}

async function timeImport(split: string, files: string[], answers?: string): Promise<ImportTiming> {
  const args = ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'import-runner.ts'), ...files, '--split', split, '--url', server.url, '--token', ADMIN];
  if (answers) args.push('--answers', answers);
  const run = await runProcess(process.execPath, args);
  if (run.status !== 0) throw new Error(`import ${split} failed (${run.status})`);
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { status: string; rows: number; bytes: number; seconds: number; maxRssBytes: number };
  console.error(`  import ${split}: ${r.rows} rows in ${r.seconds.toFixed(1)} s`);
  return {
    split,
    rows: r.rows,
    seconds: r.seconds,
    rowsPerSecond: r.rows / r.seconds,
    megabytesPerSecond: r.bytes / 1e6 / r.seconds,
    peakRssMb: r.maxRssBytes / 1e6,
    ok: r.status === 'committed',
  };
}

async function get<T>(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ body: T; res: Response }> {
  const res = await fetch(server.url + pathAndQuery, { headers });
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as T, res };
}

async function loadScenarios(): Promise<LoadScenario[]> {
  type Page = { data: Array<{ question: string; image: { sha256: string; bytes: number } }>; next_cursor: string | null };
  const imageOf = async (target: number) => {
    const large = manifest.largeImages.find((l) => l.split === 'val' && l.targetBytes === target)!;
    return (await get<Page['data'][number]>(`/v1/questions/val/${large.index}`)).body.image.sha256;
  };
  const [image300k, image2m] = [await imageOf(300_000), await imageOf(2_000_000)];
  const twoFilter = '/v1/questions?split=val&department=Ophthalmology&granularity=Image%20level&limit=100';
  let cursor: string | null = null;
  for (let page = 0; page < SETTINGS.deepPages; page++) {
    const body: Page = (await get<Page>(`/v1/questions?split=test&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
    if (!body.next_cursor) break;
    cursor = body.next_cursor;
  }
  // The ETag varies with Accept, so the revalidation sends the same Accept as the request that got it.
  const accept = { Accept: 'application/json' };
  const etag = (await get(twoFilter, accept)).res.headers.get('ETag')!;
  const firstQuestion = (await get<Page>('/v1/questions?split=val&limit=1')).body.data[0]!.question;
  const keyword = firstQuestion.split(/[^A-Za-z]+/).find((w) => w.length >= 5) ?? 'image';
  return [
    { name: 'health', path: '/v1/health' },
    { name: 'questions: 2 filters, 100 per page', path: twoFilter },
    // Beside the page of 100 and its 304: what a page costs beyond the request itself (item 5).
    { name: 'questions: 2 filters, 10 per page', path: twoFilter.replace('limit=100', 'limit=10') },
    {
      name: `questions: deep page by cursor (page ${SETTINGS.deepPages + 1})`,
      path: `/v1/questions?split=test&limit=100&cursor=${encodeURIComponent(cursor ?? '')}`,
    },
    { name: `questions: keyword search q=${keyword}`, path: `/v1/questions?split=test&q=${keyword}&limit=50` },
    { name: 'tree: 2 filters', path: '/v1/tree?split=test&modality=CT&granularity=Mask%20level' },
    { name: 'image 300 KB', path: `/v1/images/${image300k}` },
    { name: 'image 300 KB, Range 64 KB', path: `/v1/images/${image300k}`, headers: { Range: 'bytes=0-65535' }, expectStatus: 206 },
    { name: 'image 2 MB', path: `/v1/images/${image2m}` },
    { name: 'image 2 MB, Range 64 KB', path: `/v1/images/${image2m}`, headers: { Range: 'bytes=1000000-1065535' }, expectStatus: 206 },
    { name: 'questions: If-None-Match → 304', path: twoFilter, headers: { ...accept, 'If-None-Match': etag }, expectStatus: 304 },
  ];
}

/**
 * Median of `runs` requests, after untimed warm-ups: a request kind's first few in an isolate run while
 * V8 is still optimizing its code (the real xlsx: 191, 70, 54, 47, 46, then 32-40 ms), so without them
 * a median of 7 mixes that in for kinds sent late and not for kinds sent earlier. A single run (the
 * first request of a kind, on purpose) has no warm-up.
 */
async function timeRuns(name: string, run: () => Promise<boolean>, runs = SETTINGS.timedRuns): Promise<Timing> {
  const durations: number[] = [];
  let ok = true;
  const warmups = runs > 1 ? SETTINGS.warmupRuns : 0;
  for (let i = -warmups; i < runs; i++) {
    // Building a body can block the event loop past the server's keep-alive timeout: one turn of the
    // loop lets the client see the sockets the server closed meanwhile, so none is reused mid-close.
    await new Promise((resolve) => setImmediate(resolve));
    const t = performance.now();
    ok = (await run()) && ok;
    if (i >= 0) durations.push(performance.now() - t);
  }
  durations.sort((a, b) => a - b);
  return { name, medianMs: durations[Math.floor(durations.length / 2)]!, minMs: durations[0]!, maxMs: durations.at(-1)!, runs: durations.length, ok };
}

async function timeNdjson(): Promise<Timing> {
  return timeRuns(`whole VAL as NDJSON (${manifest.rows.val} questions)`, async () => {
    const res = await fetch(`${server.url}/v1/questions?split=val`, { headers: { Accept: 'application/x-ndjson' } });
    const lines = (await res.text()).split('\n').filter(Boolean).length;
    return res.ok && lines === manifest.rows.val;
  });
}

/** Raw model outputs of the kinds VLMEvalKit sees: bare letters, sentences, option texts, refusals. */
function rawPrediction(rng: Rng, options: Record<string, string>): string {
  const letters = Object.keys(options);
  const letter = letters[rng.uint32() % letters.length]!;
  switch (rng.uint32() % 5) {
    case 0:
      return letter;
    case 1:
      return `The answer is ${letter}.`;
    case 2:
      return options[letter]!;
    case 3:
      return 'I cannot determine the answer from this image.';
    default:
      return `Looking at the highlighted region, the findings are most consistent with ${options[letter]}. Therefore: (${letter})`;
  }
}

async function timeScoring(): Promise<Timing[]> {
  const token = await createToken(server.url, ADMIN, 'bench');
  type Question = { index: number; question: string; options: Record<string, string>; [k: string]: unknown };
  const questions = (split: string) => splitQuestions<Question>(server.url, split);
  const rng = new Rng(7);
  const test = await questions('test');
  const val = await questions('val');
  const testBody = JSON.stringify({ predictions: Object.fromEntries(test.map((q) => [q.index, rawPrediction(rng, q.options)])) });
  const valPredictions = val.map((q) => rawPrediction(rng, q.options));
  const xlsx = buildTextXlsx([
    [...TSV_DATA_COLUMNS, 'image_path', 'prediction'],
    ...val.map((q, i) => [
      String(q.index),
      q.question,
      ...['A', 'B', 'C', 'D', 'E'].map((l) => q.options[l] ?? null),
      String(q.answer),
      String(q.category),
      String(q.clinical_vqa_task),
      q.department === null ? null : String(q.department),
      String(q.perceptual_granularity),
      String(q.modality),
      String(q.original_task),
      `images/${q.index}.jpg`,
      valPredictions[i]!,
    ]),
  ]);
  const post = (query: string, body: BodyInit, headers: Record<string, string>) => async () =>
    (await fetch(`${server.url}/v1/scores?${query}`, { method: 'POST', body, headers })).status === 200;
  const realTimings: Timing[] = [];
  // The real file names all 4,550 VAL indexes: only the full-size generated VAL has them all (not --quick).
  if (existsSync(REAL_XLSX_FILE) && val.length === 4550) {
    // The real VAL file against the same 4,550 predictions as JSON (the generated VAL has the same indexes).
    const realXlsx = readFileSync(REAL_XLSX_FILE);
    const parsed = await parsePredictionsXlsx(new Uint8Array(realXlsx));
    if (!parsed.ok) throw new Error('the real VAL xlsx does not parse');
    const realJson = JSON.stringify({ predictions: Object.fromEntries(parsed.rows.map((r) => [r.index, r.prediction])) });
    realTimings.push(
      await timeRuns(
        `${XLSX_REAL} (${(realXlsx.length / 1e6).toFixed(1)} MB)`,
        post('split=val', realXlsx, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
      ),
      await timeRuns(JSON_REAL, post('split=val', realJson, { 'Content-Type': 'application/json' })),
    );
  } else {
    console.error(`  (no real VAL xlsx at ${REAL_XLSX_FILE}, or a VAL smaller than 4,550 questions: the real xlsx/JSON pair is skipped)`);
  }
  const subsetBody = JSON.stringify({ predictions: Object.fromEntries(val.slice(0, 500).map((q, i) => [q.index, valPredictions[i]])) });
  const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const testPost = post('split=test', testBody, { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` });
  // The first request of an isolate reads the answer key from D1; later ones use the cached key.
  return [
    // Exactly one run: only the first request of the isolate reads the answer key.
    await timeRuns('score TEST JSON, first request (reads the answer key)', testPost, 1),
    await timeRuns(`score TEST as JSON (${test.length} raw predictions, ${(testBody.length / 1e6).toFixed(1)} MB)`, testPost),
    await timeRuns(
      `score VAL as VLMEvalKit xlsx (${val.length} rows, ${(xlsx.length / 1e6).toFixed(1)} MB)`,
      post('split=val', xlsx, { 'Content-Type': xlsxType }),
    ),
    await timeRuns('score a 500-question VAL subset as JSON', post('split=val', subsetBody, { 'Content-Type': 'application/json' })),
    ...realTimings,
  ];
}

/** Restarts the server on the same state: its first TEST scoring (answer key not yet read) against later ones. */
async function timeAfterRestart(): Promise<Timing[]> {
  const token = await createToken(server.url, ADMIN, 'bench-restart');
  const test = await splitQuestions(server.url, 'test');
  const body = JSON.stringify({ predictions: Object.fromEntries(test.map((q) => [q.index, 'A'])) });
  await server.stop();
  server = await startServer();
  // The health check wakes the isolate, so the timed request pays for the key, not for the start.
  await fetch(`${server.url}/v1/health`);
  const post = async () =>
    (
      await fetch(`${server.url}/v1/scores?split=test`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      })
    ).status === 200;
  return [await timeRuns(TEST_COLD, post, 1), await timeRuns(TEST_WARM, post)];
}

/**
 * What the service replaces: bench/pandas-path.py run as a user would (python3 with pandas and
 * openpyxl), timed as a whole process, compared in the goals table with one POST of the same file.
 */
async function timePandasPath(): Promise<Timing[]> {
  if (!existsSync(REAL_XLSX_FILE) || !existsSync(VAL_META_FILE)) return [];
  const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import pandas, openpyxl']).status === 0);
  if (!python) {
    console.error('  (no python3 with pandas and openpyxl, e.g. apt-get install python3-pandas python3-openpyxl: the pandas comparison is skipped)');
    return [];
  }
  const script = path.join(REPO_ROOT, 'bench', 'pandas-path.py');
  const durations: number[] = [];
  let ok = true;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const run = await runProcess(python, [script, REAL_XLSX_FILE, VAL_META_FILE]);
    durations.push(performance.now() - t);
    ok &&= run.status === 0 && typeof (JSON.parse(run.stdout) as { Overall?: unknown }).Overall === 'number';
  }
  durations.sort((a, b) => a - b);
  return [{ name: PANDAS_PATH, medianMs: durations[1]!, minMs: durations[0]!, maxMs: durations[2]!, runs: 3, ok }];
}

/**
 * A child process run to its end without blocking the event loop: seconds of spawnSync would outlast
 * the server's keep-alive timeout, and the next request would go out on a socket the server closed.
 */
function runProcess(command: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

function writeReport(results: {
  imports: ImportTiming[];
  load: LoadResult[];
  mixed: MixedResult | null;
  timings: Timing[];
  tsv: TsvExportResult[];
  scorers: ScorerTiming[];
  outcomeBytesPerRun: Record<string, number>;
}): void {
  const { mixed } = results;
  const health = results.load.find((l) => l.scenario === 'health' && l.connections === 32) ?? results.load[0] ?? { requestsPerSecond: NaN, p50Ms: NaN };
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const failed =
    results.load.filter((l) => l.failures > 0).length +
    ((mixed?.failures ?? 0) > 0 ? 1 : 0) +
    [...results.timings, ...results.tsv, ...results.scorers, ...results.imports].filter((t) => !t.ok).length;
  const lines = [
    `Run ${new Date().toISOString()}${QUICK ? ' (--quick: small dataset, short runs)' : ''} on ${machine}; ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    '',
    '| HTTP scenario (autocannon) | conn. | req/s | × health | p50 ms | p99 ms | failures |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.load.map(
      (l) =>
        `| ${l.scenario} | ${l.connections} | ${l.failures ? 'FAILED' : l.requestsPerSecond.toFixed(0)} | ${(l.requestsPerSecond / health.requestsPerSecond).toFixed(2)} | ${l.p50Ms} | ${l.p99Ms} | ${l.failures} |`,
    ),
    '',
    ...mixedReportLines(mixed),
    '| timed request | median ms | min–max ms | runs | × health p50 |',
    '|---|---:|---:|---:|---:|',
    ...results.timings.map(
      (t) =>
        `| ${t.name} | ${t.ok ? t.medianMs.toFixed(0) : 'FAILED'} | ${t.minMs.toFixed(0)}–${t.maxMs.toFixed(0)} | ${t.runs} | ${(t.medianMs / Math.max(health.p50Ms, 1)).toFixed(0)} |`,
    ),
    '',
    '| import | rows | seconds | rows/s | MB/s | peak RSS MB | rows/s × health req/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.imports.map(
      (i) =>
        `| ${i.split} | ${i.rows} | ${i.ok ? i.seconds.toFixed(1) : 'FAILED'} | ${i.rowsPerSecond.toFixed(0)} | ${i.megabytesPerSecond.toFixed(1)} | ${i.peakRssMb.toFixed(0)} | ${(i.rowsPerSecond / health.requestsPerSecond).toFixed(3)} |`,
    ),
    ...exportReportLines(results.tsv, results.scorers, manifest.rows.val),
    '',
    `Stored outcomes per run (three scorers): ${Object.entries(results.outcomeBytesPerRun)
      .map(([split, bytes]) => `${split} ${bytes.toLocaleString('en-US')} bytes`)
      .join(', ')}.`,
  ];
  const timing = (prefix: string) => results.timings.find((t) => t.name.startsWith(prefix));
  const ratio = (a?: Timing, b?: Timing) => (a && b && a.ok && b.ok ? a.medianMs / b.medianMs : null);
  const valImport = results.imports.find((i) => i.split === 'val');
  const page32 = results.load.find((l) => l.scenario.startsWith('questions: 2 filters') && l.connections === 32);
  const goals: Array<[string, number | null, string, string]> = [
    ['real VAL xlsx / same predictions as JSON (median ms)', ratio(timing(XLSX_REAL), timing(JSON_REAL)), '≤ 1.3', '×'],
    ['first TEST scoring after a restart / later ones', ratio(timing(TEST_COLD), timing(TEST_WARM)), '≤ 1.5', '×'],
    ['import of the generated VAL', valImport?.ok ? valImport.rowsPerSecond : null, '≥ 2000', 'rows/s'],
    ["user's pandas path / one POST of the same real VAL xlsx", ratio(timing(PANDAS_PATH), timing(XLSX_REAL)), '≥ 40', '×'],
    ['2-filter page of 100 / health, 32 connections', page32 ? page32.requestsPerSecond / health.requestsPerSecond : null, '≥ 0.7', '×'],
  ];
  lines.push(
    '',
    '| goal (issue 13) | this run | goal |',
    '|---|---:|---:|',
    ...goals.map(
      ([name, value, goal, unit]) => `| ${name} | ${value === null ? 'n/a' : `${value.toFixed(unit === 'rows/s' ? 0 : 2)} ${unit}`} | ${goal} ${unit} |`,
    ),
  );
  const markdown = `${lines.join('\n')}\n`;
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'latest.md'), markdown);
  writeFileSync(
    path.join(RESULTS, 'latest.json'),
    `${JSON.stringify({ quick: QUICK, machine, goals: goals.map(([name, value, goal, unit]) => ({ name, value, goal, unit })), ...results }, null, 2)}\n`,
  );
  console.log(markdown);
  if (failed) {
    console.log(`${failed} scenario(s) FAILED`);
    process.exitCode = 1;
  }
}

function mixedReportLines(mixed: MixedResult | null): string[] {
  if (!mixed) return [];
  return [
    `Mixed load, ${mixed.connections} connections for ${mixed.seconds} s, clients: ${mixed.clients}.`,
    '',
    '| mixed scenario | req/s | p50 ms | p99 ms | requests | 5xx | other non-2xx | connection errors/timeouts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| ${Object.entries(mixed.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(
        ', ',
      )} | ${mixed.failures ? 'FAILED' : mixed.requestsPerSecond.toFixed(0)} | ${mixed.p50Ms} | ${mixed.p99Ms} | ${mixed.requests} | ${mixed.serverErrors} | ${mixed.non2xx - mixed.serverErrors} | ${mixed.errors} |`,
    '',
  ];
}
