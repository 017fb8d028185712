// The `format` and `group` query parameters of a score report (POST /v1/scores, GET /v1/runs/{id}):
// the JSON report, or VLMEvalKit's `_acc.csv` for one column.
import * as v from 'valibot';
import { VLMEVALKIT_GROUP_COLUMNS } from './vlmevalkit-csv';

export const SCORE_FORMATS = ['json', 'vlmevalkit-csv'] as const;

export const reportFormatEntries = {
  format: v.optional(
    v.pipe(v.picklist(SCORE_FORMATS, 'must be json or vlmevalkit-csv'), v.description("`vlmevalkit-csv`: VLMEvalKit's `_acc.csv` for `group`, byte for byte.")),
    'json',
  ),
  group: v.optional(
    v.pipe(
      v.picklist(VLMEVALKIT_GROUP_COLUMNS, `must be one of ${VLMEVALKIT_GROUP_COLUMNS.join(', ')}`),
      v.description('Column of the VLMEvalKit report (with format=vlmevalkit-csv).'),
    ),
  ),
};

/** `group` names the CSV's column, so format=vlmevalkit-csv needs it (the issue is on `group`). */
export function csvNeedsGroup<T extends { format: string; group?: string }>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed || dataset.value.format !== 'vlmevalkit-csv' || dataset.value.group !== undefined) return;
    addIssue({
      message: 'is required with format=vlmevalkit-csv',
      path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'group', value: undefined }],
    });
  });
}
