// Streams the records of a pandas-written TSV (quoted fields may hold tabs, newlines and "") with
// the line each record starts on, so every validation error can name file, line and column.
//
// Hand-written rather than csv-parse, which spent ~60% of an import's client CPU (11 MB/s): fields
// are found with String#indexOf, so the multi-megabyte base64 image cells cost a native scan each.
// Quotes follow pandas' C parser (as src/scoring/delimited-text.ts): a quote opens a quoted part
// only at the start of a field, `""` inside it is one quote, text after the closing quote is kept.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface TsvRecord {
  file: string;
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  fields: Map<string, string>;
  /** Columns the header names but this record lacks, or extra trailing fields. */
  fieldCountMismatch: boolean;
  /** Set on a last record standing for the rest of the file, which cannot be split into records. */
  unreadable?: string;
}

/** A quoted field still open at the end of the file. */
export class UnterminatedQuoteError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
  ) {
    super('a quoted field opened on this line is never closed');
  }
}

/** No real record comes close (the largest images are a few MB); beyond this a quote is left open. */
const MAX_RECORD_CHARS = 256 * 1024 * 1024;

/** One parsed record, or null when `text` ends before the record does (more input needed). */
interface Parsed {
  fields: string[];
  /** Where the next record starts. */
  next: number;
  /** Line breaks inside the record (quoted newlines) plus its own. */
  lineBreaks: number;
}

function parseRecord(text: string, from: number, atEnd: boolean): Parsed | null {
  const fields: string[] = [];
  let at = from;
  let lineBreaks = 0;
  let newline = text.indexOf('\n', at);
  for (;;) {
    let value = '';
    if (text.charCodeAt(at) === 0x22) {
      let open = at + 1;
      for (;;) {
        const quote = text.indexOf('"', open);
        if (quote === -1) return null;
        value += text.slice(open, quote);
        for (let nl = text.indexOf('\n', open); nl !== -1 && nl < quote; nl = text.indexOf('\n', nl + 1)) lineBreaks++;
        if (text.charCodeAt(quote + 1) !== 0x22) {
          at = quote + 1;
          break;
        }
        if (quote + 1 === text.length && !atEnd) return null;
        value += '"';
        open = quote + 2;
      }
      if (newline !== -1 && newline < at) newline = text.indexOf('\n', at);
    }
    const tab = text.indexOf('\t', at);
    if (tab !== -1 && (newline === -1 || tab < newline)) {
      fields.push(value + text.slice(at, tab));
      at = tab + 1;
      continue;
    }
    if (newline === -1 && !atEnd) return null;
    const end = newline === -1 ? text.length : newline;
    const last = value + text.slice(at, end);
    fields.push(last.endsWith('\r') ? last.slice(0, -1) : last);
    return { fields, next: newline === -1 ? text.length : newline + 1, lineBreaks: lineBreaks + 1 };
  }
}

/** Raw records (header included) with their first line; memory holds one chunk plus one record. */
async function* readRawRecords(file: string, onBytes: (n: number) => void, end?: number): AsyncGenerator<{ fields: string[]; line: number }> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let at = 0;
  let line = 1;
  let first = true;
  const drain = function* (atEnd: boolean) {
    for (;;) {
      if (at >= text.length) return;
      const parsed = parseRecord(text, at, atEnd);
      if (!parsed) {
        if (atEnd || text.length - at > MAX_RECORD_CHARS) throw new UnterminatedQuoteError(file, line);
        return;
      }
      const blank = parsed.fields.length === 1 && parsed.fields[0] === '';
      if (!blank) yield { fields: parsed.fields, line };
      line += parsed.lineBreaks;
      at = parsed.next;
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20, end }) as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    text = text.slice(at) + decoder.write(chunk);
    at = 0;
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    yield* drain(false);
  }
  text = text.slice(at) + decoder.end();
  at = 0;
  yield* drain(true);
}

export async function* readTsvRecords(file: string, onBytes: (n: number) => void): AsyncGenerator<TsvRecord, void> {
  let header: string[] | null = null;
  try {
    for await (const { fields: record, line } of readRawRecords(file, onBytes)) {
      if (header === null) {
        header = record;
        continue;
      }
      const fields = new Map<string, string>();
      header.forEach((name, i) => fields.set(name, record[i] ?? ''));
      yield { file, line, fields, fieldCountMismatch: record.length !== header.length };
    }
  } catch (err) {
    if (!(err instanceof UnterminatedQuoteError)) throw err;
    yield { file, line: err.line, fields: new Map(), fieldCountMismatch: false, unreadable: err.message };
  }
}

export async function readHeader(file: string): Promise<string[]> {
  try {
    for await (const { fields } of readRawRecords(file, () => undefined, 64 * 1024 - 1)) return fields;
  } catch (err) {
    if (!(err instanceof UnterminatedQuoteError)) throw err;
  }
  return [];
}
