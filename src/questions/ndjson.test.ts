import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { wantsNdjson } from './ndjson';

const app = new Hono().get('/', (c) => c.text(wantsNdjson(c) ? 'ndjson' : 'json'));
const negotiate = async (accept: string | undefined) => (await app.request('/', { headers: accept === undefined ? {} : { Accept: accept } })).text();

describe('wantsNdjson', () => {
  it('is true when Accept prefers NDJSON', async () => {
    expect(await negotiate('application/x-ndjson')).toBe('ndjson');
    expect(await negotiate('application/json;q=0.5, Application/X-NDJSON;q=0.9')).toBe('ndjson');
    expect(await negotiate('application/x-ndjson; q=0.001')).toBe('ndjson');
    expect(await negotiate('text/html, application/x-ndjson')).toBe('ndjson');
  });

  it('is false otherwise (JSON is the default)', async () => {
    for (const accept of [undefined, '', '*/*', 'application/*', 'application/json', 'application/x-ndjson;q=0', 'application/x-ndjson; q=0.000', 'application/x-ndjsonx']) {
      expect(await negotiate(accept), String(accept)).toBe('json');
    }
  });

  it('weighs the q-values: a listed NDJSON with a lower weight than JSON gives JSON', async () => {
    expect(await negotiate('application/json;q=1, application/x-ndjson;q=0.1')).toBe('json');
  });
});
