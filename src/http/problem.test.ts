import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describe, expect, it } from 'vitest';
import { handleError } from './problem';

async function problemFor(status: ContentfulStatusCode) {
  const app = new Hono()
    .get('/', () => {
      throw new HTTPException(status, { message: 'from hono' });
    })
    .onError(handleError);
  const res = await app.request('/');
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  return (await res.json()) as { type: string; title: string; status: number; detail: string };
}

describe("handleError for hono's HTTPExceptions", () => {
  it('titles the problem by its status (RFC 9110 reason phrases)', async () => {
    const titles: [ContentfulStatusCode, string][] = [
      [400, 'Bad request'],
      [401, 'Unauthorized'],
      [404, 'Not found'],
      [405, 'Method not allowed'],
      [413, 'Payload too large'],
      [415, 'Unsupported media type'],
      [503, 'Service unavailable'],
    ];
    for (const [status, title] of titles) {
      const problem = await problemFor(status);
      expect(problem, String(status)).toMatchObject({ title, status, detail: 'from hono' });
      expect(problem.type).toBe(`https://gmai-mmbench.dev/problems/${title.toLowerCase().replace(/ /g, '-')}`);
    }
  });
});
