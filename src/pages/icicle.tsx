// The lexical tree of the current selection as an SVG icicle whose nodes are links that narrow
// the selection: no client code, every node reachable by keyboard once it is big enough to see.
import type { FC } from 'hono/jsx';
import type { LexiconNode } from '../tree/tree';
import { fitText, icicleLayout, type IcicleInput } from './icicle-layout';
import { filterValue, href, LEXICONS, narrowedQuery, type FilterParam, type LexiconName } from './selection';

const WIDTH = 1000;
const HEIGHT = 640;
const FONT = 13;
/** Nodes shorter than this get no text and no tab stop (narrow to their parent to reach them). */
const MIN_LABELLED = 16;
const MIN_FOCUSABLE = 4;
/** Below this the separating outline would hide the node itself. */
const MIN_OUTLINED = 3;
const HUES = 10;

interface ChartNode extends IcicleInput {
  filters: Array<readonly [FilterParam, string]>;
  children?: ChartNode[];
}

function chartNodes(lexicon: LexiconName, nodes: readonly LexiconNode[]): ChartNode[] {
  const param = LEXICONS[lexicon].param;
  return nodes.map((n) => {
    const top = [[param, filterValue(n.value)] as const];
    return {
      name: filterValue(n.value),
      count: n.count,
      filters: top,
      children: n.modalities.map((m) => {
        const mid = [...top, ['modality', m.modality] as const];
        return {
          name: m.modality,
          count: m.count,
          filters: mid,
          children: m.labels?.map((l) => ({
            name: l.label ?? '(no label)',
            count: l.count,
            filters: l.label === null ? mid : [...mid, ['label', l.label] as const],
          })),
        };
      }),
    };
  });
}

export const Icicle: FC<{ lexicon: LexiconName; nodes: readonly LexiconNode[]; page: URLSearchParams; withLabels: boolean }> = ({
  lexicon,
  nodes,
  page,
  withLabels,
}) => {
  const columns = withLabels
    ? ([
        [0, 360],
        [360, 340],
        [700, 300],
      ] as const)
    : ([
        [0, 500],
        [500, 500],
      ] as const);
  const rects = icicleLayout(chartNodes(lexicon, nodes), HEIGHT, columns);
  const levels = withLabels ? `${LEXICONS[lexicon].title.toLowerCase()}, modality and label` : `${LEXICONS[lexicon].title.toLowerCase()} and modality`;
  return (
    <div class="chart-scroll">
      <svg class="icicle" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-label={`Questions by ${levels}; each node narrows the selection`}>
        {rects.map((r) => {
          const label = `${r.node.filters.map(([, v]) => v).join(' › ')}: ${r.node.count} questions`;
          const text = r.height >= MIN_LABELLED ? fitText(`${r.node.name} (${r.node.count})`, r.width - 10, FONT * 0.6) : '';
          return (
            <a
              href={href('/', narrowedQuery(page, r.node.filters))}
              aria-label={label}
              tabindex={r.height < MIN_FOCUSABLE ? -1 : undefined}
              class={`node d${r.depth} h${r.branch % HUES}${r.height < MIN_OUTLINED ? ' thin' : ''}`}
            >
              <title>{label}</title>
              <rect x={r.x + 0.5} y={r.y} width={r.width - 1} height={Math.max(r.height - 0.5, 0.5)} />
              {text ? (
                <text x={r.x + 6} y={r.y + Math.min(r.height / 2, 24) + FONT * 0.35}>
                  {text}
                </text>
              ) : null}
            </a>
          );
        })}
      </svg>
    </div>
  );
};
