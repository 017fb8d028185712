import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTsvRow } from './tsv-writer';

describe('formatTsvRow (pandas to_csv, sep=\\t, QUOTE_MINIMAL)', () => {
  it('leaves plain fields, commas, parentheses and slashes unquoted', () => {
    expect(formatTsvRow([0, 'What is this?', 'grade II/III', 'a, b (c)'])).toBe('0\tWhat is this?\tgrade II/III\ta, b (c)\n');
  });

  it('writes missing values as empty fields', () => {
    expect(formatTsvRow([1, null, undefined, ''])).toBe('1\t\t\t\n');
  });

  it('quotes fields holding a tab, \\n, \\r or a double quote, doubling inner quotes', () => {
    expect(formatTsvRow(['a\tb', 'a\nb', 'a\r\nb', 'say "hi"', "it's"])).toBe('"a\tb"\t"a\nb"\t"a\r\nb"\t"say ""hi"""\tit\'s\n');
  });

  it('round-trips through csv-parse with strict quotes', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '(', '/', '\t', '\n', '\r', '"', 'é') });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            text.filter((s) => s !== ''),
            text,
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (rows) => {
          const tsv = formatTsvRow(['key', 'value']) + rows.map((row) => formatTsvRow(row)).join('');
          const parsed = parse(tsv, { delimiter: '\t', relax_quotes: false, columns: true }) as Record<string, string>[];
          expect(parsed).toEqual(rows.map(([key, value]) => ({ key, value })));
        },
      ),
    );
  });
});
