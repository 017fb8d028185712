// The text part of VLMEvalKit's ImageMCQDataset.build_prompt for a GMAI-MMBench row (the image is
// sent separately, before it). GMAI rows have no `hint` column, so no "Hint:" line is ever emitted,
// and they always have options (2 to 5), so the options block is always present.
import { presentChoices, type QuestionOptions } from '../dataset/choices';

/** Lists the row's present choices under their own letters (a cell pandas reads as NaN leaves a gap, as in VLMEvalKit). */
export function vlmevalkitPrompt(question: string, options: QuestionOptions): string {
  const lines = presentChoices(options)
    .map(([letter, text]) => `${letter}. ${text}\n`)
    .join('');
  // The space before the final newline is VLMEvalKit's, and published scores were made with it.
  return `Question: ${question}\nOptions:\n${lines}Please select the correct answer from the options above. \n`;
}
