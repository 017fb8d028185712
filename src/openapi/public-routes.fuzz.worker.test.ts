// Property-based: random paths, query strings, headers and cursors against every documented route
// (taken from /openapi.json, so a new route is covered as soon as it is documented). Whatever a
// client sends, the answer is never a 5xx, errors are problem+json, and TEST answers and labels
// never appear in any body.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { api, BASE, fuzzSeed, sha256Hex } from '../../test/worker/support';
import { SECRET_LABEL, seedReadFixture } from '../../test/worker/read-fixture';

const PARAMETER_NAMES = ['split', 'task', 'department', 'granularity', 'modality', 'original_task', 'label', 'index', 'q', 'order', 'limit', 'cursor'];
const VALUES = [
  'val',
  'test',
  'N/A',
  'Bone',
  'Disease Diagnosis',
  'CT',
  "' OR 1=1 --",
  'Otolaryngology (ENT)/Head and Neck Surgery',
  'Image level',
  'CLS_2D',
  'polyp',
  'cataract, mature',
  `${SECRET_LABEL}7`,
  'SECRET',
  '0',
  '3',
  '-1',
  '1e3',
  '2147483648',
  '99999999999',
  '',
  ' ',
  'relevance',
  'index',
  '1',
  '500',
  '501',
  '%',
  '"',
  'NEAR(a b)',
  'a*',
  'col:x',
  '\u0000',
  '𝔘𝔫𝔦',
  'tsv',
  'ndjson',
  'json',
  'aaaaaaaaaaaaaaaa',
];

interface Seeded {
  templates: string[];
  sha: string;
  cursor: string;
  etag: string;
  /** Subset ids of a VAL and a TEST selection. */
  subsets: string[];
}
let seeded: Seeded;

beforeAll(async () => {
  const fixture = await seedReadFixture(80, 60);
  const doc = (await (await api('/openapi.json')).json()) as { paths: Record<string, unknown> };
  const page = await api('/v1/questions?split=val&limit=2');
  seeded = {
    templates: Object.keys(doc.paths),
    sha: await sha256Hex(fixture.images[0]!),
    cursor: ((await page.json()) as { next_cursor: string }).next_cursor,
    etag: page.headers.get('ETag')!,
    subsets: [],
  };
  for (const query of ['split=val&limit=1', 'split=test&limit=1&department=Urology']) {
    seeded.subsets.push(((await (await api(`/v1/questions?${query}`)).json()) as { subset: { id: string } }).subset.id);
  }
});

function arbitraries(s: Seeded) {
  const text = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 12 }));
  const cursor = fc.oneof(
    fc.constant(s.cursor),
    fc
      .tuple(fc.nat(), fc.constantFrom('A', 'z', '0', '-', '_', '.', '='))
      .map(([i, ch]) => s.cursor.slice(0, i % s.cursor.length) + ch + s.cursor.slice((i % s.cursor.length) + 1)),
    fc.stringMatching(/^[A-Za-z0-9_.-]{0,120}$/),
  );
  const pair = fc.oneof(
    // Free-text filters accept any non-empty value, so these pairs mostly reach the queries.
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom('task', 'department', 'granularity', 'modality', 'original_task'), text) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PARAMETER_NAMES), text) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('cursor'), cursor) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('subset'), fc.constantFrom(...s.subsets)) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('format'), fc.constantFrom('json', 'ndjson', 'tsv')) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), text) },
  );
  const split = fc.constantFrom('val', 'test');
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(split, fc.array(pair, { maxLength: 5 })).map(([sp, pairs]) => new URLSearchParams([['split', sp], ...pairs]).toString()) },
    { weight: 2, arbitrary: fc.array(pair, { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9%=&+;._~\-/?]{0,60}$/) },
  );
  const segment = fc.oneof(
    fc.constantFrom('val', 'test', '0', '3', '-1', '01', '2147483648', s.sha, s.sha.toUpperCase(), 'N%2FA', '%2F', '..', 'v1', 'questions', 'tree', 'images'),
    fc.webSegment(),
    fc.string({ maxLength: 70 }).map(encodeURIComponent),
  );
  // Path parameters are mostly valid, so requests reach the handlers and their bodies.
  const pathParameter: Record<string, fc.Arbitrary<string>> = {
    split: fc.oneof({ weight: 3, arbitrary: split }, { weight: 1, arbitrary: segment }),
    index: fc.oneof({ weight: 3, arbitrary: fc.nat(80).map(String) }, { weight: 1, arbitrary: segment }),
    sha256: fc.oneof({ weight: 3, arbitrary: fc.constant(s.sha) }, { weight: 1, arbitrary: segment }),
    id: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...s.subsets) }, { weight: 1, arbitrary: segment }),
  };
  // Routes that serve questions (where a leak would be) are drawn as often as all the others together,
  // so their share stays the same as routes are added.
  const questionRoutes = s.templates.filter((t) => /questions|tree|subsets/.test(t)).length;
  const template = fc.oneof(
    ...s.templates.map((t) => ({ weight: /questions|tree|subsets/.test(t) ? s.templates.length - questionRoutes : questionRoutes, arbitrary: fc.constant(t) })),
  );
  const documented = template.chain((template) => {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    return fc
      .tuple(...names.map((name) => pathParameter[name] ?? segment))
      .map((values) => values.reduce((path, value, i) => path.replace(`{${names[i]}}`, value), template));
  });
  const path = fc.oneof(
    { weight: 4, arbitrary: documented },
    { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => `/v1/${parts.join('/')}`) },
  );
  const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  // Each header is absent two times in three, so most requests are not short-circuited by one.
  const header = (...known: string[]) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...known), headerValue) });
  const headers = fc.record({
    Accept: header('application/x-ndjson', 'application/json', '*/*', 'application/x-ndjson;q=0', 'text/html', 'text/tab-separated-values'),
    'If-None-Match': header('*', s.etag, 'W/"x"', '"a", "b"'),
    'If-Match': header('*', '"x"', 'W/"x"'),
    Range: header('bytes=0-10', 'bytes=-5', 'bytes=99999-', 'bytes=-0', 'bytes=3-1', 'bytes=0-1,2-3'),
    'If-Range': header('"x"'),
    'If-Modified-Since': header('Sat, 10 Jan 2026 12:00:00 GMT', 'Thu, 01 Jan 2099 00:00:00 GMT'),
  });
  return fc.record({ method: fc.constantFrom('GET', 'HEAD'), path, query, headers });
}

/** Every object of a JSON body (an NDJSON body is one per line). */
function* objects(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) for (const item of value) yield* objects(item);
  else if (value && typeof value === 'object') {
    yield value as Record<string, unknown>;
    for (const child of Object.values(value)) yield* objects(child);
  }
}

const TEST_TSV_HEADER = 'index\tquestion\tA\tB\tC\tD\tE\tclinical VQA task\tdepartment\tperceptual granularity\tmodality\toriginal task\timage';

type Draw = ReturnType<typeof arbitraries> extends fc.Arbitrary<infer T> ? T : never;

function testSurfaceExamples(s: Seeded): [Draw][] {
  const noHeaders = {
    Accept: undefined,
    'If-None-Match': undefined,
    'If-Match': undefined,
    Range: undefined,
    'If-Range': undefined,
    'If-Modified-Since': undefined,
  };
  const get = (path: string, query: string, accept?: string): [Draw] => [{ method: 'GET', path, query, headers: { ...noHeaders, Accept: accept } }];
  return [
    get('/v1/questions', 'split=test'),
    get('/v1/questions', 'split=test&department=Ophthalmology', 'application/x-ndjson'),
    get('/v1/questions', 'split=test&format=tsv'),
    get('/v1/questions', 'split=test&department=Ophthalmology&q=scan'),
    get('/v1/questions', `subset=${s.subsets[1]}`),
    get('/v1/tree', 'split=test'),
    get('/v1/tree', 'split=test&department=Ophthalmology'),
    get('/v1/tree', `subset=${s.subsets[1]}`),
  ];
}

describe('every public route, random requests', () => {
  it('never answers 5xx, answers errors as problem+json and never reveals TEST answers or labels', async () => {
    let requests = 0;
    /** Successful TEST question or tree bodies: the surface where a leak would show. */
    let testBodies = 0;
    const examples = testSurfaceExamples(seeded);
    const requestLine = ({ method, path, query }: Pick<Draw, 'method' | 'path' | 'query'>) => `${method} ${path}?${query}`;
    const exampleLines = new Set(examples.map(([example]) => requestLine(example)));
    /** The examples that answered 200 with a body: each must (the random draws cannot stand in for one). */
    const examplesAnswered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arbitraries(seeded), async ({ method, path, query, headers }) => {
        const init: RequestInit = { method, headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string> };
        const res = await api(`${path}${query ? `?${query}` : ''}`, init);
        requests++;
        const body = new TextDecoder().decode(await res.arrayBuffer());
        const type = res.headers.get('Content-Type') ?? '';
        expect(res.status, `${method} ${path}?${query} ${body.slice(0, 300)}`).toBeLessThan(500);
        // A path like /v1/.. normalizes to a web page, whose problems are HTML by design (pages.worker.test.ts).
        const page = !new URL(BASE + path).pathname.startsWith('/v1/');
        if (res.status >= 400 && !page) expect(type).toBe('application/problem+json');
        if (res.status >= 400 && !page && method === 'GET') expect(JSON.parse(body)).toMatchObject({ status: res.status });
        expect(body).not.toContain(SECRET_LABEL);
        const onTest = new RegExp(`(^|/|split=)test(/|&|$)|subset=${seeded.subsets[1]}`).test(`${path}?${query}`);
        if (res.status === 200 && body && /\/v1\/(questions|tree)/.test(path) && onTest) testBodies++;
        const line = requestLine({ method, path, query });
        if (res.status === 200 && body && exampleLines.has(line)) examplesAnswered.add(line);
        // A TEST TSV has no answer columns.
        if (res.status === 200 && body && onTest && type.startsWith('text/tab-separated-values')) expect(body.split('\n', 1)[0]).toBe(TEST_TSV_HEADER);
        if (body && (type.startsWith('application/json') || type.startsWith('application/x-ndjson'))) {
          const parsed = type.startsWith('application/json')
            ? [JSON.parse(body)]
            : body
                .trimEnd()
                .split('\n')
                .map((line) => JSON.parse(line));
          for (const object of objects(parsed)) {
            if (object.split === 'test') {
              expect(object).not.toHaveProperty('answer');
              expect(object).not.toHaveProperty('category');
              expect(object).not.toHaveProperty('lexicons.clinical_vqa_task.0.modalities.0.labels');
            }
          }
        }
      }),
      // Random draws reach successful TEST bodies only now and then (5 in 400 for some seeds): these
      // examples run first, so every seed checks the main TEST surfaces for leaks.
      { numRuns: 400, seed: fuzzSeed(), examples },
    );
    expect(requests).toBeGreaterThanOrEqual(400);
    expect([...examplesAnswered].sort()).toEqual([...exampleLines].sort());
    expect(testBodies).toBeGreaterThanOrEqual(examples.length);
  });
});
