// npm run token -- create <name> [--expires 90d|2027-01-01] [--scopes score:test,runs:write] | list | revoke <id>
//   [--url URL] [--token ADMIN_TOKEN]
// Scoring tokens gate TEST scoring; the same command works locally and against a deployed Worker.
import { parseArgs } from 'node:util';
import { adminToken, DEFAULT_URL } from './local-dev';
import { parseExpiry, parseScopeList, tokenLine, type ListedToken } from './token-options';

const USAGE = `usage: npm run token -- create <name> [--expires 90d|2027-01-01] [--scopes score:test,runs:write] | list | revoke <id>  [--url ${DEFAULT_URL}] [--token ADMIN_TOKEN]`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, expires: { type: 'string' }, scopes: { type: 'string' } },
  });
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
  if (command === 'create' && argument) {
    let body: Record<string, unknown>;
    try {
      body = {
        name: argument,
        ...(values.expires ? { expires_at: parseExpiry(values.expires) } : {}),
        ...(values.scopes ? { scopes: parseScopeList(values.scopes) } : {}),
      };
    } catch (err) {
      console.error((err as Error).message);
      return 2;
    }
    res = await call('', { method: 'POST', body: JSON.stringify(body) });
  } else if (command === 'list' && !argument) res = await call('');
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
    const created = (await res.json()) as { id: string; token: string; scopes: string[]; expires_at: string | null };
    console.log(
      `token for "${argument}" (id ${created.id}, scopes ${created.scopes.join(',')}, expires ${created.expires_at ?? 'never'}); it is shown only once:\n${created.token}`,
    );
  } else if (command === 'list') {
    const { data } = (await res.json()) as { data: ListedToken[] };
    for (const t of data) console.log(tokenLine(t));
  } else console.log(`revoked ${argument}`);
  return 0;
}

process.exitCode = await main();
