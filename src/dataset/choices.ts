// The choices of a question as VLMEvalKit sees them. It reads the dataset TSV with pandas, so an
// option cell pandas reads as missing (`NA`, `None`, `null`, `nan`…) is no choice: neither listed in
// the prompt nor matched by scoring. Both use this one definition.
import { isPandasNaString } from '../formats/pandas-na';
import { LETTERS, type Letter } from './vocabulary';

/** The option texts of a dataset row by letter, as stored (an empty cell is absent). */
export type QuestionOptions = Partial<Record<Letter, string>>;

/** The choices of a question: its options pandas reads as present, in letter order. */
export type Choices = ReadonlyArray<readonly [Letter, string]>;

/** VLMEvalKit's `build_choices`: the options pandas did not read as NaN, in letter order, each with its own letter. */
export function presentChoices(options: QuestionOptions): Array<[Letter, string]> {
  const choices: Array<[Letter, string]> = [];
  for (const letter of LETTERS) {
    const text = options[letter];
    if (text !== undefined && !isPandasNaString(text)) choices.push([letter, text]);
  }
  return choices;
}
