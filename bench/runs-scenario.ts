// Bench scenario of issue 10: 200 public VAL runs posted through POST /v1/runs, then leaderboards on
// the whole split and on subsets, and a paired comparison, timed against /v1/health of the same
// server. Everything is computed from stored outcomes (no prediction is re-read).
import { Rng } from '../r2-seed/prng';
import { encodedBytes } from '../src/runs/outcomes';
import { SCORER_NAMES } from '../src/scoring/scorers';
import { createToken, splitQuestions } from './api';

export const BENCH_RUNS = 200;
/** POST /v1/runs allows 120 requests a minute per token: each token posts at most this many. */
const RUNS_PER_TOKEN = 100;

export interface TimedRequest {
  name: string;
  medianMs: number;
  ok: boolean;
}

export type TimeRuns<T extends TimedRequest> = (name: string, run: () => Promise<boolean>) => Promise<T>;

export async function timeRunScenarios<T extends TimedRequest>(
  url: string,
  adminToken: string,
  timeRuns: TimeRuns<T>,
): Promise<{ timings: T[]; bytesPerRun: Record<string, number> }> {
  const questions = await splitQuestions<{ index: number; answer: string; options: Record<string, string> }>(url, 'val');
  const tokens: string[] = [];
  for (let i = 0; i < BENCH_RUNS / RUNS_PER_TOKEN; i++) tokens.push(await createToken(url, adminToken, `bench-runs-${i}`));
  const started = performance.now();
  const ids: string[] = [];
  for (let r = 0; r < BENCH_RUNS; r++) {
    // Strengths spread over 25–75% so ranks and intervals are realistic.
    const rng = new Rng(10, r);
    const strength = 0.25 + (0.5 * r) / BENCH_RUNS;
    const predictions = Object.fromEntries(questions.map((q) => [q.index, rng.chance(strength) ? q.answer : rng.pick(Object.keys(q.options))]));
    const res = await fetch(`${url}/v1/runs?split=val&model=bench-${r}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens[Math.floor(r / RUNS_PER_TOKEN)]}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ predictions }),
    });
    if (res.status !== 201) throw new Error(`bench run ${r}: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  console.error(`  posted ${BENCH_RUNS} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const get = (path: string, check: (body: unknown) => boolean) => async () => {
    const res = await fetch(url + path);
    return res.ok && check(await res.json());
  };
  const fullBoard = (body: unknown) => (body as { data: Array<{ run_id: string | null }> }).data.filter((r) => r.run_id).length >= BENCH_RUNS;
  const timings = [
    await timeRuns(
      'health (sequential, for the ratios below)',
      get('/v1/health', () => true),
    ),
    await timeRuns(`leaderboard of ${BENCH_RUNS} runs, whole VAL`, get('/v1/leaderboard?split=val', fullBoard)),
    await timeRuns(
      `leaderboard of ${BENCH_RUNS} runs, VAL department=Ophthalmology & granularity=Image level`,
      get('/v1/leaderboard?split=val&department=Ophthalmology&granularity=Image%20level', fullBoard),
    ),
    await timeRuns(
      `leaderboard of ${BENCH_RUNS} runs, VAL keyword q=image, scorer 2026-06`,
      get('/v1/leaderboard?split=val&q=image&scorer=vlmevalkit-2026-06', fullBoard),
    ),
    await timeRuns(
      'compare two runs, whole VAL (with the per-node tree)',
      get(`/v1/compare?a=${ids[0]}&b=${ids[BENCH_RUNS - 1]}`, (b) => (b as { overall: { n: number } }).overall.n > 0),
    ),
    await timeRuns(
      'compare two runs, VAL department=Ophthalmology',
      get(`/v1/compare?a=${ids[1]}&b=${ids[2]}&department=Ophthalmology`, (b) => (b as { overall: { n: number } }).overall.n > 0),
    ),
  ];
  const health = (await (await fetch(`${url}/v1/health`)).json()) as { questions: Record<string, number> };
  // The outcome BLOB of one run per split (three scorers), the bulk of a run's row.
  const bytesPerRun = Object.fromEntries(Object.entries(health.questions).map(([split, n]) => [split, encodedBytes(n, SCORER_NAMES.length)]));
  return { timings, bytesPerRun };
}
