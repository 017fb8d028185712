// Property-based: random prediction bodies (JSON, TSV, CSV, xlsx, multipart, garbage), media types
// and query strings against POST /v1/scores. Whatever a client sends, the answer is never a 5xx,
// errors are problem+json, and a TEST report never carries items, labels or a TEST label.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, fuzzSeed, postJson } from '../../test/worker/support';
import { SECRET_LABEL, seedReadFixture } from '../../test/worker/read-fixture';
import { buildTextXlsx } from '../../test/fixtures/xlsx-fixture';

const TOKENS = 40;
let tokens: string[] = [];
const indexes: Record<'val' | 'test', number[]> = { val: [], test: [] };

beforeAll(async () => {
  await seedReadFixture(80, 60);
  for (const split of ['val', 'test'] as const) {
    const ndjson = await (await api(`/v1/questions?split=${split}`, { headers: { Accept: 'application/x-ndjson' } })).text();
    indexes[split] = ndjson
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { index: number }).index);
  }
  // Scoring TEST is rationed per token (3 distinct submissions a day in tests): enough tokens that
  // random requests keep reaching the report.
  tokens = await Promise.all(
    Array.from({ length: TOKENS }, async (_, i) => ((await (await postJson('/v1/admin/tokens', { name: `fuzz-${i}` })).json()) as { token: string }).token),
  );
});

const PREDICTIONS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'Z',
  'The answer is (B).',
  "Sorry, I can't help with images of people yet.",
  'nan',
  '',
  'A or B',
  '\u00a0C\u00a0',
  'NA',
  'None',
];

function bodies() {
  const prediction = fc.oneof(fc.constantFrom(...PREDICTIONS), fc.string({ maxLength: 30 }), fc.constant(null));
  const index = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...indexes.val, ...indexes.test) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 33 }) },
  );
  const complete = fc
    .constantFrom('val', 'test')
    .chain((split) => fc.tuple(...indexes[split].map(() => prediction)).map((p) => Object.fromEntries(indexes[split].map((i, k) => [String(i), p[k]]))));
  const predictionsObject = fc.oneof(complete, fc.dictionary(fc.oneof(index.map(String), fc.string({ maxLength: 6 })), prediction, { maxKeys: 40 }));
  const json = fc.oneof(
    predictionsObject.map((predictions) => ({ predictions })),
    fc
      .array(fc.record({ index: fc.oneof(index, fc.string({ maxLength: 4 }) as fc.Arbitrary<unknown>), prediction }), { maxLength: 40 })
      .map((predictions) => ({ predictions })),
    fc.tuple(fc.constantFrom('val', 'test', 'nope', 1), predictionsObject).map(([split, predictions]) => ({ split, predictions })),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const table = fc
    .array(
      fc.tuple(
        index.map(String),
        prediction.map((p) => p ?? ''),
      ),
      { maxLength: 40 },
    )
    .map((rows) => [['index', 'prediction'], ...rows]);
  const delimited = (separator: string) =>
    table.map((rows) => rows.map((r) => r.map((f) => (/["\n\t,]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(separator)).join('\n'));
  return fc.oneof(
    json.map((value) => ({ body: JSON.stringify(value) as BodyInit, type: 'application/json' })),
    delimited('\t').map((body) => ({ body: body as BodyInit, type: 'text/tab-separated-values' })),
    delimited(',').map((body) => ({ body: body as BodyInit, type: 'text/csv' })),
    table.map((rows) => ({ body: buildTextXlsx(rows) as BodyInit, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })),
    fc
      .tuple(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('application/octet-stream', 'application/json', 'text/csv', 'image/png', ''))
      .map(([bytes, type]) => ({ body: Uint8Array.from([0x50, 0x4b, ...bytes]) as BodyInit, type })),
    fc.tuple(delimited('\t'), fc.constantFrom('preds.tsv', 'preds.xlsx', 'x', '')).map(([text, name]) => {
      const form = new FormData();
      form.append('file', new Blob([text]), name);
      return { body: form as BodyInit, type: undefined };
    }),
  );
}

function queries() {
  const pair = fc.oneof(
    fc.tuple(fc.constantFrom('split'), fc.constantFrom('val', 'test', 'x')),
    fc.tuple(fc.constantFrom('items', 'require_complete'), fc.constantFrom('true', 'false', '1', 'yes')),
    fc.tuple(fc.constant('format'), fc.constantFrom('json', 'vlmevalkit-csv', 'xml')),
    fc.tuple(fc.constant('detail'), fc.constantFrom('summary', 'full', 'all')),
    fc.tuple(fc.constant('group'), fc.constantFrom('clinical vqa task', 'department', 'perceptual granularity', 'modality')),
    fc.tuple(
      fc.constantFrom('task', 'department', 'modality', 'label', 'index', 'q'),
      fc.constantFrom('N/A', 'Bone', 'CT', '3', `${SECRET_LABEL}1`, "' OR 1=1 --", 'polyp'),
    ),
  );
  return fc
    .tuple(fc.constantFrom('val', 'test', undefined), fc.array(pair, { maxLength: 4 }))
    .map(([split, pairs]) => new URLSearchParams([...(split ? [['split', split]] : []), ...pairs]).toString());
}

/** Well-formed TEST submissions (every question, a valid token), so random requests reach the report. */
function testSubmissions() {
  const prediction = fc.oneof(fc.constantFrom(...PREDICTIONS), fc.string({ maxLength: 30 }));
  return fc
    .tuple(
      fc.tuple(...indexes.test.map(() => prediction)),
      fc.constantFrom('', '&detail=full', '&department=N/A&detail=full', '&granularity=Image%20level', '&format=vlmevalkit-csv&group=department'),
      fc.nat(TOKENS - 1),
    )
    .map(([predictions, extra, token]) => ({
      query: `split=test${extra}`,
      body: JSON.stringify({ predictions: Object.fromEntries(indexes.test.map((i, k) => [String(i), predictions[k]])) }),
      token,
    }));
}

describe('POST /v1/scores, random submissions', () => {
  it('never answers 5xx, answers errors as problem+json, and never reveals TEST answers or labels', async () => {
    let testReports = 0;
    const random = fc.record({ body: bodies(), query: queries(), token: fc.nat(TOKENS - 1), withToken: fc.boolean() });
    const valid = testSubmissions().map(({ query, body, token }) => ({
      body: { body: body as BodyInit, type: 'application/json' as string | undefined },
      query,
      token,
      withToken: true,
    }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: valid }),
        async ({ body: { body, type }, query, token, withToken }) => {
          const headers: Record<string, string> = {};
          if (type !== undefined) headers['Content-Type'] = type;
          if (withToken) headers.Authorization = `Bearer ${tokens[token]}`;
          const res = await api(`/v1/scores?${query}`, { method: 'POST', body, headers });
          const text = await res.text();
          expect(res.status, `${query} ${text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('Content-Type')).toBe('application/problem+json');
          expect(text).not.toContain(SECRET_LABEL);
          if (res.status === 200 && text.startsWith('{')) {
            const report = JSON.parse(text) as { split: string; detail: string; items?: unknown; by?: Record<string, unknown>; hidden_nodes?: number };
            if (report.split === 'test') {
              testReports++;
              expect(report.items).toBeUndefined();
              expect(report.by?.category).toBeUndefined();
              // Breakdowns (and the count of nodes they hide) come with detail=full only.
              if (report.detail === 'full') expect(report.hidden_nodes).toBeTypeOf('number');
              else expect([report.by, report.hidden_nodes]).toEqual([undefined, undefined]);
            }
          }
        },
      ),
      { numRuns: 250, seed: fuzzSeed() },
    );
    expect(testReports).toBeGreaterThan(0);
  });
});
