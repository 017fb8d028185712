// Pages read the API by dispatching requests to the same Hono app inside the Worker: a page shows
// exactly what the equivalent API call returns, and its errors are the API's problem details.
import type { Context, ExecutionContext, Hono } from 'hono';
import type { AppEnv } from '../env';
import { DependencyError } from '../http/dependencies';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ name: string; reason: string }>;
  errors_not_listed?: number;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/**
 * What a page appends to a score report request (POST /v1/scores, GET /v1/runs/{id}) that must carry
 * the breakdowns (`by`, `tree`): reports default to `detail=summary`.
 */
export const FULL_REPORT_QUERY = '&detail=full';

export type ApiFetch = <T>(pathAndQuery: string, init?: RequestInit) => Promise<ApiResult<T>>;

/** A fetch of the API's own routes for the page being rendered (same origin, bindings and context). */
export function apiFetcher(app: Hono<AppEnv>, c: Context<AppEnv>): ApiFetch {
  return async <T>(pathAndQuery: string, init?: RequestInit): Promise<ApiResult<T>> => {
    const url = new URL(pathAndQuery, c.req.url);
    // The page's client is the API's client too, so rate limits count it, not every page user as one.
    const headers = new Headers(init?.headers);
    const client = c.req.header('CF-Connecting-IP');
    if (client) headers.set('CF-Connecting-IP', client);
    const res = await app.fetch(new Request(url, { ...init, headers }), c.env, executionContext(c));
    const body = await res.text();
    if (res.ok) return { ok: true, data: (res.headers.get('Content-Type')?.includes('json') ? JSON.parse(body) : body) as T };
    // A failed dependency fails the page (503) rather than leaving a part of it out.
    if (res.status === 503) throw new DependencyError('internal API', body);
    return { ok: false, problem: asProblem(res.status, body) };
  };
}

function asProblem(status: number, body: string): Problem {
  try {
    const parsed = JSON.parse(body) as Problem;
    if (typeof parsed.title === 'string') return { ...parsed, status };
  } catch {
    // not a problem document: fall through
  }
  return { title: 'Request failed', status };
}

/** Hono throws when the runtime gave no ExecutionContext (tests calling app.fetch directly). */
function executionContext(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
