// Reads of questions: the dataset state, a page and its total in one D1 round trip, and keyset
// pages for streaming.
import { prepare, type Database } from '../db/database';
import { datasetStateFromRows, datasetStateStatement, readWithVersion, type DatasetState, type SplitStateRow } from '../dataset/version';
import type { CursorKey } from './cursor';
import { selectionKey, type Selection } from '../selection/selection';
import type { QuestionOrder } from './questions.contract';
import { markSubsetRecorded, nameSubset, subsetRecordStatement } from '../subsets/subsets.store';
import { subsetId } from '../subsets/subset-id';
import { countStatement, pageStatement, type QuestionRow } from './questions.query';

/** The key a cursor carries for the last row of a page. */
export function rowKey(row: QuestionRow, order: QuestionOrder): CursorKey {
  return order === 'relevance' && row.rank !== undefined ? { rank: row.rank, index: row.idx } : { index: row.idx };
}

/**
 * Totals this isolate has counted, by dataset version and filters: a total only changes with the
 * dataset, so a selection is counted once per version. Bounded; oldest out first.
 */
const totals = new Map<string, number>();
const MAX_TOTALS = 500;
let lastSeenVersion = '';

function rememberTotal(key: string, total: number): void {
  if (totals.size >= MAX_TOTALS) totals.delete(totals.keys().next().value!);
  totals.set(key, total);
}

export interface PageRead {
  dataset: DatasetState;
  /** Every row matching the filters, whatever the cursor. */
  total: number;
  rows: QuestionRow[];
  /** The subset id of the selection at the dataset's version (stored). */
  subset: string;
}

/**
 * One D1 batch (one round trip, one consistent snapshot): the dataset state, the page, the count
 * unless this isolate already knows it for the version it saw last, and the subset's record unless
 * this isolate stored it already. A batch that reveals a newer version then counts (and records) in
 * a second round trip, once per selection and import.
 */
export async function readPage(db: Database, f: Selection, order: QuestionOrder, after: CursorKey | null, limit: number): Promise<PageRead> {
  const selection = selectionKey(f);
  // Captured: concurrent requests may move lastSeenVersion on while this one waits for D1.
  const assumedVersion = lastSeenVersion;
  const known = totals.get(`${assumedVersion}\n${selection}`);
  const assumedSubset = assumedVersion ? await subsetId(assumedVersion, f) : null;
  const record = assumedSubset ? subsetRecordStatement(assumedSubset, f, assumedVersion) : null;
  const statements = [
    datasetStateStatement,
    pageStatement(f, order, after, limit),
    ...(known === undefined ? [countStatement(f)] : []),
    ...(record ? [record] : []),
  ];
  const [state, page, count] = await db.$client.batch(statements.map((s) => prepare(db, s)));
  if (record) markSubsetRecorded(assumedSubset!);
  const dataset = await datasetStateFromRows(state!.results as SplitStateRow[]);
  const subset = assumedSubset && dataset.version === assumedVersion ? assumedSubset : await nameSubset(db, f, dataset.version);
  let total: number;
  if (known === undefined) total = (count!.results[0] as { total: number }).total;
  else if (dataset.version === assumedVersion) total = known;
  else total = (await prepare(db, countStatement(f)).first<{ total: number }>())!.total;
  lastSeenVersion = dataset.version;
  rememberTotal(`${dataset.version}\n${selection}`, total);
  return { dataset, total, rows: page!.results as QuestionRow[], subset };
}

/** A keyset read together with the dataset version it was read at (one batch, one snapshot). */
export function readRowsWithVersion(db: Database, f: Selection, order: QuestionOrder, after: CursorKey | null, limit: number) {
  return readWithVersion<QuestionRow>(db, pageStatement(f, order, after, limit));
}

export async function readRows(db: Database, f: Selection, order: QuestionOrder, after: CursorKey | null, limit: number): Promise<QuestionRow[]> {
  const { results } = await prepare(db, pageStatement(f, order, after, limit)).all<QuestionRow>();
  return results;
}
