// GET /leaderboard: GET /v1/leaderboard of the page's selection and scorer as ranked bars with their
// 95% intervals. Ranks, ties and overlaps are the API's; published reference rows are marked as such.
import type { FC } from 'hono/jsx';
import { ColumnHeads } from './layout';
import { IntervalBar } from './run-report';
import { SelectionChips } from './selection-chips';
import { href, selectionQuery, withParam } from './selection';

export interface LeaderboardJson {
  split: 'val' | 'test';
  scorer: string;
  dataset_version: string;
  subset: { questions: number; whole_split: boolean; id?: string };
  data: Array<{
    rank: number | null;
    run_id: string | null;
    model: string;
    organization: string | null;
    n: number | null;
    correct: number | null;
    accuracy: number | null;
    ci95: readonly [number, number] | null;
    published: boolean;
    tied: boolean;
    overlaps_previous: boolean;
  }>;
  hidden_runs?: number;
  published_source?: string;
}

export interface ScorersJson {
  default: string;
  data: Array<{ name: string; default: boolean }>;
}

export const Leaderboard: FC<{ page: URLSearchParams; board: LeaderboardJson; scorers: ScorersJson }> = ({ page, board, scorers }) => {
  const selection = selectionQuery(page);
  const runs = board.data.filter((r) => !r.published).length;
  return (
    <>
      <h1>Leaderboard</h1>
      <ScorerForm page={page} scorers={scorers} current={board.scorer} />
      <SelectionChips page={page} split={board.split} path="/leaderboard" hint="The whole split: narrow it in the explorer." />
      <p class="total">
        <strong data-testid="questions">{board.subset.questions.toLocaleString('en-US')}</strong> questions in {board.split.toUpperCase()}
        {board.subset.id ? (
          <>
            {' '}
            · subset <code data-testid="subset-id">{board.subset.id}</code>
          </>
        ) : null}{' '}
        · scorer <code>{board.scorer}</code> · {runs} {runs === 1 ? 'run' : 'runs'}
      </p>
      <ul class="links" aria-label="This leaderboard elsewhere">
        <li>
          <a href={href('/', selection)}>These questions in the explorer</a>
        </li>
        <li>
          <a href={href('/v1/leaderboard', withParam(selection, 'scorer', board.scorer))}>API call</a>
        </li>
        <li>
          <a href={href('/compare', withParam(selection, 'scorer', board.scorer))}>Compare two runs</a>
        </li>
      </ul>
      {board.hidden_runs ? (
        <p class="muted" data-testid="hidden-runs">
          {board.hidden_runs} run(s) answered fewer than 30 questions of this selection and are left out, as on every hidden split.
        </p>
      ) : null}
      {board.subset.questions === 0 ? (
        <p class="empty" role="status">
          No question matches this selection, so there is nothing to rank.{' '}
          <a href={href('/leaderboard', new URLSearchParams({ split: board.split }))}>Clear the filters</a> or remove one above.
        </p>
      ) : board.data.length === 0 ? (
        <p class="empty" role="status">
          No public run has been stored for this dataset version yet. <a href="/upload">Score a file</a> and save it with a token.
        </p>
      ) : (
        <LeaderboardTable page={page} board={board} />
      )}
      {board.published_source ? (
        <p class="muted">
          Rows marked <span class="published-tag">published</span> are the results of the benchmark’s paper, as listed in{' '}
          <a href={board.published_source}>its README</a>: reference numbers without per-question data, so they have no interval and show only on the whole
          split under the 2024 rules. “Random” is the unranked chance baseline.
        </p>
      ) : null}
    </>
  );
};

/** The scorer picker: a GET form that keeps the selection. */
const ScorerForm: FC<{ page: URLSearchParams; scorers: ScorersJson; current: string }> = ({ page, scorers, current }) => (
  <form class="selection" method="get" action="/leaderboard">
    <label>
      Scorer
      <select name="scorer">
        {scorers.data.map((s) => (
          <option value={s.name} selected={s.name === current}>
            {s.name}
            {s.default ? ' (default)' : ''}
          </option>
        ))}
      </select>
    </label>
    {[...page]
      .filter(([name]) => name !== 'scorer')
      .map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    <button type="submit">Show</button>
  </form>
);

const LeaderboardTable: FC<{ page: URLSearchParams; board: LeaderboardJson }> = ({ page, board }) => {
  // A run page takes the selection (and scorer) of the leaderboard; its split is the run's.
  const runQuery = withParam(selectionQuery(page), 'split', null);
  return (
    <table class="bars leaderboard" data-testid="leaderboard">
      <caption class="sr-only">
        Runs ranked by accuracy on this selection; equal accuracies share a rank; an interval overlapping the row above means their order is not established.
      </caption>
      <ColumnHeads names={['Rank', 'Model', 'Accuracy and 95% interval', 'Correct / n']} />
      <tbody>
        {board.data.map((row) => (
          <tr class={row.published ? 'published' : undefined} data-run={row.run_id ?? undefined} data-published={row.published ? 'true' : undefined}>
            <td class="rank" data-testid="rank">
              {row.rank ?? '—'}
              {row.tied ? <span class="note"> tied</span> : null}
            </td>
            <th scope="row">
              {row.run_id ? <a href={href(`/runs/${encodeURIComponent(row.run_id)}`, runQuery)}>{row.model}</a> : row.model}
              {row.published ? <span class="published-tag">published</span> : null}
              {row.organization ? <span class="muted org"> {row.organization}</span> : null}
              {row.overlaps_previous ? <span class="note overlap"> interval overlaps the row above</span> : null}
            </th>
            <td data-testid="accuracy">
              <IntervalBar value={row.accuracy} ci95={row.ci95} />
            </td>
            <td data-testid="count">{row.n === null ? 'reference' : `${row.correct} / ${row.n}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
