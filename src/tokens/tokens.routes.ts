// Admin management of scoring tokens (`npm run token`); the tokens gate TEST scoring.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { ProblemError } from '../http/problem';
import { validate } from '../http/validate';
import { TOKEN_SCOPES } from './scopes';
import * as store from './tokens.store';

const hidden = describeRoute({ hide: true });
const CreateTokenSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100, 'must be at most 100 characters')),
  scopes: v.optional(
    v.pipe(v.array(v.picklist(TOKEN_SCOPES, `must each be one of ${TOKEN_SCOPES.join(', ')}`)), v.minLength(1, 'must name at least one scope')),
    [...TOKEN_SCOPES],
  ),
  expires_at: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.isoTimestamp('must be an ISO 8601 date-time, e.g. 2027-01-01T00:00:00Z'),
        v.transform((text) => new Date(text).toISOString()),
        v.check((instant) => instant > new Date().toISOString(), 'must be in the future'),
      ),
    ),
    null,
  ),
});
const TokenParams = v.object({ id: v.pipe(v.string(), v.uuid('must be a token id')) });

export const tokenRoutes = new Hono<AppEnv>()
  .post('/tokens', hidden, validate('json', CreateTokenSchema), async (c) => {
    const { name, scopes, expires_at } = c.req.valid('json');
    return c.json(await store.createToken(c.var.db, { name, scopes, expiresAt: expires_at }), 201);
  })
  .get('/tokens', hidden, async (c) => c.json({ data: await store.listTokens(c.var.db) }))
  .delete('/tokens/:id', hidden, validate('param', TokenParams), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await store.revokeToken(c.var.db, id))) throw new ProblemError({ status: 404, title: 'Not found', detail: `No live token ${id}.` });
    return c.body(null, 204);
  });
