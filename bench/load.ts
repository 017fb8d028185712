// HTTP load scenarios driven by autocannon against the local Worker.
import autocannon from 'autocannon';

export interface LoadScenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** Status every response must have (default: any 2xx). */
  expectStatus?: number;
}

export interface LoadResult {
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and responses with another status than expected. */
  failures: number;
}

export async function runLoad(baseUrl: string, scenario: LoadScenario, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url: baseUrl + scenario.path, headers: scenario.headers, connections, duration: seconds, pipelining: 1 });
  const byStatus = Object.entries(result.statusCodeStats ?? {}) as [string, { count: number }][];
  const wrongStatus = scenario.expectStatus
    ? byStatus.filter(([status]) => Number(status) !== scenario.expectStatus).reduce((n, [, s]) => n + s.count, 0)
    : result.non2xx;
  return {
    scenario: scenario.name,
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + wrongStatus,
  };
}
