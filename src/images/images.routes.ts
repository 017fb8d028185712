// GET|HEAD /v1/images/{sha256}: images streamed from R2 (never buffered) under their content hash,
// so they are immutable: strong ETag, a year of caching, ranges and conditional requests.
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { preconditionHeaders, preconditionOutcome, readPreconditions } from '../http/conditional';
import { problemResponse, ProblemError } from '../http/problem';
import { contentRange, resolveRange, type ByteRange } from '../http/range';
import { validate } from '../http/validate';
import { Sha256Hex } from '../lib/digest';
import { problemResponses } from '../openapi/responses';
import { getImage, headImage } from './image-store';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const ImageParams = v.object({ sha256: v.pipe(Sha256Hex, v.description('Lower-case hex sha256 of the image bytes.')) });

const binary = (description: string) => ({
  description,
  content: { 'image/png': { schema: { type: 'string' as const, format: 'binary' } }, 'image/jpeg': { schema: { type: 'string' as const, format: 'binary' } } },
});

/** Headers every successful or 304 answer carries. */
function objectHeaders(object: R2Object): Headers {
  const headers = new Headers({ ETag: object.httpEtag, 'Cache-Control': IMMUTABLE, 'Accept-Ranges': 'bytes' });
  object.writeHttpMetadata(headers);
  return headers;
}

function notFound(sha256: string): ProblemError {
  return new ProblemError({ status: 404, title: 'Not found', detail: `No image ${sha256}.` });
}

function preconditionResponse(c: Context, status: 304 | 412, object: R2Object): Response {
  if (status === 304) return new Response(null, { status, headers: objectHeaders(object) });
  return problemResponse(c, { status, title: 'Precondition failed', detail: 'If-Match or If-Unmodified-Since does not hold for this image.' });
}

// Hono answers HEAD through the GET route (c.req.method stays HEAD); listing HEAD documents it.
export const imageRoutes = new Hono<AppEnv>().on(
  ['GET', 'HEAD'],
  '/images/:sha256',
  describeRoute({
    tags: ['images'],
    summary: 'An image by the sha256 of its bytes',
    description:
      'Content-addressed and immutable: strong ETag, `Cache-Control: public, max-age=31536000, immutable`. Supports one byte ' +
      '`Range` (206; other or multiple ranges get the whole image), `If-Range`, `If-None-Match`/`If-Modified-Since` (304) and ' +
      '`If-Match`/`If-Unmodified-Since` (412). HEAD gives the same headers without the body.',
    responses: {
      200: binary('The image.'),
      206: binary('The requested byte range, with Content-Range.'),
      304: { description: 'Not modified: the If-None-Match ETag is current.' },
      ...problemResponses(400, 404, 412, 416),
    },
  }),
  validate('param', ImageParams),
  async (c) => {
    const { sha256 } = c.req.valid('param');
    const preconditions = readPreconditions(c.req.raw.headers);
    // If-Range is honoured the simplest valid way: any If-Range means the whole image (RFC 9110 §13.1.5).
    const rangeHeader = c.req.raw.headers.has('If-Range') ? null : c.req.header('Range');
    const isHead = c.req.method === 'HEAD';

    if (!isHead && !rangeHeader) {
      // The common case in one R2 read; R2 leaves the body out when a precondition fails.
      const object = await getImage(c.env.IMAGES, sha256, { onlyIf: preconditionHeaders(preconditions) });
      if (!object) throw notFound(sha256);
      if (!('body' in object)) return preconditionResponse(c, preconditionOutcome(preconditions, object.httpEtag, object.uploaded) ?? 304, object);
      const headers = objectHeaders(object);
      headers.set('Content-Length', String(object.size));
      return new Response(object.body, { status: 200, headers });
    }

    // HEAD and ranges need the size first; preconditions come before the range (RFC 9110 §13.2.2).
    const meta = await headImage(c.env.IMAGES, sha256);
    if (!meta) throw notFound(sha256);
    const outcome = preconditionOutcome(preconditions, meta.httpEtag, meta.uploaded);
    if (outcome) return preconditionResponse(c, outcome, meta);
    const range = resolveRange(rangeHeader, meta.size);
    if (range === 'unsatisfiable') {
      const res = problemResponse(c, { status: 416, title: 'Range not satisfiable', detail: `The image has ${meta.size} bytes.` });
      res.headers.set('Content-Range', `bytes */${meta.size}`);
      return res;
    }
    const headers = objectHeaders(meta);
    headers.set('Content-Length', String(range ? range.length : meta.size));
    if (range) headers.set('Content-Range', contentRange(range, meta.size));
    const status = range ? 206 : 200;
    if (isHead) return new Response(null, { status, headers });
    return streamed(c, sha256, range, status, headers);
  },
);

async function streamed(c: Context<AppEnv>, sha256: string, range: ByteRange | null, status: number, headers: Headers): Promise<Response> {
  const object = await getImage(c.env.IMAGES, sha256, range ? { range } : {});
  if (!object || !('body' in object)) throw notFound(sha256);
  return new Response(object.body, { status, headers });
}
