import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { questionFormat } from './representation';

const app = new Hono().get('/', (c) => c.text(questionFormat(c)));
const negotiate = async (accept: string | undefined, query = '') =>
  (await app.request(`/${query}`, { headers: accept === undefined ? {} : { Accept: accept } })).text();

describe('questionFormat', () => {
  it('is NDJSON when Accept prefers it', async () => {
    expect(await negotiate('application/x-ndjson')).toBe('ndjson');
    expect(await negotiate('application/json;q=0.5, Application/X-NDJSON;q=0.9')).toBe('ndjson');
    expect(await negotiate('application/x-ndjson; q=0.001')).toBe('ndjson');
    expect(await negotiate('text/html, application/x-ndjson')).toBe('ndjson');
  });

  it('is TSV when Accept prefers text/tab-separated-values', async () => {
    expect(await negotiate('text/tab-separated-values')).toBe('tsv');
    expect(await negotiate('application/json;q=0.2, text/tab-separated-values;q=0.8, application/x-ndjson;q=0.5')).toBe('tsv');
  });

  it('is JSON otherwise (the default)', async () => {
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/*',
      'application/json',
      'application/x-ndjson;q=0',
      'application/x-ndjson; q=0.000',
      'application/x-ndjsonx',
      'text/csv',
    ]) {
      expect(await negotiate(accept), String(accept)).toBe('json');
    }
  });

  it('weighs the q-values: a listed NDJSON with a lower weight than JSON gives JSON', async () => {
    expect(await negotiate('application/json;q=1, application/x-ndjson;q=0.1')).toBe('json');
  });

  it('takes format= over Accept, and ignores a format that is not one (the contract refuses it)', async () => {
    expect(await negotiate('application/json', '?format=tsv')).toBe('tsv');
    expect(await negotiate('text/tab-separated-values', '?format=ndjson')).toBe('ndjson');
    expect(await negotiate('application/x-ndjson', '?format=json')).toBe('json');
    expect(await negotiate('application/x-ndjson', '?format=xml')).toBe('ndjson');
  });
});
