// NDJSON: every matching question, one JSON object a line, read from D1 in keyset pages as the
// client consumes the body, so memory stays flat whatever the size of the selection.
import type { Database } from '../db/database';
import type { CursorKey } from './cursor';
import type { Selection } from '../selection/selection';
import type { QuestionOrder } from './questions.contract';
import { toQuestionJson } from './question-json';
import { readRowsWithVersion, rowKey } from './questions.store';

export const NDJSON_TYPE = 'application/x-ndjson';
const ROWS_PER_READ = 1000;

/**
 * The stream belongs to one dataset version (its ETag says which): each read re-checks the version
 * in the same D1 batch, and an import committed mid-stream aborts the body rather than mixing
 * two datasets in one response.
 */
export function questionStream(db: Database, f: Selection, order: QuestionOrder, origin: string, version: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: CursorKey | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { rows, version: current } = await readRowsWithVersion(db, f, order, after, ROWS_PER_READ);
        if (current !== version) return controller.error(new Error('the dataset changed during the stream; request it again'));
        if (rows.length) controller.enqueue(encoder.encode(rows.map((r) => `${JSON.stringify(toQuestionJson(r, f.split, origin))}\n`).join('')));
        if (rows.length < ROWS_PER_READ) controller.close();
        else after = rowKey(rows[rows.length - 1]!, order);
      },
    },
    // Nothing is read before the client asks (a HEAD request never queries).
    { highWaterMark: 0 },
  );
}
