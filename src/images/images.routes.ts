// GET|HEAD /v1/images/{sha256}: images streamed from R2 (never buffered), named by their content hash,
// so they are immutable: strong ETag, a year of caching, ranges and conditional requests.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { preconditionOutcome, readPreconditions } from '../http/conditional';
import { problemResponse, ProblemError } from '../http/problem';
import { contentRange, resolveRange } from '../http/range';
import { validate } from '../http/validate';
import { Sha256Hex } from '../lib/digest';
import { problemResponses } from '../openapi/responses';
import { getImage, headImage, type StoredImage } from './image-store';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const ImageParams = v.object({ sha256: v.pipe(Sha256Hex, v.description('Lower-case hex sha256 of the image bytes.')) });

const binary = (description: string) => ({
  description,
  content: { 'image/png': { schema: { type: 'string' as const, format: 'binary' } }, 'image/jpeg': { schema: { type: 'string' as const, format: 'binary' } } },
});

/** Headers every successful or 304 answer carries. */
function imageHeaders(image: StoredImage): Headers {
  return new Headers({
    ETag: image.etag,
    'Last-Modified': image.lastModified.toUTCString(),
    'Content-Type': image.contentType,
    'Cache-Control': IMMUTABLE,
    'Accept-Ranges': 'bytes',
  });
}

function notFound(sha256: string): ProblemError {
  return new ProblemError({ status: 404, title: 'Not found', detail: `No image ${sha256}.` });
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
      ...problemResponses(400, 404, 412, 416, 503),
    },
  }),
  validate('param', ImageParams),
  async (c) => {
    const { sha256 } = c.req.valid('param');
    const preconditions = readPreconditions(c.req.raw.headers);
    // If-Range is honoured the simplest valid way: any If-Range means the whole image (RFC 9110 §13.1.5).
    const rangeHeader = c.req.raw.headers.has('If-Range') ? null : c.req.header('Range');
    // Metadata comes from the images row (cached per isolate): preconditions and ranges are settled
    // before R2 is read, and a 304 reads nothing from R2. Preconditions come before the range (RFC 9110 §13.2.2).
    const image = await headImage(c.var.db, sha256);
    if (!image) throw notFound(sha256);
    const outcome = preconditionOutcome(preconditions, image.etag, image.lastModified);
    if (outcome === 304) return new Response(null, { status: 304, headers: imageHeaders(image) });
    if (outcome === 412)
      return problemResponse(c, { status: 412, title: 'Precondition failed', detail: 'If-Match or If-Unmodified-Since does not hold for this image.' });
    const range = resolveRange(rangeHeader, image.bytes);
    if (range === 'unsatisfiable') {
      const res = problemResponse(c, { status: 416, title: 'Range not satisfiable', detail: `The image has ${image.bytes} bytes.` });
      res.headers.set('Content-Range', `bytes */${image.bytes}`);
      return res;
    }
    const headers = imageHeaders(image);
    headers.set('Content-Length', String(range ? range.length : image.bytes));
    if (range) headers.set('Content-Range', contentRange(range, image.bytes));
    const status = range ? 206 : 200;
    if (c.req.method === 'HEAD') return new Response(null, { status, headers });
    const body = await getImage(c.env.IMAGES, image, range ?? undefined);
    // The row says the image exists, so missing bytes are a failing store, not a client error.
    if (!body) throw new ProblemError({ status: 503, title: 'Image unavailable', detail: `The bytes of image ${sha256} cannot be read now.` });
    return new Response(body, { status, headers });
  },
);
