import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { admin, api, postJson } from '../../test/worker/support';
import { createDatabase } from '../db/database';
import { verifyToken } from './tokens.store';

describe('scoring tokens', () => {
  it('creates a token shown once, stores only its hash, lists and revokes it', async () => {
    const created = await postJson('/v1/admin/tokens', { name: 'ci-pipeline' });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^gmb_[A-Za-z0-9_-]{43}$/);
    const stored = await env.DB.prepare('SELECT * FROM api_tokens').all();
    expect(JSON.stringify(stored.results)).not.toContain(token);
    const db = createDatabase(env.DB);
    expect(await verifyToken(db, token)).toEqual({ id, name: 'ci-pipeline' });

    const listed = (await (await admin('/v1/admin/tokens')).json()) as { data: Array<Record<string, unknown>> };
    expect(listed.data).toEqual([expect.objectContaining({ id, name: 'ci-pipeline', revoked_at: null })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await admin(`/v1/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await verifyToken(db, token)).toBeNull();
    expect((await admin(`/v1/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('needs the admin token and a name', async () => {
    expect((await api('/v1/admin/tokens')).status).toBe(401);
    const res = await postJson('/v1/admin/tokens', { name: '  ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { name: string }[] }).errors[0]!.name).toBe('name');
  });
});
