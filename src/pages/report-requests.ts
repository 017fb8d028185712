// The extra reports a run report shows beside the main one (heatmap cells, VLMEvalKit CSVs), asked
// of whichever API route scores the run: POST /v1/scores for an upload, GET /v1/runs/{id} for a stored run.
import { VLMEVALKIT_GROUP_COLUMNS } from '../scoring/vlmevalkit-csv';
import type { ApiResult } from './api-client';
import type { Download, ScoreReportJson, TaskByGranularity } from './run-report';

/** The same report request with extra query parameters (`&name=value…`). */
export type ReportFetch = <T>(extraQuery: string) => Promise<ApiResult<T>>;

/** The heatmap's cells: the report of each granularity's subset, by task (the API's numbers, hidden-node rules included). */
export async function taskByGranularity(fetchReport: ReportFetch, report: ScoreReportJson): Promise<TaskByGranularity | undefined> {
  const granularities = Object.keys(report.by.perceptual_granularity ?? {});
  const reports = await Promise.all(granularities.map((g) => fetchReport<ScoreReportJson>(`&granularity=${encodeURIComponent(g)}`)));
  const cells: TaskByGranularity = {};
  reports.forEach((r, i) => {
    if (r.ok && r.data.by.clinical_vqa_task) cells[granularities[i]!] = r.data.by.clinical_vqa_task;
  });
  return Object.keys(cells).length ? cells : undefined;
}

/** VLMEvalKit's three `_acc.csv` reports, as download links that need no second request; a CSV the API refuses is left out. */
export async function vlmevalkitCsvs(fetchReport: ReportFetch, fileStem: string): Promise<Download[]> {
  const csvs = await Promise.all(VLMEVALKIT_GROUP_COLUMNS.map((group) => fetchReport<string>(`&format=vlmevalkit-csv&group=${encodeURIComponent(group)}`)));
  return csvs.flatMap((r, i) =>
    r.ok
      ? [
          {
            href: `data:text/csv;charset=utf-8,${encodeURIComponent(r.data)}`,
            fileName: `${fileStem}_${VLMEVALKIT_GROUP_COLUMNS[i]}_acc.csv`,
            text: `${VLMEVALKIT_GROUP_COLUMNS[i]} (CSV)`,
          },
        ]
      : [],
  );
}
