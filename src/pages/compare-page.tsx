// GET /compare?a=&b=: two stored runs paired on the questions both answered (GET /v1/compare on the
// page's selection and scorer): the difference A − B with its interval and McNemar p-value, overall and
// per node of the lexical trees, significant differences marked in text as well as colour.
import type { FC } from 'hono/jsx';
import { ColumnHeads } from './layout';
import { IntervalBar } from './run-report';
import type { RunJson } from './run-page';
import { SelectionChips } from './selection-chips';
import { href, LEXICONS, selectionQuery, withParam } from './selection';

export const SIGNIFICANCE_LEVEL = 0.05;

export interface PairedJson {
  n: number;
  both_correct: number;
  only_a: number;
  only_b: number;
  neither: number;
  difference: number | null;
  difference_ci95: readonly [number, number] | null;
  mcnemar_p: number;
}
type PairedNode = PairedJson & { modalities?: Record<string, PairedNode>; labels?: Record<string, PairedNode> };

export interface ComparisonJson {
  split: 'val' | 'test';
  scorer: string;
  dataset_version: string;
  a: { id: string; model: string };
  b: { id: string; model: string };
  overall: PairedJson;
  tree: Record<string, Record<string, PairedNode>>;
  min_node_size?: number;
  hidden_nodes?: number;
}

/** Signed percentage points: +3.2 pp. */
const points = (x: number | null): string => (x === null ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(1)} pp`);
const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));
const significant = (node: PairedJson) => node.mcnemar_p < SIGNIFICANCE_LEVEL && node.difference !== null && node.difference !== 0;

/** Pick runs A and B (GET form; the selection rides along). */
export const ComparePicker: FC<{ page: URLSearchParams; runs: RunJson[] }> = ({ page, runs }) => {
  const splits = [...new Set(runs.map((r) => r.split))];
  const picker = (name: 'a' | 'b', label: string) => (
    <label>
      {label}
      <select name={name} required>
        <option value="">Choose a run</option>
        {splits.map((split) => (
          <optgroup label={split.toUpperCase()}>
            {runs
              .filter((r) => r.split === split)
              .map((r) => (
                <option value={r.id} selected={page.get(name) === r.id}>
                  {r.model} · {r.created_at.slice(0, 10)} · {r.id}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
  return (
    <form class="selection compare-form" method="get" action="/compare">
      {picker('a', 'Run A')}
      {picker('b', 'Run B')}
      {[...page]
        .filter(([name]) => name !== 'a' && name !== 'b')
        .map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
      <button type="submit">Compare</button>
      {runs.length === 0 ? <p class="muted">No public run is stored yet.</p> : null}
    </form>
  );
};

export const Comparison: FC<{ page: URLSearchParams; comparison: ComparisonJson }> = ({ page, comparison }) => {
  const { a, b, overall } = comparison;
  const selection = selectionQuery(page);
  const runQuery = withParam(withParam(withParam(selection, 'a', null), 'b', null), 'split', null);
  return (
    <article class="comparison" aria-labelledby="comparison-title">
      <h2 id="comparison-title">
        <a href={href(`/runs/${encodeURIComponent(a.id)}`, runQuery)}>{a.model}</a> (A) vs{' '}
        <a href={href(`/runs/${encodeURIComponent(b.id)}`, runQuery)}>{b.model}</a> (B)
      </h2>
      <SelectionChips page={page} split={comparison.split} path="/compare" hint="All questions both runs answered." />
      <p class="overall" data-testid="overall" data-difference={String(overall.difference)} data-p={String(overall.mcnemar_p)}>
        A − B: <strong data-testid="overall-difference">{points(overall.difference)}</strong>
        {overall.difference_ci95 ? (
          <span class="muted">
            {' '}
            (95% interval {points(overall.difference_ci95[0])} to {points(overall.difference_ci95[1])})
          </span>
        ) : null}{' '}
        · McNemar p = <span data-testid="overall-p">{pValue(overall.mcnemar_p)}</span> <Significance node={overall} />
      </p>
      <p id="paired-counts">On the {overall.n} questions of the selection both runs answered:</p>
      <table class="numbers paired" data-testid="overall-counts" aria-labelledby="paired-counts">
        <tbody>
          <tr>
            <th scope="row">Both right</th>
            <td>{overall.both_correct}</td>
          </tr>
          <tr>
            <th scope="row">Only A right</th>
            <td data-testid="only-a">{overall.only_a}</td>
          </tr>
          <tr>
            <th scope="row">Only B right</th>
            <td data-testid="only-b">{overall.only_b}</td>
          </tr>
          <tr>
            <th scope="row">Neither</th>
            <td>{overall.neither}</td>
          </tr>
        </tbody>
      </table>
      <p class="muted">
        Scorer <code>{comparison.scorer}</code> · dataset <code>{comparison.dataset_version}</code> · <a href={href('/v1/compare', selection)}>API call</a>.
        Differences are accuracy(A) − accuracy(B) on shared questions with Newcombe’s paired 95% interval; p is the exact two-sided McNemar test. Rows with p
        &lt; {SIGNIFICANCE_LEVEL} are marked “significant”; with this many rows, some are expected by chance.
        {comparison.hidden_nodes ? ` ${comparison.hidden_nodes} node(s) under ${comparison.min_node_size} questions are hidden, as on every hidden split.` : ''}
      </p>
      {Object.entries(comparison.tree).map(([lexicon, nodes]) => (
        <NodeTable lexicon={lexicon} nodes={nodes} />
      ))}
    </article>
  );
};

const Significance: FC<{ node: PairedJson }> = ({ node }) =>
  significant(node) ? <span class="sig">significant: {node.difference! > 0 ? 'A' : 'B'} better</span> : <span class="muted">not significant</span>;

const LEXICON_TITLES: Record<string, string> = Object.fromEntries(Object.values(LEXICONS).map((l) => [l.key, l.title]));

/** One lexicon's top nodes, then (folded) each node's modalities. */
const NodeTable: FC<{ lexicon: string; nodes: Record<string, PairedNode> }> = ({ lexicon, nodes }) => {
  const full = LEXICON_TITLES[lexicon] ?? lexicon;
  const title = full.charAt(0).toLowerCase() + full.slice(1);
  const rows = Object.entries(nodes);
  const nested = rows.flatMap(([name, node]) => Object.entries(node.modalities ?? {}).map(([modality, m]) => [`${name} › ${modality}`, m] as const));
  return (
    <section aria-labelledby={`cmp-${lexicon}`}>
      <h3 id={`cmp-${lexicon}`}>By {title}</h3>
      <PairedRows caption={`A − B by ${title}`} rows={rows} lexicon={lexicon} />
      {nested.length ? (
        <details>
          <summary>
            By modality within each {title} ({nested.length} nodes)
          </summary>
          <PairedRows caption={`A − B by ${title} and modality`} rows={nested} lexicon={`${lexicon}/modality`} />
        </details>
      ) : null}
    </section>
  );
};

const PairedRows: FC<{ caption: string; rows: ReadonlyArray<readonly [string, PairedJson]>; lexicon: string }> = ({ caption, rows, lexicon }) => {
  // One symmetric scale per table, wide enough for every interval.
  const reach = Math.max(0.05, ...rows.flatMap(([, r]) => (r.difference_ci95 ? r.difference_ci95.map(Math.abs) : [])));
  const max = Math.ceil(reach * 10) / 10;
  return (
    <table class="bars paired-nodes" data-lexicon={lexicon}>
      <caption class="sr-only">{caption}</caption>
      <ColumnHeads names={['Node', 'A − B and 95% interval', 'p']} />
      <tbody>
        {rows.map(([name, node]) => (
          <tr class={significant(node) ? 'significant' : undefined} data-node={name} data-difference={String(node.difference)} data-p={String(node.mcnemar_p)}>
            <th scope="row">
              {name} <span class="muted">n={node.n}</span>
              {significant(node) ? <span class="sig"> significant</span> : null}
            </th>
            <td>
              <IntervalBar value={node.difference} ci95={node.difference_ci95} min={-max} max={max} origin={0} format={points} joiner=" to " />
            </td>
            <td>{pValue(node.mcnemar_p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
