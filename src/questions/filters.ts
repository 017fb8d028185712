// The query contract shared by every endpoint that selects questions (/v1/tree, /v1/questions):
// one valibot schema that validates, normalizes and documents (OpenAPI) the filters.
import * as v from 'valibot';
import { ANSWERS_PUBLIC, SPLITS, type Split } from '../dataset/vocabulary';
import { keywordPhrases, MAX_KEYWORDS } from './keywords';

/** The value of `department` that selects the benchmark's N/A department (null in responses). */
export const NA_DEPARTMENT = 'N/A';
export const MAX_INDEX_VALUES = 1000;
export const MAX_TEXT_VALUES = 100;
const MAX_VALUE_LENGTH = 512;
const MAX_Q_LENGTH = 500;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

const TextValue = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_VALUE_LENGTH, `must be at most ${MAX_VALUE_LENGTH} characters`),
);
export const IndexValue = v.pipe(
  v.string(),
  v.regex(/^\d{1,10}$/, 'must be a non-negative integer'),
  v.transform(Number),
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(2 ** 31 - 1, 'is too large'),
);

/**
 * A parameter that may be repeated (`?task=A&task=B`): the values are OR-ed. Hono hands a single
 * value over as a string and several as an array; both become a sorted set, so equal selections
 * normalize to the same filters (cursor digests depend on it).
 */
function repeatable<T extends string | number>(item: v.GenericSchema<string, T>, maxValues: number, description: string) {
  return v.optional(
    v.pipe(
      v.union([v.string(), v.array(v.string())], 'must be text'),
      v.transform((value) => (typeof value === 'string' ? [value] : value)),
      v.array(item),
      v.maxLength(maxValues, `may be given at most ${maxValues} times`),
      v.transform((values) => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))),
      v.description(description),
    ),
    [],
  );
}

function once<S extends v.GenericSchema<string, unknown>>(schema: S) {
  return v.pipe(v.string('must be given once'), schema);
}

/** The filter parameters; other endpoints that select questions (scoring) extend them. */
export const filterEntries = {
  split: v.pipe(v.picklist(SPLITS, 'must be "val" or "test", given once'), v.description('Benchmark split. VAL has public answers; TEST answers are withheld.')),
  task: repeatable(TextValue, MAX_TEXT_VALUES, 'Clinical VQA task (column `clinical VQA task`), exact value. Repeat to OR several.'),
  department: repeatable(
    TextValue,
    MAX_TEXT_VALUES,
    `Department, exact value. \`${NA_DEPARTMENT}\` selects the rows without a department (the benchmark's N/A department, \`null\` in responses). Repeat to OR several.`,
  ),
  granularity: repeatable(TextValue, MAX_TEXT_VALUES, 'Perceptual granularity (`Box level`, `Contour level`, `Image level`, `Mask level`). Repeat to OR several.'),
  modality: repeatable(TextValue, MAX_TEXT_VALUES, 'Image modality, exact value. Repeat to OR several.'),
  original_task: repeatable(TextValue, MAX_TEXT_VALUES, 'Original task (`CLS_2D`, `DET_2D`, `SEG_2D`, `SEG_3D`). Repeat to OR several.'),
  label: repeatable(
    TextValue,
    MAX_TEXT_VALUES,
    'Lexical-tree leaf label (the `category` column, i.e. the text of the correct option). VAL only: 400 on TEST, whose answers are hidden. Repeat to OR several.',
  ),
  index: repeatable(IndexValue, MAX_INDEX_VALUES, `Question index within the split. Repeat to select several (at most ${MAX_INDEX_VALUES}).`),
  q: v.optional(
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
  ),
};

/** `label` filters on the answer text, so it is refused where answers are hidden. */
export const labelAllowed = (f: { split: Split; label: string[] }) => f.label.length === 0 || ANSWERS_PUBLIC[f.split];
export const LABEL_HIDDEN = 'is only available on VAL: labels are the answer text, hidden on TEST';

/** The object-level issue is either a missing required parameter or an unknown one. */
export const UNKNOWN_PARAMETER = (issue: v.BaseIssue<unknown>) =>
  issue.expected === 'never' ? 'is not a parameter of this endpoint' : 'is required';

export const FilterQuerySchema = v.pipe(v.strictObject(filterEntries, UNKNOWN_PARAMETER), v.forward(v.check((f) => labelAllowed(f), LABEL_HIDDEN), ['label']));
export type QuestionFilters = v.InferOutput<typeof FilterQuerySchema>;

export const QUESTION_ORDERS = ['index', 'relevance'] as const;
export type QuestionOrder = (typeof QUESTION_ORDERS)[number];

export const QuestionQuerySchema = v.pipe(
  v.strictObject(
    {
      ...filterEntries,
      order: v.optional(
        v.pipe(
          v.picklist(QUESTION_ORDERS, 'must be "index" or "relevance", given once'),
          v.description('`index` (default): ascending question index. `relevance`: best keyword match first (bm25), ties by index; needs `q`.'),
        ),
        'index',
      ),
      // No schema default: NDJSON must tell a given limit (refused) from an absent one.
      limit: v.optional(
        v.pipe(
          once(v.pipe(v.string(), v.regex(/^\d{1,4}$/, `must be an integer from 1 to ${MAX_LIMIT}`))),
          v.transform(Number),
          v.number(),
          v.integer(),
          v.minValue(1, `must be an integer from 1 to ${MAX_LIMIT}`),
          v.maxValue(MAX_LIMIT, `must be an integer from 1 to ${MAX_LIMIT}`),
          v.description(`Page size, default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}. Not used with NDJSON.`),
        ),
      ),
      cursor: v.optional(
        v.pipe(
          once(v.pipe(v.string(), v.maxLength(512, 'is not a cursor issued by this API'))),
          v.description('`next_cursor` of the previous page, with the same filters and order. Not used with NDJSON.'),
        ),
      ),
    },
    UNKNOWN_PARAMETER,
  ),
  v.forward(v.check((query) => labelAllowed(query), LABEL_HIDDEN), ['label']),
  v.forward(
    v.check((query) => query.order !== 'relevance' || query.q !== undefined, 'relevance order needs keywords (q)'),
    ['order'],
  ),
);
export type QuestionQuery = v.InferOutput<typeof QuestionQuerySchema>;

/** The filters and order as one canonical text (filters are already sorted sets). */
export function selectionKey(f: QuestionFilters, order: QuestionOrder): string {
  const { split, task, department, granularity, modality, original_task, label, index, q } = f;
  return JSON.stringify([split, task, department, granularity, modality, original_task, label, index, q ?? null, order]);
}

/** Every question of a split (no filter). */
export function wholeSplit(split: Split): QuestionFilters {
  return { split, task: [], department: [], granularity: [], modality: [], original_task: [], label: [], index: [] };
}
