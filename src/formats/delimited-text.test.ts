import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDelimited, UnterminatedQuoteError } from './delimited-text';

// Expected values follow pandas' C tokenizer states (START_FIELD → IN_QUOTED_FIELD →
// QUOTE_IN_QUOTED_FIELD → IN_FIELD); each was also checked against pandas.read_csv.
const fieldsOf = (text: string, delimiter: ',' | '\t' = '\t') => splitDelimited(text, delimiter).map((r) => r.fields);

describe('splitDelimited', () => {
  it.each([
    ['"B" is correct', 'B is correct', 'the opening quote pair is dropped and reading goes on after the closing quote'],
    ['"ab"c', 'abc', 'likewise'],
    ['"A"  ', 'A  ', 'spaces after the closing quote are kept'],
    ['say "C"', 'say "C"', 'a quote inside an unquoted field is literal'],
    ['  "B"', '  "B"', 'a quote after leading spaces is literal (no skipinitialspace)'],
    ['"a""b"', 'a"b', 'a doubled quote inside quotes stands for one'],
    ['"x\ty\nz"', 'x\ty\nz', 'delimiters and line breaks inside quotes belong to the field'],
    ['""', '', 'an empty quoted field'],
  ])('%j → %j (%s)', (field, expected) => {
    expect(fieldsOf(`0\t${field}\n`)).toEqual([['0', expected]]);
  });

  it('skips empty lines and lines of only non-delimiter blanks', () => {
    // '   ' is blank; ' \t ' is blank for CSV but holds two fields in TSV; a lone tab is two empty fields.
    expect(fieldsOf('a\tb\n\n   \n \t \n\t\n', '\t')).toEqual([
      ['a', 'b'],
      [' ', ' '],
      ['', ''],
    ]);
    expect(fieldsOf('a,b\n\n   \n \t \n1,2', ',')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('ends lines at \\n, \\r\\n or a lone \\r, and numbers records by their first line', () => {
    const records = splitDelimited('h1\th2\r\n"multi\r\nline"\tx\r\n\r\n2\t"a\rb"\r3\ty', '\t');
    expect(records).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['multi\r\nline', 'x'], line: 2 },
      { fields: ['2', 'a\rb'], line: 5 },
      { fields: ['3', 'y'], line: 7 },
    ]);
  });

  it('keeps an empty last field after a trailing delimiter, and short rows short', () => {
    expect(fieldsOf('a,b,c\n1,\n2', ',')).toEqual([['a', 'b', 'c'], ['1', ''], ['2']]);
  });

  it('reports a quote left open with the line its record starts on', () => {
    expect(() => splitDelimited('h\n1\t"open\nmore\n', '\t')).toThrow(new UnterminatedQuoteError(2));
  });

  it('splits the same whether fields end by native search (no \\r in the text) or a character at a time', () => {
    // A last line ended by '\n' or by '\r' is the same line; only the latter sends the text down the
    // character-at-a-time path.
    const split = (text: string, delimiter: ',' | '\t') => {
      try {
        return splitDelimited(text, delimiter);
      } catch (error) {
        return error;
      }
    };
    const text = fc.array(fc.constantFrom('a', 'b c', '\t', ',', '"', '""', '\n', ' ', '\n\n'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom<',' | '\t'>(',', '\t'), (body, delimiter) => {
        expect(split(`${body}\n`, delimiter)).toEqual(split(`${body}\r`, delimiter));
      }),
      { numRuns: 2000 },
    );
  });
});
