// Building blocks for describeRoute(): JSON and problem+json responses from valibot schemas.
import { resolver } from 'hono-openapi';
import * as v from 'valibot';

export const ProblemSchema = v.pipe(
  v.object({
    type: v.string(),
    title: v.string(),
    status: v.number(),
    detail: v.optional(v.string()),
    instance: v.string(),
    errors: v.pipe(
      v.optional(v.array(v.object({ name: v.string(), reason: v.string() }))),
      v.description('Each offending input: a query parameter by name, a path parameter, a header.'),
    ),
  }),
  v.description('RFC 9457 problem details.'),
  v.metadata({ ref: 'Problem' }),
);

const PROBLEM_DESCRIPTIONS = {
  400: 'Malformed request; `errors` names each offending parameter.',
  401: 'No usable token: missing, unknown, revoked or expired (`Authorization: Bearer <token>`; `WWW-Authenticate` says which).',
  403: 'The token lacks the scope this request needs (e.g. `score:test`).',
  404: 'Not found.',
  409:
    'A conflict with the served dataset: the split is not imported or has no answer key, a run was scored on a dataset version no longer served, ' +
    'or an import committed while the request read the answer key (`Dataset changed`: send it again).',
  410: 'The subset id names a dataset version that is no longer served; `dataset_version` says which.',
  413: 'Body too large (25 MB) or more than 100,000 predictions.',
  412: 'A precondition (If-Match, If-Unmodified-Since) failed.',
  416: 'Range not satisfiable; `Content-Range: bytes */<size>` gives the size.',
  422: 'Predictions that cannot be scored; `errors` names each row, line or JSON path (unknown or duplicate indexes, bad values).',
  429:
    'Too many requests from this client (its token, else its address) in the window of `RateLimit-Policy`, or, for TEST scoring, ' +
    'the token used up its daily quota of distinct scorings. `Retry-After` says when to retry.',
  503: 'A dependency (the rate limiter) is unavailable; retry after `Retry-After` seconds.',
} as const;

const text = (description: string) => ({ description, schema: { type: 'string' as const } });
const AUTH_CHALLENGE = {
  'WWW-Authenticate': text('RFC 6750 Bearer challenge: realm, and error="invalid_token" or "insufficient_scope" with the scope needed.'),
};

/** Headers a client acts on, by status. */
const PROBLEM_HEADERS: Partial<Record<keyof typeof PROBLEM_DESCRIPTIONS, Record<string, ReturnType<typeof text>>>> = {
  401: AUTH_CHALLENGE,
  403: AUTH_CHALLENGE,
  429: {
    'Retry-After': text('Seconds until a retry can succeed.'),
    'RateLimit-Policy': text('The quota and window, e.g. `"scoring";q=120;w=60` (draft-ietf-httpapi-ratelimit-headers).'),
    RateLimit: text('What is left and when it resets, e.g. `"scoring";r=0;t=60` (request-rate limits only).'),
  },
  503: { 'Retry-After': text('Seconds to wait before retrying.') },
};

export function problemResponses(...statuses: (keyof typeof PROBLEM_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status],
        ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
        content: { 'application/problem+json': { schema: resolver(ProblemSchema) } },
      },
    ]),
  );
}

export function jsonResponse(description: string, schema: v.GenericSchema) {
  return { description, content: { 'application/json': { schema: resolver(schema) } } };
}

export const NOT_MODIFIED = { 304: { description: 'Not modified: the If-None-Match ETag is current. No body.' } };
