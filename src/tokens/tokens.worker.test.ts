import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { admin, api, postJson } from '../../test/worker/support';
import { createDatabase } from '../db/database';
import { lookupToken } from './tokens.store';

interface ListedToken {
  id: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

async function createToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await postJson('/v1/admin/tokens', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

async function listed(id: string): Promise<ListedToken> {
  const { data } = (await (await admin('/v1/admin/tokens')).json()) as { data: ListedToken[] };
  return data.find((t) => t.id === id)!;
}

/** A TEST scoring: authorization is decided before the body is read (no TEST split here, so a passing token gets 409). */
function scoreTest(token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  return api('/v1/scores?split=test', { method: 'POST', headers, body: '{"predictions": {}}' });
}

async function problem(res: Response) {
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; title: string; detail: string };
}

describe('scoring tokens', () => {
  it('creates a token shown once, stores only its hash, lists and revokes it', async () => {
    const created = await postJson('/v1/admin/tokens', { name: 'ci-pipeline' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string; scopes: string[]; expires_at: string | null };
    const { id, token } = body;
    expect(token).toMatch(/^gmb_[A-Za-z0-9_-]{43}$/);
    expect(body.scopes).toEqual(['runs:write', 'score:test']);
    expect(body.expires_at).toBeNull();
    const stored = await env.DB.prepare('SELECT * FROM api_tokens').all();
    expect(JSON.stringify(stored.results)).not.toContain(token);
    const db = createDatabase(env.DB);
    expect(await lookupToken(db, token)).toEqual({ status: 'live', token: { id, name: 'ci-pipeline', scopes: ['runs:write', 'score:test'] } });

    const all = (await (await admin('/v1/admin/tokens')).json()) as { data: Array<Record<string, unknown>> };
    expect(all.data).toEqual([expect.objectContaining({ id, name: 'ci-pipeline', revoked_at: null })]);
    expect(JSON.stringify(all)).not.toContain(token);

    expect((await admin(`/v1/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await lookupToken(db, token)).toEqual({ status: 'revoked' });
    expect((await admin(`/v1/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('needs the admin token and a name; scopes and expiry are validated', async () => {
    expect((await api('/v1/admin/tokens')).status).toBe(401);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '  ' }, 'name'],
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['score:val'] }, 'scopes[0]'],
      [{ name: 'x', expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
      [{ name: 'x', expires_at: 'in 90 days' }, 'expires_at'],
    ];
    for (const [body, field] of cases) {
      const res = await postJson('/v1/admin/tokens', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { errors: { name: string }[] }).errors[0]!.name).toBe(field);
    }
  });

  it('keeps the given scopes and expiry, normalised to UTC', async () => {
    const { id } = await createToken({ name: 'runs-only', scopes: ['runs:write'], expires_at: '2099-06-30T12:00:00+02:00' });
    expect(await listed(id)).toMatchObject({ scopes: ['runs:write'], expires_at: '2099-06-30T10:00:00.000Z' });
  });
});

describe('token checks on TEST scoring', () => {
  const CHALLENGE = 'Bearer realm="gmai-mmbench"';

  it('401 without a token, with a challenge naming realm and scope', async () => {
    const res = await scoreTest();
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe(`${CHALLENGE}, scope="score:test"`);
    expect((await problem(res)).detail).toContain('Authorization: Bearer');
  });

  it('401 invalid_token for unknown, revoked and expired tokens, saying which and never echoing the token', async () => {
    const unknown = `gmb_${'x'.repeat(43)}`;
    const revoked = await createToken({ name: 'revoked' });
    expect((await admin(`/v1/admin/tokens/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    const expiring = await createToken({ name: 'expiring', expires_at: '2099-01-01T00:00:00Z' });
    expect((await scoreTest(expiring.token)).status).toBe(409); // live until it expires
    await env.DB.prepare('UPDATE api_tokens SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), expiring.id)
      .run();

    for (const [token, reason] of [
      [unknown, 'unknown'],
      [revoked.token, 'revoked'],
      [expiring.token, 'expired'],
    ] as const) {
      const res = await scoreTest(token);
      expect(res.status, reason).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe(`${CHALLENGE}, error="invalid_token", error_description="${reason} token", scope="score:test"`);
      const text = await res.clone().text();
      expect(text).not.toContain(token);
      expect((await problem(res)).detail).toContain(reason === 'unknown' ? 'not known' : reason);
    }
  });

  it('403 insufficient_scope for a token without score:test; the admin token is not a scoring token', async () => {
    const { token } = await createToken({ name: 'runs-only', scopes: ['runs:write'] });
    const res = await scoreTest(token);
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toBe(`${CHALLENGE}, error="insufficient_scope", scope="score:test"`);
    expect((await problem(res)).detail).toContain('score:test');

    const asAdmin = await scoreTest(env.ADMIN_TOKEN);
    expect(asAdmin.status).toBe(401);
    expect(asAdmin.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('admin 401s carry a Bearer challenge too', async () => {
    const missing = await api('/v1/admin/tokens');
    expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer realm="gmai-mmbench-admin"');
    const wrong = await api('/v1/admin/tokens', { headers: { Authorization: 'Bearer not-the-admin-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer realm="gmai-mmbench-admin", error="invalid_token", error_description="not the admin token"');
  });

  it('records the last use, writing at most once a minute per token', async () => {
    const { id, token } = await createToken({ name: 'last-used' });
    expect((await listed(id)).last_used_at).toBeNull();
    const before = new Date().toISOString();
    await scoreTest(token);
    const first = (await listed(id)).last_used_at!;
    expect(first >= before).toBe(true);
    await scoreTest(token);
    expect((await listed(id)).last_used_at).toBe(first);
    // A use more than a minute after the recorded one is written.
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await env.DB.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').bind(twoMinutesAgo, id).run();
    await scoreTest(token);
    expect((await listed(id)).last_used_at! > twoMinutesAgo).toBe(true);
  });
});
