// The synthetic runs of `npm start`: posted on the generated default dataset once, deterministic,
// of different strengths per task, and never once other data is served.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ANSWERS_FILE, testPartFiles, VAL_FILE, writeDataset } from '../../r2-seed/write-dataset';
import { runImport } from '../../scripts/import/run-import';
import { ensureLocalReceiptKey } from '../../scripts/local-dev';
import { ensureSyntheticRuns, recordDefaultImport, SYNTHETIC_ORGANIZATION, SYNTHETIC_PROFILES, syntheticPredictions } from '../../scripts/synthetic-runs';
import { readRealVal, writeLocalizedVal } from './real-val';
import { HAVE_SHARED, startTestServer, tempDir, TEST_ADMIN_TOKEN, type TestServer } from './support';

describe('synthetic predictions', () => {
  const questions = Array.from({ length: 4000 }, (_, index) => ({
    index,
    answer: 'ABCD'[index % 4]!,
    letters: ['A', 'B', 'C', 'D'],
    task: index % 2 ? 'Disease Diagnosis' : 'Counting',
    granularity: index % 3 ? 'Image level' : 'Box level',
  }));
  const accuracy = (model: string, keep: (q: (typeof questions)[number]) => boolean) => {
    const predictions = syntheticPredictions(SYNTHETIC_PROFILES.find((p) => p.model === model)!, 'val', questions);
    const kept = questions.filter(keep);
    return kept.filter((q) => predictions[q.index] === q.answer).length / kept.length;
  };

  it('are the same on every call and differ by split', () => {
    const profile = SYNTHETIC_PROFILES[0]!;
    expect(syntheticPredictions(profile, 'val', questions)).toEqual(syntheticPredictions(profile, 'val', questions));
    expect(syntheticPredictions(profile, 'test', questions)).not.toEqual(syntheticPredictions(profile, 'val', questions));
  });

  it('follow each profile’s strengths by task and granularity (within sampling error)', () => {
    // Specialist: 0.35 + 0.35 on diagnosis vs 0.35 elsewhere; 2% refusals. ±0.05 is over 4 standard errors at n = 2000.
    expect(accuracy('synthetic/diagnosis-specialist', (q) => q.task === 'Disease Diagnosis')).toBeCloseTo(0.7 * 0.98, 1);
    expect(accuracy('synthetic/diagnosis-specialist', (q) => q.task === 'Counting')).toBeCloseTo(0.35 * 0.98, 1);
    expect(accuracy('synthetic/fine-grained-localizer', (q) => q.granularity === 'Box level')).toBeGreaterThan(
      accuracy('synthetic/fine-grained-localizer', (q) => q.granularity === 'Image level') + 0.3,
    );
    expect(accuracy('synthetic/chance', () => true)).toBeCloseTo(0.25 * 0.98, 1);
  });
});

describe('synthetic runs on a server', () => {
  let server: TestServer;
  let dir: string;
  const board = async (split: string) =>
    (
      (await server.json(`/v1/leaderboard?split=${split}&scorer=vlmevalkit-2025-08`)) as {
        data: Array<{ model: string; organization: string | null; n: number }>;
      }
    ).data.filter((r) => r.organization === SYNTHETIC_ORGANIZATION);

  beforeAll(async () => {
    dir = tempDir('gmai-synthetic-');
    writeDataset({ out: dir, seed: 9, scale: 0.02, large: false });
    const envFile = path.join(dir, '.dev.vars');
    await ensureLocalReceiptKey(envFile);
    server = await startTestServer({ envFile });
    const val = await runImport({ files: [path.join(dir, VAL_FILE)], split: 'val', client: server.client });
    const test = await runImport({
      files: testPartFiles(dir),
      split: 'test',
      answersFile: path.join(dir, TEST_ANSWERS_FILE),
      client: server.client,
    });
    recordDefaultImport(server.state, 'val', val.contentSha256!);
    recordDefaultImport(server.state, 'test', test.contentSha256!);
  }, 300_000);
  afterAll(() => server?.close());

  const ensure = () =>
    ensureSyntheticRuns({
      url: server.url,
      adminToken: TEST_ADMIN_TOKEN,
      stateDir: server.state,
      testAnswersFile: path.join(dir, TEST_ANSWERS_FILE),
      log: () => undefined,
    });

  it('posts each profile once per split on the generated dataset, and nothing more on the next start', async () => {
    await ensure();
    for (const split of ['val', 'test']) {
      const rows = await board(split);
      expect(rows.map((r) => r.model).sort()).toEqual(SYNTHETIC_PROFILES.map((p) => p.model).sort());
    }
    await ensure();
    expect(await board('val')).toHaveLength(SYNTHETIC_PROFILES.length);
  });

  it.skipIf(!HAVE_SHARED)('posts none once other data (the real VAL) is served', async () => {
    const report = await runImport({ files: [writeLocalizedVal(tempDir('gmai-synthetic-real-'), readRealVal())], split: 'val', client: server.client });
    expect(report.status).toBe('committed');
    await ensure();
    expect(await board('val')).toEqual([]);
  });
});
