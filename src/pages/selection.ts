// A page URL is the API's own query: the explorer forwards its parameters to /v1/tree and
// /v1/questions unchanged (so the API validates them), and builds every link by editing them. Pure.

/** Selection parameters that narrow to one tree node's value, in the order chips are shown. */
export const FILTER_PARAMS = ['task', 'department', 'granularity', 'modality', 'original_task', 'label', 'index', 'q'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** Parameters of the explorer page itself, never sent to the API. */
const PAGE_PARAMS = ['lexicon'] as const;
/** Parameters of /v1/questions that /v1/tree does not take (paging). */
const PAGING_PARAMS = ['cursor', 'limit', 'order'] as const;

/** The lexicons a chart can show, by their page name: tree key and the filter parameter of their values. */
export const LEXICONS = {
  task: { key: 'clinical_vqa_task', param: 'task', title: 'Clinical VQA task' },
  department: { key: 'department', param: 'department', title: 'Department' },
  granularity: { key: 'perceptual_granularity', param: 'granularity', title: 'Perceptual granularity' },
} as const;
export type LexiconName = keyof typeof LEXICONS;
export const DEFAULT_LEXICON: LexiconName = 'task';

export function isLexiconName(value: string): value is LexiconName {
  return Object.hasOwn(LEXICONS, value);
}

/** The benchmark's N/A department is `null` in responses and `N/A` as a filter value. */
export const filterValue = (value: string | null): string => value ?? 'N/A';

function without(query: URLSearchParams, names: readonly string[]): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of query) if (!names.includes(name)) out.append(name, value);
  return out;
}

/** The query of /v1/tree for a page URL: everything but the page's own and the paging parameters. */
export function treeQuery(page: URLSearchParams): URLSearchParams {
  return without(page, [...PAGE_PARAMS, ...PAGING_PARAMS]);
}

/** The query of /v1/questions for a page URL (a page size unless the URL gives one). */
export function questionsQuery(page: URLSearchParams, pageSize: number): URLSearchParams {
  const out = without(page, PAGE_PARAMS);
  if (!out.has('limit')) out.set('limit', String(pageSize));
  return out;
}

/** The selection alone (split and filters): what exports and API links carry. */
export function selectionQuery(page: URLSearchParams): URLSearchParams {
  return without(page, [...PAGE_PARAMS, 'cursor', 'limit']);
}

export interface Chip {
  param: string;
  value: string;
  /** The page query without this one value. */
  removeQuery: URLSearchParams;
}

/** One chip per filter value given, in the order of FILTER_PARAMS then of the URL. */
export function selectionChips(page: URLSearchParams): Chip[] {
  const chips: Chip[] = [];
  for (const param of FILTER_PARAMS) {
    for (const value of page.getAll(param)) {
      const removeQuery = new URLSearchParams();
      let removed = false;
      for (const [name, v] of page) {
        if (name === 'cursor') continue;
        if (!removed && name === param && v === value) removed = true;
        else removeQuery.append(name, v);
      }
      chips.push({ param, value, removeQuery });
    }
  }
  return chips;
}

/** The page query narrowed to a node: each given parameter is set to its one value, paging restarts. */
export function narrowedQuery(page: URLSearchParams, values: ReadonlyArray<readonly [FilterParam, string]>): URLSearchParams {
  const out = without(page, ['cursor', ...values.map(([param]) => param)]);
  for (const [param, value] of values) out.append(param, value);
  return out;
}

/** The page query with one parameter set (e.g. another lexicon or a cursor). */
export function withParam(page: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const out = without(page, [name]);
  if (value !== null) out.set(name, value);
  return out;
}

/** `path?query`, or the path alone for an empty query. */
export function href(path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
