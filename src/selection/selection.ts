// A selection of questions: a split and the filters shared by every endpoint that selects questions
// (/v1/tree, /v1/questions, /v1/scores), or a stored subset id standing for them. FILTERS is the one
// table of filters; the query schema and its OpenAPI descriptions, the SQL conditions, the canonical
// key and form, the query-string form and hasFilterBeyondSplit all derive from it, so a new filter is
// one entry there. Pure: valibot and drizzle's `sql` only (resolve-selection.ts turns `subset` into
// filters with D1).
import { sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { ANSWERS_PUBLIC, SPLITS, type Split } from '../dataset/vocabulary';
import { once, repeatable, sortedSet, UNKNOWN_PARAMETER } from '../http/query-parameters';
import { ftsMatchExpression, keywordPhrases, MAX_KEYWORDS } from './keywords';

/** The value of `department` that selects the benchmark's N/A department (null in responses). */
export const NA_DEPARTMENT = 'N/A';
export const MAX_INDEX_VALUES = 1000;
export const MAX_TEXT_VALUES = 100;
const MAX_VALUE_LENGTH = 512;
const MAX_Q_LENGTH = 500;

const TextValue = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_VALUE_LENGTH, `must be at most ${MAX_VALUE_LENGTH} characters`));
export const IndexValue = v.pipe(
  v.string(),
  v.regex(/^\d{1,10}$/, 'must be a non-negative integer'),
  v.transform(Number),
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(2 ** 31 - 1, 'is too large'),
);

/** What a filter's SQL condition may depend on besides its own value. */
interface ConditionContext {
  split: Split;
  /** The keyword match is already joined in FROM (relevance order), so `q` adds no condition. */
  keywordsRanked: boolean;
}

interface Filter<S extends v.GenericSchema> {
  /** The query parameter: validation, normalization and OpenAPI description. */
  readonly schema: S;
  /** Whether the value narrows the split (an empty list or an absent text does not). */
  given(value: v.InferOutput<S>): boolean;
  /** Condition on `questions q` (only asked for when given); null when it has nothing to add. */
  condition(value: v.InferOutput<S>, context: ConditionContext): SQL | null;
  /** JSON of the value, equal for every spelling of the same selection (order, repetition); null when not given. */
  canonical(value: v.InferOutput<S>): unknown;
  /** The value back from its canonical JSON (as stored with a subset). */
  fromCanonical(canonical: unknown): v.InferOutput<S>;
  /** Query-string values that select the same (the parameter given once per value). */
  parameters(value: v.InferOutput<S>): string[];
  /** Set on filters over answer data: why they are refused on splits whose answers are hidden. */
  readonly answersHiddenReason?: string;
}

/** A repeatable filter: the values are OR-ed. */
function listFilter<T extends string | number>(
  item: v.GenericSchema<string, T>,
  maxValues: number,
  description: string,
  condition: (values: readonly T[], context: ConditionContext) => SQL,
  answersHiddenReason?: string,
): Filter<ReturnType<typeof repeatable<T>>> {
  return {
    schema: repeatable(item, maxValues, description),
    given: (values) => values.length > 0,
    condition,
    canonical: sortedSet,
    fromCanonical: (canonical) => sortedSet(canonical as T[]),
    parameters: (values) => values.map(String),
    ...(answersHiddenReason ? { answersHiddenReason } : {}),
  };
}

/** A list matches with `=` when it holds one value, so the (split, column, idx) index yields rows in key order. */
function inList(column: string, values: readonly (string | number)[]): SQL {
  return values.length === 1 ? sql`${sql.raw(column)} = ${values[0]}` : sql`${sql.raw(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

function departmentCondition(departments: readonly string[]): SQL {
  const named = departments.filter((d) => d !== NA_DEPARTMENT);
  const parts = [...(named.length < departments.length ? [sql`q.department IS NULL`] : []), ...(named.length ? [inList('q.department', named)] : [])];
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`;
}

const KeywordsSchema = v.optional(
  v.pipe(
    once(v.pipe(v.string(), v.maxLength(MAX_Q_LENGTH, `must be at most ${MAX_Q_LENGTH} characters`))),
    v.transform(keywordPhrases),
    // Checks, not length actions, so the documented schema stays the one of the text.
    v.check((phrases) => phrases.length > 0, 'has no letters or digits to search for'),
    v.check((phrases) => phrases.length <= MAX_KEYWORDS, `may hold at most ${MAX_KEYWORDS} words`),
    v.description(
      'Keywords searched in the question and option texts (full-text, case- and accent-insensitive). Every word must match; a word with punctuation (`COVID-19`) matches as a phrase. Search syntax is not interpreted.',
    ),
  ),
);

/**
 * The filters, in canonical-key order. Lists travel as one JSON text (`IN (SELECT value FROM
 * json_each(?))`) since D1 allows 100 parameters per statement; every value is a bound parameter.
 */
const FILTERS = {
  task: listFilter(TextValue, MAX_TEXT_VALUES, 'Clinical VQA task (column `clinical VQA task`), exact value. Repeat to OR several.', (values) =>
    inList('q.clinical_vqa_task', values),
  ),
  department: listFilter(
    TextValue,
    MAX_TEXT_VALUES,
    `Department, exact value. \`${NA_DEPARTMENT}\` selects the rows without a department (the benchmark's N/A department, \`null\` in responses). Repeat to OR several.`,
    departmentCondition,
  ),
  granularity: listFilter(
    TextValue,
    MAX_TEXT_VALUES,
    'Perceptual granularity (`Box level`, `Contour level`, `Image level`, `Mask level`). Repeat to OR several.',
    (values) => inList('q.perceptual_granularity', values),
  ),
  modality: listFilter(TextValue, MAX_TEXT_VALUES, 'Image modality, exact value. Repeat to OR several.', (values) => inList('q.modality', values)),
  original_task: listFilter(TextValue, MAX_TEXT_VALUES, 'Original task (`CLS_2D`, `DET_2D`, `SEG_2D`, `SEG_3D`). Repeat to OR several.', (values) =>
    inList('q.original_task', values),
  ),
  label: listFilter(
    TextValue,
    MAX_TEXT_VALUES,
    'Lexical-tree leaf label (the `category` column, i.e. the text of the correct option). VAL only: 400 on TEST, whose answers are hidden. Repeat to OR several.',
    (values, { split }) => sql`q.idx IN (SELECT idx FROM answer_key WHERE split = ${split} AND ${inList('category', values)})`,
    'is only available on VAL: labels are the answer text, hidden on TEST',
  ),
  index: listFilter(IndexValue, MAX_INDEX_VALUES, `Question index within the split. Repeat to select several (at most ${MAX_INDEX_VALUES}).`, (values) =>
    inList('q.idx', values),
  ),
  q: {
    schema: KeywordsSchema,
    given: (phrases) => phrases !== undefined,
    // The match list is built once; unary + keeps the planner on the split/filter index in key order,
    // checking membership, instead of fetching every match by rowid and sorting them all (slow for
    // common words). Cost stays bounded by split size + matches either way.
    condition: (phrases, { keywordsRanked }) =>
      keywordsRanked ? null : sql`+q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ${ftsMatchExpression(phrases!)})`,
    // Phrases are AND-ed, so their order and repetition do not change the selection.
    canonical: (phrases) => (phrases ? sortedSet(phrases) : null),
    fromCanonical: (canonical) => (canonical === null ? undefined : sortedSet(canonical as string[])),
    // A phrase is the tokens of one word; joined by '-' they parse back to the same phrase.
    parameters: (phrases) =>
      phrases
        ? [
            sortedSet(phrases)
              .map((p) => p.replaceAll(' ', '-'))
              .join(' '),
          ]
        : [],
  } satisfies Filter<typeof KeywordsSchema>,
};

type Filters = typeof FILTERS;
export type FilterName = keyof Filters;
const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

/** Each filter with its value, typed loosely: the table above is what ties a value to its filter. */
function* filtersOf(s: Selection): Generator<[FilterName, Filter<v.GenericSchema>, unknown]> {
  for (const name of FILTER_NAMES) yield [name, FILTERS[name] as Filter<v.GenericSchema>, s[name]];
}

const SplitParameter = v.pipe(
  v.picklist(SPLITS, 'must be "val" or "test", given once'),
  v.description('Benchmark split. VAL has public answers; TEST answers are withheld.'),
);

export const SUBSET_ID_PATTERN = /^[a-z2-7]{16}$/;

const SubsetParameter = v.optional(
  v.pipe(
    once(v.pipe(v.string(), v.regex(SUBSET_ID_PATTERN, 'is not a subset id (16 characters a-z, 2-7)'))),
    v.description(
      'A subset id (`subset.id` of any response that selects questions; GET /v1/subsets/{id}) standing for its split and filters. Give it alone: 400 with other filters, 410 when its dataset version is no longer served.',
    ),
  ),
);

const filterEntries = Object.fromEntries(FILTER_NAMES.map((name) => [name, FILTERS[name].schema])) as { [K in FilterName]: Filters[K]['schema'] };

/** The selection's query parameters, for contracts that extend them (paging, scoring options): a split and filters, or a subset id. */
export const selectionEntries = {
  split: v.optional(SplitParameter),
  subset: SubsetParameter,
  ...filterEntries,
};

const SelectionObject = v.strictObject({ split: SplitParameter, ...filterEntries }, UNKNOWN_PARAMETER);

/** A resolved selection: a split, every list filter present (empty where not given), `q` where given. */
export type Selection = v.InferOutput<typeof SelectionObject>;

/** The selection as a request gives it: a split with filters, or a subset id (resolveSelection turns it into a Selection). */
export type SelectionQuery = Omit<Selection, 'split'> & { split?: Split; subset?: string };

/** Filters over answer data that are given although the split's answers are hidden, with the reason. */
export function answersHiddenIssues(s: Selection): { name: FilterName; reason: string }[] {
  if (ANSWERS_PUBLIC[s.split]) return [];
  const issues: { name: FilterName; reason: string }[] = [];
  for (const [name, filter, value] of filtersOf(s))
    if (filter.answersHiddenReason && filter.given(value)) issues.push({ name, reason: filter.answersHiddenReason });
  return issues;
}

/** Pipe action for any contract built on selectionEntries: answer filters are a 400 on hidden splits (checked once split is known). */
export function refuseAnswerFiltersOnHiddenSplits<T extends { split?: Split }>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed || dataset.value.split === undefined) return;
    const selection = dataset.value as unknown as Selection;
    for (const { name, reason } of answersHiddenIssues(selection)) {
      addIssue({ message: reason, path: [{ type: 'object', origin: 'value', input: selection, key: name, value: selection[name] }] });
    }
  });
}

/** Pipe action for any contract built on selectionEntries: a subset id stands alone, without filters. */
export function refuseFiltersWithSubset<T extends { subset?: string }>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed || dataset.value.subset === undefined) return;
    const given = [...filtersOf(dataset.value as unknown as Selection)].filter(([, filter, value]) => filter.given(value)).map(([name]) => name);
    if (given.length)
      addIssue({
        message: `is a whole selection: give it without filters (${given.join(', ')})`,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'subset', value: dataset.value.subset }],
      });
  });
}

/** Pipe action: a contract whose selection is only in the query needs a split or a subset. */
export function requireSplitOrSubset<T extends { split?: Split; subset?: string }>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed || dataset.value.split !== undefined || dataset.value.subset !== undefined) return;
    addIssue({ message: 'is required (or give subset)', path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'split', value: undefined }] });
  });
}

/** A resolved selection, validated (tests, stored subsets). */
export const SelectionSchema = v.pipe(SelectionObject, refuseAnswerFiltersOnHiddenSplits());

/** The selection parameters of a route that takes nothing else (e.g. /v1/tree). */
export const SelectionQuerySchema = v.pipe(
  v.strictObject(selectionEntries, UNKNOWN_PARAMETER),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
  requireSplitOrSubset(),
);

/** The split and filters of a query without its subset id or any other parameter. */
export function selectionOf(query: SelectionQuery & { split: Split }): Selection {
  return {
    split: query.split,
    ...(Object.fromEntries([...filtersOf(query as Selection)].filter(([, , value]) => value !== undefined).map(([name, , value]) => [name, value])) as Omit<
      Selection,
      'split'
    >),
  };
}

/** Every question of a split (no filter). */
export function wholeSplit(split: Split): Selection {
  const none = FILTER_NAMES.map((name) => [name, v.getDefault(FILTERS[name].schema)] as const).filter(([, value]) => value !== undefined);
  return { split, ...(Object.fromEntries(none) as unknown as Omit<Selection, 'split'>) };
}

/** Whether the selection is narrower than its whole split (by its parameters; it may still match every question). */
export function hasFilterBeyondSplit(s: Selection): boolean {
  for (const [, filter, value] of filtersOf(s)) if (filter.given(value)) return true;
  return false;
}

/**
 * The canonical text of a selection: equal for equal selections however they were spelled (parameter
 * order, repeated or reordered values), and independent of paging and representation. Cursors,
 * totals, ETag-like digests, scoring quotas and subset ids key on it.
 */
export function selectionKey(s: Selection): string {
  return JSON.stringify([s.split, ...[...filtersOf(s)].map(([, filter, value]) => filter.canonical(value))]);
}

/** The canonical selection as an object: the split and the given filters only, in table order. */
export type CanonicalSelection = { split: Split } & Partial<Record<FilterName, unknown>>;

export function canonicalSelection(s: Selection): CanonicalSelection {
  const canonical: CanonicalSelection = { split: s.split };
  for (const [name, filter, value] of filtersOf(s)) if (filter.given(value)) canonical[name] = filter.canonical(value);
  return canonical;
}

/** The selection a canonical object stands for (absent filters are not given). */
export function selectionFromCanonical(canonical: CanonicalSelection): Selection {
  const s = wholeSplit(canonical.split) as unknown as Record<string, unknown>;
  for (const name of FILTER_NAMES) if (canonical[name] !== undefined) s[name] = FILTERS[name].fromCanonical(canonical[name]);
  return s as unknown as Selection;
}

/** A query string that selects the same questions (canonical order), e.g. for links and citations. */
export function selectionQueryString(s: Selection): string {
  const search = new URLSearchParams({ split: s.split });
  for (const [name, filter, value] of filtersOf(s)) if (filter.given(value)) for (const parameter of filter.parameters(value)) search.append(name, parameter);
  return search.toString();
}

/** Conditions on `questions q`: OR within a filter, AND across filters (keywords: unless ranked in FROM). */
export function selectionConditions(s: Selection, { keywordsRanked = false } = {}): SQL {
  const conditions: SQL[] = [sql`q.split = ${s.split}`];
  for (const [, filter, value] of filtersOf(s)) {
    const condition = filter.given(value) ? filter.condition(value, { split: s.split, keywordsRanked }) : null;
    if (condition) conditions.push(condition);
  }
  return sql.join(conditions, sql` AND `);
}

/**
 * The only place the answer key is joined for output (alias k: k.answer, k.category). Null for
 * splits whose answers are hidden, so their answers and labels cannot be selected by any query.
 */
export function answerKeyJoin(split: Split): SQL | null {
  return ANSWERS_PUBLIC[split] ? sql`LEFT JOIN answer_key k ON k.split = q.split AND k.idx = q.idx` : null;
}
