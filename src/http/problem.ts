// RFC 9457 problem details: the only error shape this API emits.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldError } from '../lib/field-errors';
import { DEPENDENCY_RETRY_AFTER_SECONDS, dependencyFailure } from './dependencies';

/** One offending input: a query parameter, a body path ("predictions[3].index"), a row or a file line. */
export type ProblemFieldError = FieldError;

export interface ProblemInit {
  status: ContentfulStatusCode;
  title: string;
  detail?: string;
  errors?: ProblemFieldError[];
  /** Extra members (RFC 9457 extension members), e.g. counts. */
  extensions?: Record<string, unknown>;
  /** Response headers the status calls for (WWW-Authenticate on a 401, Retry-After on a 429). */
  headers?: Record<string, string>;
}

const TYPE_BASE = 'https://gmai-mmbench.dev/problems/';

export class ProblemError extends Error {
  constructor(readonly problem: ProblemInit) {
    super(problem.detail ?? problem.title);
  }
}

/** A 400 naming one query parameter. */
export function invalidQuery(name: string, reason: string): ProblemError {
  return new ProblemError({ status: 400, title: 'Invalid query parameters', errors: [{ name, reason }] });
}

/** The list of field errors is capped so a huge bad upload cannot produce a huge error body. */
const MAX_LISTED_ERRORS = 100;

export function problemResponse(c: Context, problem: ProblemInit): Response {
  const errors = problem.errors ?? [];
  const body = {
    type: TYPE_BASE + slug(problem.title),
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: new URL(c.req.url).pathname,
    ...(errors.length ? { errors: errors.slice(0, MAX_LISTED_ERRORS) } : {}),
    ...(errors.length > MAX_LISTED_ERRORS ? { errors_not_listed: errors.length - MAX_LISTED_ERRORS } : {}),
    ...problem.extensions,
  };
  return c.body(JSON.stringify(body), problem.status, { ...problem.headers, 'Content-Type': 'application/problem+json' });
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** RFC 9110 reason phrases (in this API's sentence case) of the statuses an HTTPException may carry. */
const STATUS_TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  411: 'Length required',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  416: 'Range not satisfiable',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal error',
  501: 'Not implemented',
  503: 'Service unavailable',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status < 500 ? 'Bad request' : 'Internal error');
}

export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof ProblemError) return problemResponse(c, err.problem);
  if (err instanceof HTTPException) {
    // Hono and its middleware raise these for malformed bodies (e.g. invalid JSON), size limits and the like.
    const status = err.status as ContentfulStatusCode;
    return problemResponse(c, { status, title: statusTitle(status), detail: err.message });
  }
  // Never echo internals (they could carry SQL or row data); the log lines are for operators.
  const failed = dependencyFailure(err);
  if (failed) {
    console.error('dependency failed', failed.dependency, describe(failed.cause));
    return problemResponse(c, {
      status: 503,
      title: statusTitle(503),
      detail: 'A storage service this API depends on failed; retry shortly.',
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    });
  }
  // Anything else is a bug.
  console.error('unhandled error', describe(err));
  return problemResponse(c, { status: 500, title: 'Internal error', detail: 'The server failed to handle this request.' });
};

/** Name and first line only: drizzle puts the bound values (which may be answers) on the second. */
function describe(err: unknown): string {
  return `${err instanceof Error ? err.name : typeof err}: ${String(err).split('\n', 1)[0]!.slice(0, 300)}`;
}

export const handleNotFound: NotFoundHandler = (c) =>
  problemResponse(c, { status: 404, title: statusTitle(404), detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` });
