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
  const sharedStrings = sharedStringsPath === undefined ? [] : readSharedStrings(openPart(archive, sharedStringsPath));
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

function readSharedStrings(scanner: XmlScanner): string[] {
  const strings: string[] = [];
  for (let token = scanner.next(); token !== 'end'; token = scanner.next()) {
    if (token === 'open' && scanner.is('si')) {
      // openpyxl drops every 'x005F_' (the escape of a literal '_x…_' sequence) and nothing else.
      strings.push(readRichText(scanner).replaceAll('x005F_', ''));
    }
  }
  return strings;
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

function readWorksheet(scanner: XmlScanner, sharedStrings: readonly string[], visit: WorksheetRowVisitor): void {
  let wanted: ReadonlySet<number> | undefined;
  let rowNumber = 0;
  let cells: Array<CellValue | undefined> | undefined;
  let skippedCells = 0;
  let column = -1;
  let plain = false;
  for (let token = scanner.next(); token !== 'end'; token = scanner.next()) {
    if (token === 'close') {
      if (scanner.is('row') && cells !== undefined) {
        wanted = visit({ rowNumber, cells, skippedCells }) ?? wanted;
        cells = undefined;
      } else if (scanner.is('sheetData')) {
        return;
      }
    } else if (token === 'open' && scanner.is('sheetData')) {
      plain = scanner.noMarkupAhead();
    } else if (token === 'open' && scanner.is('row')) {
      // Row and cell positions are optional in OOXML: without them, each follows the previous one.
      const r = scanner.attribute('r');
      rowNumber = r === undefined ? rowNumber + 1 : parseRowNumber(scanner, r);
      column = -1;
      cells = scanner.selfClosing ? undefined : [];
      skippedCells = 0;
      const row = plain && cells !== undefined ? readPlainRow(scanner, rowNumber, wanted, sharedStrings) : undefined;
      if (row !== undefined) {
        scanner.offset = row.end;
        wanted = visit({ rowNumber, cells: row.cells, skippedCells: row.skippedCells }) ?? wanted;
        cells = undefined;
      }
    } else if (token === 'open' && scanner.is('c') && cells !== undefined) {
      const reference = scanner.attribute('r');
      column = reference === undefined ? column + 1 : parseColumn(scanner, reference);
      if (scanner.selfClosing) continue;
      if (wanted !== undefined && !wanted.has(column)) {
        scanner.skipElement();
        skippedCells++;
        continue;
      }
      const type = scanner.attribute('t') ?? 'n';
      const value = readCell(scanner, type, sharedStrings, reference ?? `${columnLetters(column)}${rowNumber}`);
      if (value !== undefined) cells[column] = value;
    }
  }
  scanner.fail('no </sheetData>');
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const COLON = 0x3a;
const AMPERSAND = '&';
const LOWER_C = 0x63;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_V = 0x76;

/**
 * The fast path for one row, taken by nearly every row of the files harnesses write: `<c>` elements
 * with unprefixed, double-quoted attributes and only `<v>` inside, read in one tight loop over the
 * text (a third of the time the scanner's tokens take). Only called where no comment, CDATA or
 * processing instruction follows (`noMarkupAhead`), so every '<' opens a tag. Anything else (an
 * inline string, a formula, a prefix, an entity in an attribute, a malformed cell) returns undefined
 * before anything is visited, and the scanner reads the row instead, with its exact errors.
 */
function readPlainRow(
  scanner: XmlScanner,
  rowNumber: number,
  wanted: ReadonlySet<number> | undefined,
  sharedStrings: readonly string[],
): { end: number; cells: Array<CellValue | undefined>; skippedCells: number } | undefined {
  const xml = scanner.source;
  const cells: Array<CellValue | undefined> = [];
  let skippedCells = 0;
  let column = -1;
  let at = scanner.offset;
  for (;;) {
    // Text between elements is ignored, as the scanner's text tokens are.
    if (xml.charCodeAt(at) !== LT) at = xml.indexOf('<', at);
    if (at === -1) return undefined;
    if (xml.startsWith('</row>', at)) return { end: at + 6, cells, skippedCells };
    if (xml.charCodeAt(at + 1) !== LOWER_C || !isNameEnd(xml.charCodeAt(at + 2))) return undefined;
    let reference: string | undefined;
    let type = 'n';
    let p = at + 2;
    let selfClosing = false;
    // The cell's attributes: only r and t matter; any other is stepped over.
    for (;;) {
      while (isXmlSpace(xml.charCodeAt(p))) p++;
      const code = xml.charCodeAt(p);
      if (code === GT) {
        p++;
        break;
      }
      if (code === SLASH) {
        if (xml.charCodeAt(p + 1) !== GT) return undefined;
        selfClosing = true;
        p += 2;
        break;
      }
      const nameStart = p;
      for (let c = code; c !== EQUALS; c = xml.charCodeAt(++p)) {
        if (c === COLON || isNameEnd(c) || Number.isNaN(c)) return undefined;
      }
      if (xml.charCodeAt(p + 1) !== DOUBLE_QUOTE) return undefined;
      const close = xml.indexOf('"', p + 2);
      if (close === -1) return undefined;
      if (p - nameStart === 1 && (code === LOWER_R || code === LOWER_T)) {
        const value = xml.slice(p + 2, close);
        if (value.includes(AMPERSAND)) return undefined;
        if (code === LOWER_R) reference = value;
        else type = value;
      }
      p = close + 1;
    }
    if (reference === undefined) column++;
    else {
      const parsed = columnOf(reference);
      if (parsed === undefined) return undefined;
      column = parsed;
    }
    if (selfClosing) {
      at = p;
      continue;
    }
    // The content, up to '</c>': <v> elements only (text between them is ignored), scanned a
    // character at a time, which beats indexOf on contents this short.
    const skip = wanted !== undefined && !wanted.has(column);
    let stored: string | undefined;
    for (;;) {
      while (p < xml.length && xml.charCodeAt(p) !== LT) p++;
      if (xml.charCodeAt(p + 1) === SLASH) {
        if (xml.charCodeAt(p + 2) !== LOWER_C || xml.charCodeAt(p + 3) !== GT) return undefined;
        p += 4;
        break;
      }
      if (xml.charCodeAt(p + 1) !== LOWER_V || xml.charCodeAt(p + 2) !== GT) return undefined;
      let end = p + 3;
      while (end < xml.length && xml.charCodeAt(end) !== LT) end++;
      if (xml.charCodeAt(end + 1) !== SLASH || xml.charCodeAt(end + 2) !== LOWER_V || xml.charCodeAt(end + 3) !== GT) return undefined;
      // An empty <v></v> is no value, as in openpyxl (`findtext(...) or None`).
      if (!skip) stored = scanner.decodeText(xml.slice(p + 3, end)) || undefined;
      p = end + 4;
    }
    if (skip) {
      skippedCells++;
      at = p;
      continue;
    }
    const value = cellValue(scanner, type, stored, undefined, sharedStrings, reference ?? `${columnLetters(column)}${rowNumber}`);
    if (value !== undefined) cells[column] = value;
    at = p;
  }
}

/** The value of the cell just opened, by its type attribute `t`; undefined for an empty cell. */
function readCell(scanner: XmlScanner, type: string, sharedStrings: readonly string[], reference: string): CellValue | undefined {
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
  sharedStrings: readonly string[],
  reference: string,
): CellValue | undefined {
  switch (type) {
    case 's': {
      if (stored === undefined) return undefined;
      const text = /^[0-9]+$/.test(stored) ? sharedStrings[Number(stored)] : undefined;
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
      if (!NUMBER.test(stored)) scanner.fail(`cell ${reference} holds "${stored.slice(0, 40)}", which is not a number`);
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
  if (!/^[1-9][0-9]{0,6}$/.test(r)) scanner.fail(`row number "${r.slice(0, 20)}" is not valid`);
  return Number(r);
}

function parseColumn(scanner: XmlScanner, reference: string): number {
  const column = columnOf(reference);
  if (column === undefined) scanner.fail(`cell reference "${reference.slice(0, 20)}" is not valid`);
  return column;
}

/** 0-based column of a reference such as 'P4551' (A = 0, Z = 25, AA = 26; Excel stops at XFD); undefined if malformed. */
function columnOf(reference: string): number | undefined {
  let column = 0;
  let at = 0;
  // Runs for every cell: a character loop rather than a regular expression.
  for (let code = reference.charCodeAt(0) & ~0x20; code >= 65 && code <= 90; code = reference.charCodeAt(++at) & ~0x20) {
    column = column * 26 + (code - 64);
  }
  let digits = at;
  while (digits < reference.length && reference.charCodeAt(digits) >= 0x30 && reference.charCodeAt(digits) <= 0x39) digits++;
  return at === 0 || column > 16384 || digits !== reference.length ? undefined : column - 1;
}

function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}
