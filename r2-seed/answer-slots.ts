// (option count, answer letter) for every question, with both marginals exact over rows, the
// letter always among the row's options, and each Mask/Contour twin pair sharing one slot.
import { integerTransport } from './flow';
import type { Rng } from './prng';
import { ANSWER_LETTERS, type AnswerLetter } from './vocabulary';

export const OPTION_COUNTS = [2, 3, 4, 5] as const;
export type OptionCount = (typeof OPTION_COUNTS)[number];

export interface AnswerSlot {
  optionCount: OptionCount;
  answer: AnswerLetter;
}

export function answerSlots(
  answers: Record<AnswerLetter, number>,
  optionCounts: Record<OptionCount, number>,
  twinPairs: number,
  rng: Rng,
): { pairs: AnswerSlot[]; singles: AnswerSlot[] } {
  const table = integerTransport(
    OPTION_COUNTS.map((k) => optionCounts[k]),
    ANSWER_LETTERS.map((letter) => answers[letter]),
    (k, letter) => (letter < (OPTION_COUNTS[k] ?? 0) ? 1 : 0),
  );
  if (!table) throw new Error('answer letters do not fit the option counts');
  const slotAt = (k: number, letter: number): AnswerSlot => ({ optionCount: OPTION_COUNTS[k] as OptionCount, answer: ANSWER_LETTERS[letter] as AnswerLetter });
  const cells = table.flatMap((line, k) => line.map((n, letter) => ({ slot: slotAt(k, letter), n })));
  // Twins take two rows of one cell; draw their cells in proportion to the pairs each can give.
  const pairs: AnswerSlot[] = [];
  for (let p = 0; p < twinPairs; p++) {
    const cell = cells[rng.weightedIndex(cells.map((c) => Math.floor(c.n / 2)))];
    if (!cell || cell.n < 2) throw new Error('not enough rows for the twin pairs');
    cell.n -= 2;
    pairs.push(cell.slot);
  }
  const singles = cells.flatMap((c) => Array.from({ length: c.n }, () => c.slot));
  return { pairs, singles: rng.shuffle(singles) };
}
