// Requests and responses of /v1/runs, /v1/leaderboard and /v1/compare. Selections use the one
// selection definition (selectionEntries); a run's own split is the split of its report.
import * as v from 'valibot';
import { flag, once, UNKNOWN_PARAMETER } from '../http/query-parameters';
import { DetailParamSchema, IntervalSchema, ScoreResponseSchema } from '../scoring/score-report';
import { SubsetRefSchema } from '../subsets/subset-ref';
import { refuseAnswerFiltersOnHiddenSplits, refuseFiltersWithSubset, selectionEntries } from '../selection/selection';
import { csvNeedsGroup, reportFormatEntries } from '../scoring/report-format';
import { ScorerNameSchema, ScorerParamSchema } from '../scoring/scorers';

export const MAX_MODEL_LENGTH = 200;
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

const text = (max: number, description: string) =>
  v.pipe(
    v.string('must be text'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    // A check, not a regex action: the documented schema stays plain text (no \p{…} pattern for clients to compile).
    v.check((value) => NO_CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
    v.description(description),
  );
const url = (description: string) => v.pipe(text(500, description), v.url('must be an absolute URL'), v.regex(/^https?:\/\//, 'must be an http(s) URL'));

/** The run fields a submission may give in the query, the JSON body or a form field. */
export const RUN_FIELDS = {
  model: text(MAX_MODEL_LENGTH, `The model's name (required), at most ${MAX_MODEL_LENGTH} characters.`),
  organization: text(200, 'Who made the model (optional).'),
  model_url: url('Where the model is described (optional).'),
  paper_url: url('Its paper (optional).'),
  notes: text(2000, 'Free text (optional), e.g. the prompt or decoding settings.'),
  visibility: v.pipe(
    v.picklist(['public', 'private'], 'must be public or private'),
    v.description('`public` (default): on leaderboards and lists; `private`: only the submitting token and the admin see it.'),
  ),
} as const;
export type RunFieldName = keyof typeof RUN_FIELDS;

/** A run id as a path or query parameter: anything else cannot name a run, so it is a 404 like an unknown id. */
export const RunIdSchema = v.pipe(v.string(), v.maxLength(64, 'is not a run id'), v.description('A run id (`run_…`).'));

export const CompareToSchema = v.pipe(
  once(RunIdSchema),
  v.description('A stored run to compare this submission with, paired, on the questions both answered (the CI regression check).'),
);

export const RunSubmitQuerySchema = v.strictObject(
  {
    split: v.optional(selectionEntries.split),
    scorer: v.pipe(v.optional(ScorerNameSchema), v.description('The scorer of `comparison` (with compare_to); a run is always scored under every scorer.')),
    compare_to: v.optional(CompareToSchema),
    ...(Object.fromEntries(Object.entries(RUN_FIELDS).map(([name, schema]) => [name, v.optional(once(schema))])) as {
      [K in RunFieldName]: v.OptionalSchema<v.SchemaWithPipe<[v.StringSchema<string>, (typeof RUN_FIELDS)[K]]>, undefined>;
    }),
  },
  UNKNOWN_PARAMETER,
);

export const RunListQuerySchema = v.strictObject(
  {
    split: v.optional(selectionEntries.split),
    model: v.optional(once(RUN_FIELDS.model)),
    limit: v.optional(
      v.pipe(
        once(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be an integer 1–100'))),
        v.transform(Number),
        v.number(),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(100, 'must be at most 100'),
        v.description('Runs per page (1–100, default 50).'),
      ),
    ),
    cursor: v.optional(v.pipe(once(v.pipe(v.string(), v.maxLength(200, 'is not a cursor'))), v.description('`next_cursor` of the previous page.'))),
  },
  UNKNOWN_PARAMETER,
);

/** A selection whose split is optional (it is the run's): given, it must be the run's. */
const runSelectionEntries = { ...selectionEntries, split: v.optional(selectionEntries.split) };

export const RunReportQuerySchema = v.pipe(
  v.strictObject(
    {
      ...runSelectionEntries,
      scorer: ScorerParamSchema,
      items: flag('List every scored question with the extracted letter, how it was found, and the hit (VAL only).'),
      detail: DetailParamSchema,
      ...reportFormatEntries,
    },
    UNKNOWN_PARAMETER,
  ),
  csvNeedsGroup(),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);

export const BadgeQuerySchema = v.strictObject({ scorer: ScorerParamSchema }, UNKNOWN_PARAMETER);

export const LeaderboardQuerySchema = v.pipe(
  v.strictObject({ ...selectionEntries, scorer: ScorerParamSchema }, UNKNOWN_PARAMETER),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);

export const CompareQuerySchema = v.pipe(
  v.strictObject(
    {
      a: v.pipe(once(RunIdSchema), v.description('Run A (the difference is A − B).')),
      b: v.pipe(once(RunIdSchema), v.description('Run B.')),
      ...runSelectionEntries,
      scorer: ScorerParamSchema,
    },
    UNKNOWN_PARAMETER,
  ),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);

export const VisibilityBodySchema = v.strictObject({ visibility: RUN_FIELDS.visibility }, UNKNOWN_PARAMETER);

// Responses (for the OpenAPI document; the worker tests check answers against them).
/** What every leaderboard and comparison answer starts with. */
const ResultHeader = { split: v.picklist(['val', 'test']), scorer: v.string(), dataset_version: v.string() };
const Stats = v.object({ n: v.number(), correct: v.number(), accuracy: v.nullable(v.number()), ci95: IntervalSchema });
const Paired = v.object({
  n: v.number(),
  both_correct: v.number(),
  only_a: v.pipe(v.number(), v.description('Right in A, wrong in B.')),
  only_b: v.pipe(v.number(), v.description('Wrong in A, right in B.')),
  neither: v.number(),
  difference: v.pipe(v.nullable(v.number()), v.description('accuracy(A) − accuracy(B) on the shared questions.')),
  difference_ci95: v.pipe(IntervalSchema, v.description("Newcombe's paired 95% interval (method 10).")),
  mcnemar_p: v.pipe(v.number(), v.description('Exact two-sided McNemar p-value (binomial test on only_a vs only_b).')),
});

export const RunSchema = v.pipe(
  v.object({
    id: v.string(),
    model: v.string(),
    organization: v.nullable(v.string()),
    model_url: v.nullable(v.string()),
    paper_url: v.nullable(v.string()),
    notes: v.nullable(v.string()),
    split: v.picklist(['val', 'test']),
    dataset_version: v.string(),
    predictions_sha256: v.string(),
    visibility: RUN_FIELDS.visibility,
    created_at: v.string(),
    overall: v.pipe(v.record(v.string(), Stats), v.description('Per scorer, over every submitted question.')),
    receipt: v.pipe(v.string(), v.description('Compact JWS (EdDSA, Ed25519) over the run; keys at /.well-known/jwks.json.')),
    links: v.record(v.string(), v.string()),
    comparison: v.optional(v.object({ run_id: v.string(), ...Paired.entries, tree: v.record(v.string(), v.unknown()) })),
  }),
  v.metadata({ ref: 'Run' }),
);

/** GET /v1/runs/{id}: the /v1/scores response for the selection, with the run, its receipt and links. */
export const RunReportSchema = v.pipe(
  v.object({
    ...ScoreResponseSchema.pipe[0].entries,
    run: v.omit(RunSchema.pipe[0], ['receipt', 'links', 'comparison']),
    receipt: RunSchema.pipe[0].entries.receipt,
    links: RunSchema.pipe[0].entries.links,
  }),
  v.metadata({ ref: 'RunReport' }),
);

export const RunListSchema = v.object({ data: v.array(RunSchema), next_cursor: v.nullable(v.string()) });

export const LeaderboardSchema = v.pipe(
  v.object({
    ...ResultHeader,
    subset: v.object({ ...SubsetRefSchema.entries, questions: v.number(), whole_split: v.boolean() }),
    data: v.array(
      v.object({
        rank: v.nullable(v.number()),
        run_id: v.nullable(v.string()),
        model: v.string(),
        organization: v.nullable(v.string()),
        n: v.nullable(v.number()),
        correct: v.nullable(v.number()),
        accuracy: v.nullable(v.number()),
        ci95: IntervalSchema,
        published: v.boolean(),
        tied: v.boolean(),
        overlaps_previous: v.boolean(),
      }),
    ),
    hidden_runs: v.optional(v.number()),
    published_source: v.optional(v.string()),
  }),
  v.metadata({ ref: 'Leaderboard' }),
);

export const ComparisonSchema = v.pipe(
  v.object({
    ...ResultHeader,
    a: v.object({ id: v.string(), model: v.string() }),
    b: v.object({ id: v.string(), model: v.string() }),
    overall: Paired,
    tree: v.pipe(v.record(v.string(), v.unknown()), v.description('The same table per lexical-tree node (value → modalities → labels).')),
    min_node_size: v.optional(v.number()),
    hidden_nodes: v.optional(v.number()),
  }),
  v.metadata({ ref: 'Comparison' }),
);
