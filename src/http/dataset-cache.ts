// Caching of responses that depend on the imported dataset: a weak ETag from the dataset version
// and the request, If-None-Match → 304 before any query runs, and a short max-age so clients pick
// up a new import within a minute.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { readDatasetState, type DatasetState } from '../dataset/version';
import { datasetEtag, noneMatchHits, parseEntityTags } from './etag';

export type DatasetEnv = AppEnv & { Variables: { dataset: DatasetState } };

export const DATASET_CACHE_CONTROL = 'public, max-age=60';

/** Puts the dataset state on `c.var.dataset`; 2xx answers get ETag, Cache-Control and Vary. */
export const datasetCaching: MiddlewareHandler<DatasetEnv> = async (c, next) => {
  const dataset = await readDatasetState(c.var.db);
  const url = new URL(c.req.url);
  // Representations differ by Accept (JSON or NDJSON), so it is part of the validator.
  const etag = await datasetEtag(dataset.version, url.pathname, url.searchParams, c.req.header('Accept') ?? '');
  const headers = { ETag: etag, 'Cache-Control': DATASET_CACHE_CONTROL, Vary: 'Accept' };
  if (noneMatchHits(parseEntityTags(c.req.header('If-None-Match')), etag)) return c.body(null, 304, headers);
  c.set('dataset', dataset);
  await next();
  if (c.res.status >= 200 && c.res.status < 300) {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  }
};
