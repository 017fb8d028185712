// Query parameters of POST /v1/scores: the subset filters of /v1/questions plus scoring options.
import * as v from 'valibot';
import { flag, UNKNOWN_PARAMETER } from '../http/query-parameters';
import { refuseAnswerFiltersOnHiddenSplits, refuseFiltersWithSubset, selectionEntries } from '../selection/selection';
import { CompareToSchema } from '../runs/runs.contract';
import { ScorerNameSchema } from './scorers';
import { DetailParamSchema } from './score-report';
import { VLMEVALKIT_GROUP_COLUMNS } from './vlmevalkit-csv';

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
      detail: DetailParamSchema,
      compare_to: v.optional(CompareToSchema),
      group: v.optional(v.pipe(v.picklist(VLMEVALKIT_GROUP_COLUMNS, `must be one of ${VLMEVALKIT_GROUP_COLUMNS.join(', ')}`), v.description('Column of the VLMEvalKit report (with format=vlmevalkit-csv).'))),
    },
    UNKNOWN_PARAMETER,
  ),
  v.forward(v.check((q) => q.format !== 'vlmevalkit-csv' || q.group !== undefined, 'is required with format=vlmevalkit-csv'), ['group']),
  v.forward(v.check((q) => q.format !== 'vlmevalkit-csv' || q.compare_to === undefined, 'needs the JSON report (not format=vlmevalkit-csv)'), ['compare_to']),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);
export type ScoreQuery = v.InferOutput<typeof ScoreQuerySchema>;
