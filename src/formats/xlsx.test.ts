import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MalformedFileError } from './malformed-file-error';
import { forEachWorksheetRow, MAX_XLSX_EXPANDED_BYTES, type WorksheetRow } from './xlsx';
import { buildXlsx, patchCentralDirectory } from '../../test/fixtures/xlsx-fixture';
import { ZipArchive } from './zip';

function readRows(bytes: Uint8Array): WorksheetRow[] {
  const rows: WorksheetRow[] = [];
  forEachWorksheetRow(bytes, (row) => {
    rows.push(row);
  });
  return rows;
}

function readError(bytes: Uint8Array): string {
  try {
    forEachWorksheetRow(bytes, () => undefined);
  } catch (error) {
    if (error instanceof MalformedFileError) return error.message;
    throw error;
  }
  throw new Error('expected a MalformedFileError');
}

const string = (text: string) => ({ kind: 'string', text });

describe('forEachWorksheetRow: cell values', () => {
  it('decodes shared strings as openpyxl does', async () => {
    const rows = readRows(
      buildXlsx({
        sharedStrings: [
          '<t>plain</t>',
          // Rich text: runs are joined; the phonetic run is left out.
          '<r><rPr><b/></rPr><t>bold</t></r><r><t xml:space="preserve"> and plain</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh>',
          // Entities and character references; CRLF in the raw XML reads as LF, &#13; stays CR.
          '<t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#10;&#x41;\r\nz&#13;</t>',
          // OOXML escapes stay literal, except that 'x005F_' is dropped.
          '<t>A_x000D_ _x005F_x000D_</t>',
          '<t/>',
          '<t><![CDATA[<raw> & ]]></t>',
        ],
        rows: `<row r="1">${[0, 1, 2, 3, 4, 5].map((i) => `<c r="${'ABCDEF'[i]}1" t="s"><v>${i}</v></c>`).join('')}</row>`,
      }),
    );
    expect(rows).toEqual([
      {
        rowNumber: 1,
        skippedCells: 0,
        cells: [string('plain'), string('bold and plain'), string('a & b <c> "d" \'e\' \nA\nz\r'), string('A_x000D_ _x000D_'), string(''), string('<raw> & ')],
      },
    ]);
  });

  it('decodes shared strings the same whether they are decoded on first use or all up front', () => {
    // Without markup after <sst>, each string is decoded when a cell refers to it; a comment makes the scanner decode them all first.
    const strings = [
      '<t>plain</t>',
      '<r><t>bo</t></r><r><t xml:space="preserve">ld </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh>',
      '<t>a &amp; b\r\nc&#13;_x005F_x000D_</t>',
      '<t/>',
    ];
    const rows = `<row r="1">${[3, 2, 1, 0, 2].map((i, c) => `<c r="${'ABCDE'[c]}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
    const expected = [string(''), string('a & b\nc\r_x000D_'), string('bold '), string('plain'), string('a & b\nc\r_x000D_')];
    expect(readRows(buildXlsx({ sharedStrings: strings, rows }))[0]?.cells).toEqual(expected);
    expect(readRows(buildXlsx({ sharedStrings: [...strings.slice(0, -1), `${strings.at(-1)}<!-- a comment -->`], rows }))[0]?.cells).toEqual(expected);
  });

  it('reads every cell type by its t attribute', async () => {
    const rows = readRows(
      buildXlsx({
        rows:
          '<row r="1">' +
          '<c r="A1"><v>12</v></c>' +
          '<c r="B1" t="n"><v>1.5E-3</v></c>' +
          '<c r="C1" t="b"><v>1</v></c>' +
          '<c r="D1" t="e"><v>#N/A</v></c>' +
          '<c r="E1" t="str"><f>A1&amp;"x"</f><v>12x</v></c>' +
          '<c r="F1" t="inlineStr"><is><t>in</t><r><t>line</t></r></is></c>' +
          '<c r="G1" s="3"/>' +
          '<c r="H1"><v></v></c>' +
          '</row>',
      }),
    );
    expect(rows[0]?.cells).toEqual([
      { kind: 'number', text: '12' },
      { kind: 'number', text: '1.5E-3' },
      { kind: 'boolean', value: true },
      { kind: 'error', text: '#N/A' },
      string('12x'),
      string('inline'),
    ]);
  });

  it('places cells by their reference, and follows on when positions are omitted', async () => {
    const rows = readRows(
      buildXlsx({
        rows:
          '<row r="2"><c r="C2" t="inlineStr"><is><t>c</t></is></c><c t="inlineStr"><is><t>d</t></is></c><c r="AA2"><v>1</v></c></row>' +
          '<row><c t="inlineStr"><is><t>first</t></is></c></row>' +
          '<row r="9"/>',
      }),
    );
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 3]);
    const [second, third] = rows;
    expect(second?.cells.length).toBe(27);
    expect(second?.cells[2]).toEqual(string('c'));
    expect(second?.cells[3]).toEqual(string('d'));
    expect(second?.cells[26]).toEqual({ kind: 'number', text: '1' });
    expect(0 in (second?.cells ?? [])).toBe(false);
    expect(third?.cells).toEqual([string('first')]);
  });

  it('skips the cells of columns the visitor did not ask for', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const bytes = buildXlsx({
      rows:
        `<row r="1">${cell('A1', 'index')}${cell('B1', 'question')}${cell('C1', 'prediction')}</row>` +
        `<row r="2">${cell('A2', '0')}${cell('B2', 'skipped')}<c r="C2" s="1"/></row>` +
        `<row r="3"><c r="B3"><v>1</v><extLst><c><v>nested</v></c></extLst></c>${cell('C3', 'B')}</row>`,
    });
    const rows: WorksheetRow[] = [];
    forEachWorksheetRow(bytes, (row) => {
      rows.push(row);
      return new Set([0, 2]);
    });
    expect(rows).toEqual([
      { rowNumber: 1, skippedCells: 0, cells: [string('index'), string('question'), string('prediction')] },
      // The empty self-closing C2 is no skipped content; B2 is.
      { rowNumber: 2, skippedCells: 1, cells: [string('0')] },
      // A skipped cell is passed over whole, whatever it nests.
      { rowNumber: 3, skippedCells: 1, cells: [undefined, undefined, string('B')] },
    ]);
  });

  it('skips cells whose content hides or spaces a closing tag', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    // Each would be misread as an A cell "wrong" by a skip that stopped at the first '</c'.
    const fake = (row: number) => `</c><c r="A${row}" t="str"><v>wrong</v></c>`;
    const skipped = [
      `<c r="B2" t="str"><v><![CDATA[${fake(2)}]]></v></c>`, // a closing tag inside CDATA is text
      `<c r="B3" t="str"><!-- ${fake(3)} --><v>x</v></c>`, // ... and inside a comment
      `<c r="B4"><?pi ${fake(4)}?></c>`, // ... and inside a processing instruction
      `<c r="B5"><c><v>1</v></c><c r="A5" t="str"><v>wrong</v></c></c>`, // a nested same-name element
      '<c r="B6" t="str"><v>x</v></c >', // whitespace before '>' still closes
      '<c r="B7"><x:c xmlns:x="urn:x"></x:c><v>1</v></cx></c>', // other names do not
    ];
    const bytes = buildXlsx({
      rows:
        `<row r="1">${cell('A1', 'index')}${cell('B1', 'question')}${cell('C1', 'prediction')}</row>` +
        skipped.map((c, i) => `<row r="${i + 2}">${cell(`A${i + 2}`, String(i))}${c}${cell(`C${i + 2}`, `p${i}`)}</row>`).join(''),
    });
    const rows: WorksheetRow[] = [];
    forEachWorksheetRow(bytes, (row) => {
      rows.push(row);
      return new Set([0, 2]);
    });
    expect(rows.slice(1)).toEqual(skipped.map((_, i) => ({ rowNumber: i + 2, skippedCells: 1, cells: [string(String(i)), undefined, string(`p${i}`)] })));
  });

  it('reads the cells asked for the same on every path, whatever the skipped cells hold', () => {
    // Rows of VLMEvalKit's shape are read by their cells' tags alone; the rest fall back to a full
    // reading. A comment after </sheetData> sends every row through the scanner instead: both readings
    // must give the rows written out below.
    const number = (text: string) => ({ kind: 'number', text });
    const cases: Array<[cells: string, expected: unknown[], skippedCells: number]> = [
      ['<c r="A2"><v>0</v></c><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c>', [number('0'), undefined, string('p')], 1],
      ['<c r="A3"><v>1</v></c><c r="B3" s="1"/><c r="C3" t="inlineStr"><is><t>x</t></is></c>', [number('1'), undefined, string('x')], 0],
      // c's in other names and in text, and a spaced end tag
      [
        '<c r="A4"><v>2</v></c><c r="B4" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr><t>c c</t></r></is></c ><c r="C4"><v>4</v></c>',
        [number('2'), undefined, number('4')],
        1,
      ],
      // cells without a reference, or whose reference is not their first attribute
      ['<c r="A5"><v>3</v></c><c><v>9</v></c><c r="C5"><v>5</v></c>', [number('3'), undefined, number('5')], 1],
      ['<c r="A6"><v>4</v></c><c r="B6"><v>9</v></c><c t="n"><v>6</v></c>', [number('4'), undefined, number('6')], 1],
      ['<c r="A7"><v>5</v></c><c s="1" r="C7"><v>7</v></c>', [number('5'), undefined, number('7')], 0],
      // a cell inside a skipped cell is not a cell of the row
      ['<c r="A8"><v>6</v></c><c r="B8"><v>1</v><extLst><c r="C8"><v>99</v></c></extLst></c><c r="C8"><v>8</v></c>', [number('6'), undefined, number('8')], 1],
      ['<c r="A9"><v>7</v></c><c r="B9"><x:c xmlns:x="urn:x"><v>99</v></x:c></c><c r="C9"><v>9</v></c>', [number('7'), undefined, number('9')], 1],
      // no value asked for: whether the skipped cells hold one decides if the row is empty
      ['<c r="A10"/><c r="B10"><v>1</v></c><c r="C10" s="2"/>', [], 1],
      ['<c r="B11" s="1"/>', [], 0],
      ['<c r="A12"/><c r="B12"/></c>', [], 0], // a stray end tag closes no cell
      // columns past Z, out of order, and a repeated cell (the later one counts)
      ['<c r="A13"><v>13</v></c><c r="AA13"><v>1</v></c><c r="C13"><v>1</v></c><c r="C13"><v>13</v></c>', [number('13'), undefined, number('13')], 1],
    ];
    const rows = cases.map(([cells], i) => `<row r="${i + 2}">${cells}</row>`).join('') + '<row r="14" spans="1:3">\n<c r="A14"><v>14</v></c>\n</row >';
    const expected = [
      ...cases.map(([, cells, skippedCells], i) => ({ rowNumber: i + 2, skippedCells, cells })),
      { rowNumber: 14, skippedCells: 0, cells: [number('14')] },
    ];
    const header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>';
    const sheet = (after: string) =>
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${rows}</sheetData>${after}</worksheet>`;
    for (const after of ['', '<!-- read by the scanner -->']) {
      const bytes = buildXlsx({ rows: '', sharedStrings: ['<t>index</t>', '<t>p</t>'], parts: { 'xl/worksheets/sheet1.xml': sheet(after) } });
      const read: WorksheetRow[] = [];
      forEachWorksheetRow(bytes, (row) => {
        read.push(row);
        return new Set([0, 2]);
      });
      expect(read.slice(1), after || 'plain').toEqual(expected);
    }
  });

  it('reads random rows the same on the fast paths as through the scanner alone', () => {
    // '#' stands for the row number. Plain cells are drawn most, so that whole rows take the fast paths.
    const reference = fc.constantFrom('A', 'B', 'C', 'D', 'AA').map((column) => `r="${column}#"`);
    const plainCell = fc.oneof(
      reference.map((r) => `<c ${r}><v>7</v></c>`),
      reference.map((r) => `<c ${r} t="s"><v>1</v></c>`),
      reference.map((r) => `<c ${r} s="1"/>`),
    );
    const otherCell = fc.oneof(
      reference.map((r) => `<c ${r}></c>`),
      reference.map((r) => `<c ${r}><v></v></c >`),
      reference.map((r) => `<c ${r} t="inlineStr"><is><r><rPr><color rgb="1"/></rPr><t>c w</t></r></is></c>`),
      reference.map((r) => `<c s="2" ${r}><v>3</v></c>`),
      reference.map((r) => `<c ${r}><v>1</v><c r="A#"><v>8</v></c></c>`),
      reference.map((r) => `<c ${r}><x:c/></c>`),
      reference.map((r) => `<c ${r} t="str"><f>1</f><v>x</v></c>`),
      fc.constantFrom('<c><v>5</v></c>', ' ', '\n'),
    );
    const row = fc.record({
      cells: fc.array(fc.oneof({ arbitrary: plainCell, weight: 3 }, { arbitrary: otherCell, weight: 1 }), { maxLength: 6 }),
      end: fc.constantFrom('</row>', '</row>', '</row >'),
    });
    const header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>';
    const read = (rows: string, after: string): unknown[] => {
      const sheet = `<worksheet><sheetData>${header}${rows}</sheetData>${after}</worksheet>`;
      const read: unknown[] = [];
      try {
        forEachWorksheetRow(buildXlsx({ rows: '', sharedStrings: ['<t>index</t>', '<t>p</t>'], parts: { 'xl/worksheets/sheet1.xml': sheet } }), (row) => {
          read.push(row);
          return new Set([0, 2]);
        });
      } catch (error) {
        read.push(error instanceof MalformedFileError ? error.message : error);
      }
      return read;
    };
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), (rows) => {
        const xml = rows.map(({ cells, end }, i) => `<row r="${i + 2}">${cells.join('').replaceAll('#', String(i + 2))}${end}`).join('');
        expect(read(xml, '')).toEqual(read(xml, '<!-- read by the scanner -->'));
      }),
      { numRuns: 800 },
    );
  });

  it('accepts namespace-prefixed SpreadsheetML', async () => {
    const bytes = buildXlsx({
      rows: '',
      parts: {
        'xl/worksheets/sheet1.xml':
          '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
          '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>' +
          '</x:sheetData></x:worksheet>',
      },
    });
    expect(readRows(bytes)[0]?.cells).toEqual([string('prefixed')]);
  });

  it('reads the first worksheet in workbook order, skipping chartsheets', async () => {
    const relationships = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const bytes = buildXlsx({
      rows: '<row r="1"><c r="A1" t="inlineStr"><is><t>second sheet file</t></is></c></row>',
      parts: {
        'xl/workbook.xml': `<workbook xmlns:r="${relationships}"><sheets><sheet name="Chart" r:id="rId3"/><sheet name="Data" r:id="rId4"/><sheet name="Other" r:id="rId1"/></sheets></workbook>`,
        'xl/_rels/workbook.xml.rels':
          '<Relationships>' +
          `<Relationship Id="rId1" Type="${relationships}/worksheet" Target="/xl/worksheets/other.xml"/>` +
          `<Relationship Id="rId3" Type="${relationships}/chartsheet" Target="chartsheets/sheet1.xml"/>` +
          `<Relationship Id="rId4" Type="${relationships}/worksheet" Target="./worksheets/../worksheets/sheet1.xml"/>` +
          '</Relationships>',
      },
    });
    expect(readRows(bytes)[0]?.cells).toEqual([string('second sheet file')]);
  });
});

describe('forEachWorksheetRow: malformed files', () => {
  it.each([
    ['bytes that are no zip', strToU8('index\tprediction\n0\tA\n'), 'not a zip archive'],
    ['an empty file', new Uint8Array(0), 'not a zip archive'],
    ['a zip without a workbook', zipSync({ 'hello.txt': strToU8('hi') }), 'xl/workbook.xml is missing'],
    [
      'a shared string index out of range',
      buildXlsx({ sharedStrings: ['<t>only</t>'], rows: '<row r="1"><c r="B1" t="s"><v>7</v></c></row>' }),
      'cell B1 refers to shared string "7", which does not exist',
    ],
    ['a non-numeric number', buildXlsx({ rows: '<row r="1"><c r="A1"><v>12abc</v></c></row>' }), 'cell A1 holds "12abc"'],
    ['an unknown cell type', buildXlsx({ rows: '<row r="1"><c r="A1" t="q"><v>1</v></c></row>' }), 'unknown type "q"'],
    ['a bad cell reference', buildXlsx({ rows: '<row r="1"><c r="1A"><v>1</v></c></row>' }), 'cell reference "1A"'],
    ['an unknown entity', buildXlsx({ rows: '<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>' }), 'invalid entity'],
    ['an entity named like an Object property', buildXlsx({ rows: '<row r="1"><c r="A1" t="str"><v>&constructor;</v></c></row>' }), 'invalid entity'],
    ['a reference to an invalid character', buildXlsx({ rows: '<row r="1"><c r="A1" t="str"><v>&#0;</v></c></row>' }), 'invalid entity'],
    [
      'a DOCTYPE (entity expansion)',
      buildXlsx({ rows: '', parts: { 'xl/worksheets/sheet1.xml': '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>' } }),
      'DOCTYPE',
    ],
    ['a sheet without sheetData end', buildXlsx({ rows: '', parts: { 'xl/worksheets/sheet1.xml': '<worksheet><sheetData>' } }), 'no </sheetData>'],
    ['invalid UTF-8', zipSync({ 'xl/workbook.xml': new Uint8Array([0x3c, 0xff, 0x3e]) }), 'not valid UTF-8'],
  ])('refuses %s', async (_what, bytes, message) => {
    expect(readError(bytes)).toContain(message);
  });

  const sheet = 'xl/worksheets/sheet1.xml';
  const UNCOMPRESSED_SIZE = 24;
  const CRC = 16;

  it('refuses an archive that declares more than the expansion cap, before inflating it', async () => {
    const bytes = patchCentralDirectory(buildXlsx({ rows: '' }), sheet, UNCOMPRESSED_SIZE, MAX_XLSX_EXPANDED_BYTES + 1);
    expect(readError(bytes)).toMatch(/expands to more than 32 MiB \(at xl\/worksheets\/sheet1\.xml\)/);
  });

  it('stops inflating an entry that outgrows its declared size (a lying zip bomb)', async () => {
    const bomb = buildXlsx({ rows: `<row r="1"><c r="A1" t="str"><v>${'0'.repeat(5_000_000)}</v></c></row>` });
    expect(readError(patchCentralDirectory(bomb, sheet, UNCOMPRESSED_SIZE, 1000))).toContain('more than the size the zip directory declares');
  });

  it('refuses an entry shorter than declared, or with a wrong CRC-32', async () => {
    const bytes = buildXlsx({ rows: '' });
    const size = new ZipArchive(bytes, 1e6).read(sheet)?.length ?? 0;
    expect(readError(patchCentralDirectory(bytes, sheet, UNCOMPRESSED_SIZE, size + 1))).toContain('truncated or corrupt');
    expect(readError(patchCentralDirectory(bytes, sheet, CRC, 12345))).toContain('CRC-32 mismatch');
  });

  it('counts the cap over all the entries read', async () => {
    const archive = new ZipArchive(zipSync({ a: new Uint8Array(600), b: new Uint8Array(600) }), 1000);
    expect(archive.read('a')?.length).toBe(600);
    expect(() => archive.read('b')).toThrow(MalformedFileError);
    expect(archive.read('missing')).toBeUndefined();
  });
});
