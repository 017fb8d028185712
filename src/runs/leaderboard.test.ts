import { describe, expect, it } from 'vitest';
import { rankLeaderboard } from './leaderboard';

const run = (id: string, correct: number, n: number) => ({ id, model: `M-${id}`, organization: null, n, correct });

describe('rankLeaderboard', () => {
  it('ranks by accuracy with shared ranks for ties (1, 2, 2, 4), empty runs last and unranked', () => {
    const rows = rankLeaderboard([run('c', 30, 60), run('a', 50, 100), run('e', 0, 0), run('b', 60, 100), run('d', 20, 100)]);
    expect(rows.map((r) => [r.run_id, r.rank, r.tied])).toEqual([
      ['b', 1, false],
      ['a', 2, true], // 0.5 with n = 100 before 0.5 with n = 60
      ['c', 2, true],
      ['d', 4, false],
      ['e', null, false],
    ]);
    expect(rows[4]).toMatchObject({ accuracy: null, ci95: null });
  });

  it('flags an interval that overlaps the row above', () => {
    // 60/100 vs 50/100 overlap (Wilson ≈ [0.502, 0.691] and [0.404, 0.596]); 50/100 vs 5/100 do not.
    const rows = rankLeaderboard([run('a', 60, 100), run('b', 50, 100), run('c', 5, 100)]);
    expect(rows.map((r) => r.overlaps_previous)).toEqual([false, true, false]);
  });

  it('puts published rows among the runs by accuracy, the baseline unranked', () => {
    const rows = rankLeaderboard(
      [run('a', 45, 100)],
      [
        { model: 'GPT-4o', accuracy: 0.5353, baseline: false },
        { model: 'Random', accuracy: 0.257, baseline: true },
      ],
    );
    expect(rows.map((r) => [r.model, r.rank, r.published, r.n])).toEqual([
      ['GPT-4o', 1, true, null],
      ['M-a', 2, false, 100],
      ['Random', null, true, null],
    ]);
  });
});
