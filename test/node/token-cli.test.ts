// `npm run token` against a real wrangler dev: create with expiry and scopes, list with last use, revoke.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/local-dev';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from './support';

const run = promisify(execFile);

describe('npm run token', () => {
  let server: TestServer;
  const token = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args, '--url', server.url, '--token', TEST_ADMIN_TOKEN], { cwd: REPO_ROOT }).then(
      (r) => r.stdout,
    );

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('creates an expiring, scoped token; list shows expiry, scopes and last use; revoke ends it', async () => {
    const created = await token('create', 'ci', '--expires', '2099-01-01', '--scopes', 'score:test');
    const [, id] = /\(id ([0-9a-f-]{36}),/.exec(created)!;
    const secret = created.trim().split('\n').at(-1)!;
    expect(created).toContain('expires 2099-01-01T00:00:00.000Z');
    expect(secret).toMatch(/^gmb_/);
    const line = () => token('list').then((out) => out.split('\n').find((l) => l.startsWith(id!))!);
    expect(await line()).toMatch(/ live +created \S+ {2}expires 2099-01-01T00:00:00.000Z {2}last used never {2}score:test {2}ci$/);

    // A TEST scoring with the token (no TEST imported: past the token check it is a 409).
    const scored = await fetch(`${server.url}/v1/scores?split=test`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: '{"predictions": {}}',
    });
    expect(scored.status).toBe(409);
    expect(await line()).toMatch(/last used \d{4}-\d{2}-\d{2}T\S+Z {2}score:test/);

    expect(await token('revoke', id!)).toContain(`revoked ${id}`);
    expect(await line()).toMatch(/ revoked /);
    const refused = await fetch(`${server.url}/v1/scores?split=test`, { method: 'POST', headers: { Authorization: `Bearer ${secret}` }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toContain('error_description="revoked token"');
  });

  it('refuses a malformed --expires before calling the server', async () => {
    await expect(token('create', 'ci', '--expires', 'soon')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--expires soon') });
  });
});
