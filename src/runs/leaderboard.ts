// Ranking of a leaderboard: runs recomputed on a selection (and, on the whole split, the published
// reference results) ordered by accuracy. Pure. Ties share a rank (1, 2, 2, 4) and are flagged, and
// each row says whether its 95% interval overlaps the row above: neither is hidden by the order.
import { wilsonInterval } from '../stats/wilson';

export interface RankedRun {
  readonly id: string;
  readonly model: string;
  readonly organization: string | null;
  readonly n: number;
  readonly correct: number;
}

export interface ReferenceResult {
  readonly model: string;
  /** A fraction. */
  readonly accuracy: number;
  /** The chance baseline: shown, never ranked. */
  readonly baseline: boolean;
}

export interface LeaderboardRow {
  /** Competition rank among ranked rows (equal accuracy, equal rank); null for a baseline or an empty run. */
  readonly rank: number | null;
  /** Null for a published reference row. */
  readonly run_id: string | null;
  readonly model: string;
  readonly organization: string | null;
  /** Null for a published row (no per-question data). */
  readonly n: number | null;
  readonly correct: number | null;
  readonly accuracy: number | null;
  readonly ci95: readonly [number, number] | null;
  /** A reference result from the benchmark's README, not a stored run. */
  readonly published: boolean;
  /** Another ranked row has exactly this accuracy. */
  readonly tied: boolean;
  /** This row's 95% interval overlaps the one of the row above (the order between them is not established). */
  readonly overlaps_previous: boolean;
}

export function rankLeaderboard(runs: readonly RankedRun[], references: readonly ReferenceResult[] = []): LeaderboardRow[] {
  const rows = [
    ...runs.map((r) => ({
      run_id: r.id,
      model: r.model,
      organization: r.organization,
      n: r.n,
      correct: r.correct,
      accuracy: r.n ? r.correct / r.n : null,
      ci95: r.n ? wilsonInterval(r.correct, r.n) : null,
      published: false,
      ranked: r.n > 0,
    })),
    ...references.map((p) => ({
      run_id: null,
      model: p.model,
      organization: null,
      n: null,
      correct: null,
      accuracy: p.accuracy,
      ci95: null,
      published: true,
      ranked: !p.baseline,
    })),
  ];
  // Best first; empty runs last; then the larger n, the name and the id, so equal inputs give equal pages.
  rows.sort(
    (a, b) =>
      (b.accuracy ?? -1) - (a.accuracy ?? -1) ||
      (b.n ?? 0) - (a.n ?? 0) ||
      (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) ||
      ((a.run_id ?? '') < (b.run_id ?? '') ? -1 : (a.run_id ?? '') > (b.run_id ?? '') ? 1 : 0),
  );
  const rankedAccuracies = rows.filter((r) => r.ranked).map((r) => r.accuracy!);
  return rows.map(({ ranked, ...row }, i) => {
    const previous = rows[i - 1];
    return {
      rank: ranked ? 1 + rankedAccuracies.filter((a) => a > row.accuracy!).length : null,
      ...row,
      tied: ranked && rankedAccuracies.filter((a) => a === row.accuracy).length > 1,
      overlaps_previous: !!(row.ci95 && previous?.ci95 && row.ci95[1] >= previous.ci95[0] && previous.ci95[1] >= row.ci95[0]),
    };
  });
}
