import { describe, expect, it } from 'vitest';
import { api } from '../../test/worker/support';
import { QuestionQuerySchema } from '../questions/questions.contract';

interface Parameter {
  in: string;
  name: string;
  description?: string;
  required?: boolean;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Parameter[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
}

async function doc(): Promise<Doc> {
  const res = await api('/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 listing every public read route and no admin route', async () => {
    const d = await doc();
    expect(d.openapi).toBe('3.1.0');
    const paths = Object.keys(d.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/health',
        '/v1/images/{sha256}',
        '/v1/questions',
        '/v1/questions/{split}/{index}',
        '/v1/scorers',
        '/v1/splits',
        '/v1/subsets/{id}',
        '/v1/tree',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('/v1/admin'))).toEqual([]);
    expect(Object.keys(d.paths['/v1/images/{sha256}']!).sort()).toEqual(['get', 'head']);
  });

  it('documents the query parameters from the schema that validates them', async () => {
    const params = (await doc()).paths['/v1/questions']!.get!.parameters!;
    expect(params.map((p) => p.name).sort()).toEqual(Object.keys(QuestionQuerySchema.pipe[0].entries).sort());
    const byName = new Map(params.map((p) => [p.name, p]));
    // A split, or a subset id standing for a split and its filters.
    expect(byName.get('split')?.required).toBeFalsy();
    expect(byName.get('subset')?.description).toContain('GET /v1/subsets/{id}');
    expect(byName.get('format')).toMatchObject({ schema: { enum: ['json', 'ndjson', 'tsv'] } });
    expect(byName.get('department')?.description).toContain('`N/A`');
    expect(byName.get('label')?.description).toContain('VAL only');
    expect(byName.get('order')?.description).toContain('needs `q`');
    expect(byName.get('task')).toMatchObject({ in: 'query', schema: { type: 'array', items: { type: 'string' } } });
    expect(byName.get('limit')).toMatchObject({ schema: { type: 'integer', minimum: 1, maximum: 500 } });
  });

  it('describes responses with schemas whose references all resolve', async () => {
    const d = await doc();
    const text = JSON.stringify(d);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(d.components.schemas, ref).toHaveProperty(ref!);
    const questions = d.paths['/v1/questions']!.get!.responses;
    expect(Object.keys(questions).sort()).toEqual(['200', '304', '400', '404', '410', '429']);
    expect(JSON.stringify(questions['200'])).toContain('application/x-ndjson');
    expect(JSON.stringify(questions['200'])).toContain('text/tab-separated-values');
    expect(JSON.stringify(d.components.schemas.QuestionPage)).toContain('#/components/schemas/SubsetRef');
    const subset = d.paths['/v1/subsets/{id}']!.get!.responses;
    expect(Object.keys(subset).sort()).toEqual(['200', '304', '400', '404', '410']);
    expect(JSON.stringify(subset['200'])).toContain('#/components/schemas/Subset');
    expect(Object.keys((d.components.schemas.Subset as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['id', 'split', 'selection', 'query', 'dataset_version', 'questions', 'images']),
    );
    expect(JSON.stringify((d.paths['/v1/scores']!.post! as { requestBody?: unknown }).requestBody)).toContain('application/x-ndjson');
    const scores = d.paths['/v1/scores']!.post!.responses;
    expect(Object.keys(scores)).toEqual(expect.arrayContaining(['401', '403', '429']));
    expect(Object.keys((scores['429'] as { headers: object }).headers)).toEqual(['Retry-After', 'RateLimit-Policy', 'RateLimit']);
    expect((scores['401'] as { headers: object }).headers).toHaveProperty('WWW-Authenticate');
    expect(d.components.schemas).toHaveProperty('Question');
    expect(d.components.schemas).toHaveProperty('Problem');
  });

  it('describes the score report (overall, by, tree, coverage, items), not an empty object', async () => {
    const d = await doc();
    const scores = JSON.stringify(d.paths['/v1/scores']!.post!.responses['200']);
    expect(scores).toContain('#/components/schemas/ScoreReport');
    const report = d.components.schemas.ScoreReport as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(report.properties)).toEqual(expect.arrayContaining(['overall', 'detail', 'by', 'tree', 'coverage', 'items', 'subset']));
    expect(report.required).toEqual(expect.arrayContaining(['overall', 'detail', 'coverage']));
    // by and tree come with detail=full only; items with items=true.
    for (const optional of ['by', 'tree', 'items']) expect(report.required).not.toContain(optional);
  });
});

describe('/docs', () => {
  it('is an HTML reference page rendered from /openapi.json', async () => {
    const res = await api('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('&quot;url&quot;:&quot;/openapi.json&quot;');
    // Served from this Worker's static assets (public/vendor), never from another host.
    expect(html).toContain('<script src="/vendor/scalar/standalone.js">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
