// The mixed scenario: many clients at once on pages, the tree, images, small NDJSON exports and VAL
// scoring, one request kind drawn per request. Every request must succeed: a 5xx, a connection error,
// a timeout or any other non-2xx (a 429 included) fails the bench.
import autocannon from 'autocannon';
import { Rng } from '../r2-seed/prng';

export interface MixedRequest {
  name: string;
  /** Relative frequency in the mix. */
  weight: number;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface MixedResult {
  scenario: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  serverErrors: number;
  non2xx: number;
  byKind: Record<string, number>;
  /** Non-2xx answers by request kind and status, with the first such body of each kind. */
  unexpected: Record<string, { statuses: Record<string, number>; firstBody: string }>;
  /** How the bench stands for many clients to the per-client rate limits. */
  clients: string;
  failures: number;
}

/**
 * wrangler dev keeps a CF-Connecting-IP the client sends (miniflare only sets one when absent), so
 * every request comes from its own address, as on the edge: the per-client limits of scoring (120 a
 * minute) and NDJSON (60) apply per client, not to the whole bench as one.
 */
const CLIENTS = 'a new CF-Connecting-IP per request (wrangler dev keeps a client-sent one)';

export async function runMixedLoad(baseUrl: string, mix: readonly MixedRequest[], connections: number, seconds: number): Promise<MixedResult> {
  const rng = new Rng(12);
  const total = mix.reduce((n, m) => n + m.weight, 0);
  const byKind: Record<string, number> = Object.fromEntries(mix.map((m) => [m.name, 0]));
  const unexpected: MixedResult['unexpected'] = {};
  const draw = (): MixedRequest => {
    let ticket = rng.uint32() % total;
    for (const m of mix) if ((ticket -= m.weight) < 0) return m;
    return mix[0]!;
  };
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    pipelining: 1,
    // Scoring and pages are slow under 64 connections on a small machine; a slow answer is not an error.
    timeout: 30,
    requests: [
      {
        setupRequest: (request, context) => {
          const m = draw();
          byKind[m.name]!++;
          (context as { kind?: string }).kind = m.name;
          const ip = `10.${rng.uint32() % 256}.${rng.uint32() % 256}.${1 + (rng.uint32() % 254)}`;
          return { ...request, method: m.method ?? 'GET', path: m.path, body: m.body, headers: { ...m.headers, 'CF-Connecting-IP': ip } };
        },
        onResponse: (status, body, context) => {
          if (status >= 200 && status < 300) return;
          const seen = (unexpected[(context as { kind?: string }).kind ?? '?'] ??= { statuses: {}, firstBody: String(body ?? '').slice(0, 500) });
          seen.statuses[status] = (seen.statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  const byStatus = Object.entries(result.statusCodeStats ?? {}) as [string, { count: number }][];
  const serverErrors = byStatus.filter(([status]) => Number(status) >= 500).reduce((n, [, s]) => n + s.count, 0);
  const errors = result.errors + result.timeouts;
  return {
    scenario: `mixed: ${mix.map((m) => m.name).join(', ')}`,
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors,
    serverErrors,
    non2xx: result.non2xx,
    byKind,
    unexpected,
    clients: CLIENTS,
    failures: errors + result.non2xx,
  };
}

type Question = { index: number; options: Record<string, string>; image: { sha256: string } };

/** The mix, from what the running Worker serves: VAL questions, their images, a small scoring body. */
export async function mixedRequests(baseUrl: string): Promise<MixedRequest[]> {
  const res = await fetch(`${baseUrl}/v1/questions?split=val&department=Ophthalmology&limit=40`);
  if (!res.ok) throw new Error(`mixed load setup: ${res.status} ${await res.text()}`);
  const questions = ((await res.json()) as { data: Question[] }).data;
  const [first, second] = [questions[0]!, questions[1]!];
  const indexes = questions
    .slice(0, 20)
    .map((q) => `index=${q.index}`)
    .join('&');
  const predictions = Object.fromEntries(questions.map((q, i) => [q.index, i % 3 ? `The answer is ${Object.keys(q.options)[i % 2]}.` : q.options.A!]));
  return [
    { name: 'explorer page', weight: 1, path: '/?split=val&department=Ophthalmology' },
    { name: 'question page', weight: 1, path: `/questions/val/${second.index}` },
    { name: 'tree', weight: 2, path: '/v1/tree?split=test&modality=CT' },
    { name: 'questions page', weight: 2, path: '/v1/questions?split=val&department=Ophthalmology&limit=50' },
    { name: 'image', weight: 2, path: `/v1/images/${first.image.sha256}` },
    { name: 'image range', weight: 1, path: `/v1/images/${second.image.sha256}`, headers: { Range: 'bytes=0-4095' } },
    { name: 'NDJSON of 20', weight: 2, path: `/v1/questions?split=val&${indexes}`, headers: { Accept: 'application/x-ndjson' } },
    {
      name: 'score VAL (40, JSON)',
      weight: 2,
      method: 'POST',
      path: '/v1/scores?split=val',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ predictions }),
    },
  ];
}
