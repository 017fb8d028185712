// GET /runs/{id}: a stored run (GET /v1/runs/{id} on the page's selection and scorer): its metadata,
// receipt and badge, then the same run report as an upload. Only what the API returns is shown: on
// TEST no items and no node the API hides.
import type { FC } from 'hono/jsx';
import { percent } from './layout';
import type { ScoreReportJson } from './run-report';
import { SelectionChips } from './selection-chips';
import { href, selectionQuery, withParam } from './selection';

export interface RunJson {
  id: string;
  model: string;
  organization: string | null;
  model_url: string | null;
  paper_url: string | null;
  notes: string | null;
  split: 'val' | 'test';
  dataset_version: string;
  predictions_sha256: string;
  visibility: 'public' | 'private';
  created_at: string;
  overall: Record<string, { n: number; correct: number; accuracy: number | null }>;
}

export interface StoredRunReportJson extends ScoreReportJson {
  run: RunJson;
  receipt: string;
  links: Record<string, string>;
}

export const RunDetails: FC<{ page: URLSearchParams; report: StoredRunReportJson }> = ({ page, report }) => {
  const { run } = report;
  const selection = selectionQuery(page);
  const path = `/runs/${encodeURIComponent(run.id)}`;
  const api = `/v1${path}`;
  const badge = `?scorer=${encodeURIComponent(report.scorer)}`;
  return (
    <>
      <h1>
        {run.model} <span class="muted">on {run.split.toUpperCase()}</span>
      </h1>
      <SelectionChips page={page} split={run.split} path={path} hint="All of the run's questions." />
      <dl class="facts run-facts">
        <dt>Run</dt>
        <dd>
          <code data-testid="run-id">{run.id}</code> · {run.visibility === 'public' ? 'public' : 'private (only its token and the admin see it)'}
        </dd>
        {run.organization ? (
          <>
            <dt>Organization</dt>
            <dd>{run.organization}</dd>
          </>
        ) : null}
        {run.model_url || run.paper_url ? (
          <>
            <dt>Links</dt>
            <dd>
              <ul class="links">
                {run.model_url ? (
                  <li>
                    <a href={run.model_url} rel="nofollow noopener">
                      Model
                    </a>
                  </li>
                ) : null}
                {run.paper_url ? (
                  <li>
                    <a href={run.paper_url} rel="nofollow noopener">
                      Paper
                    </a>
                  </li>
                ) : null}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>
          <time datetime={run.created_at}>{run.created_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>
        </dd>
        <dt>All questions, per scorer</dt>
        <dd>
          <ul class="links">
            {Object.entries(run.overall).map(([scorer, o]) => (
              <li>
                {scorer === report.scorer ? (
                  <code>{scorer}</code>
                ) : (
                  <a href={href(path, withParam(page, 'scorer', scorer))}>
                    <code>{scorer}</code>
                  </a>
                )}{' '}
                {percent(o.accuracy)} ({o.correct} / {o.n})
              </li>
            ))}
          </ul>
        </dd>
        {run.notes ? (
          <>
            <dt>Notes</dt>
            <dd class="notes">{run.notes}</dd>
          </>
        ) : null}
      </dl>
      {run.visibility === 'public' ? (
        <p class="badge">
          <img
            src={`${api}/badge.svg${badge}`}
            alt={`Badge: ${run.model}, ${percent(run.overall[report.scorer]?.accuracy)} on ${run.split.toUpperCase()}`}
            height={20}
          />{' '}
          <a href={`${api}/badge${badge}`}>shields.io endpoint</a>
        </p>
      ) : null}
      <details class="receipt">
        <summary>Signed receipt</summary>
        <p class="muted">
          A compact JWS (EdDSA, Ed25519) over the run id, model, split, dataset version, predictions sha256 and per-scorer results. Verify it offline with{' '}
          <code>npm run gmai -- verify {run.id}</code> or any JOSE library against <a href="/.well-known/jwks.json">the JWKS</a>.
        </p>
        <code class="jws" data-testid="receipt">
          {report.receipt}
        </code>
      </details>
      <ul class="links" aria-label="This run elsewhere">
        <li>
          <a href={href(api, selection)}>API call</a>
        </li>
        <li>
          <a href={href('/leaderboard', withParam(selection, 'split', run.split))}>Leaderboard of this selection</a>
        </li>
        <li>
          <a href={href('/compare', withParam(selection, 'a', run.id))}>Compare with another run</a>
        </li>
      </ul>
    </>
  );
};
