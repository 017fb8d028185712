// A score report (the JSON of POST /v1/scores) as pictures: overall accuracy, coverage, extracted
// letters, a task × granularity heatmap and department/modality bars with their 95% intervals.
// It renders any report, so an upload's result and (later) a stored run share it.
import type { FC } from 'hono/jsx';
import { ColumnHeads, percent } from './layout';

export interface AccuracyJson {
  n: number;
  correct: number;
  accuracy: number | null;
  ci95: readonly [number, number] | null;
}
export interface ScoreReportJson {
  split: string;
  scorer: string;
  dataset_version: string;
  predictions_sha256: string;
  overall: AccuracyJson;
  coverage: { in_scope: number; submitted: number; missing: number; unanswered: number; ignored: number };
  by: Record<string, Record<string, AccuracyJson> | undefined>;
  min_node_size?: number;
  hidden_nodes?: number;
  /** Scored predictions per extraction step of the scorer. */
  methods?: Record<string, number>;
  items?: Array<{ index: number; extracted: string; hit: 0 | 1 }>;
}

/** Accuracy per clinical VQA task within each perceptual granularity (`by.clinical_vqa_task` of a report on that granularity). */
export type TaskByGranularity = Record<string, Record<string, AccuracyJson>>;

export interface Download {
  href: string;
  fileName: string;
  text: string;
}

export const RunReport: FC<{ title: string; report: ScoreReportJson; heatmap?: TaskByGranularity; downloads?: Download[] }> = ({
  title,
  report,
  heatmap,
  downloads = [],
}) => (
  <article class="run" aria-labelledby="run-title">
    <h2 id="run-title">{title}</h2>
    <p class="overall">
      <strong data-testid="overall">{percent(report.overall.accuracy)}</strong>{' '}
      <span data-testid="overall-count">
        {report.overall.correct} / {report.overall.n}
      </span>{' '}
      correct
      {report.overall.ci95 ? (
        <span class="muted">
          {' '}
          (95% interval {percent(report.overall.ci95[0])}–{percent(report.overall.ci95[1])})
        </span>
      ) : null}
    </p>
    <dl class="facts">
      <dt>Split</dt>
      <dd>{report.split.toUpperCase()}</dd>
      <dt>Scorer</dt>
      <dd>{report.scorer}</dd>
      <dt>Dataset version</dt>
      <dd>
        <code>{report.dataset_version}</code>
      </dd>
      <dt>Predictions sha256</dt>
      <dd>
        <code>{report.predictions_sha256.slice(0, 16)}…</code>
      </dd>
    </dl>
    {report.hidden_nodes ? (
      <p class="muted">
        {report.hidden_nodes} breakdown node(s) under {report.min_node_size} questions are hidden, as on every hidden split.
      </p>
    ) : null}
    <div class="run-grid">
      <Coverage coverage={report.coverage} />
      {report.methods ? <Methods methods={report.methods} /> : null}
      {report.items ? <ExtractedLetters items={report.items} /> : null}
    </div>
    {heatmap ? <Heatmap cells={heatmap} /> : null}
    <AccuracyBars title="Accuracy by department" rows={report.by.department} />
    <AccuracyBars title="Accuracy by modality" rows={report.by.modality} />
    {downloads.length ? (
      <section aria-labelledby="downloads-title">
        <h3 id="downloads-title">VLMEvalKit reports</h3>
        <ul class="links">
          {downloads.map((d) => (
            <li>
              <a href={d.href} download={d.fileName}>
                {d.text}
              </a>
            </li>
          ))}
        </ul>
      </section>
    ) : null}
  </article>
);

const Coverage: FC<{ coverage: ScoreReportJson['coverage'] }> = ({ coverage }) => {
  const scored = coverage.submitted - coverage.unanswered;
  const parts = [
    { name: 'letter extracted', count: scored, cls: 'ok' },
    { name: 'no letter found (scored as a miss)', count: coverage.unanswered, cls: 'warn' },
    { name: 'no prediction', count: coverage.missing, cls: 'miss' },
  ];
  let x = 0;
  return (
    <section aria-labelledby="coverage-title">
      <h3 id="coverage-title">Coverage</h3>
      <svg class="stack" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
        {parts.map((p) => {
          const w = coverage.in_scope ? (p.count / coverage.in_scope) * 100 : 0;
          const rect = <rect class={p.cls} x={x} y={0} width={w} height={6} />;
          x += w;
          return rect;
        })}
      </svg>
      <table class="numbers">
        <tbody>
          <tr>
            <th scope="row">Questions in scope</th>
            <td>{coverage.in_scope}</td>
          </tr>
          {parts.map((p) => (
            <tr>
              <th scope="row">
                <span class={`swatch ${p.cls}`} /> {p.name}
              </th>
              <td>{p.count}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Predictions outside the subset (ignored)</th>
            <td>{coverage.ignored}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
};

const METHOD_NAMES: Record<string, string> = {
  option: 'a choice letter',
  text: 'an option text',
  regex: '“answer is X”',
  refusal: 'a refusal (scored as a miss)',
  none: 'nothing matched (scored as a miss)',
};

/** How the scorer found each letter: the report's counts per extraction step. */
const Methods: FC<{ methods: Record<string, number> }> = ({ methods }) => (
  <section aria-labelledby="methods-title">
    <h3 id="methods-title">How the letters were found</h3>
    <table class="numbers">
      <thead>
        <tr>
          <th scope="col">Extraction step</th>
          <th scope="col">Predictions</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(methods).map(([method, count]) => (
          <tr>
            <th scope="row">
              <code>{method}</code> {METHOD_NAMES[method] ?? ''}
            </th>
            <td data-testid={`method-${method}`}>{count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

/** How often each letter was extracted: the scorer's outcome counts (Z: no letter matched). */
const ExtractedLetters: FC<{ items: NonNullable<ScoreReportJson['items']> }> = ({ items }) => {
  const counts = new Map<string, { n: number; hits: number }>();
  for (const item of items) {
    const c = counts.get(item.extracted) ?? { n: 0, hits: 0 };
    c.n += 1;
    c.hits += item.hit;
    counts.set(item.extracted, c);
  }
  const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <section aria-labelledby="letters-title">
      <h3 id="letters-title">Extracted letters</h3>
      <table class="numbers">
        <thead>
          <tr>
            <th scope="col">Letter</th>
            <th scope="col">Predictions</th>
            <th scope="col">Correct</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([letter, c]) => (
            <tr>
              <th scope="row">{letter === 'Z' ? 'Z (none)' : letter}</th>
              <td>{c.n}</td>
              <td>{c.hits}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/** One of ten colour steps of accuracy (CSS classes, so no inline style is needed). */
const heatClass = (accuracy: number | null): string => (accuracy === null ? 'heat-none' : `heat-${Math.min(9, Math.floor(accuracy * 10))}`);

const Heatmap: FC<{ cells: TaskByGranularity }> = ({ cells }) => {
  const granularities = Object.keys(cells).sort();
  const tasks = [...new Set(granularities.flatMap((g) => Object.keys(cells[g]!)))].sort();
  return (
    <section aria-labelledby="heatmap-title">
      <h3 id="heatmap-title">Accuracy by clinical VQA task × perceptual granularity</h3>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="heatmap-title">
        <table class="heatmap">
          <thead>
            <tr>
              <th scope="col">Task</th>
              {granularities.map((g) => (
                <th scope="col">{g}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr>
                <th scope="row">{task}</th>
                {granularities.map((g) => {
                  const cell = cells[g]![task];
                  return cell ? (
                    <td class={heatClass(cell.accuracy)} title={`${task}, ${g}: ${cell.correct}/${cell.n}`}>
                      {percent(cell.accuracy, 0)}
                      <small>n={cell.n}</small>
                    </td>
                  ) : (
                    <td class="heat-none">
                      <span class="sr-only">no questions</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

const AccuracyBars: FC<{ title: string; rows: Record<string, AccuracyJson> | undefined }> = ({ title, rows }) => {
  if (!rows) return null;
  const id = title.toLowerCase().replace(/[^a-z]+/g, '-');
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <table class="bars">
        <ColumnHeads names={['Group', 'Accuracy and 95% interval', 'Correct / n']} />
        <tbody>
          {Object.entries(rows).map(([name, s]) => (
            <tr>
              <th scope="row">{name}</th>
              <td>
                <IntervalBar value={s.accuracy} ci95={s.ci95} />
              </td>
              <td>
                {s.correct} / {s.n}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/**
 * A value on [min, max] as a bar from `origin` with its 95% interval as a whisker, then the numbers
 * as text (the picture is decorative: the text says the same).
 */
export const IntervalBar: FC<{
  value: number | null;
  ci95: readonly [number, number] | null;
  min?: number;
  max?: number;
  origin?: number;
  format?: (x: number | null) => string;
  joiner?: string;
}> = ({ value, ci95, min = 0, max = 1, origin = min, format = percent, joiner = '–' }) => {
  const x = (v: number) => ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * 100;
  const from = x(Math.min(origin, value ?? origin));
  const to = x(Math.max(origin, value ?? origin));
  return (
    <div class="bar-cell">
      <span class="bar-value">{format(value)}</span>
      <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
        <rect class="track" x={0} y={2} width={100} height={6} />
        <rect class={value !== null && value < origin ? 'fill negative' : 'fill'} x={from} y={2} width={to - from} height={6} />
        {origin !== min ? <line class="origin" x1={x(origin)} x2={x(origin)} y1={0} y2={10} /> : null}
        {ci95 ? <line class="ci" x1={x(ci95[0])} x2={x(ci95[1])} y1={5} y2={5} /> : null}
        {ci95 ? <line class="ci" x1={x(ci95[0])} x2={x(ci95[0])} y1={1} y2={9} /> : null}
        {ci95 ? <line class="ci" x1={x(ci95[1])} x2={x(ci95[1])} y1={1} y2={9} /> : null}
      </svg>
      {/* Always there, empty without an interval, so the bars of one table share a scale. */}
      <span class="ci-text">{ci95 ? `${format(ci95[0])}${joiner}${format(ci95[1])}` : ''}</span>
    </div>
  );
};
