import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, makePng, sha256Hex, uploadImage, uploadImageBatch } from '../../test/worker/support';
import { STORED_BEFORE_PACKS } from './image-store';

const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** Each way an image can be stored; `store` stores `png` and returns when its bytes were stored. */
const STORAGE: Array<[string, (png: Uint8Array) => Promise<Date>]> = [
  [
    'one R2 object (streamed upload)',
    async (png) => {
      expect((await uploadImage(png)).status).toBe(201);
      return (await env.IMAGES.head(await sha256Hex(png)))!.uploaded;
    },
  ],
  [
    'a range of a pack (batch upload; neighbours on both sides)',
    async (png) => {
      const before = new Date();
      expect((await uploadImageBatch([await makePng(30, 20, 1), png, await makePng(20, 30, 2)])).status).toBe(201);
      return before;
    },
  ],
  [
    'one R2 object stored before packs (a row without pack or time)',
    async (png) => {
      const sha = await sha256Hex(png);
      await env.IMAGES.put(sha, png, { httpMetadata: { contentType: 'image/png' } });
      await env.DB.prepare("INSERT INTO images (sha256, bytes, width, height, content_type) VALUES (?, ?, 120, 90, 'image/png')").bind(sha, png.length).run();
      return STORED_BEFORE_PACKS;
    },
  ],
];

describe.each(STORAGE.map(([kind, store], shade) => ({ kind, store, shade })))('GET /v1/images/{sha256}: $kind', ({ store, shade }) => {
  let png: Uint8Array;
  let path: string;
  let etag: string;
  let storedAt: Date;

  beforeAll(async () => {
    png = await makePng(120, 90, 77 + shade);
    storedAt = await store(png);
    path = `/v1/images/${await sha256Hex(png)}`;
    etag = (await api(path, { method: 'HEAD' })).headers.get('ETag')!;
  });

  const get = (headers: Record<string, string> = {}, method = 'GET') => api(path, { method, headers });

  it('streams the stored bytes with type, length, a strong ETag and immutable caching', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(await bytes(res)).toEqual(png);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(res.headers.get('Content-Length')).toBe(String(png.length));
    expect(res.headers.get('ETag')).toBe(`"${await sha256Hex(png)}"`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
  });

  it('answers HEAD with the same headers and no body', async () => {
    const res = await get({}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe(String(png.length));
    expect(res.headers.get('ETag')).toBe(etag);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(await bytes(res)).toHaveLength(0);
  });

  it('serves one byte range as 206 with Content-Range', async () => {
    const size = png.length;
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=10-', 10, size - 1],
      ['bytes=-7', size - 7, size - 1],
      [`bytes=5-${size + 1000}`, 5, size - 1],
      [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1],
    ];
    for (const [range, first, last] of cases) {
      const res = await get({ Range: range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('Content-Range'), range).toBe(`bytes ${first}-${last}/${size}`);
      expect(res.headers.get('Content-Length'), range).toBe(String(last - first + 1));
      expect(await bytes(res), range).toEqual(png.slice(first, last + 1));
    }
    const head = await get({ Range: 'bytes=0-9' }, 'HEAD');
    expect(head.status).toBe(206);
    expect(head.headers.get('Content-Range')).toBe(`bytes 0-9/${size}`);
  });

  it('answers 416 with the size for unsatisfiable ranges', async () => {
    for (const range of [`bytes=${png.length}-`, `bytes=${png.length + 5}-${png.length + 9}`, 'bytes=-0']) {
      const res = await get({ Range: range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('Content-Range')).toBe(`bytes */${png.length}`);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
  });

  it('sends the whole image for ranges it does not serve, and when If-Range is given', async () => {
    const cases: Record<string, string>[] = [
      { Range: 'bytes=0-1,4-5' },
      { Range: 'bytes=9-2' },
      { Range: 'pages=1-2' },
      { Range: 'bytes=x-' },
      { Range: 'bytes=0-9', 'If-Range': etag },
    ];
    for (const headers of cases) {
      const res = await get(headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await bytes(res)).toEqual(png);
    }
  });

  it('answers If-None-Match with 304 (even with a Range) and If-Match failures with 412', async () => {
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await get({ 'If-None-Match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.headers.get('ETag')).toBe(etag);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(await bytes(res)).toHaveLength(0);
    }
    expect((await get({ 'If-None-Match': etag, Range: `bytes=${png.length}-` })).status).toBe(304);
    expect((await get({ 'If-None-Match': etag }, 'HEAD')).status).toBe(304);
    expect((await get({ 'If-None-Match': '"other"' })).status).toBe(200);
    expect((await get({ 'If-Match': etag })).status).toBe(200);
    const failed = await get({ 'If-Match': '"other"' });
    expect(failed.status).toBe(412);
    expect(failed.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('answers If-Modified-Since and If-Unmodified-Since by the time the bytes were stored', async () => {
    const lastModified = new Date((await get({}, 'HEAD')).headers.get('Last-Modified')!);
    // HTTP dates have whole seconds: the stored time, rounded down, or (packs) up to a second after `before`.
    const storedSecond = Math.floor(storedAt.getTime() / 1000) * 1000;
    expect(lastModified.getTime() - storedSecond).toBeGreaterThanOrEqual(0);
    expect(lastModified.getTime() - storedSecond).toBeLessThanOrEqual(5000);
    const date = (offsetSeconds: number) => new Date(lastModified.getTime() + offsetSeconds * 1000).toUTCString();
    expect((await get({ 'If-Modified-Since': date(0) })).status).toBe(304);
    expect((await get({ 'If-Modified-Since': date(60) })).status).toBe(304);
    const modified = await get({ 'If-Modified-Since': date(-1) });
    expect(modified.status).toBe(200);
    expect(await bytes(modified)).toEqual(png);
    // If-None-Match wins over If-Modified-Since.
    expect((await get({ 'If-None-Match': '"other"', 'If-Modified-Since': date(60) })).status).toBe(200);
    expect((await get({ 'If-Unmodified-Since': date(0) })).status).toBe(200);
    expect((await get({ 'If-Unmodified-Since': date(-1) })).status).toBe(412);
  });

  it('ignores malformed conditional headers instead of failing', async () => {
    const cases: Record<string, string>[] = [
      { 'If-None-Match': 'garbage' },
      { 'If-Match': 'W/' },
      { 'If-Modified-Since': 'not a date' },
      { 'If-Unmodified-Since': '"x"' },
    ];
    for (const headers of cases) {
      const res = await get(headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await bytes(res)).toEqual(png);
    }
  });
});

describe('GET /v1/images/{sha256}: bad and unknown keys', () => {
  it('is a 400 for a malformed key and a 404 for an unknown one', async () => {
    for (const key of ['abc', 'A'.repeat(64), 'g'.repeat(64), `${'a'.repeat(64)}.png`]) {
      const res = await api(`/v1/images/${key}`);
      expect(res.status, key).toBe(400);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
    for (const method of ['GET', 'HEAD']) {
      const res = await api(`/v1/images/${'0'.repeat(64)}`, { method });
      expect(res.status).toBe(404);
    }
    expect((await api(`/v1/images/${'0'.repeat(64)}`, { headers: { Range: 'bytes=0-1' } })).status).toBe(404);
  });
});
