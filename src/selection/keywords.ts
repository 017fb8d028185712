// Keyword search text → an FTS5 MATCH expression that can never be FTS5 syntax. Each
// whitespace-separated word becomes one quoted phrase of its letter/digit runs (what the
// unicode61 tokenizer keeps), and the phrases are AND-ed. Quotes, operators (AND, OR, NOT, NEAR),
// column filters, `*` and parentheses are therefore plain text or separators, never syntax.

export const MAX_KEYWORDS = 16;

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** The words of `text` as normalized phrases (tokens joined by one space); empty if none has a token. */
export function keywordPhrases(text: string): string[] {
  const phrases: string[] = [];
  for (const word of text.split(/\s+/)) {
    const tokens = word.match(TOKEN);
    if (tokens) phrases.push(tokens.join(' '));
  }
  return phrases;
}

/** Phrases hold only letters, digits, marks and spaces, so wrapping them in quotes needs no escaping. */
export function ftsMatchExpression(phrases: readonly string[]): string {
  return phrases.map((p) => `"${p}"`).join(' ');
}
