// Failures are answered, never leaked: for every registered route, one or more sample requests run
// against the real Worker entry with real D1/R2 behind a wrapper (fault-injection.ts) that fails the
// N-th binding call, for every N the request makes. A failure before the response is a 503
// problem+json with Retry-After and nothing else in it; a failure while the body streams breaks the
// transfer. Every route must have a sample here: a route added later fails the first test until it
// gets one (one entry in SAMPLES).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import app from '../../src/index';
import { FaultyBindings, INJECTED } from './fault-injection';
import { SECRET_LABEL, seedReadFixture, type ReadFixture } from './read-fixture';
import { encodeImagePack, IMAGE_PACK_CONTENT_TYPE } from '../../src/formats/image-pack';
import { api, BASE, makePng, postJson, sha256Hex } from './support';

const VAL_ROWS = 1100; // more than one NDJSON read (1,000 rows), so a stream can fail after its first piece
let fixture: ReadFixture;
let imageSha: string;

beforeAll(async () => {
  fixture = await seedReadFixture(VAL_ROWS, 40);
  imageSha = await sha256Hex(fixture.images[0]!);
});

type Sample = { name: string; request: () => Promise<Request> };

/** Every request comes from its own client address, so rate limits never get in the way. */
function sample(name: string, path: string | (() => string), init: RequestInit = {}, withAdmin = false): Sample {
  return { name, request: async () => build(typeof path === 'string' ? path : path(), init, withAdmin) };
}

const image = () => `/v1/images/${imageSha}`;

function build(path: string, init: RequestInit, withAdmin: boolean): Request {
  const headers = new Headers(init.headers);
  headers.set('CF-Connecting-IP', `198.51.100.${1 + Math.floor(Math.random() * 250)}, ${crypto.randomUUID()}`);
  if (withAdmin) headers.set('Authorization', `Bearer ${env.ADMIN_TOKEN}`);
  return new Request(BASE + path, { ...init, headers });
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function created<T>(response: Promise<Response>): Promise<T> {
  const res = await response;
  if (!res.ok) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const newToken = () => created<{ id: string; token: string }>(postJson('/v1/admin/tokens', { name: 'faults' }));

async function stagedImport(split: 'val' | 'test', rows: readonly object[]): Promise<string> {
  const { import_id } = await created<{ import_id: string }>(postJson('/v1/admin/imports', { split }));
  if (rows.length) await created(postJson(`/v1/admin/imports/${import_id}/rows`, { rows }));
  return import_id;
}

async function servedContentSha(split: 'val' | 'test'): Promise<string> {
  return (await env.DB.prepare('SELECT content_sha256 AS sha FROM splits WHERE split = ?').bind(split).first<{ sha: string }>())!.sha;
}

const predictions = (rows: readonly { index: number }[]) => Object.fromEntries(rows.map((r) => [String(r.index), 'A']));

/** A VAL run stored through the API (at the dataset version of the attempt), with its token. */
async function storedRun(model: string, visibility = 'public'): Promise<{ id: string; token: string }> {
  const { token } = await newToken();
  const res = api('/v1/runs?split=val', {
    method: 'POST',
    body: JSON.stringify({ model, visibility, predictions: predictions(fixture.val) }),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  });
  return { id: (await created<{ id: string }>(res)).id, token };
}
const withToken = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
});

/** One or more sample requests per route ("METHOD /path" as Hono registers it). Each must succeed when nothing fails. */
const SAMPLES: Record<string, Sample[]> = {
  'GET /v1/health': [sample('health', '/v1/health')],
  'GET /v1/splits': [sample('splits', '/v1/splits')],
  'GET /v1/tree': [sample('VAL, one filter', '/v1/tree?split=val&department=Ophthalmology'), sample('TEST', '/v1/tree?split=test')],
  'GET /v1/questions': [
    sample('VAL page, filters', '/v1/questions?split=val&task=Bone&limit=5'),
    sample('keyword search', '/v1/questions?split=val&q=fundus&limit=3'),
    {
      name: 'second page by cursor',
      request: async () => {
        const first = await created<{ next_cursor: string }>(api('/v1/questions?split=val&limit=2'));
        return build(`/v1/questions?split=val&limit=2&cursor=${encodeURIComponent(first.next_cursor)}`, {}, false);
      },
    },
    sample('NDJSON of all VAL (two reads)', '/v1/questions?split=val', { headers: { Accept: 'application/x-ndjson' } }),
    sample('NDJSON of TEST', '/v1/questions?split=test', { headers: { Accept: 'application/x-ndjson' } }),
    sample('TSV of a VAL subset (images from R2)', '/v1/questions?split=val&task=Bone&format=tsv'),
    sample('TSV of TEST', '/v1/questions?split=test&format=tsv'),
  ],
  'GET /v1/subsets/:id': [
    {
      name: 'a subset named by /v1/tree',
      request: async () => {
        const tree = await created<{ subset: { id: string } }>(api('/v1/tree?split=val&department=Ophthalmology'));
        return build(`/v1/subsets/${tree.subset.id}`, {}, false);
      },
    },
  ],
  'GET /v1/questions/:split/:index': [sample('VAL', '/v1/questions/val/0'), sample('TEST', '/v1/questions/test/1')],
  'GET /v1/images/:sha256': [
    sample('whole image', image),
    sample('range', image, { headers: { Range: 'bytes=0-9' } }),
    {
      name: 'If-None-Match (304)',
      request: async () => {
        const etag = (await api(`/v1/images/${imageSha}`, { method: 'HEAD' })).headers.get('ETag')!;
        return build(`/v1/images/${imageSha}`, { headers: { 'If-None-Match': etag } }, false);
      },
    },
  ],
  'HEAD /v1/images/:sha256': [sample('HEAD', image, { method: 'HEAD' })],
  'POST /v1/scores': [
    { name: 'VAL JSON', request: async () => build('/v1/scores?split=val', json({ predictions: predictions(fixture.val) }), false) },
    { name: 'VAL subset', request: async () => build('/v1/scores?split=val&department=Ophthalmology', json({ predictions: predictions(fixture.val) }), false) },
    {
      name: 'VAL as VLMEvalKit CSV',
      request: async () => build('/v1/scores?split=val&format=vlmevalkit-csv&group=department', json({ predictions: predictions(fixture.val) }), false),
    },
    {
      name: 'TEST with a token',
      request: async () => {
        const { token } = await newToken();
        return build(
          '/v1/scores?split=test',
          { ...json({ predictions: predictions(fixture.test) }), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } },
          false,
        );
      },
    },
  ],
  'POST /v1/runs': [
    {
      name: 'a VAL run',
      request: async () => {
        const { token } = await newToken();
        return build(
          '/v1/runs?split=val',
          withToken(token, { ...json({ model: 'faults', predictions: predictions(fixture.val) }), headers: { 'Content-Type': 'application/json' } }),
          false,
        );
      },
    },
  ],
  'GET /v1/runs': [
    {
      name: 'list',
      request: async () => {
        await storedRun('listed');
        return build('/v1/runs?split=val', {}, false);
      },
    },
  ],
  'GET /v1/runs/:id': [
    { name: 'report on a selection', request: async () => build(`/v1/runs/${(await storedRun('report')).id}?department=Ophthalmology&detail=full`, {}, false) },
  ],
  'PATCH /v1/runs/:id': [
    {
      name: 'make private',
      request: async () => {
        const run = await storedRun('patched');
        return build(
          `/v1/runs/${run.id}`,
          withToken(run.token, { method: 'PATCH', body: JSON.stringify({ visibility: 'private' }), headers: { 'Content-Type': 'application/json' } }),
          false,
        );
      },
    },
  ],
  'DELETE /v1/runs/:id': [
    {
      name: 'by its token',
      request: async () => {
        const run = await storedRun('deleted');
        return build(`/v1/runs/${run.id}`, withToken(run.token, { method: 'DELETE' }), false);
      },
    },
  ],
  'GET /v1/runs/:id/badge': [{ name: 'shields JSON', request: async () => build(`/v1/runs/${(await storedRun('badge')).id}/badge`, {}, false) }],
  'GET /v1/runs/:id/badge.svg': [{ name: 'SVG', request: async () => build(`/v1/runs/${(await storedRun('badge-svg')).id}/badge.svg`, {}, false) }],
  'GET /v1/leaderboard': [
    {
      name: 'whole VAL',
      request: async () => {
        await storedRun('ranked');
        return build('/v1/leaderboard?split=val', {}, false);
      },
    },
    {
      name: 'a selection',
      request: async () => {
        await storedRun('ranked-subset');
        return build('/v1/leaderboard?split=val&department=Ophthalmology', {}, false);
      },
    },
  ],
  'GET /v1/compare': [
    {
      name: 'two runs',
      request: async () => {
        const [a, b] = [await storedRun('a'), await storedRun('b')];
        return build(`/v1/compare?a=${a.id}&b=${b.id}`, {}, false);
      },
    },
  ],
  'GET /v1/scorers': [sample('scorers', '/v1/scorers')],
  'GET /.well-known/jwks.json': [sample('JWKS', '/.well-known/jwks.json')],
  'POST /v1/admin/imports': [sample('create', '/v1/admin/imports', json({ split: 'val' }), true)],
  'GET /v1/admin/imports': [sample('list', '/v1/admin/imports', {}, true)],
  'POST /v1/admin/imports/:id/rows': [
    {
      name: 'stage rows',
      request: async () => build(`/v1/admin/imports/${await stagedImport('test', [])}/rows`, json({ rows: fixture.test.slice(0, 3) }), true),
    },
  ],
  'POST /v1/admin/imports/:id/commit': [
    {
      name: 'swap in (new content)',
      request: async () =>
        build(
          `/v1/admin/imports/${await stagedImport('test', fixture.test)}/commit`,
          json({ content_sha256: await randomSha(), rows: fixture.test.length }),
          true,
        ),
    },
    {
      name: 'unchanged content',
      request: async () =>
        build(
          `/v1/admin/imports/${await stagedImport('test', fixture.test)}/commit`,
          json({ content_sha256: await servedContentSha('test'), rows: fixture.test.length }),
          true,
        ),
    },
  ],
  'DELETE /v1/admin/imports/:id': [
    { name: 'abort', request: async () => build(`/v1/admin/imports/${await stagedImport('val', [])}`, { method: 'DELETE' }, true) },
  ],
  'POST /v1/admin/images/missing': [
    { name: 'missing', request: async () => build('/v1/admin/images/missing', json({ sha256: [imageSha, 'f'.repeat(64)] }), true) },
  ],
  'POST /v1/admin/images': [
    {
      name: 'image pack',
      request: async () => {
        const png = await makePng(6, 6, 77);
        const body = new Blob(encodeImagePack([{ sha256: await sha256Hex(png), bytes: png }]));
        return build('/v1/admin/images', { method: 'POST', headers: { 'Content-Type': IMAGE_PACK_CONTENT_TYPE }, body }, true);
      },
    },
  ],
  'PUT /v1/admin/images/:sha256': [
    {
      name: 'one image',
      request: async () => {
        const png = await makePng(7, 5, 33);
        return build(
          `/v1/admin/images/${await sha256Hex(png)}`,
          { method: 'PUT', headers: { 'Content-Type': 'image/png', 'Content-Length': String(png.length) }, body: png },
          true,
        );
      },
    },
  ],
  'POST /v1/admin/tokens': [sample('create', '/v1/admin/tokens', json({ name: 'ci' }), true)],
  'GET /v1/admin/tokens': [sample('list', '/v1/admin/tokens', {}, true)],
  'DELETE /v1/admin/tokens/:id': [{ name: 'revoke', request: async () => build(`/v1/admin/tokens/${(await newToken()).id}`, { method: 'DELETE' }, true) }],
  'GET /openapi.json': [sample('document', '/openapi.json')],
  'GET /docs': [sample('reference', '/docs')],
  'GET /': [sample('explorer', '/?split=val&department=Ophthalmology')],
  'GET /questions/:split/:index': [sample('question page', '/questions/val/3')],
  'GET /upload': [sample('form', '/upload')],
  'GET /leaderboard': [
    {
      name: 'leaderboard page',
      request: async () => {
        await storedRun('paged');
        return build('/leaderboard?split=val&department=Ophthalmology', {}, false);
      },
    },
  ],
  'GET /runs/:id': [{ name: 'run page', request: async () => build(`/runs/${(await storedRun('page')).id}`, {}, false) }],
  'GET /compare': [
    {
      name: 'compare page',
      request: async () => {
        const [a, b] = [await storedRun('page-a'), await storedRun('page-b')];
        return build(`/compare?a=${a.id}&b=${b.id}`, {}, false);
      },
    },
  ],
  'POST /upload': [
    {
      name: 'VAL TSV upload',
      request: async () => {
        const form = new FormData();
        form.append(
          'file',
          new Blob([['index\tprediction', ...fixture.val.map((r) => `${r.index}\tA`)].join('\n')], { type: 'text/tab-separated-values' }),
          'M_GMAI-MMBench_VAL.tsv',
        );
        return build('/upload', { method: 'POST', body: form }, false);
      },
    },
  ],
};

async function randomSha(): Promise<string> {
  return sha256Hex(crypto.getRandomValues(new Uint8Array(16)));
}

/** Per-version caches (totals, scoring keys) would hide the reads of a cold isolate: every attempt starts at a new version. */
async function newDatasetVersion(): Promise<void> {
  await env.DB.prepare('UPDATE splits SET content_sha256 = lower(hex(randomblob(32)))').run();
}

interface Attempt {
  method: string;
  faults: FaultyBindings;
  res: Response;
  /** Binding calls made before the response was returned (the rest happened while its body was read). */
  callsBeforeResponse: number;
  body: string;
  bodyError: unknown;
}

/** A sample at a new dataset version. */
async function attemptSample(s: Sample, failAt: number | null): Promise<Attempt> {
  await newDatasetVersion();
  return attempt(await s.request(), failAt);
}

/** The request through the Worker entry with faulty bindings; the body is read to its end (or its failure). */
async function attempt(request: Request, failAt: number | null): Promise<Attempt> {
  const faults = new FaultyBindings(failAt);
  const ctx = createExecutionContext();
  const res = await app.fetch(request, faults.env(), ctx);
  const callsBeforeResponse = faults.calls.length;
  let body = '';
  let bodyError: unknown = null;
  try {
    body = await res.text();
  } catch (err) {
    bodyError = err;
  }
  await waitOnExecutionContext(ctx);
  return { method: request.method, faults, res, callsBeforeResponse, body, bodyError };
}

const PROBLEM_MEMBERS = ['detail', 'instance', 'status', 'title', 'type'];

function expectAnsweredNotLeaked(run: Attempt, n: number, where: string): void {
  if (n <= run.callsBeforeResponse) {
    expect(run.res.status, `${where}: ${run.body}`).toBe(503);
    expect(run.res.headers.get('Content-Type'), where).toBe('application/problem+json');
    expect(Number(run.res.headers.get('Retry-After')), where).toBeGreaterThan(0);
    // A HEAD answer has the problem's headers and no body.
    if (run.method !== 'HEAD') {
      const problem = JSON.parse(run.body) as Record<string, unknown>;
      expect(Object.keys(problem).sort(), where).toEqual(PROBLEM_MEMBERS);
      expect(problem.status, where).toBe(503);
    }
  } else {
    // The fault hit while the body streamed: the client must see a broken transfer, not a short file.
    expect(run.bodyError, `${where}: the body ended normally`).not.toBeNull();
  }
  for (const leak of [INJECTED, 'D1_ERROR', SECRET_LABEL, 'Error:', '.ts:']) expect(run.body, where).not.toContain(leak);
}

function registeredRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

const coverage: Array<{ route: string; sample: string; calls: number; injected: number }> = [];

afterAll(() => {
  const points = coverage.reduce((n, c) => n + c.injected, 0);
  console.log(`fault injection: ${Object.keys(SAMPLES).length} routes, ${coverage.length} samples, ${points} failing calls injected`);
  for (const c of coverage) console.log(`  ${c.route} | ${c.sample} | ${c.calls} calls | ${c.injected} failed`);
});

describe('fault injection', () => {
  it('has a sample request for every registered route (add one to SAMPLES for a new route)', () => {
    expect(registeredRoutes().filter((route) => !SAMPLES[route])).toEqual([]);
    expect(Object.keys(SAMPLES).filter((route) => !registeredRoutes().includes(route))).toEqual([]);
  });

  it.for(Object.keys(SAMPLES))('%s: a failing binding call is a 503 or a broken body, never a leak', async (route) => {
    for (const s of SAMPLES[route]!) {
      const baseline = await attemptSample(s, null);
      expect(baseline.res.status, `${route} ${s.name} without faults: ${baseline.body.slice(0, 300)}`).toBeLessThan(400);
      // Up to the fault-free run's count, and on while runs still reach the N-th call. A run may make
      // fewer calls than another (a total this isolate already counted saves a read), so an N that
      // a run does not reach is skipped, not the end.
      let injected = 0;
      for (let n = 1; ; n++) {
        const run = await attemptSample(s, n);
        if (!run.faults.failed) {
          if (n > baseline.faults.calls.length) break;
          continue;
        }
        injected++;
        expectAnsweredNotLeaked(run, n, `${route} ${s.name}, call ${n} (${run.faults.failed}) failing`);
      }
      if (baseline.faults.calls.length) expect(injected, `${route} ${s.name}: no fault was injected`).toBeGreaterThan(0);
      coverage.push({ route, sample: s.name, calls: baseline.faults.calls.length, injected });
    }
  });
});

describe('a stream failing part-way', () => {
  it('NDJSON: a D1 read failing after the first 1,000 rows were sent breaks the body', async () => {
    const request = () => build('/v1/questions?split=val', { headers: { Accept: 'application/x-ndjson' } }, false);
    const calls = (await attempt(request(), null)).faults.calls;
    expect(calls.at(-1)).toBe('D1 batch'); // the second keyset read
    const faults = new FaultyBindings(calls.length);
    const res = await app.fetch(request(), faults.env(), createExecutionContext());
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const failure = await (async () => {
      for (;;) {
        const part = await reader.read();
        if (part.done) return null;
        received += part.value;
      }
    })().catch((err: unknown) => err);
    expect(failure, 'the body must not end normally').not.toBeNull();
    expect(faults.failed).toBe('D1 batch');
    // What arrived is the first read's rows, whole lines of it: the client cannot mistake it for the selection.
    expect(received.split('\n').filter(Boolean)).toHaveLength(1000);
    expect(received).not.toContain(INJECTED);
  });
});

describe('an import whose commit fails', () => {
  const changed = () => fixture.test.map((r) => ({ ...r, question: `Changed: ${r.question}` }));
  const commit = (id: string, content: string) => build(`/v1/admin/imports/${id}/commit`, json({ content_sha256: content, rows: fixture.test.length }), true);

  /** Everything served of TEST: the split's state, its questions and its answer key. */
  async function servedTest(): Promise<unknown> {
    const splits = await (await api('/v1/splits')).json();
    const questions = await (await api('/v1/questions?split=test&limit=100')).json();
    const key = await env.DB.prepare("SELECT idx, answer FROM answer_key WHERE split = 'test' ORDER BY idx").all();
    const blob = await env.DB.prepare("SELECT scoring_key FROM splits WHERE split = 'test'").first();
    return { splits, questions, key: key.results, blob };
  }

  it('changes nothing served when any call up to the swap fails, and the same commit then succeeds', async () => {
    const calls = (await attempt(commit(await stagedImport('test', changed()), await randomSha()), null)).faults.calls;
    expect(calls).toContain('R2 put'); // the scoring key blob, written before the swap batch
    // Calls after the swap batch (reading the new state for the reply) fail once the commit has taken
    // effect: the retry is then told so (409, import_status committed), which the importer takes as done.
    const swapAt = calls.lastIndexOf('D1 batch') + 1;
    expect(swapAt).toBeGreaterThan(0);
    for (let n = 1; n <= calls.length; n++) {
      // Back to the original rows, then a staged import of changed ones whose commit fails at call n.
      expect(
        (
          await postJson(`/v1/admin/imports/${await stagedImport('test', fixture.test)}/commit`, {
            content_sha256: await randomSha(),
            rows: fixture.test.length,
          })
        ).status,
      ).toBe(200);
      const before = await servedTest();
      const id = await stagedImport('test', changed());
      const content = await randomSha();
      const failed = await attempt(commit(id, content), n);
      const where = `call ${n} (${failed.faults.failed})`;
      expect(failed.res.status, where).toBe(503);
      const after = await servedTest();
      const rerun = await postJson(`/v1/admin/imports/${id}/commit`, { content_sha256: content, rows: fixture.test.length });
      if (n <= swapAt) {
        expect(after, `${where} failing changed what is served`).toEqual(before);
        expect(rerun.status, `re-run after ${where} failed`).toBe(200);
        expect(((await rerun.json()) as { status: string }).status).toBe('committed');
      } else {
        expect(after, `${where}: the commit took effect`).not.toEqual(before);
        expect(rerun.status, `re-run after ${where} failed`).toBe(409);
        expect(await rerun.json()).toMatchObject({ import_status: 'committed' });
      }
      const served = (await (await api('/v1/questions?split=test&limit=100')).json()) as { data: { question: string }[] };
      expect(
        served.data.map((q) => q.question),
        where,
      ).toEqual(changed().map((r) => r.question));
    }
  });
});
