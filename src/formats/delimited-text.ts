/**
 * Splits tab- or comma-separated text into records exactly as pandas' C parser does with
 * `read_csv` defaults (quotechar '"', doubled quotes, no escape character, blank lines skipped).
 *
 * csv-parse is not used because it differs from pandas on quotes that pandas itself never writes
 * but hand-made files contain: pandas drops the quote pair that opens a field and keeps reading after
 * the closing quote ('"B" is right' → 'B is right'), where csv-parse keeps the quotes or refuses the
 * line. The difference changes which letter a prediction yields.
 */

export interface DelimitedRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

/** A quoted field still open at the end of the text (pandas: "EOF inside string"). */
export class UnterminatedQuoteError extends Error {
  override readonly name = 'UnterminatedQuoteError';
  constructor(readonly line: number) {
    super(`a quoted field opened on line ${line} is never closed`);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export function splitDelimited(text: string, delimiter: ',' | '\t'): DelimitedRecord[] {
  const separator = delimiter.charCodeAt(0);
  const fieldEnds = new FieldEnds(text, delimiter);
  const records: DelimitedRecord[] = [];
  let at = 0;
  let line = 1;
  while (at < text.length) {
    // Lines of only spaces and tabs (other than the delimiter), and empty lines, are skipped.
    let first = at;
    while (first < text.length && isBlankFiller(text.charCodeAt(first), separator)) first++;
    if (first === text.length || isLineBreak(text.charCodeAt(first))) {
      at = afterLineBreak(text, first);
      line++;
      continue;
    }

    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text.charCodeAt(at) === QUOTE) {
        // Quoted part: up to the closing quote, a doubled quote standing for one.
        let from = at + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) throw new UnterminatedQuoteError(startLine);
          value += text.slice(from, quote);
          line += countLineBreaks(text, from, quote);
          if (text.charCodeAt(quote + 1) !== QUOTE) {
            at = quote + 1;
            break;
          }
          value += '"';
          from = quote + 2;
        }
      }
      // Unquoted part (after a closing quote too): up to the delimiter or line end; quotes are literal.
      const end = fieldEnds.from(at);
      value += text.slice(at, end);
      fields.push(value);
      at = end;
      if (text.charCodeAt(at) !== separator) break;
      at++;
    }
    records.push({ fields, line: startLine });
    at = afterLineBreak(text, at);
    line++;
  }
  return records;
}

/**
 * Where an unquoted field ends: at the next delimiter or line break. Where the text holds no '\r'
 * (pandas writes '\n' line ends), found by native searches for the delimiter and '\n', each position
 * kept until a field passes it; a loop over every character took half of reading a VLMEvalKit TSV.
 * Otherwise a character at a time, as '\r' alone also ends a line.
 */
class FieldEnds {
  private readonly native: boolean;
  private readonly separator: number;
  private nextDelimiter = -1;
  private nextLineFeed = -1;

  constructor(
    private readonly text: string,
    private readonly delimiter: string,
  ) {
    this.native = !text.includes('\r');
    this.separator = delimiter.charCodeAt(0);
  }

  from(at: number): number {
    const text = this.text;
    if (!this.native) {
      let end = at;
      while (end < text.length && text.charCodeAt(end) !== this.separator && !isLineBreak(text.charCodeAt(end))) end++;
      return end;
    }
    if (this.nextDelimiter < at) this.nextDelimiter = indexOrEnd(text, this.delimiter, at);
    if (this.nextLineFeed < at) this.nextLineFeed = indexOrEnd(text, '\n', at);
    return Math.min(this.nextDelimiter, this.nextLineFeed);
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

/** Past '\n', '\r\n' or '\r' at `at` (or `at` itself at the end of the text). */
function afterLineBreak(text: string, at: number): number {
  if (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF) return at + 2;
  return at < text.length ? at + 1 : at;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code === LF || (code === CR && text.charCodeAt(at + 1) !== LF)) count++;
  }
  return count;
}

function isLineBreak(code: number): boolean {
  return code === LF || code === CR;
}

function isBlankFiller(code: number, separator: number): boolean {
  return (code === SPACE || code === TAB) && code !== separator;
}
