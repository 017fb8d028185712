// Query parameters of POST /v1/scores: the subset filters of /v1/questions plus scoring options.
import * as v from 'valibot';
import { flag, UNKNOWN_PARAMETER } from '../http/query-parameters';
import { refuseAnswerFiltersOnHiddenSplits, refuseFiltersWithSubset, selectionEntries } from '../selection/selection';
import { CompareToSchema } from '../runs/runs.contract';
import { ScorerNameSchema } from './scorers';
import { DetailParamSchema } from './score-report';
import { csvNeedsGroup, reportFormatEntries } from './report-format';

export const ScoreQuerySchema = v.pipe(
  v.strictObject(
    {
      // `split` is optional here: the JSON body, a form field or `subset` may give it instead.
      ...selectionEntries,
      // No default here: the JSON body or a form field may name it instead.
      scorer: v.optional(ScorerNameSchema),
      require_complete: flag('Refuse (422) a submission that misses any question of the selected subset (for CI gates).'),
      items: flag('List every scored question with the extracted letter, how it was found, and the hit (VAL only).'),
      ...reportFormatEntries,
      detail: DetailParamSchema,
      compare_to: v.optional(CompareToSchema),
    },
    UNKNOWN_PARAMETER,
  ),
  csvNeedsGroup(),
  v.forward(
    v.check((q) => q.format !== 'vlmevalkit-csv' || q.compare_to === undefined, 'needs the JSON report (not format=vlmevalkit-csv)'),
    ['compare_to'],
  ),
  refuseAnswerFiltersOnHiddenSplits(),
  refuseFiltersWithSubset(),
);
export type ScoreQuery = v.InferOutput<typeof ScoreQuerySchema>;
