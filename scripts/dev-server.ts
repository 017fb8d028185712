// Starts `wrangler dev` (local D1 + R2, persisted) for npm start, the importer tests and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './local-dev';

const WRANGLER = path.join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');

export interface DevServerOptions {
  port?: number;
  /** Local state folder (wrangler's default is .wrangler/state). */
  persistTo?: string;
  /** Extra `--var NAME:VALUE` bindings, e.g. an ADMIN_TOKEN for tests. */
  vars?: Record<string, string>;
  /** A .dev.vars-style file of secrets (`--env-file`), e.g. one written by ensureLocalReceiptKey. */
  envFile?: string;
  /**
   * Serve a build of the current sources instead of watching them: edits made while it runs (by
   * the developer, or anyone sharing the checkout) then cannot reload the Worker mid-test or mid-bench.
   */
  frozen?: boolean;
  /** Receives wrangler's output line by line (npm start); without it wrangler only reports warnings. */
  onOutputLine?: (line: string) => void;
}

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Applies the D1 migrations to the local database (idempotent). */
export async function applyLocalMigrations(persistTo?: string): Promise<void> {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  await run(WRANGLER, args);
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  await applyLocalMigrations(options.persistTo);
  const port = options.port ?? (await freePort());
  const config = options.frozen ? await frozenConfig() : null;
  const args = [
    ...(config ? ['dev', '--config', config, '--no-bundle'] : ['dev']),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--show-interactive-dev-session=false',
    '--inspector-port',
    String(await freePort()),
  ];
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}:${value}`);
  if (options.envFile) args.push('--env-file', options.envFile);
  if (!options.onOutputLine) args.push('--log-level', 'warn');
  const child = spawn(WRANGLER, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output = `${output + line}\n`.slice(-4000);
      options.onOutputLine?.(line);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { url, stop: () => stopChild(child) };
}

/** Builds the Worker once and writes a wrangler config next to the bundle that serves it as is. */
async function frozenConfig(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmai-worker-'));
  await run(WRANGLER, ['deploy', '--dry-run', '--outdir', dir]);
  const source = readFileSync(path.join(REPO_ROOT, 'wrangler.toml'), 'utf8');
  const config = source
    .replace(/^main = .*$/m, `main = ${JSON.stringify(path.join(dir, 'index.js'))}`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(path.join(REPO_ROOT, 'migrations'))}`)
    .replace(/^directory = .*$/m, `directory = ${JSON.stringify(path.join(REPO_ROOT, 'public'))}`);
  const file = path.join(dir, 'wrangler.toml');
  writeFileSync(file, config);
  return file;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await once(child, 'exit');
  clearTimeout(timer);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}
