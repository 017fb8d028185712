// Caching of responses that depend on the imported dataset: a weak ETag from the dataset version
// and the request, If-None-Match → 304, and a short max-age so clients pick up a new import within
// a minute. Used as middleware, or piecewise by a handler that reads the dataset state in its own
// D1 batch.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { readDatasetState, type DatasetState } from '../dataset/version';
import { datasetEtag, noneMatchHits, parseEntityTags } from './etag';

export type DatasetEnv = AppEnv & { Variables: { dataset: DatasetState } };

export const DATASET_CACHE_CONTROL = 'public, max-age=60';

/** The validator of this request's representation (Accept picks JSON or NDJSON) at a dataset version. */
export async function requestEtag(c: Context, version: string): Promise<string> {
  const url = new URL(c.req.url);
  return datasetEtag(version, url.pathname, url.searchParams, c.req.header('Accept') ?? '');
}

function cacheHeaders(etag: string): Record<string, string> {
  return { ETag: etag, 'Cache-Control': DATASET_CACHE_CONTROL, Vary: 'Accept' };
}

/** A 304 when the client's If-None-Match holds `etag`, else null. */
export function notModified(c: Context, etag: string): Response | null {
  return noneMatchHits(parseEntityTags(c.req.header('If-None-Match')), etag) ? c.body(null, 304, cacheHeaders(etag)) : null;
}

/** Adds the caching headers to a successful response (errors are never cached). */
export function withCacheHeaders(res: Response, etag: string): Response {
  if (res.status >= 200 && res.status < 300) for (const [name, value] of Object.entries(cacheHeaders(etag))) res.headers.set(name, value);
  return res;
}

/** Puts the dataset state on `c.var.dataset`, answers 304 before any other query when it can. */
export const datasetCaching: MiddlewareHandler<DatasetEnv> = async (c, next) => {
  const dataset = await readDatasetState(c.var.db);
  const etag = await requestEtag(c, dataset.version);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  c.set('dataset', dataset);
  await next();
  withCacheHeaders(c.res, etag);
};
