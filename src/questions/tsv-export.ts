// VLMEvalKit's TSV of a selection: the official columns in the official order, quoted as pandas
// writes them, each image as base64 of its stored bytes streamed from R2, and VLMEvalKit's short
// back-reference (the index of an earlier row of the same file) for an image written before. Rows
// are read from D1 in keyset pages and images one at a time as the client consumes the body, so
// memory stays flat whatever the size of the selection.
import type { Database } from '../db/database';
import { ANSWERS_PUBLIC, type Split, TSV_DATA_COLUMNS } from '../dataset/vocabulary';
import { base64Chunks } from '../formats/base64-stream';
import { formatTsvRow, type TsvField } from '../formats/tsv-writer';
import { findImages, getImage, type StoredImage } from '../images/image-store';
import type { Selection } from '../selection/selection';
import type { CursorKey } from './cursor';
import type { QuestionOrder } from './questions.contract';
import type { QuestionRow } from './questions.query';
import { readRowsWithVersion, rowKey } from './questions.store';

export const TSV_TYPE = 'text/tab-separated-values';
const ROWS_PER_READ = 1000;
/** Pieces are gathered up to this size before they are handed to the client. */
const CHUNK_BYTES = 64 * 1024;

/** Columns over answer data: never in a file of a split whose answers are hidden. */
const ANSWER_COLUMNS = new Set<string>(['answer', 'category']);

/** The official columns of the split, `image` last (TEST: without `answer` and `category`). */
export function tsvColumns(split: Split): string[] {
  return [...TSV_DATA_COLUMNS.filter((c) => ANSWERS_PUBLIC[split] || !ANSWER_COLUMNS.has(c)), 'image'];
}

function dataFields(row: QuestionRow, split: Split): TsvField[] {
  const answers = ANSWERS_PUBLIC[split] ? [row.answer, row.category] : [];
  return [
    row.idx,
    row.question,
    row.a,
    row.b,
    row.c,
    row.d,
    row.e,
    ...answers,
    row.clinical_vqa_task,
    row.department,
    row.perceptual_granularity,
    row.modality,
    row.original_task,
  ];
}

/** The file name a download gets: split and subset id, which is also VLMEvalKit's dataset name for it. */
export function tsvFileName(split: Split, subsetId: string): string {
  return `GMAI-MMBench_${split.toUpperCase()}_${subsetId}.tsv`;
}

/**
 * The stream belongs to one dataset version: each read re-checks it, and a change, a missing image
 * or an image whose size differs from the stored one errors the body (never a clean, short end).
 */
export function tsvStream(db: Database, bucket: R2Bucket, f: Selection, order: QuestionOrder, version: string): ReadableStream<Uint8Array> {
  const chunks = coalesce(tsvPieces(db, bucket, f, order, version));
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (err) {
          console.error('TSV export aborted:', String(err).slice(0, 300));
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // Nothing is read before the client asks (a HEAD request never queries).
    { highWaterMark: 0 },
  );
}

async function* tsvPieces(db: Database, bucket: R2Bucket, f: Selection, order: QuestionOrder, version: string): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(formatTsvRow(tsvColumns(f.split)));
  // VLMEvalKit reads an `image` of at most 64 characters as the index of the row holding the image.
  const firstIndexOfImage = new Map<string, number>();
  let after: CursorKey | null = null;
  for (;;) {
    const { rows, version: current } = await readRowsWithVersion(db, f, order, after, ROWS_PER_READ);
    if (current !== version) throw new Error('the dataset changed during the stream; request it again');
    // Where each image of this piece lies in R2: one D1 query per piece, not one per row.
    const stored = await findImages(db, [...new Set(rows.filter((r) => !firstIndexOfImage.has(r.image_sha256)).map((r) => r.image_sha256))]);
    for (const row of rows) {
      // The data fields and the tab before `image`.
      const head = formatTsvRow([...dataFields(row, f.split), '']).slice(0, -1);
      const earlier = firstIndexOfImage.get(row.image_sha256);
      if (earlier !== undefined) {
        yield encoder.encode(`${head}${earlier}\n`);
        continue;
      }
      firstIndexOfImage.set(row.image_sha256, row.idx);
      yield encoder.encode(head);
      yield* imageBase64(bucket, row, stored.get(row.image_sha256));
      yield encoder.encode('\n');
    }
    if (rows.length < ROWS_PER_READ) return;
    after = rowKey(rows[rows.length - 1]!, order);
  }
}

async function* imageBase64(bucket: R2Bucket, row: QuestionRow, image: StoredImage | undefined): AsyncGenerator<Uint8Array> {
  const stream = image ? await getImage(bucket, image) : null;
  if (!stream) throw new Error(`image ${row.image_sha256} of question ${row.idx} is missing from storage`);
  const body = stream as ReadableStream<Uint8Array>;
  let read = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      read += chunk.length;
      yield chunk;
    }
  }
  yield* base64Chunks(counted());
  if (read !== row.bytes) throw new Error(`image ${row.image_sha256} has ${read} bytes in storage, ${row.bytes} recorded`);
}

/** Gathers small pieces into chunks of about CHUNK_BYTES (one large piece passes through as is). */
async function* coalesce(pieces: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let held: Uint8Array[] = [];
  let size = 0;
  const flush = (): Uint8Array => {
    const out = held.length === 1 ? held[0]! : new Uint8Array(size);
    if (held.length > 1) {
      let at = 0;
      for (const piece of held) {
        out.set(piece, at);
        at += piece.length;
      }
    }
    held = [];
    size = 0;
    return out;
  };
  for await (const piece of pieces) {
    held.push(piece);
    size += piece.length;
    if (size >= CHUNK_BYTES) yield flush();
  }
  if (size > 0) yield flush();
}
