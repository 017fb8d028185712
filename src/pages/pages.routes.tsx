// The web pages: server-rendered from the API's own JSON (dispatched inside the Worker), plain
// links and forms, client code only for drag-and-drop. Registered after the API in src/index.ts.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { problemResponse } from '../http/problem';
import { MAX_SCORE_BODY_BYTES } from '../scoring/scoring-request';
import { VLMEVALKIT_GROUP_COLUMNS } from '../scoring/vlmevalkit-csv';
import type { QuestionJson } from '../questions/question-json';
import { apiFetcher, type ApiFetch, type Problem } from './api-client';
import { Explorer, PAGE_SIZE, type QuestionPageJson, type TreeJson } from './explorer';
import { Layout, ProblemView } from './layout';
import { QuestionPage } from './question-page';
import { RunReport, type Download, type ScoreReportJson, type TaskByGranularity } from './run-report';
import { DEFAULT_LEXICON, href, isLexiconName, questionsQuery, treeQuery } from './selection';
import { modelOfFileName, UPLOAD_SCRIPT, UploadForm } from './upload';

type PageContext = Context<AppEnv>;

const status = (problem: Problem) => problem.status as ContentfulStatusCode;

function problemPage(c: PageContext, title: string, problem: Problem, back: { href: string; text: string }) {
  return c.html(
    <Layout title={title} section="explorer">
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
      const back = { href: href('/', new URLSearchParams({ split: page.get('split') === 'test' ? 'test' : 'val' })), text: 'Back to the whole split' };
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
        onError: (c) => problemResponse(c, { status: 413, title: 'Payload too large', detail: `Prediction files may be at most ${MAX_SCORE_BODY_BYTES} bytes.` }),
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
        const score = scorer(apiFetcher(app, c), file.name, file.type, await file.arrayBuffer());
        const report = await score<ScoreReportJson>('&items=true');
        if (!report.ok) {
          return render(
            <ProblemView problem={report.problem} back={{ href: '/upload', text: 'Choose another file' }}>
              <p>
                File: <code>{file.name}</code>
              </p>
            </ProblemView>,
            status(report.problem),
          );
        }
        const model = modelOfFileName(file.name);
        const [heatmap, downloads] = await Promise.all([taskByGranularity(score, report.data), vlmevalkitCsvs(score, model)]);
        return render(
          <>
            <RunReport title={`${model} on VAL`} report={report.data} heatmap={heatmap} downloads={downloads} />
            <h2>Score another file</h2>
            <UploadForm fileName={file.name} />
          </>,
        );
      },
    );
}

type Score = ReturnType<typeof scorer>;

/** POST /v1/scores on VAL with the uploaded file, with extra query parameters; the run report shows the full tree. */
function scorer(api: ApiFetch, fileName: string, type: string, bytes: ArrayBuffer) {
  return <T,>(query: string) => {
    const body = new FormData();
    body.append('file', new Blob([bytes], { type }), fileName);
    return api<T>(`/v1/scores?split=val&detail=full${query}`, { method: 'POST', body });
  };
}

/** The heatmap's cells: the report of each granularity's subset, by task (the API's numbers, hidden-node rules included). */
async function taskByGranularity(score: Score, report: ScoreReportJson): Promise<TaskByGranularity | undefined> {
  const granularities = Object.keys(report.by.perceptual_granularity ?? {});
  const reports = await Promise.all(granularities.map((g) => score<ScoreReportJson>(`&granularity=${encodeURIComponent(g)}`)));
  const cells: TaskByGranularity = {};
  reports.forEach((r, i) => {
    if (r.ok && r.data.by.clinical_vqa_task) cells[granularities[i]!] = r.data.by.clinical_vqa_task;
  });
  return Object.keys(cells).length ? cells : undefined;
}

/** VLMEvalKit's three `_acc.csv` reports, as download links that need no second upload. */
async function vlmevalkitCsvs(score: Score, model: string): Promise<Download[]> {
  const csvs = await Promise.all(VLMEVALKIT_GROUP_COLUMNS.map((group) => score<string>(`&format=vlmevalkit-csv&group=${encodeURIComponent(group)}`)));
  return csvs.flatMap((r, i) =>
    r.ok
      ? [{ href: `data:text/csv;charset=utf-8,${encodeURIComponent(r.data)}`, fileName: `${model}_GMAI-MMBench_VAL_${VLMEVALKIT_GROUP_COLUMNS[i]}_acc.csv`, text: `${VLMEVALKIT_GROUP_COLUMNS[i]} (CSV)` }]
      : [],
  );
}
