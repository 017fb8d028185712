// The commands of `npm run gmai`, against the HTTP API with fetch; all I/O comes in through CliIo.
import path from 'node:path';
import { verifyReceipt, readReceiptPayload, type PublicJwk } from '../../src/receipts/jws';
import { parseGmaiArgs, USAGE, UsageError, type ImportCommand, type ScoreCommand, type VerifyCommand } from './args';
import { evaluateGates, formatMarkdown, formatTable, gatesPassed, summarizeResponse } from './gates';

export interface CliIo {
  readonly fetch: typeof fetch;
  readonly readFile: (file: string) => Promise<Uint8Array>;
  /** Every file below a folder, as paths relative to it. */
  readonly listFiles: (folder: string) => Promise<string[]>;
  readonly appendFile: (file: string, text: string) => Promise<void>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const EXIT = { ok: 0, gateFailed: 1, error: 2 } as const;

/** Anything that is not a gate result: printed as is, exit 2. */
class CliError extends Error {}

export async function runGmai(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseGmaiArgs(argv, io.env);
    if (command.command === 'score') return await score(command, io);
    if (command.command === 'runs-import') return await importRuns(command, io);
    return await verify(command, io);
  } catch (err) {
    if (err instanceof UsageError) io.stderr(`gmai: ${err.message}\n\n${USAGE}\n`);
    else if (err instanceof CliError) io.stderr(`gmai: ${err.message}\n`);
    else io.stderr(`gmai: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}

const MEDIA_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.tsv': 'text/tab-separated-values',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

async function score(command: ScoreCommand, io: CliIo): Promise<number> {
  const body = await readInput(command.file, io);
  const mediaType = MEDIA_TYPES[path.extname(command.file).toLowerCase()];
  if (!mediaType) throw new CliError(`${command.file}: unknown file type (expected .xlsx, .tsv, .csv or .json)`);
  const query = new URLSearchParams({ split: command.split });
  if (command.save) query.set('model', command.save.model);
  if (command.scorer) query.set('scorer', command.scorer);
  if (command.compare) query.set('compare_to', command.compare.run);
  if (command.save && !command.token) throw new CliError('--save stores a run, which needs a token (--token or $GMAI_TOKEN)');
  const endpoint = command.save ? '/v1/runs' : '/v1/scores';
  const res = await request(io, `${command.url}${endpoint}?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': mediaType, ...bearer(command.token) },
    body,
  });
  const answer = await readJson(res, endpoint);
  let summary;
  try {
    summary = summarizeResponse(answer, command.scorer);
  } catch (err) {
    throw new CliError(`${endpoint}: ${(err as Error).message}`);
  }
  if (command.save) {
    const run = answer as { id?: unknown; links?: { self?: unknown } };
    summary = { ...summary, run: { id: String(run.id), created: res.status === 201, ...(typeof run.links?.self === 'string' ? { url: run.links.self } : {}) } };
  }
  const gates = evaluateGates(summary, command);
  io.stdout(`${formatTable(summary, gates)}\n`);
  if (io.env.GITHUB_STEP_SUMMARY) await io.appendFile(io.env.GITHUB_STEP_SUMMARY, formatMarkdown(summary, gates));
  return gatesPassed(gates) ? EXIT.ok : EXIT.gateFailed;
}

/** VLMEvalKit's prediction files are `<model>_GMAI-MMBench_VAL.xlsx`. */
const VLMEVALKIT_VAL_FILE = /^(.+)_GMAI-MMBench_VAL\.xlsx$/;

async function importRuns(command: ImportCommand, io: CliIo): Promise<number> {
  if (!command.token) throw new CliError('runs import stores runs, which needs a token (--token or $GMAI_TOKEN)');
  let files: string[];
  try {
    files = (await io.listFiles(command.folder)).filter((f) => VLMEVALKIT_VAL_FILE.test(path.basename(f))).sort();
  } catch (err) {
    throw new CliError(`cannot read folder ${command.folder}: ${(err as Error).message}`);
  }
  if (files.length === 0) throw new CliError(`no <model>_GMAI-MMBench_VAL.xlsx file under ${command.folder}`);
  if (command.model && files.length > 1) throw new CliError(`--model names one run, but ${command.folder} holds ${files.length} prediction files`);
  let failures = 0;
  for (const file of files) {
    const model = command.model ?? VLMEVALKIT_VAL_FILE.exec(path.basename(file))![1]!;
    const query = new URLSearchParams({ split: 'val', model, ...(command.visibility ? { visibility: command.visibility } : {}) });
    try {
      const body = await readInput(path.join(command.folder, file), io);
      const res = await request(io, `${command.url}/v1/runs?${query}`, {
        method: 'POST',
        headers: { 'Content-Type': MEDIA_TYPES['.xlsx']!, ...bearer(command.token) },
        body,
      });
      const run = (await readJson(res, '/v1/runs')) as { id?: string };
      const { overall } = summarizeResponse(run, undefined);
      io.stdout(`${model}: ${run.id} ${res.status === 201 ? 'saved' : 'already saved'}, ${overall.correct}/${overall.n} correct\n`);
    } catch (err) {
      failures++;
      io.stderr(`gmai: ${file}: ${(err as Error).message}\n`);
    }
  }
  io.stdout(`${files.length - failures} of ${files.length} run(s) imported\n`);
  return failures ? EXIT.error : EXIT.ok;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

async function verify(command: VerifyCommand, io: CliIo): Promise<number> {
  let receipt = command.subject.trim();
  if (!COMPACT_JWS.test(receipt)) {
    const res = await request(io, `${command.url}/v1/runs/${encodeURIComponent(receipt)}`, {});
    const run = (await readJson(res, `/v1/runs/${receipt}`)) as { receipt?: unknown };
    if (typeof run.receipt !== 'string') throw new CliError(`run ${receipt} has no receipt`);
    receipt = run.receipt;
  }
  const jwks = command.jwksFile ? parseJwks(await readInput(command.jwksFile, io), command.jwksFile) : await fetchJwks(command.url, io);
  const result = await verifyReceipt(receipt, jwks);
  if (!result.ok) {
    const claimed = readReceiptPayload(receipt);
    io.stdout(`INVALID receipt${claimed?.run_id ? ` (claims run ${claimed.run_id})` : ''}: ${result.reason}\n`);
    return EXIT.gateFailed;
  }
  const p = result.payload;
  const results = Object.entries(p.results).map(
    ([scorer, r]) => `  ${scorer}: ${r.correct}/${r.n}${r.accuracy === null ? '' : ` (${(100 * r.accuracy).toFixed(2)}%)`}`,
  );
  io.stdout(
    `${[
      `valid receipt, signed by key ${result.kid} at ${new Date(p.iat * 1000).toISOString()}`,
      `  run ${p.run_id}: ${p.model} on ${p.split} (dataset ${p.dataset_version})`,
      `  predictions sha256 ${p.predictions_sha256}`,
      ...results,
    ].join('\n')}\n`,
  );
  return EXIT.ok;
}

async function fetchJwks(url: string, io: CliIo): Promise<{ keys: PublicJwk[] }> {
  const res = await request(io, `${url}/.well-known/jwks.json`, {});
  return parseJwks(new TextEncoder().encode(JSON.stringify(await readJson(res, '/.well-known/jwks.json'))), `${url}/.well-known/jwks.json`);
}

function parseJwks(bytes: Uint8Array, source: string): { keys: PublicJwk[] } {
  try {
    const jwks = JSON.parse(new TextDecoder().decode(bytes)) as { keys?: unknown };
    if (Array.isArray(jwks.keys)) return { keys: jwks.keys as PublicJwk[] };
  } catch {
    // reported below
  }
  throw new CliError(`${source} is not a JWK set ({"keys": [...]})`);
}

async function readInput(file: string, io: CliIo): Promise<Uint8Array> {
  try {
    return await io.readFile(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function request(io: CliIo, url: string, init: RequestInit): Promise<Response> {
  try {
    return await io.fetch(url, init);
  } catch (err) {
    throw new CliError(
      `cannot reach ${new URL(url).origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
}

/** The JSON of a 2xx answer; any other answer becomes a CliError carrying the problem's detail. */
async function readJson(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  if (res.ok && body !== null) return body;
  if (res.ok) throw new CliError(`${what}: the server answered ${res.status} without JSON`);
  const problem = (body ?? {}) as { title?: string; detail?: string; errors?: Array<{ name: string; reason: string }> };
  const errors = (problem.errors ?? [])
    .slice(0, 10)
    .map((e) => `\n  ${e.name}: ${e.reason}`)
    .join('');
  const more = (problem.errors?.length ?? 0) > 10 ? `\n  … and ${problem.errors!.length - 10} more` : '';
  throw new CliError(`${what}: ${res.status} ${problem.title ?? res.statusText}${problem.detail ? `: ${problem.detail}` : ''}${errors}${more}`);
}

function bearer(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
