// Streams the records of a pandas-written TSV (quoted fields may hold tabs, newlines and "") with
// the line each record starts on, so every validation error can name file, line and column.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface TsvRecord {
  file: string;
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  fields: Map<string, string>;
  /** Columns the header names but this record lacks, or extra trailing fields. */
  fieldCountMismatch: boolean;
}

export async function* readTsvRecords(file: string, onBytes: (n: number) => void): AsyncGenerator<TsvRecord, void> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('data', (chunk) => onBytes(chunk.length));
  // csv-parse keeps only the current record in memory, so a 9 GB file streams in flat memory.
  const parser = input.pipe(parse({ delimiter: '\t', quote: '"', bom: true, info: true, relax_column_count: true, max_record_size: 256 * 1024 * 1024 }));
  let header: string[] | null = null;
  let lastLine = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = lastLine + 1;
    lastLine = info.lines;
    if (header === null) {
      header = record;
      continue;
    }
    if (record.length === 1 && record[0] === '') continue; // blank line
    const fields = new Map<string, string>();
    header.forEach((name, i) => fields.set(name, record[i] ?? ''));
    yield { file, line, fields, fieldCountMismatch: record.length !== header.length };
  }
}

export async function readHeader(file: string): Promise<string[]> {
  const parser = createReadStream(file, { end: 64 * 1024 }).pipe(parse({ delimiter: '\t', bom: true, to_line: 1, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<string[]>) return record;
  return [];
}
