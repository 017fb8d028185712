// Node-side test support: real wrangler dev servers on temporary state, and real data files.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer, type DevServerOptions } from '../../scripts/dev-server';
import { IngestClient } from '../../scripts/import/ingest-client';
import { REPO_ROOT } from '../../scripts/local-dev';

export const SHARED_GMAI = path.resolve(REPO_ROOT, '../shared/gmai');
export const HAVE_SHARED = existsSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv'));
if (!HAVE_SHARED) console.warn(`SKIPPING tests on real GMAI-MMBench files: ${SHARED_GMAI} is missing`);

export const TEST_ADMIN_TOKEN = 'node-test-admin-token';

export interface TestServer extends DevServer {
  client: IngestClient;
  state: string;
  json<T = unknown>(pathAndQuery: string, init?: RequestInit): Promise<T>;
  close(): Promise<void>;
}

/** A wrangler dev of this repo on a free port with its own empty local D1/R2 state. */
export async function startTestServer(options: Pick<DevServerOptions, 'envFile'> = {}): Promise<TestServer> {
  const state = tempDir('gmai-state-');
  const server = await startDevServer({ ...options, persistTo: state, vars: { ADMIN_TOKEN: TEST_ADMIN_TOKEN }, frozen: true });
  return {
    ...server,
    state,
    client: new IngestClient(server.url, TEST_ADMIN_TOKEN),
    async json<T>(pathAndQuery: string, init?: RequestInit): Promise<T> {
      const res = await fetch(server.url + pathAndQuery, init);
      if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async close() {
      await server.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/**
 * fetch, sent again once where the pooled keep-alive socket it took was closed by the server's idle
 * timeout as the request went out (EPIPE / ECONNRESET before any response): a transport race after a
 * long pause (say, a test computing its expected values on a busy machine), not an answer.
 */
export async function fetchOnLiveConnection(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error;
    return await fetch(url, init);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Every question of a split, through the NDJSON stream of the read API. */
export async function allQuestions(server: DevServer, split: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${server.url}/v1/questions?split=${split}`, { headers: { Accept: 'application/x-ndjson' } });
  if (!res.ok) throw new Error(`ndjson: ${res.status} ${await res.text()}`);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
