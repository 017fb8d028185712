// The answer letter of a row whose TSV has no `answer` column but keeps `category`, the text of the
// correct option (the official TEST files do): the option whose text it is. GMAI-MMBench VAL shows
// the rule is sound: 4,533 of 4,550 categories equal an option exactly, the other 17 differ by a
// trailing period only, and every match is the real answer.
import { LETTERS, type Letter } from '../../src/dataset/vocabulary';

export type CategoryMatch = { letter: Letter } | { problem: string };

const loose = (text: string): string => text.toLowerCase().replace(/\.$/, '');

/**
 * Exactly one option equal to `category` gives its letter; failing that, exactly one equal
 * ignoring case and a trailing ".". Problems never quote the text (for TEST it is the answer).
 */
export function answerFromCategory(category: string | null, options: readonly string[]): CategoryMatch {
  if (category === null) return { problem: 'is empty, so the answer cannot be derived from it' };
  const exact = LETTERS.filter((_, i) => options[i] === category);
  if (exact.length === 1) return { letter: exact[0]! };
  if (exact.length > 1) return { problem: `equals ${exact.length} options, so the answer is ambiguous` };
  const relaxed = LETTERS.filter((_, i) => options[i] !== undefined && loose(options[i]!) === loose(category));
  if (relaxed.length === 1) return { letter: relaxed[0]! };
  if (relaxed.length > 1) return { problem: `equals ${relaxed.length} options when case and a trailing "." are ignored, so the answer is ambiguous` };
  return { problem: 'equals no option, even ignoring case and a trailing ".", so the answer cannot be derived from it' };
}
