// GET /: the explorer. Its query is the API's selection (plus `lexicon`, the chart shown), read
// from /v1/tree and /v1/questions, so every count here is the API's.
import type { FC } from 'hono/jsx';
import type { QuestionJson } from '../questions/question-json';
import type { LexiconNode } from '../tree/tree';
import { Icicle } from './icicle';
import { SelectionChips } from './selection-chips';
import { href, LEXICONS, selectionQuery, treeQuery, withParam, type LexiconName } from './selection';

export interface TreeJson {
  split: 'val' | 'test';
  total: number;
  lexicons: Record<(typeof LEXICONS)[LexiconName]['key'], LexiconNode[]>;
  /** Given once subsets have ids (another part of the API adds them). */
  subset?: { id?: string };
}
export interface QuestionPageJson {
  data: QuestionJson[];
  total: number;
  next_cursor: string | null;
  subset?: { id?: string };
}

export const PAGE_SIZE = 24;

export const Explorer: FC<{ page: URLSearchParams; lexicon: LexiconName; tree: TreeJson; questions: QuestionPageJson }> = ({
  page,
  lexicon,
  tree,
  questions,
}) => {
  const selection = selectionQuery(page);
  const subsetId = questions.subset?.id ?? tree.subset?.id;
  const nodes = tree.lexicons[LEXICONS[lexicon].key];
  const withLabels = nodes.some((n) => n.modalities.some((m) => m.labels));
  return (
    <>
      <h1>Explorer</h1>
      <SelectionForm page={page} />
      <SelectionChips page={page} split={tree.split} path="/" hint="No filter: click a node of the tree to narrow." />
      <p class="total" aria-live="polite">
        <strong data-testid="total">{tree.total.toLocaleString('en-US')}</strong> {tree.total === 1 ? 'question' : 'questions'} in {tree.split.toUpperCase()}
        {subsetId ? (
          <>
            {' '}
            · subset <code data-testid="subset-id">{subsetId}</code>
          </>
        ) : null}
      </p>
      <ul class="links" aria-label="This selection in the API">
        <li>
          <a href={href('/leaderboard', treeQuery(page))}>Leaderboard for this selection</a>
        </li>
        <li>
          <a href={href('/v1/questions', selection)}>API call</a>
        </li>
        <li>
          <a href={href('/v1/tree', selection)}>Tree counts (JSON)</a>
        </li>
        <li>
          <a href={href('/v1/questions', withParam(selection, 'format', 'tsv'))}>Export TSV</a>
        </li>
        <li>
          <a href={href('/v1/questions', withParam(selection, 'format', 'ndjson'))}>Export NDJSON</a>
        </li>
        <li>
          <a href={href('/v1/questions', withParam(selection, 'limit', '500'))}>Export JSON</a>
        </li>
      </ul>
      {tree.total === 0 ? (
        <p class="empty" role="status">
          No question matches this selection. <a href={href('/', new URLSearchParams({ split: tree.split }))}>Clear the filters</a> or remove one above.
        </p>
      ) : (
        <>
          <section aria-labelledby="chart-title">
            <h2 id="chart-title">Lexical tree</h2>
            <nav class="tabs" aria-label="Lexicon">
              {(Object.keys(LEXICONS) as LexiconName[]).map((name) => (
                <a href={href('/', withParam(page, 'lexicon', name))} aria-current={name === lexicon ? 'true' : undefined}>
                  {LEXICONS[name].title}
                </a>
              ))}
            </nav>
            <Icicle lexicon={lexicon} nodes={nodes} page={withParam(page, 'lexicon', lexicon === 'task' ? null : lexicon)} withLabels={withLabels} />
          </section>
          <QuestionList page={page} questions={questions} />
        </>
      )}
    </>
  );
};

/** Split and keywords; the other parameters ride along as hidden fields, so a search keeps the selection. */
const SelectionForm: FC<{ page: URLSearchParams }> = ({ page }) => {
  const split = page.get('split');
  return (
    <form class="selection" method="get" action="/" role="search">
      <label>
        Split
        <select name="split">
          <option value="val" selected={split === 'val'}>
            VAL (answers public)
          </option>
          <option value="test" selected={split === 'test'}>
            TEST (answers hidden)
          </option>
        </select>
      </label>
      <label>
        Keywords
        <input type="search" name="q" value={page.get('q') ?? ''} placeholder="e.g. polyp" />
      </label>
      {[...page]
        .filter(([name]) => name !== 'split' && name !== 'q' && name !== 'cursor')
        .map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
      <button type="submit">Apply</button>
    </form>
  );
};

const QuestionList: FC<{ page: URLSearchParams; questions: QuestionPageJson }> = ({ page, questions }) => (
  <section aria-labelledby="questions-title">
    <h2 id="questions-title">Questions</h2>
    <ol class="cards">
      {questions.data.map((q) => (
        <li class="card">
          <img src={q.image.url} loading="lazy" decoding="async" width={q.image.width} height={q.image.height} alt={`Question ${q.index}: ${q.modality}`} />
          <div>
            <p class="meta">
              #{q.index} · {q.modality} · {q.clinical_vqa_task}
            </p>
            <p class="question">{q.question}</p>
            <a href={`/questions/${q.split}/${q.index}`}>Open question {q.index}</a>
          </div>
        </li>
      ))}
    </ol>
    <nav class="pager" aria-label="Pages">
      {page.has('cursor') ? <a href={href('/', withParam(page, 'cursor', null))}>First page</a> : null}
      {questions.next_cursor ? (
        <a href={href('/', withParam(page, 'cursor', questions.next_cursor))} rel="next">
          Next {PAGE_SIZE} questions
        </a>
      ) : null}
    </nav>
  </section>
);
