// The web pages: server-rendered from the API's own JSON (dispatched inside the Worker), plain
// links and forms, client code only for drag-and-drop. Registered after the API in src/index.ts.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { problemResponse } from '../http/problem';
import { MAX_SCORE_BODY_BYTES } from '../scoring/scoring-request';
import type { QuestionJson } from '../questions/question-json';
import { apiFetcher, FULL_REPORT_QUERY, type ApiFetch, type Problem } from './api-client';
import { ComparePicker, Comparison, type ComparisonJson } from './compare-page';
import { Explorer, PAGE_SIZE, type QuestionPageJson, type TreeJson } from './explorer';
import { Layout, ProblemView, type Section } from './layout';
import { Leaderboard, type LeaderboardJson, type ScorersJson } from './leaderboard-page';
import { QuestionPage } from './question-page';
import { taskByGranularity, vlmevalkitCsvs, type ReportFetch } from './report-requests';
import { RunDetails, type RunJson, type StoredRunReportJson } from './run-page';
import { RunReport, type ScoreReportJson } from './run-report';
import { DEFAULT_LEXICON, href, isLexiconName, questionsQuery, treeQuery } from './selection';
import { modelOfFileName, UPLOAD_SCRIPT, UploadForm } from './upload';

type PageContext = Context<AppEnv>;

const status = (problem: Problem) => problem.status as ContentfulStatusCode;

function problemPage(c: PageContext, title: string, problem: Problem, back: { href: string; text: string }, section: Section = 'explorer') {
  return c.html(
    <Layout title={title} section={section}>
      <h1>{title}</h1>
      <ProblemView problem={problem} back={back} />
    </Layout>,
    status(problem),
  );
}

export function pageRoutes(app: Hono<AppEnv>) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const page = new URL(c.req.url).searchParams;
      // The API needs a split; the bare explorer opens on VAL, keeping whatever else was given.
      if (!page.has('split')) return c.redirect(href('/', new URLSearchParams([['split', 'val'], ...page])), 302);
      const back = wholeSplitLink('/', page);
      const lexicon = page.get('lexicon') ?? DEFAULT_LEXICON;
      if (!isLexiconName(lexicon)) {
        const problem = { status: 400, title: 'Invalid query parameters', errors: [{ name: 'lexicon', reason: 'must be task, department or granularity' }] };
        return problemPage(c, 'Explorer', problem, back);
      }
      const api = apiFetcher(app, c);
      const [tree, questions] = await Promise.all([
        api<TreeJson>(href('/v1/tree', treeQuery(page))),
        api<QuestionPageJson>(href('/v1/questions', questionsQuery(page, PAGE_SIZE))),
      ]);
      if (!tree.ok) return problemPage(c, 'Explorer', tree.problem, back);
      if (!questions.ok) return problemPage(c, 'Explorer', questions.problem, back);
      return c.html(
        <Layout title="Explorer" section="explorer">
          <Explorer page={page} lexicon={lexicon} tree={tree.data} questions={questions.data} />
        </Layout>,
      );
    })
    .get('/questions/:split/:index', async (c) => {
      const { split, index } = c.req.param();
      const res = await apiFetcher(app, c)<QuestionJson>(`/v1/questions/${encodeURIComponent(split)}/${encodeURIComponent(index)}`);
      if (!res.ok) return problemPage(c, `Question ${index}`, res.problem, { href: '/?split=val', text: 'Back to the explorer' });
      return c.html(
        <Layout title={`Question ${res.data.index} (${res.data.split.toUpperCase()})`} section="explorer">
          <QuestionPage q={res.data} />
        </Layout>,
      );
    })
    .get('/upload', (c) =>
      c.html(
        <Layout title="Score a prediction file" section="upload" scripts={[UPLOAD_SCRIPT]}>
          <h1>Score a prediction file</h1>
          <UploadForm />
        </Layout>,
      ),
    )
    .post(
      '/upload',
      bodyLimit({
        maxSize: MAX_SCORE_BODY_BYTES,
        onError: (c) =>
          problemResponse(c, { status: 413, title: 'Payload too large', detail: `Prediction files may be at most ${MAX_SCORE_BODY_BYTES} bytes.` }),
      }),
      async (c) => {
        const form = await c.req.formData().catch(() => null);
        const file = form?.get('file');
        const render = (body: Child, code: ContentfulStatusCode = 200) =>
          c.html(
            <Layout title="Score a prediction file" section="upload" scripts={[UPLOAD_SCRIPT]}>
              <h1>Score a prediction file</h1>
              {body}
            </Layout>,
            code,
          );
        if (!file || typeof file === 'string' || file.size === 0) {
          const problem = { status: 400, title: 'No file', errors: [{ name: 'file', reason: 'choose a VLMEvalKit prediction file to score' }] };
          return render(<ProblemView problem={problem} back={{ href: '/upload', text: 'Try again' }} />, 400);
        }
        const api = apiFetcher(app, c);
        const bytes = await file.arrayBuffer();
        const model = formText(form, 'model') ?? modelOfFileName(file.name);
        const token = formText(form, 'token');
        const fileProblem = (problem: Problem) =>
          render(
            <ProblemView problem={problem} back={{ href: '/upload', text: 'Choose another file' }}>
              <p>
                File: <code>{file.name}</code>
              </p>
            </ProblemView>,
            status(problem),
          );
        if (token) {
          // Saved as a run: the token goes only into this request's header, never into the page or a URL.
          const body = new FormData();
          body.append('file', new Blob([bytes], { type: file.type }), file.name);
          body.append('model', model);
          const visibility = formText(form, 'visibility');
          if (visibility) body.append('visibility', visibility);
          const saved = await api<RunJson>('/v1/runs?split=val', { method: 'POST', body, headers: { Authorization: `Bearer ${token}` } });
          if (!saved.ok) return fileProblem(saved.problem);
          const runPath = `/runs/${encodeURIComponent(saved.data.id)}`;
          if (saved.data.visibility === 'public') return c.redirect(runPath, 303);
          // A private run's page is a 404 without the token, so it is shown here, once, read with the token.
          const shown = await storedRunPage(api, saved.data.id, new URLSearchParams(), { Authorization: `Bearer ${token}` });
          if (!shown.ok) return fileProblem(shown.problem);
          return render(
            <>
              <p class="notice" role="status">
                Saved as private run <code>{saved.data.id}</code>. Its page, <code>{runPath}</code>, is shown only to requests with its token, so this browser
                cannot open it again; make it public with <code>PATCH /v1/runs/{saved.data.id}</code>.
              </p>
              {shown.body}
            </>,
            201,
          );
        }
        const score: ReportFetch = <T,>(query: string) => {
          const body = new FormData();
          body.append('file', new Blob([bytes], { type: file.type }), file.name);
          return api<T>(`/v1/scores?split=val${query}`, { method: 'POST', body });
        };
        const report = await score<ScoreReportJson>(`${FULL_REPORT_QUERY}&items=true`);
        if (!report.ok) return fileProblem(report.problem);
        const [heatmap, downloads] = await Promise.all([
          taskByGranularity((q) => score(FULL_REPORT_QUERY + q), report.data),
          vlmevalkitCsvs(score, `${model}_GMAI-MMBench_VAL`),
        ]);
        return render(
          <>
            <RunReport title={`${model} on VAL`} report={report.data} heatmap={heatmap} downloads={downloads} />
            <h2>Score another file</h2>
            <UploadForm fileName={file.name} />
          </>,
        );
      },
    )
    .get('/leaderboard', async (c) => {
      const page = new URL(c.req.url).searchParams;
      if (!page.has('split')) return c.redirect(href('/leaderboard', new URLSearchParams([['split', 'val'], ...page])), 302);
      const api = apiFetcher(app, c);
      const [board, scorers] = await Promise.all([api<LeaderboardJson>(href('/v1/leaderboard', page)), api<ScorersJson>('/v1/scorers')]);
      if (!board.ok) return problemPage(c, 'Leaderboard', board.problem, wholeSplitLink('/leaderboard', page), 'leaderboard');
      if (!scorers.ok) return problemPage(c, 'Leaderboard', scorers.problem, wholeSplitLink('/leaderboard', page), 'leaderboard');
      return c.html(
        <Layout title="Leaderboard" section="leaderboard">
          <Leaderboard page={page} board={board.data} scorers={scorers.data} />
        </Layout>,
      );
    })
    .get('/runs/:id', async (c) => {
      const id = c.req.param('id');
      const page = new URL(c.req.url).searchParams;
      const shown = await storedRunPage(apiFetcher(app, c), id, page);
      if (!shown.ok) return problemPage(c, `Run ${id}`, shown.problem, { href: '/leaderboard', text: 'Back to the leaderboard' }, 'leaderboard');
      return c.html(
        <Layout title={`${shown.model} (run ${id})`} section="leaderboard">
          {shown.body}
        </Layout>,
      );
    })
    .get('/compare', async (c) => {
      const page = new URL(c.req.url).searchParams;
      const api = apiFetcher(app, c);
      const pick = page.has('a') && page.has('b');
      const [runs, comparison] = await Promise.all([
        api<{ data: RunJson[] }>(`/v1/runs?limit=${PICKER_RUNS}`),
        pick ? api<ComparisonJson>(href('/v1/compare', page)) : Promise.resolve(null),
      ]);
      const back = { href: '/compare', text: 'Pick other runs' };
      if (!runs.ok) return problemPage(c, 'Compare two runs', runs.problem, back, 'compare');
      if (comparison && !comparison.ok) return problemPage(c, 'Compare two runs', comparison.problem, back, 'compare');
      return c.html(
        <Layout title={comparison ? `${comparison.data.a.model} vs ${comparison.data.b.model}` : 'Compare two runs'} section="compare">
          <h1>Compare two runs</h1>
          <ComparePicker page={page} runs={runs.data.data} />
          {comparison ? (
            <Comparison page={page} comparison={comparison.data} />
          ) : (
            <p class="muted">Pick two runs of the same split and dataset version (the {PICKER_RUNS} newest public runs are listed).</p>
          )}
        </Layout>,
      );
    });
}

/** How many of the newest runs the compare page offers to pick from. */
const PICKER_RUNS = 100;

/** A trimmed, non-empty text field of a form, else undefined. */
function formText(form: FormData | null, name: string): string | undefined {
  const value = form?.get(name);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function wholeSplitLink(path: string, page: URLSearchParams) {
  return { href: href(path, new URLSearchParams({ split: page.get('split') === 'test' ? 'test' : 'val' })), text: 'Back to the whole split' };
}

/**
 * A stored run's page body: GET /v1/runs/{id} on the page's selection and scorer, its heatmap cells
 * and VLMEvalKit CSVs from the same route. `headers` carry a token for a private run just saved.
 */
async function storedRunPage(api: ApiFetch, id: string, page: URLSearchParams, headers?: Record<string, string>) {
  const base = `/v1/runs/${encodeURIComponent(id)}?${page}`;
  const fetchReport: ReportFetch = (query) => api(base + query, headers ? { headers } : undefined);
  const report = await fetchReport<StoredRunReportJson>(FULL_REPORT_QUERY);
  if (!report.ok) return report;
  const { run } = report.data;
  const [heatmap, downloads] = await Promise.all([
    taskByGranularity((q) => fetchReport(FULL_REPORT_QUERY + q), report.data),
    vlmevalkitCsvs(fetchReport, `${run.model.replace(/[^\w.-]+/g, '_')}_GMAI-MMBench_${run.split.toUpperCase()}`),
  ]);
  return {
    ok: true as const,
    model: run.model,
    body: (
      <>
        <RunDetails page={page} report={report.data} />
        <RunReport title={`Report (${report.data.scorer})`} report={report.data} heatmap={heatmap} downloads={downloads} />
      </>
    ),
  };
}
