// The OpenAPI document the Worker serves passes Spectral's OpenAPI ruleset (`spectral:oas`) with no
// errors. The document is built by the same Hono app in Node: it needs no binding.
import { Spectral, Document } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';
import { app } from '../index';

/** Spectral's DiagnosticSeverity: 0 is an error. */
const ERROR = 0;

describe('/openapi.json', () => {
  it('passes the Spectral OpenAPI ruleset without errors', async () => {
    const res = await app.request('/openapi.json', {}, {} as never);
    expect(res.status).toBe(200);
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(await res.text(), Parsers.Json, '/openapi.json'));
    const errors = results.filter((r) => r.severity === ERROR).map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(errors).toEqual([]);
  });
});
