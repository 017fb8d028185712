// Query parameters of POST /v1/scores: the subset filters of /v1/questions plus scoring options.
import * as v from 'valibot';
import { UNKNOWN_PARAMETER } from '../http/query-parameters';
import { refuseAnswerFiltersOnHiddenSplits, refuseFiltersWithSubset, selectionEntries } from '../selection/selection';
import { ScorerNameSchema } from './scorers';
import { SCORE_DETAILS } from './score-report';
import { VLMEVALKIT_GROUP_COLUMNS } from './vlmevalkit-csv';

const flag = (description: string) =>
  v.optional(v.pipe(v.picklist(['true', 'false', '1', '0'], 'must be true or false'), v.transform((s) => s === 'true' || s === '1'), v.description(description)), 'false');

export const SCORE_FORMATS = ['json', 'vlmevalkit-csv'] as const;

export const ScoreQuerySchema = v.pipe(
  v.strictObject(
    {
      // `split` is optional here: the JSON body, a form field or `subset` may give it instead.
      ...selectionEntries,
      // No default here: the JSON body or a form field may name it instead.
      scorer: v.optional(ScorerNameSchema),
      require_complete: flag('Refuse (422) a submission that misses any question of the selected subset (for CI gates).'),
      items: flag('List every scored question with the extracted letter, how it was found, and the hit (VAL only).'),
      format: v.optional(
        v.pipe(v.picklist(SCORE_FORMATS, 'must be json or vlmevalkit-csv'), v.description('`vlmevalkit-csv`: VLMEvalKit\'s `_acc.csv` for `group`, byte for byte.')),
        'json',
      ),
      detail: v.optional(
        v.pipe(
          v.picklist(SCORE_DETAILS, 'must be summary or full'),
          v.description('`summary` (default): overall accuracy, coverage and extraction methods, what a CI gate reads; `full`: also accuracy per column value (`by`) and per lexical-tree node (`tree`).'),
        ),
        'summary',
      ),
      group: v.optional(v.pipe(v.picklist(VLMEVALKIT_GROUP_COLUMNS, `must be one of ${VLMEVALKIT_GROUP_COLUMNS.join(', ')}`), v.description('Column of the VLMEvalKit report (with format=vlmevalkit-csv).'))),
    },
    UNKNOWN_PARAMETER,
  ),
  v.forward(v.check((q) => q.format !== 'vlmevalkit-csv' || q.group !== undefined, 'is required with format=vlmevalkit-csv'), ['group']),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);
export type ScoreQuery = v.InferOutput<typeof ScoreQuerySchema>;
