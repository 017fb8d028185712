// npm run token -- create <name> | list | revoke <id>   [--url URL] [--token ADMIN_TOKEN]
// Scoring tokens gate TEST scoring; the same command works locally and against a deployed Worker.
import { parseArgs } from 'node:util';
import { adminToken, DEFAULT_URL } from './local-dev';

const USAGE = `usage: npm run token -- create <name> | list | revoke <id>  [--url ${DEFAULT_URL}] [--token ADMIN_TOKEN]`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { url: { type: 'string' }, token: { type: 'string' } } });
  const [command, argument] = positionals;
  const token = adminToken(values.token);
  if (!token) {
    console.error('No admin token: pass --token, set GMAI_ADMIN_TOKEN, or run `npm start` once to create .dev.vars.');
    return 2;
  }
  const base = `${values.url ?? DEFAULT_URL}/v1/admin/tokens`;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(base + path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });

  let res: Response;
  if (command === 'create' && argument) res = await call('', { method: 'POST', body: JSON.stringify({ name: argument }) });
  else if (command === 'list' && !argument) res = await call('');
  else if (command === 'revoke' && argument) res = await call(`/${encodeURIComponent(argument)}`, { method: 'DELETE' });
  else {
    console.error(USAGE);
    return 2;
  }
  if (!res.ok) {
    console.error(`${command} failed: ${res.status} ${await res.text()}`);
    return 1;
  }
  if (command === 'create') {
    const created = (await res.json()) as { id: string; token: string };
    console.log(`token for "${argument}" (id ${created.id}); it is shown only once:\n${created.token}`);
  } else if (command === 'list') {
    const { data } = (await res.json()) as { data: Array<{ id: string; name: string; created_at: string; revoked_at: string | null }> };
    for (const t of data) console.log(`${t.id}  ${t.revoked_at ? 'revoked' : 'live   '}  ${t.created_at}  ${t.name}`);
  } else console.log(`revoked ${argument}`);
  return 0;
}

process.exitCode = await main();
