import { strToU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_LISTED_ERRORS,
  parsePredictionsDelimited,
  parsePredictionsJson,
  parsePredictionsJsonl,
  parsePredictionsXlsx,
  type PredictionParseResult,
} from './prediction-files';
import { buildTextXlsx, buildXlsx } from '../../test/fixtures/xlsx-fixture';

function rowsOf(result: PredictionParseResult) {
  if (!result.ok) throw new Error(`expected rows, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

function errorsOf(result: PredictionParseResult) {
  if (result.ok) throw new Error(`expected errors, got ${result.rows.length} rows`);
  return result.errors;
}

describe('parsePredictionsJson', () => {
  it('reads the object form keyed by index', () => {
    expect(rowsOf(parsePredictionsJson({ predictions: { '12': 'B. polyp', '0': null } }))).toEqual([
      { index: 0, prediction: null, source: '$.predictions["0"]' },
      { index: 12, prediction: 'B. polyp', source: '$.predictions["12"]' },
    ]);
  });

  it('reads the array form', () => {
    const body = {
      model: 'ignored',
      predictions: [
        { index: 3, prediction: 'A', extra: 1 },
        { index: 4, prediction: null },
      ],
    };
    expect(rowsOf(parsePredictionsJson(body))).toEqual([
      { index: 3, prediction: 'A', source: '$.predictions[0]' },
      { index: 4, prediction: null, source: '$.predictions[1]' },
    ]);
  });

  it('names the path of every bad key, index and prediction', () => {
    const objectForm = { predictions: { '012': 'A', '-1': 'A', '1.5': 'A', abc: 'A', '7': 7, '8': ['A'], '9': 'fine' } };
    expect(errorsOf(parsePredictionsJson(objectForm)).map((e) => e.location)).toEqual([
      '$.predictions["7"]',
      '$.predictions["8"]',
      '$.predictions["012"]',
      '$.predictions["-1"]',
      '$.predictions["1.5"]',
      '$.predictions["abc"]',
    ]);
    const arrayForm = {
      predictions: [
        { index: -1, prediction: 'A' },
        { index: 1.5, prediction: 'A' },
        { index: '2', prediction: 'A' },
        { index: 3 },
        { index: 4, prediction: false },
        'A',
        { index: 2 ** 53, prediction: 'A' },
      ],
    };
    expect(errorsOf(parsePredictionsJson(arrayForm))).toEqual([
      { location: '$.predictions[0].index', message: 'expected a non-negative integer, got -1' },
      { location: '$.predictions[1].index', message: 'expected a non-negative integer, got 1.5' },
      { location: '$.predictions[2].index', message: 'expected a non-negative integer, got the string "2"' },
      { location: '$.predictions[3].prediction', message: 'expected a string or null, got nothing' },
      { location: '$.predictions[4].prediction', message: 'expected a string or null, got false' },
      { location: '$.predictions[5]', message: 'expected an object {"index": …, "prediction": …}, got the string "A"' },
      { location: '$.predictions[6].index', message: 'expected a non-negative integer, got 9007199254740992' },
    ]);
  });

  it('refuses a repeated index, naming the first occurrence', () => {
    const body = {
      predictions: [
        { index: 5, prediction: 'A' },
        { index: 5, prediction: 'B' },
      ],
    };
    expect(errorsOf(parsePredictionsJson(body))).toEqual([{ location: '$.predictions[1]', message: 'index 5 was already given at $.predictions[0]' }]);
    // Small and very large indexes alike, however far apart.
    const indexes = [3000, 0, 2 ** 20 - 1, 2 ** 20, 2 ** 53 - 1, 7];
    const spread = { predictions: [...indexes, ...indexes].map((index) => ({ index, prediction: 'A' })) };
    expect(errorsOf(parsePredictionsJson(spread))).toEqual(
      indexes.map((index, i) => ({ location: `$.predictions[${indexes.length + i}]`, message: `index ${index} was already given at $.predictions[${i}]` })),
    );
    const distinct = parsePredictionsJson({ predictions: indexes.map((index) => ({ index, prediction: 'A' })) });
    expect(distinct.ok && distinct.rows.map((row) => row.index)).toEqual(indexes);
  });

  it.each([
    [[], '$'],
    ['text', '$'],
    [null, '$'],
    [{}, '$.predictions'],
    [{ predictions: 'A' }, '$.predictions'],
    [{ predictions: {} }, '$.predictions'],
    [{ predictions: [] }, '$.predictions'],
  ])('refuses %j at %s', (body, location) => {
    expect(errorsOf(parsePredictionsJson(body))[0]?.location).toBe(location);
  });

  it(`lists at most ${MAX_LISTED_ERRORS} errors and counts them all`, () => {
    const predictions = Array.from({ length: 150 }, (_, i) => ({ index: -i - 1, prediction: 'A' }));
    const result = parsePredictionsJson({ predictions });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(result.errorCount).toBe(150);
  });
});

describe('parsePredictionsJsonl', () => {
  const jsonl = (text: string) => parsePredictionsJsonl(strToU8(text));

  it('reads one {"index", "prediction"} object a line, ignoring other members, blank lines and \\r\\n ends', () => {
    expect(rowsOf(jsonl('{"index": 3, "prediction": "B", "model": "m"}\r\n\n{"index": 0, "prediction": null}\n'))).toEqual([
      { index: 3, prediction: 'B', source: 'line 1' },
      { index: 0, prediction: null, source: 'line 3' },
    ]);
  });

  it('names the line of each bad record', () => {
    expect(
      errorsOf(jsonl('{"index": 0, "prediction": "A"}\n{"index": 0, "prediction": "B"}\nnot json\n["x"]\n{"index": -1, "prediction": 5}\n{"index": 7}')),
    ).toEqual([
      { location: 'line 2', message: 'index 0 was already given at line 1' },
      { location: 'line 3', message: expect.stringMatching(/^not valid JSON: /) },
      { location: 'line 4', message: 'expected an object {"index": …, "prediction": …}, got an array' },
      { location: 'line 5', message: '"index": expected a non-negative integer, got -1' },
      { location: 'line 5', message: '"prediction": expected a string or null, got 5' },
      { location: 'line 6', message: '"prediction": expected a string or null, got nothing' },
    ]);
  });

  it('refuses an empty file and bytes that are not UTF-8', () => {
    expect(errorsOf(jsonl('\n\n'))).toEqual([{ location: 'file', message: 'there are no predictions' }]);
    expect(errorsOf(parsePredictionsJsonl(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual([{ location: 'file', message: 'the file is not valid UTF-8 text' }]);
  });
});

describe('parsePredictionsDelimited', () => {
  it('reads pandas-quoted TSV: tabs, line breaks and doubled quotes inside quoted fields', () => {
    const tsv =
      'index\tquestion\tprediction\n' +
      '0\tq\t"The answer\tis ""B"".\nReally."\n' +
      '\n' + // pandas skips blank lines
      '1\t"multi\nline question"\tA\n' +
      '2\tq\t\n' + // empty cell: NaN
      '3\tq\tsay "C"\n'; // a quote inside an unquoted field is literal
    expect(rowsOf(parsePredictionsDelimited(tsv, 'tsv'))).toEqual([
      { index: 0, prediction: 'The answer\tis "B".\nReally.', source: 'line 2' },
      { index: 1, prediction: 'A', source: 'line 5' },
      { index: 2, prediction: null, source: 'line 7' },
      { index: 3, prediction: 'say "C"', source: 'line 8' },
    ]);
  });

  it('reads CSV bytes with a byte order mark and CRLF line ends; short rows are NaN', () => {
    const csv = strToU8('\ufeffprediction,index\r\n"A, then B",10\r\n,11\r\nNA,12\r\nNone,13\r\n"nan",14\r\n');
    expect(rowsOf(parsePredictionsDelimited(csv, 'csv')).map((r) => [r.index, r.prediction])).toEqual([
      [10, 'A, then B'],
      [11, null],
      // pandas reads these strings as NaN, quoted or not.
      [12, null],
      [13, null],
      [14, null],
    ]);
  });

  it('accepts the index forms pandas reads as an integer', () => {
    const tsv = 'index\tprediction\n12\tA\n013\tB\n14.0\tC\n15.\tD\n';
    expect(rowsOf(parsePredictionsDelimited(tsv, 'tsv')).map((r) => r.index)).toEqual([12, 13, 14, 15]);
  });

  it('names the line and the problem of every bad row', () => {
    const tsv = 'index\tprediction\nabc\tA\n1.5\tB\n-1\tC\n\tD\n7\tE\textra\n8\tF\n8\tG\nNA\tH\n';
    expect(errorsOf(parsePredictionsDelimited(tsv, 'tsv'))).toEqual([
      { location: 'line 2', message: 'the "index" cell "abc" is not a non-negative integer' },
      { location: 'line 3', message: 'the "index" cell "1.5" is not a non-negative integer' },
      { location: 'line 4', message: 'the "index" cell "-1" is not a non-negative integer' },
      { location: 'line 5', message: 'the "index" cell has no value' },
      { location: 'line 6', message: '3 fields, but the header has 2' },
      { location: 'line 8', message: 'index 8 was already given at line 7' },
      { location: 'line 9', message: 'the "index" cell has no value' },
    ]);
  });

  it('refuses a header without the required columns, matched exactly', () => {
    expect(errorsOf(parsePredictionsDelimited('Index\tPrediction\n0\tA\n', 'tsv'))).toEqual([
      { location: 'line 1', message: 'the header has no "index" column (it has "Index", "Prediction")' },
      { location: 'line 1', message: 'the header has no "prediction" column (it has "Index", "Prediction")' },
    ]);
  });

  it.each([
    ['an empty file', '', 'file', 'the file is empty'],
    ['a header only', 'index\tprediction\n', 'file', 'there are no predictions'],
    ['an unclosed quote', 'index\tprediction\n0\tA\n1\t"open\nmore\n', 'line 3', 'a quoted field opened on line 3 is never closed'],
  ])('refuses %s', (_what, text, location, message) => {
    const [error] = errorsOf(parsePredictionsDelimited(text, 'tsv'));
    expect(error?.location).toBe(location);
    expect(error?.message).toContain(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(errorsOf(parsePredictionsDelimited(new Uint8Array([0x69, 0xff, 0x0a]), 'csv'))).toEqual([
      { location: 'file', message: 'the file is not valid UTF-8 text' },
    ]);
  });
});

describe('parsePredictionsXlsx', () => {
  it('reads the index and prediction columns by header name', async () => {
    const bytes = buildTextXlsx([
      [null, null],
      ['question', 'prediction', 'index'],
      ['q0', 'B. polyp', '0'],
      [null, null, null],
      ['q1', 'NA', '1'],
      ['q2', null, '2'],
      ['q3', 'A_x000D_', '3'],
    ]);
    expect(rowsOf(await parsePredictionsXlsx(bytes))).toEqual([
      { index: 0, prediction: 'B. polyp', source: 'row 3' },
      { index: 1, prediction: null, source: 'row 5' },
      { index: 2, prediction: null, source: 'row 6' },
      { index: 3, prediction: 'A_x000D_', source: 'row 7' },
    ]);
  });

  it("turns non-text cells into what Python's str() gives after pandas reads them", async () => {
    const header = '<row r="1"><c r="A1" t="inlineStr"><is><t>index</t></is></c><c r="B1" t="inlineStr"><is><t>prediction</t></is></c></row>';
    const row = (r: number, index: string, prediction: string) => `<row r="${r}"><c r="A${r}">${index}</c>${prediction}</row>`;
    const bytes = buildXlsx({
      rows:
        header +
        row(2, '<v>0</v>', '<c r="B2"><v>3</v></c>') + // int → '3'
        row(3, '<v>1.0</v>', '<c r="B3"><v>2.0</v></c>') + // an integral float becomes an int → '2'
        row(4, '<v>2</v>', '<c r="B4"><v>0.5</v></c>') + // float → repr
        row(5, '<v>3</v>', '<c r="B5"><v>1E-5</v></c>') + // repr uses an exponent below 1e-4
        row(6, '<v>4</v>', '<c r="B6" t="b"><v>0</v></c>') + // bool → 'False'
        row(7, '<v>5</v>', '<c r="B7" t="e"><v>#DIV/0!</v></c>') + // error → NaN
        row(8, '<v>6</v>', '<c r="B8"><v>123456789012345678901</v></c>'), // int(text) is exact
    });
    expect(rowsOf(await parsePredictionsXlsx(bytes)).map((r) => [r.index, r.prediction])).toEqual([
      [0, '3'],
      [1, '2'],
      [2, '0.5'],
      [3, '1e-05'],
      [4, 'False'],
      [5, null],
      [6, '123456789012345678901'],
    ]);
  });

  it('names the row of every bad index', async () => {
    const bytes = buildXlsx({
      rows:
        '<row r="1"><c r="A1" t="inlineStr"><is><t>index</t></is></c><c r="B1" t="inlineStr"><is><t>prediction</t></is></c></row>' +
        '<row r="2"><c r="A2"><v>12.5</v></c><c r="B2" t="inlineStr"><is><t>A</t></is></c></row>' +
        '<row r="3"><c r="A3"><v>-4</v></c></row>' +
        '<row r="4"><c r="A4" t="inlineStr"><is><t>abc</t></is></c></row>' +
        '<row r="5"><c r="A5" t="b"><v>1</v></c></row>' +
        '<row r="6"><c r="B6" t="inlineStr"><is><t>no index</t></is></c></row>',
    });
    expect(errorsOf(await parsePredictionsXlsx(bytes))).toEqual([
      { location: 'row 2', message: 'the "index" cell "12.5" is not a non-negative integer' },
      { location: 'row 3', message: 'the "index" cell "-4" is not a non-negative integer' },
      { location: 'row 4', message: 'the "index" cell "abc" is not a non-negative integer' },
      { location: 'row 5', message: 'the "index" cell "True" is not a non-negative integer' },
      { location: 'row 6', message: 'the "index" cell has no value' },
    ]);
  });

  it('refuses a sheet without the required columns', async () => {
    expect(
      errorsOf(
        await parsePredictionsXlsx(
          buildTextXlsx([
            ['index', 'answer'],
            ['0', 'A'],
          ]),
        ),
      ),
    ).toEqual([{ location: 'row 1', message: 'the header has no "prediction" column (it has "index", "answer")' }]);
  });

  it.each([
    ['non-zip bytes', strToU8('index,prediction\n0,A\n'), 'not a zip archive'],
    [
      'a truncated file',
      buildTextXlsx([
        ['index', 'prediction'],
        ['0', 'A'],
      ]).subarray(0, 200),
      'not a zip archive',
    ],
    ['an empty sheet', buildXlsx({ rows: '' }), 'the first worksheet is empty'],
  ])('reports %s as a file error', async (_what, bytes, message) => {
    const [error, ...rest] = errorsOf(await parsePredictionsXlsx(bytes));
    expect(rest).toEqual([]);
    expect(error?.location).toBe('file');
    expect(error?.message).toContain(message);
  });
});

describe('agreement with pandas on files pandas wrote and read (test/fixtures/pandas/README.md)', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/pandas/${name}`, import.meta.url)));
  const pandasRead = (name: string): unknown => JSON.parse(new TextDecoder().decode(fixture(`${name}.pandas.json`)));

  it.each([
    ['xlsxwriter.xlsx', parsePredictionsXlsx],
    ['openpyxl.xlsx', parsePredictionsXlsx],
    ['pandas.tsv', (bytes: Uint8Array) => parsePredictionsDelimited(bytes, 'tsv')],
  ])('%s', async (name, parseFile) => {
    const rows = rowsOf(await parseFile(fixture(name)));
    expect(rows.map((row) => [row.index, row.prediction])).toEqual(pandasRead(name));
  });
});
