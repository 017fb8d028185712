// One line of a TSV exactly as pandas `DataFrame.to_csv(sep='\t', index=False)` writes it
// (Python csv, QUOTE_MINIMAL): a field is quoted only if it holds a tab, a line break or a
// double quote, inner quotes doubled; a missing value is an empty field; lines end with \n.

export type TsvField = string | number | null | undefined;

const NEEDS_QUOTES = /[\t\n\r"]/;

function formatTsvField(field: TsvField): string {
  if (field === null || field === undefined) return '';
  const text = String(field);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatTsvRow(fields: readonly TsvField[]): string {
  return `${fields.map(formatTsvField).join('\t')}\n`;
}
