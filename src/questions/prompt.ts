// The text part of VLMEvalKit's ImageMCQDataset.build_prompt for a GMAI-MMBench row (the image is
// sent separately, before it). GMAI rows have no `hint` column, so no "Hint:" line is ever emitted,
// and they always have options (2 to 5), so the options block is always present.
import { LETTERS } from '../dataset/vocabulary';

/** `options` are the row's non-empty options in letter order (A first). */
export function vlmevalkitPrompt(question: string, options: readonly string[]): string {
  const lines = options.map((text, i) => `${LETTERS[i]}. ${text}\n`).join('');
  // The space before the final newline is VLMEvalKit's, and published scores were made with it.
  return `Question: ${question}\nOptions:\n${lines}Please select the correct answer from the options above. \n`;
}
