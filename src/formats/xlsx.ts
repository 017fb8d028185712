import { MalformedFileError } from './malformed-file-error';
import { isNameEnd, isXmlSpace, XmlScanner } from './xml-scanner';
import { ZipArchive } from './zip';

/**
 * Reads the cells of the first worksheet of an .xlsx file, row by row, the way openpyxl (which pandas
 * and so VLMEvalKit use) presents them: cached values rather than formulas, shared strings with
 * rich-text runs joined and phonetic runs left out, and OOXML's `_xHHHH_` escapes left as they are
 * (openpyxl only removes `x005F_` from shared strings). VLMEvalKit writes its prediction files with
 * xlsxwriter, which escapes control characters such as '\r' as `_x000D_`; VLMEvalKit scores the
 * literal `_x000D_`, and so do we.
 */

/**
 * The cap on the bytes an .xlsx may expand to (all parts read). The real VAL prediction file expands
 * to 3.3 MB for 4,550 rows; the full TEST split (21,281 rows) with short answers needs about 16 MB.
 * Reading holds the compressed body, the expanded parts and their decoded text at once (about three
 * times this figure at worst), which must fit a Worker's 128 MB beside everything else.
 */
export const MAX_XLSX_EXPANDED_BYTES = 32 * 2 ** 20;

export type CellValue =
  | { readonly kind: 'string'; readonly text: string }
  /** `text`: the number as stored, e.g. '12', '12.0', '1.5E-3' (openpyxl reads it as int or float by its form). */
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'error'; readonly text: string };

export interface WorksheetRow {
  /** The spreadsheet row number (1-based, as shown by Excel). */
  readonly rowNumber: number;
  /** Cells by 0-based column (A = 0); holes are empty cells, or cells of columns not asked for. */
  readonly cells: ReadonlyArray<CellValue | undefined>;
  /** Cell elements with content in columns not asked for, skipped unread. */
  readonly skippedCells: number;
}

/**
 * Receives each row in order. It may return the columns it needs from the rows that follow (say,
 * once it has found them in the header); cells of other columns are then skipped without being
 * decoded (on VLMEvalKit's 16-column files, a quarter of the reading time).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: most visitors return nothing; a set of columns narrows the next rows.
export type WorksheetRowVisitor = (row: WorksheetRow) => ReadonlySet<number> | void;

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELATIONSHIPS = 'xl/_rels/workbook.xml.rels';
const NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Calls `visit` for each row of the first worksheet that has at least one cell element. */
export function forEachWorksheetRow(bytes: Uint8Array, visit: WorksheetRowVisitor): void {
  const archive = new ZipArchive(bytes, MAX_XLSX_EXPANDED_BYTES);
  const workbook = openPart(archive, WORKBOOK);
  const relationships = readRelationships(openPart(archive, WORKBOOK_RELATIONSHIPS));
  const sheetPath = firstWorksheetPath(workbook, relationships);
  const sharedStringsPath = [...relationships.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const sharedStrings = sharedStringsPath === undefined ? SharedStrings.NONE : SharedStrings.read(openPart(archive, sharedStringsPath));
  readWorksheet(openPart(archive, sheetPath), sharedStrings, visit);
}

function openPart(archive: ZipArchive, path: string): XmlScanner {
  const bytes = archive.read(path);
  if (bytes === undefined) throw new MalformedFileError(`not an xlsx workbook: ${path} is missing`);
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new MalformedFileError(`${path} is not valid UTF-8`);
  }
  return new XmlScanner(xml, path);
}

interface Relationship {
  readonly type: string;
  /** Zip entry path of the target. */
  readonly target: string;
}

function readRelationships(scanner: XmlScanner): Map<string, Relationship> {
  const relationships = new Map<string, Relationship>();
  for (let token = scanner.next(); token !== 'end'; token = scanner.next()) {
    if (token !== 'open' || !scanner.is('Relationship')) continue;
    const id = scanner.attribute('Id');
    const type = scanner.attribute('Type');
    const target = scanner.attribute('Target');
    if (id === undefined || type === undefined || target === undefined) continue;
    if (scanner.attribute('TargetMode') === 'External') continue;
    relationships.set(id, { type, target: resolvePartPath(target) });
  }
  return relationships;
}

/** Relationship targets are relative to the workbook's folder `xl/`, or absolute from the package root. */
function resolvePartPath(target: string): string {
  const segments = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

/** pandas reads `sheet_name=0`: the first worksheet in workbook order (chartsheets do not count). */
function firstWorksheetPath(workbook: XmlScanner, relationships: Map<string, Relationship>): string {
  for (let token = workbook.next(); token !== 'end'; token = workbook.next()) {
    if (token !== 'open' || !workbook.is('sheet')) continue;
    const relationship = relationships.get(workbook.attribute('id') ?? '');
    if (relationship?.type.endsWith('/worksheet')) return relationship.target;
  }
  throw new MalformedFileError('the workbook has no worksheet');
}

/**
 * The shared strings table. Where no comment, CDATA or processing instruction follows `<sst>`, only
 * where each `<si>` starts is found up front, and a string is decoded when a cell first refers to it:
 * a prediction file's table is mostly questions and options, in columns nobody reads. Otherwise (or
 * with prefixed names) every string is decoded now, by the scanner.
 */
class SharedStrings {
  static readonly NONE = new SharedStrings(undefined, [], null);

  private constructor(
    private readonly scanner: XmlScanner | undefined,
    private readonly decoded: Array<string | undefined>,
    /** Where each `<si>` starts, when decoded lazily. */
    private readonly starts: readonly number[] | null,
  ) {}

  static read(scanner: XmlScanner): SharedStrings {
    let token = scanner.next();
    while (token !== 'end' && !(token === 'open' && scanner.is('sst'))) token = scanner.next();
    const xml = scanner.source;
    const starts: number[] = [];
    if (token === 'open' && scanner.noMarkupAhead()) {
      for (let at = xml.indexOf('<si', scanner.offset); at !== -1; at = xml.indexOf('<si', at + 3)) {
        if (isNameEnd(xml.charCodeAt(at + 3))) starts.push(at);
      }
    }
    if (starts.length > 0) return new SharedStrings(scanner, new Array(starts.length), starts);
    const strings: string[] = [];
    for (; token !== 'end'; token = scanner.next()) if (token === 'open' && scanner.is('si')) strings.push(sharedString(scanner));
    return new SharedStrings(scanner, strings, null);
  }

  /** The string at `index`, or undefined where the table has none. */
  at(index: number): string | undefined {
    const known = this.decoded[index];
    const scanner = this.scanner;
    if (known !== undefined || scanner === undefined || this.starts === null || index >= this.starts.length) return known;
    const xml = scanner.source;
    const start = this.starts[index]!;
    // The usual <si><t>text</t></si> is sliced out directly; anything richer goes through the scanner.
    const end = xml.startsWith('<si><t>', start) ? xml.indexOf('<', start + 7) : -1;
    let text: string;
    if (end !== -1 && xml.startsWith('</t></si>', end)) {
      text = withoutX005F(scanner.decodeText(xml.slice(start + 7, end)));
    } else {
      scanner.offset = start;
      scanner.next();
      text = sharedString(scanner);
    }
    this.decoded[index] = text;
    return text;
  }
}

/** The `<si>` just opened. */
function sharedString(scanner: XmlScanner): string {
  return withoutX005F(readRichText(scanner));
}

/** openpyxl drops every 'x005F_' (the escape of a literal '_x…_' sequence) from shared strings, and nothing else. */
function withoutX005F(text: string): string {
  return text.includes('x005F_') ? text.replaceAll('x005F_', '') : text;
}

/**
 * The text of the element just opened (`<si>` or `<is>`): its `<t>` elements, directly or in `<r>`
 * runs, joined; `<rPh>` phonetic runs are left out, as openpyxl does.
 */
function readRichText(scanner: XmlScanner): string {
  if (scanner.selfClosing) return '';
  const element = scanner.name;
  let text = '';
  let phoneticDepth = 0;
  for (;;) {
    const token = scanner.next();
    if (token === 'end') scanner.fail(`unterminated <${element}>`);
    if (token === 'close' && scanner.is(element)) return text;
    if (token === 'open' && scanner.is('rPh') && !scanner.selfClosing) phoneticDepth++;
    else if (token === 'close' && scanner.is('rPh')) phoneticDepth--;
    else if (token === 'open' && scanner.is('t') && phoneticDepth === 0) text += scanner.elementText();
  }
}

/** What the row loop carries from row to row, shared by the scanner's path and the fast one. */
interface SheetState {
  /** The previous row's number (a row without `r` follows it). */
  rowNumber: number;
  /** The columns the visitor asked for; undefined for all. */
  wanted: ReadonlySet<number> | undefined;
  /** `wanted` as a mask for the fast path, remade when the visitor narrows it. */
  wantedMask: Uint8Array | undefined;
}

function readWorksheet(scanner: XmlScanner, sharedStrings: SharedStrings, visit: WorksheetRowVisitor): void {
  const sheet: SheetState = { rowNumber: 0, wanted: undefined, wantedMask: undefined };
  let cells: Array<CellValue | undefined> | undefined;
  let skippedCells = 0;
  let column = -1;
  let plain = false;
  for (let token = scanner.next(); token !== 'end'; token = scanner.next()) {
    if (token === 'close') {
      if (scanner.is('row') && cells !== undefined) {
        visitRow(sheet, visit, { rowNumber: sheet.rowNumber, cells, skippedCells });
        cells = undefined;
        if (plain) readPlainRows(scanner, sheet, visit, sharedStrings);
      } else if (scanner.is('sheetData')) {
        return;
      }
    } else if (token === 'open' && scanner.is('sheetData')) {
      plain = scanner.noMarkupAhead();
      if (plain && !scanner.selfClosing) readPlainRows(scanner, sheet, visit, sharedStrings);
    } else if (token === 'open' && scanner.is('row')) {
      // Row and cell positions are optional in OOXML: without them, each follows the previous one.
      const r = scanner.attribute('r');
      sheet.rowNumber = r === undefined ? sheet.rowNumber + 1 : parseRowNumber(scanner, r);
      column = -1;
      cells = scanner.selfClosing ? undefined : [];
      skippedCells = 0;
    } else if (token === 'open' && scanner.is('c') && cells !== undefined) {
      const reference = scanner.attribute('r');
      column = reference === undefined ? column + 1 : parseColumn(scanner, reference);
      if (scanner.selfClosing) continue;
      if (sheet.wanted !== undefined && !sheet.wanted.has(column)) {
        scanner.skipElement();
        skippedCells++;
        continue;
      }
      const type = scanner.attribute('t') ?? 'n';
      const value = readCell(scanner, type, sharedStrings, reference ?? `${columnLetters(column)}${sheet.rowNumber}`);
      if (value !== undefined) cells[column] = value;
    }
  }
  scanner.fail('no </sheetData>');
}

function visitRow(sheet: SheetState, visit: WorksheetRowVisitor, row: WorksheetRow): void {
  const wanted = visit(row);
  if (wanted === undefined || wanted === sheet.wanted) return;
  sheet.wanted = wanted;
  const mask = new Uint8Array(Math.max(-1, ...wanted) + 1);
  for (const column of wanted) if (column >= 0) mask[column] = 1;
  sheet.wantedMask = mask;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SPACE = 0x20;
const COLON = 0x3a;
const AMPERSAND = 0x26;
const LOWER_C = 0x63;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_V = 0x76;

/**
 * The fast path, taken by nearly every row of the files harnesses write: rows of `<c>` elements with
 * unprefixed, double-quoted attributes and only `<v>` inside, read without the scanner's tokens
 * (hopPlainCells, else crawlPlainCells). Only called where no comment, CDATA or processing
 * instruction follows (`noMarkupAhead`), so every '<' opens a tag. It reads rows from the scanner's
 * position and stops before the first that holds anything else (an inline string, a formula, a
 * prefix, an entity in an attribute, a malformed cell), or at the end of sheetData: the scanner goes
 * on from there, with its exact errors. A row is visited only once it has been read whole.
 */
function readPlainRows(scanner: XmlScanner, sheet: SheetState, visit: WorksheetRowVisitor, sharedStrings: SharedStrings): void {
  const xml = scanner.source;
  const plain: PlainSheet = { xml, scanner, sharedStrings };
  let at = scanner.offset;
  for (;;) {
    // Text between elements is ignored, as the scanner's text tokens are.
    if (xml.charCodeAt(at) !== LT) at = xml.indexOf('<', at);
    if (at === -1 || !xml.startsWith('<row', at) || !scanPlainTag(xml, at + 4)) break;
    let rowNumber = sheet.rowNumber + 1;
    if (TAG.rStart !== -1) {
      rowNumber = rowNumberAt(xml, TAG.rStart, TAG.rEnd);
      if (rowNumber === -1) break;
    }
    if (TAG.selfClosing) {
      sheet.rowNumber = rowNumber;
      at = TAG.end;
      continue;
    }
    const row = readPlainCells(plain, TAG.end, rowNumber, sheet.wantedMask);
    if (row === undefined) break;
    sheet.rowNumber = rowNumber;
    at = row.end;
    visitRow(sheet, visit, { rowNumber, cells: row.cells, skippedCells: row.skippedCells });
  }
  scanner.offset = at === -1 ? xml.length : at;
}

/** What the plain-row readers read from: the sheet's text, its scanner (for errors and decoding) and the shared strings. */
interface PlainSheet {
  readonly xml: string;
  readonly scanner: XmlScanner;
  readonly sharedStrings: SharedStrings;
}

interface PlainRow {
  end: number;
  cells: Array<CellValue | undefined>;
  skippedCells: number;
}

/** The cells of a plain row from `at` (just after its start tag) through `</row>`; undefined if it is not plain. */
function readPlainCells(
  sheet: PlainSheet,
  at: number,
  rowNumber: number,
  /** 1 at each column to read; undefined to read all. */
  wanted: Uint8Array | undefined,
): PlainRow | undefined {
  return (wanted && hopPlainCells(sheet, at, rowNumber, wanted)) || crawlPlainCells(sheet, at, rowNumber, wanted);
}

/** Reads every cell element of the row in turn. */
function crawlPlainCells(sheet: PlainSheet, at: number, rowNumber: number, wanted: Uint8Array | undefined): PlainRow | undefined {
  const { xml } = sheet;
  const cells: Array<CellValue | undefined> = [];
  let skippedCells = 0;
  let column = -1;
  for (;;) {
    if (xml.charCodeAt(at) !== LT) at = xml.indexOf('<', at);
    if (at === -1) return undefined;
    if (xml.charCodeAt(at + 1) !== LOWER_C || !isNameEnd(xml.charCodeAt(at + 2))) {
      return xml.startsWith('</row>', at) ? { end: at + 6, cells, skippedCells } : undefined;
    }
    if (!readPlainCell(sheet, at, column, rowNumber, wanted)) return undefined;
    column = CELL.column;
    at = CELL.end;
    if (CELL.skipped) skippedCells++;
    else if (CELL.value !== undefined) cells[column] = CELL.value;
  }
}

/**
 * The row read by its cells' start and end tags alone, found by searching for their rare letter 'c'
 * rather than for '<' (a native search from one to the next, instead of a loop over every character
 * of the cells skipped: three quarters of a VLMEvalKit sheet). Only the cells asked for are read, by
 * readPlainCell; a skipped cell counts when an end tag closes it (it is not self-closing), as in the
 * crawl. Undefined, and the row is crawled instead, where anything could make this reading differ:
 * a cell whose first attribute is not r, a prefixed name, a cell inside a cell, a row that does not
 * end in `</row>`, or no value in the cells asked for (then the count of skipped cells decides
 * whether the row is empty, and only the crawl tells a stray `</c>` from a cell's own end tag).
 */
function hopPlainCells(sheet: PlainSheet, at: number, rowNumber: number, wanted: Uint8Array): PlainRow | undefined {
  const { xml } = sheet;
  const rowEnd = plainRowEnd(xml, at);
  if (rowEnd === -1) return undefined;
  const cells: Array<CellValue | undefined> = [];
  let skippedCells = 0;
  let hasValue = false;
  /** Where the skipped cell whose end tag has not been seen yet starts; -1 when there is none. */
  let open = -1;
  for (let c = xml.indexOf('c', at); c !== -1 && c < rowEnd; c = xml.indexOf('c', c + 1)) {
    // Only a name 'c' matters: '<c', '</c' or a prefixed ':c'. Other c's are in names such as
    // <color> (rich text in a skipped inline string) or in text.
    if (!isNameEnd(xml.charCodeAt(c + 1))) continue;
    const before = xml.charCodeAt(c - 1);
    if (before === SLASH && xml.charCodeAt(c - 2) === LT) {
      if (open === -1) return undefined;
      open = -1;
      skippedCells++;
      continue;
    }
    if (before === COLON) return undefined;
    if (before !== LT) continue;
    if (open !== -1 && !isSelfClosingAt(xml, open)) return undefined;
    open = -1;
    const column = canonicalColumnAt(xml, c - 1);
    if (column === -1) return undefined;
    if (wanted[column] !== 1) {
      open = c - 1;
      continue;
    }
    if (!readPlainCell(sheet, c - 1, column - 1, rowNumber, undefined)) return undefined;
    if (CELL.value !== undefined) {
      cells[column] = CELL.value;
      hasValue = true;
    }
    c = CELL.end - 1;
  }
  if ((open !== -1 && !isSelfClosingAt(xml, open)) || !hasValue) return undefined;
  return { end: rowEnd + 6, cells, skippedCells };
}

/**
 * Where the row's `</row>` is, searching from `at` by the rare letter 'w'; -1 where the next `<row`
 * comes first or the end tag is spelled otherwise (`</row >`). In a plain stretch no text or value
 * can hold a '<', so the first `</row>` ends the row.
 */
function plainRowEnd(xml: string, at: number): number {
  for (let w = xml.indexOf('w', at); w !== -1; w = xml.indexOf('w', w + 1)) {
    if (xml.startsWith('</row>', w - 4)) return w - 4;
    if (xml.startsWith('<row', w - 3)) return -1;
  }
  return -1;
}

/** The 0-based column of the cell starting at `at` when its tag begins `<c r="` with a valid reference; else -1. */
function canonicalColumnAt(xml: string, at: number): number {
  if (xml.charCodeAt(at + 2) !== SPACE || xml.charCodeAt(at + 3) !== LOWER_R || xml.charCodeAt(at + 4) !== EQUALS || xml.charCodeAt(at + 5) !== DOUBLE_QUOTE) {
    return -1;
  }
  const column = referenceColumn(xml, at + 6, xml.length);
  return column !== -1 && xml.charCodeAt(referenceEnd) === DOUBLE_QUOTE ? column : -1;
}

function isAsciiLetter(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isSelfClosingAt(xml: string, at: number): boolean {
  return scanPlainTag(xml, at + 2) && TAG.selfClosing;
}

/** What readPlainCell read last: where the cell ends, its column, and its value unless it was skipped. */
const CELL: { end: number; column: number; skipped: boolean; value: CellValue | undefined } = { end: 0, column: 0, skipped: false, value: undefined };

/**
 * Reads the `<c>` element starting at `at` into CELL: the tag, then its content up to `</c>`, which
 * may hold only `<v>` elements (text between them is ignored); false where the cell is not plain.
 * `previousColumn` places a cell without a reference. A cell of a column not `wanted` is passed over
 * (`skipped` when it has content).
 */
function readPlainCell(sheet: PlainSheet, at: number, previousColumn: number, rowNumber: number, wanted: Uint8Array | undefined): boolean {
  const { xml, scanner, sharedStrings } = sheet;
  if (!scanPlainTag(xml, at + 2)) return false;
  const { rStart, rEnd, tStart, tEnd } = TAG;
  let column = previousColumn + 1;
  if (rStart !== -1) {
    column = columnAt(xml, rStart, rEnd);
    if (column === -1) return false;
  }
  CELL.column = column;
  CELL.value = undefined;
  CELL.skipped = false;
  let p = TAG.end;
  if (TAG.selfClosing) {
    CELL.end = p;
    return true;
  }
  // Scanned a character at a time, which beats indexOf on contents this short.
  const skip = wanted !== undefined && wanted[column] !== 1;
  let stored: string | undefined;
  for (;;) {
    while (p < xml.length && xml.charCodeAt(p) !== LT) p++;
    if (xml.charCodeAt(p + 1) === SLASH) {
      if (xml.charCodeAt(p + 2) !== LOWER_C || xml.charCodeAt(p + 3) !== GT) return false;
      p += 4;
      break;
    }
    if (xml.charCodeAt(p + 1) !== LOWER_V || xml.charCodeAt(p + 2) !== GT) return false;
    let end = p + 3;
    while (end < xml.length && xml.charCodeAt(end) !== LT) end++;
    if (xml.charCodeAt(end + 1) !== SLASH || xml.charCodeAt(end + 2) !== LOWER_V || xml.charCodeAt(end + 3) !== GT) return false;
    // An empty <v></v> is no value, as in openpyxl (`findtext(...) or None`).
    if (!skip) stored = scanner.decodeText(xml.slice(p + 3, end)) || undefined;
    p = end + 4;
  }
  CELL.end = p;
  if (skip) {
    CELL.skipped = true;
    return true;
  }
  const type = tStart === -1 ? 'n' : cellTypeAt(xml, tStart, tEnd);
  const reference = rStart === -1 ? `${columnLetters(column)}${rowNumber}` : xml.slice(rStart, rEnd);
  CELL.value = cellValue(scanner, type, stored, undefined, sharedStrings, reference);
  return true;
}

/** The tag scanPlainTag read last: where it ends and where its r and t values lie (-1: absent). */
const TAG = { end: 0, selfClosing: false, rStart: -1, rEnd: -1, tStart: -1, tEnd: -1 };

/**
 * Reads the attributes of a tag from `p` (just after its name) into TAG, making no strings. False
 * where the tag is not plain: a prefixed name, a single-quoted value, an entity in r or t.
 */
function scanPlainTag(xml: string, p: number): boolean {
  TAG.rStart = TAG.tStart = -1;
  if (!isNameEnd(xml.charCodeAt(p))) return false;
  for (;;) {
    while (isXmlSpace(xml.charCodeAt(p))) p++;
    const code = xml.charCodeAt(p);
    if (code === GT || code === SLASH) {
      if (code === SLASH && xml.charCodeAt(p + 1) !== GT) return false;
      TAG.selfClosing = code === SLASH;
      TAG.end = p + (code === SLASH ? 2 : 1);
      return true;
    }
    const nameStart = p;
    for (let c = code; c !== EQUALS; c = xml.charCodeAt(++p)) {
      if (c === COLON || isNameEnd(c) || Number.isNaN(c)) return false;
    }
    if (xml.charCodeAt(p + 1) !== DOUBLE_QUOTE) return false;
    const close = xml.indexOf('"', p + 2);
    if (close === -1) return false;
    if (p - nameStart === 1 && (code === LOWER_R || code === LOWER_T)) {
      for (let at = p + 2; at < close; at++) if (xml.charCodeAt(at) === AMPERSAND) return false;
      if (code === LOWER_R) [TAG.rStart, TAG.rEnd] = [p + 2, close];
      else [TAG.tStart, TAG.tEnd] = [p + 2, close];
    }
    p = close + 1;
  }
}

/** The row number in text[start, end) (1 to 9,999,999, no leading zero), else -1. Read in place: the fast path calls it for every row. */
function rowNumberAt(text: string, start: number, end: number): number {
  if (end - start < 1 || end - start > 7 || text.charCodeAt(start) === 0x30) return -1;
  let n = 0;
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return -1;
    n = n * 10 + (code - 0x30);
  }
  return n;
}

/** One or more ASCII digits and nothing else (a regex test costs more, once per cell read). */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let at = 0; at < text.length; at++) if (!isAsciiDigit(text.charCodeAt(at))) return false;
  return true;
}

/** The value of the cell just opened, by its type attribute `t`; undefined for an empty cell. */
function readCell(scanner: XmlScanner, type: string, sharedStrings: SharedStrings, reference: string): CellValue | undefined {
  let stored: string | undefined;
  let inline: string | undefined;
  for (;;) {
    const token = scanner.next();
    if (token === 'end') scanner.fail(`cell ${reference} is not closed`);
    if (token === 'close' && scanner.is('c')) break;
    if (token !== 'open') continue;
    // <f> (formula) and others are skipped: pandas reads cached values (data_only).
    // An empty <v/> is no value, as in openpyxl (`findtext(...) or None`).
    if (scanner.is('v')) stored = scanner.elementText() || undefined;
    else if (scanner.is('is')) inline = readRichText(scanner);
  }
  return cellValue(scanner, type, stored, inline, sharedStrings, reference);
}

/** A cell's value from its type `t`, its `<v>` text and its inline string; undefined for an empty cell. */
function cellValue(
  scanner: XmlScanner,
  type: string,
  stored: string | undefined,
  inline: string | undefined,
  sharedStrings: SharedStrings,
  reference: string,
): CellValue | undefined {
  switch (type) {
    case 's': {
      if (stored === undefined) return undefined;
      const text = isDigits(stored) ? sharedStrings.at(Number(stored)) : undefined;
      if (text === undefined) scanner.fail(`cell ${reference} refers to shared string "${stored}", which does not exist`);
      return { kind: 'string', text };
    }
    case 'inlineStr':
      return inline === undefined ? undefined : { kind: 'string', text: inline };
    case 'str': // a formula's cached text
    case 'd': // an ISO 8601 date kept as its text (openpyxl would make it a datetime)
      return stored === undefined ? undefined : { kind: 'string', text: stored };
    case 'n':
      if (stored === undefined) return undefined;
      if (!isDigits(stored) && !NUMBER.test(stored)) scanner.fail(`cell ${reference} holds "${stored.slice(0, 40)}", which is not a number`);
      return { kind: 'number', text: stored };
    case 'b':
      if (stored === undefined) return undefined;
      if (stored !== '0' && stored !== '1') {
        scanner.fail(`cell ${reference} holds "${stored.slice(0, 40)}", which is not a boolean`);
      }
      return { kind: 'boolean', value: stored === '1' };
    case 'e':
      return stored === undefined ? undefined : { kind: 'error', text: stored };
    default:
      scanner.fail(`cell ${reference} has unknown type "${type.slice(0, 20)}"`);
  }
}

function parseRowNumber(scanner: XmlScanner, r: string): number {
  const row = rowNumberAt(r, 0, r.length);
  if (row === -1) scanner.fail(`row number "${r.slice(0, 20)}" is not valid`);
  return row;
}

function parseColumn(scanner: XmlScanner, reference: string): number {
  const column = columnAt(reference, 0, reference.length);
  if (column === -1) scanner.fail(`cell reference "${reference.slice(0, 20)}" is not valid`);
  return column;
}

/** 0-based column of the reference that fills text[start, end), such as 'P4551', or -1 if malformed. */
function columnAt(text: string, start: number, end: number): number {
  const column = referenceColumn(text, start, end);
  return column !== -1 && referenceEnd === end ? column : -1;
}

/** Where the reference referenceColumn read last ends (after its digits). */
let referenceEnd = 0;

/**
 * The 0-based column of the reference starting at `start` and read no further than `limit`: letters
 * (A = 0, Z = 25, AA = 26; Excel stops at XFD), then digits, up to referenceEnd; -1 without letters or
 * past XFD. Read in place a character at a time: the fast paths call it for every cell.
 */
function referenceColumn(text: string, start: number, limit: number): number {
  let at = start;
  let column = 0;
  for (let code = text.charCodeAt(at); at < limit && isAsciiLetter(code); code = text.charCodeAt(++at)) column = column * 26 + ((code & ~0x20) - 64);
  if (at === start || column > MAX_COLUMN) return -1;
  while (at < limit && isAsciiDigit(text.charCodeAt(at))) at++;
  referenceEnd = at;
  return column - 1;
}

/** Excel's last column, XFD (1-based). */
const MAX_COLUMN = 16384;

/** The t attribute's value in xml[start, end), one-letter types without making a string. */
function cellTypeAt(xml: string, start: number, end: number): string {
  if (end - start === 1) {
    const type = ONE_LETTER_TYPES[xml.charCodeAt(start) - 0x61];
    if (type !== undefined) return type;
  }
  return xml.slice(start, end);
}

/** 'b', 'd', 'e', 'n' and 's' by their letter's distance from 'a'. */
const ONE_LETTER_TYPES: ReadonlyArray<string | undefined> = Array.from({ length: 26 }, (_, i) => {
  const letter = String.fromCharCode(0x61 + i);
  return 'bdens'.includes(letter) ? letter : undefined;
});

function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}
